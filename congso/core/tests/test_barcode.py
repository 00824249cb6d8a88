import re

import pypdfium2 as pdfium
import pytest
import zxingcpp

from congso.core.barcode import MIN_MODULE_WIDTH, code128_svg
from congso.core.pdf import html_to_pdf

CODES = [
    "000.00.01.H12-250801-0001",
    "000.00.12.H12-260315-0123",
    "H12-1",  # an odd run of digits at the end
    "123456789",  # digits only: starts in code set C, ends with one digit left over
    "Ho so so 7/2026",
]


def decode(svg: str) -> list[zxingcpp.Barcode]:
    """Print the SVG the way a receipt is printed (WeasyPrint → PDF → 288 dpi pixels) and read it back."""
    document = pdfium.PdfDocument(html_to_pdf(f"<!doctype html><style>@page {{ margin: 5mm }}</style>{svg}"))
    try:
        image = document[0].render(scale=4).to_pil()
    finally:
        document.close()
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.Code128)


def module_widths(svg: str) -> list[float]:
    return [float(width) for width in re.findall(r'<rect x="[^"]+" y="[^"]+" width="([\d.]+)"', svg)]


@pytest.mark.parametrize("text", CODES)
def test_code128_reads_back_as_its_text(text):
    [found] = decode(code128_svg(text))
    assert found.text == text


def test_svg_embeds_in_html_without_declaration_text_or_inline_style():
    svg = code128_svg(CODES[0])
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert svg.endswith("</svg>")
    for forbidden in ("<?xml", "<!DOCTYPE", "<text", "style=", "<!--", "id="):
        assert forbidden not in svg
    assert CODES[0] not in svg


def test_svg_prints_at_its_size_in_millimetres():
    svg = code128_svg(CODES[0], module_width=0.3, height=9)
    width, height = (float(v) for v in re.search(r'width="([\d.]+)mm" height="([\d.]+)mm"', svg).groups())
    assert height == 9
    assert f'viewBox="0 0 {width:.3f} {height:.3f}"' in svg
    assert min(module_widths(svg)) == pytest.approx(0.3)
    assert 80 < width < 100  # 288 modules and two quiet zones of 10


def test_max_width_narrows_the_modules_but_never_below_the_print_minimum():
    fitted = code128_svg(CODES[0], max_width=85)
    assert float(re.search(r'width="([\d.]+)mm"', fitted).group(1)) == pytest.approx(85, abs=0.01)
    assert min(module_widths(fitted)) >= MIN_MODULE_WIDTH
    squeezed = code128_svg(CODES[0], max_width=20)
    assert min(module_widths(squeezed)) == pytest.approx(MIN_MODULE_WIDTH)
    [found] = decode(squeezed)
    assert found.text == CODES[0]
