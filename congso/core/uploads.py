"""Checking the files citizens attach to dossiers, and cleaning them before they are stored.

:func:`validate_upload` decides what a file is from its bytes (never from its name or the browser's content
type), refuses what is dangerous or unusable with a Vietnamese message and a ``code``, and returns a
:class:`CheckedUpload` whose bytes are the ones to store: images are decoded and re-encoded (no EXIF, GPS,
comments or text chunks survive), PDFs and Office files are kept as they are once checked.

PDF active content is found by a heuristic, on top of what PDFium reports (document-level JavaScript and
attachments). The raw bytes are searched for the names ``/JavaScript``, ``/Launch``, ``/EmbeddedFile(s)``,
``/FileAttachment``, ``/RichMedia`` (anywhere: they are too long to occur by chance in binary data) and
``/JS`` (outside stream data only: three bytes do occur by chance in a scan's JPEG stream), also when
written with ``#xx`` escapes; Flate-compressed object streams (``/ObjStm``, PDF 1.5+) are inflated and
searched too; every search is linear in the file's size. An ``/OpenAction`` or ``/AA`` that runs
JavaScript is caught by its ``/S /JavaScript`` or ``/JS``.
Limits: objects hidden behind other filters, in encrypted files (refused anyway) or in a deliberately
malformed file that PDFium repairs differently from this scan are not seen; XFA forms and links to web
addresses are not refused. Fillable forms whose fields have formatting scripts are refused (print them to a
new PDF first). The optional clamd scan is the second line; neither replaces opening files in a viewer that
does not run scripts.

Refused files that may be malicious are kept in quarantine (:func:`quarantine`), never in media.
"""

import contextlib
import dataclasses
import datetime
import hashlib
import io
import json
import logging
import os
import re
import socket
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from congso.core.text import fold

logger = logging.getLogger(__name__)

MiB = 1024 * 1024
DEFAULT_ALLOWED = ("pdf", "jpeg", "png")
MAX_BYTES = 10 * MiB
MAX_PIXELS = 40_000_000  # a 40-megapixel photo decodes to 120 MB of RGB; phones take 12–50 MP
MAX_PAGES = 100
JPEG_QUALITY = 85


@dataclasses.dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str
    label: str  # as shown in the "accepted types" message; format names are not translated


KINDS = {
    "pdf": Kind("pdf", "application/pdf", "PDF"),
    "jpeg": Kind("jpg", "image/jpeg", "JPEG"),
    "png": Kind("png", "image/png", "PNG"),
    "docx": Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"),
    "xlsx": Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
}


@dataclasses.dataclass(frozen=True)
class CheckedUpload:
    """A file that passed every check. ``content`` is what to store: for images it is the re-encoded copy,
    so ``size`` and ``sha256`` describe ``content``, not the bytes that were uploaded."""

    content: bytes
    kind: str  # a key of KINDS
    name: str  # "<slug of the uploaded name>.<extension of kind>"
    content_type: str
    size: int
    sha256: str
    pages: int | None = None  # PDFs only


def validate_upload(
    file,
    *,
    allowed: Iterable[str] = DEFAULT_ALLOWED,
    max_bytes: int = MAX_BYTES,
    max_pixels: int = MAX_PIXELS,
    max_pages: int = MAX_PAGES,
) -> CheckedUpload:
    """Check an uploaded file (a Django ``File``, any binary file object, or ``bytes``) and clean it.

    Raises ``ValidationError`` with a translated message and one of the codes ``empty``, ``too_large``,
    ``file_type``, ``corrupt``, ``too_many_pixels``, ``too_many_pages``, ``encrypted``, ``active_content``,
    ``macro``, ``virus`` or ``virus_scan_unavailable``. Reads at most ``max_bytes + 1`` bytes.
    """
    name = getattr(file, "name", None) or ""
    data = _read(file, max_bytes + 1)
    return _validate(
        data, name=name, allowed=allowed, max_bytes=max_bytes, max_pixels=max_pixels, max_pages=max_pages
    )


# Refusals whose bytes are kept for review: files that may be malicious. Empty, oversized (only the first
# bytes were read), too-long and unscanned files are not kept.
QUARANTINE_CODES = frozenset(
    {"file_type", "corrupt", "too_many_pixels", "encrypted", "active_content", "macro", "virus"}
)


