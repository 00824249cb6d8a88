"""A full disk gives a clear message and leaves nothing half-stored; the database restarting is a 503; files
nobody references are swept; periodic markers hold across processes."""

import datetime
import errno
import hashlib
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError
from django.test import RequestFactory

from congso.core.exceptions import ApplicationError
from congso.core.periodic import once
from congso.core.storage import orphan_files_sweep
from congso.core.views import server_error
from congso.dossiers.models import Dossier, DossierDocument
from congso.dossiers.services import PreparedDocument
from congso.dossiers.tests.factories import make_office, make_version, submit

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n" + b"0" * 5000


def document(label: str) -> PreparedDocument:
    return PreparedDocument(
        label=label,
        content=ContentFile(PDF, name=f"{label}.pdf"),
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )


@pytest.fixture
def disk_full_after(monkeypatch, settings, tmp_path):
    """The disk fills up during the n-th file written: the storage leaves that file half-written, as Django's
    FileSystemStorage does, and raises ENOSPC."""
    settings.MEDIA_ROOT = tmp_path
    real_save = FileSystemStorage._save
    written = {"count": 0}

    def arm(n: int):
        def _save(self, name, content):
            written["count"] += 1
            if written["count"] < n:
                return real_save(self, name, content)
            path = self.path(name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as partial:
                partial.write(b"%PDF-1.4\n00")
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(FileSystemStorage, "_save", _save)

    return arm


def files_under(root) -> list[str]:
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]


def test_a_full_disk_stores_nothing_and_says_so(disk_full_after, tmp_path):
    disk_full_after(2)  # the first document fits, the second does not
    version, office = make_version(), make_office()
    with pytest.raises(ApplicationError) as excinfo:
        submit(version, office, documents=[document("don"), document("cccd")])
    assert excinfo.value.code == "storage_unavailable"
    assert "thử lại" in excinfo.value.message
    assert files_under(tmp_path) == []  # neither the stored first file nor the partial second one
    assert not Dossier.objects.exists() and not DossierDocument.objects.exists()


def test_the_database_restarting_is_a_503_to_retry():
    request = RequestFactory().get("/thu-tuc/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500


def test_orphan_files_are_swept_after_a_day(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    version, office = make_version(), make_office()
    dossier = submit(version, office, documents=[document("don")])
    kept = dossier.documents.get().file.name
    orphan_dir = tmp_path / "dossiers" / "2026" / "01"
    orphan_dir.mkdir(parents=True, exist_ok=True)
    old, fresh = orphan_dir / "old.pdf", orphan_dir / "fresh.pdf"
    old.write_bytes(PDF)
    fresh.write_bytes(PDF)
    two_days_ago = (datetime.datetime.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(old, (two_days_ago, two_days_ago))
    os.utime(tmp_path / kept, (two_days_ago, two_days_ago))
    assert orphan_files_sweep(folders=["dossiers"], referenced={kept}) == 1
    assert not old.exists() and fresh.exists() and (tmp_path / kept).exists()


def test_once_per_stamp():
    assert once("test:daily", "2026-11-27") is True
    assert once("test:daily", "2026-11-27") is False
    assert once("test:daily", "2026-11-28") is True
    assert once("test:other", "2026-11-27") is True
