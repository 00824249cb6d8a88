"""The printable QR poster of a service centre: one QR code per procedure, each opening its online submission.

The poster is always in Vietnamese, whatever language the person printing it has chosen: it hangs in a
Vietnamese one-stop office.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.safestring import mark_safe

from congso.catalog.models import Procedure
from congso.core.pdf import render_pdf
from congso.core.qr import procedure_submission_url, public_base_url, qr_svg
from congso.geo.models import AdministrativeUnit

POSTER_MAX_PROCEDURES = 24
POSTER_DEFAULT_COUNT = 12
POSTER_PER_PAGE = 12  # 3 columns × 4 rows: each A4 sheet is a whole poster with its own heading
POSTER_COLUMNS = 3
LONG_NAME = 120  # characters; longer names are set smaller to keep four rows on a sheet
POSTER_TITLE = "Quét mã QR để nộp hồ sơ trực tuyến"


def poster_centres() -> QuerySet:
    """The communes of the province; each has its one-stop office (Trung tâm Phục vụ hành chính công)."""
    return (
        AdministrativeUnit.objects.current()
        .communes()
        .filter(parent__code=settings.CONGSO_PROVINCE_CODE)
        .select_related("parent")
        .order_by("code")
    )


def poster_default_procedures(*, limit: int = POSTER_DEFAULT_COUNT) -> QuerySet:
    """The most requested commune-level procedures, for a poster nobody has customised."""
    return Procedure.objects.filter(at_commune=True, is_active=True).order_by("-popularity", "code")[:limit]


def service_centre_name(unit: AdministrativeUnit) -> str:
    # Decree 30/2020/NĐ-CP: inside a name the generic word stays lower case ("… công xã Đất Mũi").
    unit_name = unit.full_name[:1].lower() + unit.full_name[1:]
    return f"Trung tâm Phục vụ hành chính công {unit_name}"


def _chunks(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def poster_context(*, unit: AdministrativeUnit, procedures: Iterable[Procedure]) -> dict:
    """The context of ``catalog/pdf/poster.html``: sheets of rows of cards, each with its QR as inline SVG."""
    cards = []
    for procedure in procedures:
        url = procedure_submission_url(procedure.code)
        # segno writes only numbers and path commands into the SVG; the URL itself is never in the markup.
        svg = mark_safe(qr_svg(url))  # noqa: S308
        cards.append(
            {
                "code": procedure.code,
                "name": procedure.name,
                "long_name": len(procedure.name) > LONG_NAME,
                "url": url,
                "qr": svg,
            }
        )
    return {
        "title": POSTER_TITLE,
        "centre_name": service_centre_name(unit),
        "province_name": unit.parent.full_name if unit.parent_id else "",
        "portal_url": public_base_url(),
        "sheets": [_chunks(sheet, POSTER_COLUMNS) for sheet in _chunks(cards, POSTER_PER_PAGE)],
    }


def poster_pdf(
    *, unit: AdministrativeUnit, procedures: Iterable[Procedure], request: HttpRequest | None = None
) -> bytes:
    return render_pdf(
        "catalog/pdf/poster.html", poster_context(unit=unit, procedures=procedures), request=request
    )
