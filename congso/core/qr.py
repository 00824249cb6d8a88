"""QR codes for congso's printed and on-screen links (segno).

Every code uses error correction H: posters get dirty, folded and taped over, and H still reads with
about 30 % of the symbol damaged.
"""

import io
from urllib.parse import quote

import segno
from django.conf import settings

DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 requires


def _make(data: str) -> segno.QRCode:
    # boost_error=False keeps level H even when a higher level would fit: the level is a promise, not a
    # minimum. micro=False: phone cameras do not read Micro QR.
    return segno.make_qr(data, error="h", boost_error=False)


def qr_svg(data: str, *, scale: int = 4) -> str:
    """The QR code of ``data`` as SVG markup without an XML declaration.

    The same string is a standalone ``image/svg+xml`` document and can be put inside HTML or a WeasyPrint
    template. It has a pixel size and a ``viewBox``, so CSS can resize it without losing sharpness.
    """
    out = io.BytesIO()
    _make(data).save(
        out,
        kind="svg",
        scale=scale,
        border=QUIET_ZONE,
        dark="#000",
        light="#fff",
        xmldecl=False,
        svgns=True,
        nl=False,
        unit="px",
    )
    return out.getvalue().decode()


def qr_png(data: str, *, scale: int = 8) -> bytes:
    """The QR code of ``data`` as a black-on-white PNG, ``scale`` pixels per module."""
    out = io.BytesIO()
    _make(data).save(out, kind="png", scale=scale, border=QUIET_ZONE, dark="#000", light="#fff")
    return out.getvalue()


def public_base_url() -> str:
    """Where citizens reach this installation, without a trailing slash (``CONGSO_PUBLIC_BASE_URL``)."""
    return getattr(settings, "CONGSO_PUBLIC_BASE_URL", DEFAULT_PUBLIC_BASE_URL).rstrip("/")


def procedure_submission_url(code: str) -> str:
    """The absolute address of the online submission page of a procedure, as printed on posters."""
    return f"{public_base_url()}/thu-tuc/{quote(code, safe='')}/nop/"
