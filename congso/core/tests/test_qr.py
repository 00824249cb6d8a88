import io

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.test import override_settings
from PIL import Image

from congso.core.pdf import html_to_pdf
from congso.core.qr import procedure_submission_url, qr_png, qr_svg

URL = "https://dichvucong.camau.gov.vn/thu-tuc/1.001193/nop/"


def decode_png(data: bytes) -> list[zxingcpp.Barcode]:
    return zxingcpp.read_barcodes(Image.open(io.BytesIO(data)), formats=zxingcpp.BarcodeFormat.QRCode)


def decode_svg(svg: str) -> list[zxingcpp.Barcode]:
    """Draw the SVG the way a printer would (WeasyPrint → PDF → pixels) and read it back."""
    css = "@page { size: 60mm; margin: 5mm } svg { width: 50mm; height: 50mm }"
    document = pdfium.PdfDocument(html_to_pdf(f"<!doctype html><style>{css}</style>{svg}"))
    try:
        image = document[0].render(scale=3).to_pil()
    finally:
        document.close()
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def test_png_reads_back_with_error_correction_h():
    [code] = decode_png(qr_png(URL))
    assert code.text == URL
    assert code.ec_level == "H"


def test_png_is_black_on_white_with_a_quiet_zone_of_four_modules():
    image = Image.open(io.BytesIO(qr_png(URL, scale=1))).convert("L")
    width, height = image.size
    pixels = image.load()
    ring = [
        (x, y) for x in range(width) for y in range(height) if min(x, y, width - x - 1, height - y - 1) < 4
    ]
    assert all(pixels[x, y] == 255 for x, y in ring)
    assert pixels[4, 4] == 0  # the finder pattern starts right after the quiet zone
    assert {colour for _, colour in image.getcolors()} == {0, 255}


def test_svg_reads_back_with_error_correction_h():
    svg = qr_svg(URL)
    [code] = decode_svg(svg)
    assert code.text == URL
    assert code.ec_level == "H"


def test_svg_is_markup_without_xml_declaration():
    svg = qr_svg(URL, scale=3)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<?xml" not in svg
    assert 'viewBox="0 0 ' in svg  # resizable by CSS
    assert svg.rstrip().endswith("</svg>")


@pytest.mark.parametrize("data", ["x", URL, "https://example.vn/" + "a" * 200])
def test_error_correction_stays_h_even_when_a_higher_level_would_fit(data):
    [code] = decode_png(qr_png(data))
    assert code.text == data
    assert code.ec_level == "H"


@override_settings(CONGSO_PUBLIC_BASE_URL="https://dichvucong.camau.gov.vn/")
def test_procedure_submission_url_uses_the_public_address():
    assert procedure_submission_url("1.001193") == URL


def test_procedure_submission_url_has_a_local_default(settings):
    if hasattr(settings, "CONGSO_PUBLIC_BASE_URL"):
        del settings.CONGSO_PUBLIC_BASE_URL
    assert procedure_submission_url("1.001193") == "http://127.0.0.1:8000/thu-tuc/1.001193/nop/"