def quarantine(data: bytes, *, name: str, code: str) -> Path | None:
    """Keep a refused file out of media, in ``CONGSO_QUARANTINE_DIR`` (``var/quarantine``): its bytes as
    ``<sha256>.bin`` and a record ``<sha256>.json`` (when, why, the name it was sent under, size). Readable
    by the service account only; the same file sent twice is kept once, with the latest record. Never raises:
    the refusal matters more than the copy."""
    folder = Path(getattr(settings, "CONGSO_QUARANTINE_DIR", "") or Path(settings.VAR_DIR) / "quarantine")
    digest = hashlib.sha256(data).hexdigest()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = folder / f"{digest}.bin"
        if not target.exists():
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                out.write(data)
        record = {
            "sha256": digest,
            "size": len(data),
            "code": code,
            "name": name[-200:],
            "refused_at": datetime.datetime.now(datetime.UTC).isoformat(),
        }
        (folder / f"{digest}.json").write_text(json.dumps(record, ensure_ascii=False))
        os.chmod(folder / f"{digest}.json", 0o600)
    except OSError:
        logger.exception("could not quarantine refused upload %s", digest)
        return None
    logger.warning("upload %s refused (%s), quarantined", digest, code)
    return target


def _validate(
    data: bytes, *, name: str, allowed: Iterable[str], max_bytes: int, max_pixels: int, max_pages: int
) -> CheckedUpload:
    try:
        return _validate_unguarded(
            data, name=name, allowed=allowed, max_bytes=max_bytes, max_pixels=max_pixels, max_pages=max_pages
        )
    except ValidationError as error:
        if error.code in QUARANTINE_CODES:
            quarantine(data, name=name, code=error.code)
        raise


def _validate_unguarded(
    data: bytes, *, name: str, allowed: Iterable[str], max_bytes: int, max_pixels: int, max_pages: int
) -> CheckedUpload:
    allowed = _allowed(allowed)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(data) > max_bytes:
        mb = max_bytes / MiB
        raise ValidationError(
            _("The file is too large: at most %(mb)s MB."),
            code="too_large",
            params={"mb": number_format(mb, decimal_pos=0 if mb.is_integer() else 1)},
        )
    kind = _sniff(data, allowed)
    # Before any parser sees the bytes: the scanner knows exploits aimed at those parsers.
    _antivirus_scan(data)
    pages = None
    if kind in ("jpeg", "png"):
        data = _reencode_image(data, kind, max_pixels=max_pixels)
    elif kind == "pdf":
        pages = _check_pdf(data, max_pages=max_pages)
    # Office files were opened and checked by _sniff: they are stored as they are.
    return CheckedUpload(
        content=data,
        kind=kind,
        name=safe_name(name, kind),
        content_type=KINDS[kind].content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        pages=pages,
    )


def clean_upload(uploaded_file, **options) -> tuple[ContentFile, CheckedUpload]:
    """What the dossier service stores: the cleaned bytes under the safe name, and the check's result.

    Takes the options of :func:`validate_upload`. When :class:`UploadValidator` already checked this very
    file with the same options (the usual form → service path), its result is reused instead of decoding,
    re-encoding and scanning the file a second time.
    """
    checked = _checked(uploaded_file, options)
    return ContentFile(checked.content, name=checked.name), checked


@deconstructible
class UploadValidator:
    """``forms.FileField(validators=[UploadValidator(allowed=("pdf", "jpeg"))])``.

    A validator cannot change the field's value, so the upload keeps its original bytes; store the result of
    :func:`clean_upload` instead, never ``cleaned_data[...]`` itself.
    """

    def __init__(
        self,
        *,
        allowed: Iterable[str] = DEFAULT_ALLOWED,
        max_bytes: int = MAX_BYTES,
        max_pixels: int = MAX_PIXELS,
        max_pages: int = MAX_PAGES,
    ):
        self.allowed = _allowed(allowed)
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self.max_pages = max_pages

    def _options(self) -> dict:
        return {
            "allowed": self.allowed,
            "max_bytes": self.max_bytes,
            "max_pixels": self.max_pixels,
            "max_pages": self.max_pages,
        }

    def __call__(self, file) -> None:
        _checked(file, self._options())

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and self._options() == other._options()

    def __hash__(self):
        return hash(tuple(self._options().items()))


_MEMO = "_congso_checked_upload"


