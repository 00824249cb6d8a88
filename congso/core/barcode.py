"""Code 128 barcodes for congso's printed papers (python-barcode).

The SVG is sized in millimetres for print: a module (the narrowest bar or space) is never thinner than
``MIN_MODULE_WIDTH``, which ordinary laser printers and hand-held scanners handle reliably.
"""

import xml.dom.minidom

from barcode.codex import Code128
from barcode.writer import SVGWriter

MIN_MODULE_WIDTH = 0.25  # mm
MODULE_WIDTH = 0.3  # mm
HEIGHT = 10.0  # mm
QUIET_ZONE_MODULES = 10  # white on each side, as ISO/IEC 15417 requires


def code128_svg(
    text: str, *, module_width: float = MODULE_WIDTH, height: float = HEIGHT, max_width: float | None = None
) -> str:
    """The Code 128 barcode of ``text`` as SVG markup, without an XML declaration or DOCTYPE.

    No human-readable line under the bars: whoever places the barcode prints the text where it belongs. The
    SVG's ``width``/``height`` (quiet zones included) and its ``viewBox`` are in millimetres, so it prints at
    its true size and scales cleanly. With ``max_width`` (mm) the modules are narrowed to fit, but never
    below ``MIN_MODULE_WIDTH``. Bars are drawn with ``fill`` attributes, not ``style``, so the same markup is
    allowed inline in a page under the Content-Security-Policy. Raises
    ``barcode.errors.IllegalCharacterError`` for text outside ASCII.
    """
    symbol = Code128(text, writer=SVGWriter())
    modules = len(symbol.build()[0]) + 2 * QUIET_ZONE_MODULES
    if max_width is not None:
        module_width = min(module_width, max_width / modules)
    module_width = max(module_width, MIN_MODULE_WIDTH)
    # build() leaves charset state behind: render from a fresh instance.
    markup = Code128(text, writer=SVGWriter()).render(
        {
            "module_width": module_width,
            "module_height": height,
            "quiet_zone": QUIET_ZONE_MODULES * module_width,
            "margin_top": 0,
            "margin_bottom": 0,
            "write_text": False,
            "with_doctype": False,
            "compress": True,
        }
    )
    return _clean(markup, width=modules * module_width, height=height)


def _clean(markup: bytes, *, width: float, height: float) -> str:
    """Millimetre units under a viewBox, ``fill`` attributes instead of inline styles; no comment, no id."""
    # The markup is python-barcode's own output, never anything received from outside.
    document = xml.dom.minidom.parseString(markup)  # noqa: S318
    svg = document.documentElement
    for child in list(svg.childNodes):
        if child.nodeType == child.COMMENT_NODE:
            svg.removeChild(child)
    svg.setAttribute("width", f"{width:.3f}mm")
    svg.setAttribute("height", f"{height:.3f}mm")
    svg.setAttribute("viewBox", f"0 0 {width:.3f} {height:.3f}")
    svg.setAttribute("shape-rendering", "crispEdges")
    for group in svg.getElementsByTagName("g"):
        group.removeAttribute("id")  # the same id twice on a page would be invalid
    for rect in svg.getElementsByTagName("rect"):
        fill = rect.getAttribute("style").removeprefix("fill:").rstrip(";")
        rect.removeAttribute("style")
        rect.setAttribute("fill", "#fff" if fill == "white" else "#000")
        for name in ("x", "y", "width", "height"):
            if rect.hasAttribute(name):
                rect.setAttribute(name, rect.getAttribute(name).removesuffix("mm"))
    return svg.toxml()
