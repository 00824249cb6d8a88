"""The attacks a citizen's upload may carry, each refused with a clear Vietnamese message and kept in
quarantine (never in media). The checks themselves are tested in detail in test_uploads.py."""

import json
import struct
import zlib

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from congso.core import uploads
from congso.core.tests.test_uploads import (  # noqa: F401 - clamd is a fixture
    DOCM_MAIN,
    clamd,
    make_docx,
    make_pdf,
    stream,
)
from congso.core.uploads import UploadValidator, validate_upload


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width×height pixels: IHDR, one tiny IDAT and IEND, a few dozen bytes in all."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\0" * 48 + b"PE\0\0" + b"\0" * 200
)

ATTACKS = [
    pytest.param("giay-khai-sinh.pdf", EXECUTABLE, {}, "file_type", "Chỉ nhận:", id="executable-renamed-pdf"),
    pytest.param(
        "to-khai.pdf",
        make_pdf(catalog=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        {},
        "active_content",
        "mã lệnh",
        id="pdf-with-javascript",
    ),
    pytest.param(
        "to-khai.pdf",
        make_pdf(
            catalog=b"/Names << /EmbeddedFiles << /Names [(payload.exe) 4 0 R] >> >>",
            extra=(b"<< /Type /Filespec /F (payload.exe) /EF << /F 5 0 R >> >>", stream(b"MZ", b"")),
        ),
        {},
        "active_content",
        "tệp đính kèm",
        id="pdf-with-embedded-file",
    ),
    pytest.param(
        "don.docx",
        make_docx(main=DOCM_MAIN),
        {"allowed": ("pdf", "docx")},
        "macro",
        "macro",
        id="docm-renamed-docx",
    ),
    pytest.param(
        "anh-chup.png",
        png_header_only(20_000, 20_000),
        {},
        "too_many_pixels",
        "Ảnh quá lớn",
        id="png-20000x20000",
    ),
    pytest.param(
        "ho-so.pdf",
        b"%PDF-1.7\n" + b"\0" * (2 * 1024 * 1024),
        {"max_bytes": 1024 * 1024},
        "too_large",
        "Tệp quá lớn",
        id="oversized",
    ),
]


@pytest.fixture(autouse=True)
def _quarantine_dir(settings, tmp_path):
    settings.CONGSO_QUARANTINE_DIR = tmp_path / "quarantine"
    return settings.CONGSO_QUARANTINE_DIR


def refuse(name, data, options):
    with translation.override("vi"), pytest.raises(forms.ValidationError) as caught:
        validate_upload(SimpleUploadedFile(name, data, content_type="application/pdf"), **options)
    return caught.value


@pytest.mark.parametrize(("name", "data", "options", "code", "words"), ATTACKS)
def test_each_attack_is_refused_in_vietnamese(name, data, options, code, words):
    error = refuse(name, data, options)
    assert error.code == code
    message = error.messages[0]
    assert words.lower() in message.lower(), message


def test_the_crafted_png_is_tiny_and_never_decoded(monkeypatch):
    data = png_header_only(20_000, 20_000)
    assert len(data) < 100
    monkeypatch.setattr(uploads.Image.Image, "load", lambda *a: pytest.fail("pixels decoded"))
    assert refuse("a.png", data, {}).code == "too_many_pixels"


def test_a_form_shows_the_message_and_keeps_nothing():
    class Form(forms.Form):
        document = forms.FileField(validators=[UploadValidator()])

    with translation.override("vi"):
        form = Form(files={"document": SimpleUploadedFile("giay-khai-sinh.pdf", EXECUTABLE)})
        assert not form.is_valid()
        assert "Chỉ nhận:" in form.errors["document"][0]


@pytest.mark.parametrize(
    ("name", "data", "options", "code", "words"), [case for case in ATTACKS if case.id != "oversized"]
)
def test_refused_files_are_quarantined_with_a_record(
    name, data, options, code, words, _quarantine_dir, settings
):
    refuse(name, data, options)
    records = list(_quarantine_dir.glob("*.json"))
    assert len(records) == 1
    record = json.loads(records[0].read_text())
    assert (record["code"], record["name"], record["size"]) == (code, name, len(data))
    kept = _quarantine_dir / f"{record['sha256']}.bin"
    assert kept.read_bytes() == data
    assert kept.stat().st_mode & 0o077 == 0
    assert not str(_quarantine_dir).startswith(str(settings.MEDIA_ROOT))


def test_oversized_and_empty_files_are_not_kept(_quarantine_dir):
    refuse("a.pdf", b"%PDF-1.7\n" + b"\0" * 2000, {"max_bytes": 1000})
    refuse("b.pdf", b"", {})
    assert not _quarantine_dir.exists() or not any(_quarantine_dir.iterdir())


def test_the_same_file_twice_is_kept_once(_quarantine_dir):
    refuse("a.pdf", EXECUTABLE, {})
    refuse("b.pdf", EXECUTABLE, {})
    assert len(list(_quarantine_dir.glob("*.bin"))) == 1
    assert json.loads(next(_quarantine_dir.glob("*.json")).read_text())["name"] == "b.pdf"


def test_a_virus_found_by_clamd_is_quarantined(clamd, _quarantine_dir):  # noqa: F811
    server = clamd(b"stream: Eicar-Test-Signature FOUND")
    error = refuse("a.pdf", make_pdf(), {})
    assert error.code == "virus"
    assert "virus" in error.messages[0].lower() or "mã độc" in error.messages[0]
    assert server.received  # the bytes went through INSTREAM
    assert json.loads(next(_quarantine_dir.glob("*.json")).read_text())["code"] == "virus"


def test_a_quarantine_that_cannot_be_written_still_refuses(settings, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    settings.CONGSO_QUARANTINE_DIR = blocker / "quarantine"  # a folder inside a file: cannot exist
    assert refuse("a.pdf", EXECUTABLE, {}).code == "file_type"