def _checked(file, options: dict) -> CheckedUpload:
    """validate_upload, remembered on the file object itself (it lives as long as the request)."""
    options = {
        "allowed": _allowed(options.get("allowed", DEFAULT_ALLOWED)),
        "max_bytes": options.get("max_bytes", MAX_BYTES),
        "max_pixels": options.get("max_pixels", MAX_PIXELS),
        "max_pages": options.get("max_pages", MAX_PAGES),
    }
    data = _read(file, options["max_bytes"] + 1)
    key = (tuple(sorted(options.items())), hashlib.sha256(data).hexdigest())
    memo = getattr(file, _MEMO, None)
    if memo is not None and memo[0] == key:
        return memo[1]
    checked = _validate(data, name=getattr(file, "name", None) or "", **options)
    with contextlib.suppress(AttributeError):  # bytes, or a file object with __slots__: no memo, no harm
        setattr(file, _MEMO, (key, checked))
    return checked


def safe_name(original: str, kind: str) -> str:
    """``"C:\\fakepath\\Giấy khai sinh.PDF.exe"`` → ``"giay-khai-sinh-pdf.pdf"``: the extension always comes
    from the detected kind."""
    base = original.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    slug = slugify(fold(stem).replace(".", "-"))[:80].strip("-_")
    return f"{slug or 'tai-lieu'}.{KINDS[kind].extension}"


def _allowed(allowed: Iterable[str]) -> tuple[str, ...]:
    if isinstance(allowed, str):
        allowed = (allowed,)
    allowed = tuple(sorted(set(allowed)))
    unknown = set(allowed) - set(KINDS)
    if unknown or not allowed:
        raise ValueError(f"unknown upload kinds {sorted(unknown)}; known: {sorted(KINDS)}")
    return allowed


def _read(file, limit: int) -> bytes:
    """At most ``limit`` bytes from the start of the file; the file is left at its start when it can be."""
    if isinstance(file, bytes | bytearray | memoryview):
        return bytes(file[:limit])
    seekable = file.seekable() if hasattr(file, "seekable") else hasattr(file, "seek")
    if seekable:
        file.seek(0)
    chunks, remaining = [], limit
    try:
        while remaining > 0 and (chunk := file.read(remaining)):  # raw streams may return less
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        if seekable:
            file.seek(0)  # Django's storages, and the next check, read from the start
    return b"".join(chunks)


# --- type -------------------------------------------------------------------------------------------------

_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"PK\x03\x04", "zip"),
)


def _refuse_type(allowed: tuple[str, ...]) -> ValidationError:
    return ValidationError(
        _(
            "The content of the file is not an accepted type. Accepted: %(types)s. "
            "Renaming a file does not change its type."
        ),
        code="file_type",
        params={"types": ", ".join(KINDS[kind].label for kind in allowed)},
    )


def _sniff(data: bytes, allowed: tuple[str, ...]) -> str:
    detected = next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)
    if detected == "zip" and {"docx", "xlsx"} & set(allowed):
        detected = _office_kind(data)
    if detected not in allowed:
        raise _refuse_type(allowed)
    return detected


# --- images -----------------------------------------------------------------------------------------------


def _reencode_image(data: bytes, kind: str, *, max_pixels: int) -> bytes:
    """Decode fully (a damaged image fails here), apply the EXIF orientation, and encode again, carrying over
    only what the picture needs: pixels, transparency, resolution and the colour profile."""
    too_many_pixels = ValidationError(
        _("The image is too large: at most %(mp)s megapixels. Please lower its resolution."),
        code="too_many_pixels",
        params={"mp": number_format(max_pixels / 1_000_000, decimal_pos=0)},
    )
    image_format = "JPEG" if kind == "jpeg" else "PNG"
    try:
        with Image.open(io.BytesIO(data), formats=[image_format]) as image:
            width, height = image.size  # read from the header: nothing is decoded yet
            if width * height > max_pixels:
                raise too_many_pixels
            image.load()
            upright = ImageOps.exif_transpose(image)  # always a new image
    except Image.DecompressionBombError:  # Pillow's own cap, checked in Image.open
        raise too_many_pixels from None
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises many kinds of error on hostile input; all mean "unreadable"
        logger.info("Refused an unreadable %s upload: %r", kind, error)
        raise _corrupt() from None

    keep = {key: upright.info[key] for key in ("icc_profile", "dpi", "transparency") if key in upright.info}
    upright.info = {}  # the JPEG writer would copy a comment from here
    out = io.BytesIO()
    if kind == "jpeg":
        keep.pop("transparency", None)
        upright.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, **keep)
    else:
        upright.save(out, "PNG", optimize=False, **keep)
    return out.getvalue()


def _corrupt() -> ValidationError:
    return ValidationError(
        _("The file is damaged or incomplete and cannot be opened. Please save or scan it again."),
        code="corrupt",
    )


# --- PDF --------------------------------------------------------------------------------------------------

