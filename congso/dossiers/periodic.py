"""Clock-driven work of the dossiers app (``manage.py periodic`` calls ``tick()`` every minute)."""

from django.utils import timezone

from congso.core.periodic import once
from congso.core.storage import orphan_files_sweep
from congso.dossiers.models import DossierDocument, DraftDocument


def tick() -> str | None:
    """Once a day: delete stored files that no dossier or draft document points to (a request killed after
    writing its file and before committing leaves one behind)."""
    if not once("dossiers:orphan-files", timezone.localdate().isoformat()):
        return None
    deleted = orphan_files_sweep(folders=["dossiers", "drafts"], referenced=referenced_files())
    return f"{deleted} orphan files deleted"


def referenced_files() -> set[str]:
    names = set(DossierDocument.objects.values_list("file", flat=True).iterator(chunk_size=10_000))
    names.update(DraftDocument.objects.values_list("file", flat=True).iterator(chunk_size=10_000))
    return names
