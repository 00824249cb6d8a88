"""The receipt and appointment slip (Mẫu 01, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), printed on A5.

Always in Vietnamese, whatever language the person printing it has chosen: it is a legal form. It is the
applicant's own paper, so it carries their ID number and phone number in full; nothing else congso prints
does.
"""

from datetime import datetime
from decimal import Decimal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import mark_safe

from congso.catalog.constants import Channel, TimeUnit
from congso.catalog.models import ProcedureVersion
from congso.core.barcode import code128_svg
from congso.core.pdf import render_pdf
from congso.core.qr import public_base_url, qr_svg
from congso.dossiers.constants import ApplicantKind, EventKind
from congso.dossiers.models import Dossier

RECEIPT_TITLE = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")  # the legal time of the receipt, whatever zone a request activated
BARCODE_MAX_WIDTH = 88  # mm: the column beside the QR code on an A5 sheet
AS_REGULATED = "Theo quy định"  # said whenever the procedure's data does not state a value: never invent one
TIME_UNIT_WORDS = {
    TimeUnit.WORKING_DAYS: "ngày làm việc",
    TimeUnit.DAYS: "ngày",
    TimeUnit.HOURS: "giờ làm việc",
}


def tracking_url(dossier: Dossier) -> str:
    """The public lookup page of the dossier, with its code and lookup key filled in (the receipt's QR)."""
    query = urlencode({"ma": dossier.code, "khoa": dossier.lookup_key})
    return f"{public_base_url()}/tra-cuu/?{query}"


def format_moment(moment: datetime) -> str:
    """``08 giờ 05 phút, ngày 03/03/2026`` in Việt Nam's time."""
    local = timezone.localtime(moment, LOCAL_TIME)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def format_vnd(amount: int) -> str:
    """``8.000 đồng``; ``Miễn phí`` for nothing."""
    return f"{amount:,} đồng".replace(",", ".") if amount else "Miễn phí"


def format_duration(value: Decimal, unit: str) -> str:
    """``07 ngày làm việc``, ``0,5 ngày làm việc``: whole numbers on two digits, as the forms write them."""
    if value == value.to_integral_value():
        number = f"{int(value):02d}"
    else:
        number = f"{value.normalize():f}".replace(".", ",")
    return f"{number} {TIME_UNIT_WORDS[unit]}"


def processing_time_text(version: ProcedureVersion, channel: int) -> str:
    # The same choice as the deadline computation (services.due_for): the channel's own time, else the one
    # at the counter, so the legal time printed is the one the appointment was computed from.
    times = {time.channel: time for time in version.processing_times.all()}
    time = times.get(channel) or times.get(Channel.IN_PERSON)
    if time is None or time.value is None or time.unit not in TIME_UNIT_WORDS:
        return AS_REGULATED
    return format_duration(time.value, time.unit)


def fee_lines(version: ProcedureVersion, channel: int) -> list[dict]:
    lines = []
    for fee in version.fees.all():
        if fee.channel is not None and fee.channel != channel:
            continue
        # No amount in the data: the text as published, or else nothing invented.
        amount = format_vnd(fee.amount_vnd) if fee.amount_vnd is not None else fee.raw.strip() or AS_REGULATED
        lines.append({"name": fee.name, "amount": amount})
    return lines


def component_rows(dossier: Dossier) -> tuple[bool, list[dict]]:
    """``(structured, rows)``: the version's components with their counts, or else the documents received."""
    components = list(dossier.version.components.all())
    if components:
        return True, [
            {
                "name": component.name,
                "optional": not component.required and "nếu có" not in component.name.lower(),
                "originals": component.originals,
                "certified_copies": component.certified_copies,
                "photocopies": component.photocopies,
            }
            for component in components
        ]
    return False, [
        {"name": document.label, "pages": document.page_count} for document in dossier.documents.all()
    ]


def receiver_name(dossier: Dossier) -> str:
    """The officer who accepted the dossier, printed under their signature when known."""
    event = (
        dossier.events.filter(kind=EventKind.RECEIVED, actor__isnull=False)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    return event.actor.full_name if event else ""


def receipt_context(dossier: Dossier) -> dict:
    """The context of ``dossiers/pdf/receipt.html``."""
    office = dossier.office
    unit = office.unit
    online = dossier.channel == Channel.ONLINE
    if dossier.received_at is None and online:
        intake_label, intake_at = "Thời gian nộp hồ sơ trực tuyến", dossier.submitted_at
    else:
        intake_label, intake_at = "Thời gian nhận hồ sơ", dossier.received_at or dossier.submitted_at
    local_intake = timezone.localtime(intake_at, LOCAL_TIME)
    structured, components = component_rows(dossier)
    fees = fee_lines(dossier.version, dossier.channel)
    url = tracking_url(dossier)
    return {
        "title": RECEIPT_TITLE,
        "dossier": dossier,
        "office": office,
        # Decree 30/2020/NĐ-CP: the governing body's name above the issuing office's.
        "authority": f"Ủy ban nhân dân {unit.full_name[:1].lower()}{unit.full_name[1:]}",
        "place_date": f"{unit.name}, ngày {local_intake:%d} tháng {local_intake:%m} năm {local_intake:%Y}",
        "online": online,
        "is_organisation": dossier.applicant_kind == ApplicantKind.ORGANISATION,
        # python-barcode and segno write only numbers and shapes into the SVG; no text of the dossier.
        "barcode": mark_safe(code128_svg(dossier.code, max_width=BARCODE_MAX_WIDTH)),  # noqa: S308
        "qr": mark_safe(qr_svg(url)),  # noqa: S308
        "tracking_url": url,
        "lookup_page": f"{public_base_url()}/tra-cuu/",
        "structured": structured,
        "components": components,
        "processing_time": processing_time_text(dossier.version, dossier.channel),
        "intake_label": intake_label,
        "intake_at": format_moment(intake_at),
        "due_at": format_moment(dossier.due_at) if dossier.due_at else "Sẽ thông báo sau",
        "fees": fees,
        # A fully checked version without fee items charges nothing; otherwise the data may just be missing.
        "no_fees": "Không" if dossier.version.is_structured else AS_REGULATED,
        "receiver_name": receiver_name(dossier),
    }


def receipt_pdf(dossier: Dossier, *, request: HttpRequest | None = None) -> bytes:
    return render_pdf("dossiers/pdf/receipt.html", receipt_context(dossier), request=request)