# PDFium is not thread-safe; every call into it from this module holds the lock.
PDFIUM_LOCK = threading.Lock()

_REGULAR = rb"[^\x00\t\n\f\r /<>\[\](){}%]"  # a byte that may be part of a name
_NAME_END = rb"(?!" + _REGULAR + rb")"


def _names(*names: str) -> re.Pattern:
    """A pattern for PDF names, also when written with ``#xx`` escapes (``/J#61vaScript`` is ``/JavaScript``).

    Escapes are matched by the pattern rather than decoded first: decoding calls back into Python for every
    escaped name, which a hostile file can make slow."""

    def char_pattern(char: str) -> str:
        escape = "#" + "".join(f"[{d}{d.upper()}]" if d.isalpha() else d for d in f"{ord(char):02x}")
        return f"(?:{re.escape(char)}|{escape})"

    alternatives = "|".join("".join(map(char_pattern, name)) for name in names)
    return re.compile(f"/(?:{alternatives})".encode() + _NAME_END)


_LONG_ACTIVE_NAMES = _names(
    "JavaScript", "Launch", "EmbeddedFile", "EmbeddedFiles", "FileAttachment", "RichMedia"
)
_SHORT_ACTIVE_NAMES = _names("JS")
_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
_OBJECT_STREAM_BUDGET = 64 * MiB  # inflated bytes, for all object streams of one file


def _streams(data: bytes):
    """``(start, end)`` of each stream's data. Linear: a stream without ``endstream`` runs to the end."""
    position = 0
    while start := _STREAM_START.search(data, position):
        end = data.find(b"endstream", start.end())
        if end == -1:
            yield start.end(), len(data)
            return
        yield start.end(), end
        position = end + len(b"endstream")


def _has_active_content(data: bytes) -> bool:
    if _LONG_ACTIVE_NAMES.search(data):
        return True
    outside_streams, budget, position = [], _OBJECT_STREAM_BUDGET, 0
    for start, end in _streams(data):
        outside_streams.append(data[position:start])
        position = end
        dictionary = data[max(0, start - 1024) : start].rsplit(b"obj", 1)[-1]
        if b"/ObjStm" in dictionary and b"/FlateDecode" in dictionary:
            try:
                objects = zlib.decompressobj().decompress(data[start:end], budget + 1)
            except zlib.error:
                continue  # PDFium cannot read it either
            budget -= len(objects)
            if budget < 0:
                return True  # more than any real document needs: refuse what cannot be checked
            if _LONG_ACTIVE_NAMES.search(objects) or _SHORT_ACTIVE_NAMES.search(objects):
                return True
    outside_streams.append(data[position:])
    return any(_SHORT_ACTIVE_NAMES.search(part) for part in outside_streams)


def _check_pdf(data: bytes, *, max_pages: int) -> int:
    """Open the PDF with PDFium and return its page count, or refuse it."""
    encrypted = ValidationError(
        _("The PDF is password-protected or encrypted. Please remove the protection and upload it again."),
        code="encrypted",
    )
    active = ValidationError(
        _(
            "The PDF contains scripts, attached files or automatic actions, which are not accepted. "
            "Please print it to a new PDF or scan the paper document."
        ),
        code="active_content",
    )
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            if error.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
                raise encrypted from None
            raise _corrupt() from None
        try:
            # Owner-password-only files open without a password, but their strings and streams are
            # encrypted: this module could not read them, and staff might not be allowed to print them.
            if pdfium_c.FPDF_GetSecurityHandlerRevision(document.raw) != -1:
                raise encrypted
            pages = len(document)
            if pages < 1:
                raise _corrupt()
            if pages > max_pages:
                raise ValidationError(
                    _("The PDF has too many pages: at most %(pages)s pages."),
                    code="too_many_pages",
                    params={"pages": max_pages},
                )
            scripts = pdfium_c.FPDFDoc_GetJavaScriptActionCount(document.raw)
            if scripts > 0 or document.count_attachments() > 0:
                raise active
            for index in range(pages):
                try:
                    document[index].close()
                except pdfium.PdfiumError:
                    raise _corrupt() from None
        finally:
            document.close()
    if _has_active_content(data):
        raise active
    return pages


# --- Office Open XML --------------------------------------------------------------------------------------

_OFFICE_MAIN_PARTS = {
    "docx": ("word/document.xml", b"wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", b"spreadsheetml.sheet.main+xml"),
}
_MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"activex")
_MAX_ZIP_ENTRIES = 5000
_MAX_UNPACKED = 256 * MiB  # declared sizes; zipfile stops reading a member at its declared size
_MAX_XML_PART = 2 * MiB  # for the parts read here: content types and relationships
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^<>]*>", re.IGNORECASE)  # [^<>]: linear time
# External targets Word and Excel fetch and run on opening (remote templates, OLE objects, frames).
_DANGEROUS_EXTERNAL = re.compile(
    rb"""Type\s*=\s*["'][^"']*/(?:attachedTemplate|oleObject|frame|subDocument)["']""", re.IGNORECASE
)


class _MacroFound(Exception):
    pass


def _office_kind(data: bytes) -> str | None:
    """``docx`` or ``xlsx`` when the ZIP is a plain Word or Excel file; None when it is something else."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > _MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > _MAX_UNPACKED:
                raise _corrupt()
            names = {entry.filename: entry for entry in entries}
            if "[Content_Types].xml" not in names:
                return None
            content_types = _read_part(archive, names["[Content_Types].xml"])
            if any(marker in content_types.lower() for marker in _MACRO_CONTENT_TYPES):
                raise _MacroFound
            kind = next(
                (
                    kind
                    for kind, (part, content_type) in _OFFICE_MAIN_PARTS.items()
                    if part in names and content_type in content_types
                ),
                None,
            )
            if kind is None:
                return None
            for name, entry in names.items():
                lowered = name.lower()
                if (
                    lowered.rsplit("/", 1)[-1] == "vbaproject.bin"
                    or "/activex/" in f"/{lowered}"
                    or re.search(r"(^|/)embeddings/oleobject[^/]*\.bin$", lowered)
                ):
                    raise _MacroFound
                if lowered.endswith(".rels"):
                    for relationship in _RELATIONSHIP.findall(_read_part(archive, entry)):
                        if b"external" in relationship.lower() and _DANGEROUS_EXTERNAL.search(relationship):
                            raise _MacroFound
            return kind
    except _MacroFound:
        raise ValidationError(
            _(
                "The document contains macros or other active content, which are not accepted. "
                "Please save it as a plain .docx or .xlsx file."
            ),
            code="macro",
        ) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error, OSError):
        raise _corrupt() from None


def _read_part(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    if entry.file_size > _MAX_XML_PART:
        raise _corrupt()
    return archive.read(entry)


# --- antivirus (clamd) ------------------------------------------------------------------------------------

CLAMD_TIMEOUT = 30  # seconds, for the whole exchange
CLAMD_CHUNK = 64 * 1024


class ClamdError(Exception):
    """clamd answered something other than OK or FOUND (e.g. its StreamMaxLength was exceeded)."""


def clamd_instream(data: bytes, *, socket_path: str, timeout: float = CLAMD_TIMEOUT) -> str | None:
    """Scan ``data`` with clamd's INSTREAM command over a UNIX socket.

    Returns None when clean, the signature's name when clamd finds something; raises ``OSError`` or
    :class:`ClamdError` when the scan could not be done. Protocol: ``zINSTREAM\\0``, then chunks each
    prefixed by its length (4 bytes, big-endian), then a zero length; the reply ends with ``\\0``.
    """
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(socket_path)
        connection.sendall(b"zINSTREAM\0")
        for start in range(0, len(data), CLAMD_CHUNK):
            chunk = data[start : start + CLAMD_CHUNK]
            connection.sendall(struct.pack("!L", len(chunk)) + chunk)
        connection.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0") and len(reply) < 4096:
            received = connection.recv(4096)
            if not received:
                break
            reply += received
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer.endswith(" OK"):
        return None
    if answer.endswith(" FOUND"):
        return answer.removeprefix("stream:").removesuffix(" FOUND").strip()
    raise ClamdError(answer or "no answer")


def _antivirus_scan(data: bytes) -> None:
    socket_path = getattr(settings, "CONGSO_CLAMD_SOCKET", None)
    if not socket_path:
        return
    digest = hashlib.sha256(data).hexdigest()
    try:
        signature = clamd_instream(data, socket_path=socket_path)
    except (OSError, ClamdError):
        # Fail closed: an unchecked file must not reach officials' computers.
        logger.exception("clamd could not scan upload %s", digest)
        raise ValidationError(
            _("The file could not be checked for viruses right now. Please try again in a few minutes."),
            code="virus_scan_unavailable",
        ) from None
    if signature:
        logger.warning("clamd refused upload %s: %s", digest, signature)
        raise ValidationError(_("The file contains a virus or other malicious content."), code="virus")
