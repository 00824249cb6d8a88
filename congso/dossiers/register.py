"""The register of dossiers (Mẫu 07, "Sổ theo dõi hồ sơ"): every dossier an official's offices received in a
period, one line each, as an Excel workbook or an A4 landscape PDF.

Always in Vietnamese, times in Việt Nam's time. Scoped like the queues (``office_dossiers``): an official
never sees another commune's dossiers. The applicant's phone number is masked as everywhere but the
receipt (``congso.notifications.text.mask_phone``).
"""

import datetime
import io
from dataclasses import dataclass

from django.db.models import Min, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from congso.core.masking import mask_phone
from congso.core.pdf import render_pdf
from congso.dossiers.constants import DossierStatus, EventKind
from congso.dossiers.models import Dossier
from congso.dossiers.queues import office_dossiers
from congso.dossiers.receipts import LOCAL_TIME

TITLE = "Sổ theo dõi hồ sơ"
# (header, column width in characters) of the workbook, in the order of the form.
COLUMNS = [
    ("STT", 6),
    ("Mã hồ sơ", 28),
    ("Tên thủ tục hành chính", 40),
    ("Số lượng hồ sơ (bộ)", 10),
    ("Tên cá nhân, tổ chức", 26),
    ("Địa chỉ, số điện thoại", 34),
    ("Cơ quan chủ trì giải quyết", 30),
    ("Ngày, giờ nhận hồ sơ", 17),
    ("Ngày, giờ hẹn trả kết quả", 17),
    ("Ngày chuyển hồ sơ đến cơ quan giải quyết", 17),
    ("Ngày nhận kết quả từ cơ quan giải quyết", 17),
    ("Ngày, giờ trả kết quả", 17),
    ("Ký nhận", 14),
    ("Ghi chú", 30),
]
DATE_COLUMNS = range(8, 13)  # 1-based columns holding a date and time
HEADER_ROW = 4  # rows 1–2 carry the title and the period; data starts on the row after the header
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
NOTES = {
    DossierStatus.REFUSED: "Từ chối tiếp nhận",
    DossierStatus.WITHDRAWN: "Rút hồ sơ",
    DossierStatus.STOPPED: "Dừng giải quyết",
    DossierStatus.SUPPLEMENT_REQUESTED: "Đang chờ bổ sung",
}


@dataclass(frozen=True)
class RegisterRow:
    number: int
    code: str
    procedure: str
    sets: int
    applicant: str
    address_phone: str
    lead_agency: str
    received_at: datetime.datetime | None  # aware, in Việt Nam's time
    due_at: datetime.datetime | None
    sent_at: datetime.datetime | None
    result_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    note: str

    def values(self) -> list:
        return [
            self.number,
            self.code,
            self.procedure,
            self.sets,
            self.applicant,
            self.address_phone,
            self.lead_agency,
            self.received_at,
            self.due_at,
            self.sent_at,
            self.result_at,
            self.returned_at,
            "",
            self.note,
        ]


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(moment, LOCAL_TIME) if moment else None


def _bounds(date_from: datetime.date, date_to: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """From midnight of ``date_from`` to midnight after ``date_to``, in Việt Nam's time."""
    start = datetime.datetime.combine(date_from, datetime.time(), tzinfo=LOCAL_TIME)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time(), tzinfo=LOCAL_TIME)
    return start, end


def register_dossiers(
    *, user, date_from: datetime.date, date_to: datetime.date, office_code: str = ""
) -> QuerySet[Dossier]:
    """The official's dossiers received (``received_at``) from ``date_from`` to ``date_to`` inclusive, in
    order of receipt; only one office's when ``office_code`` is given."""
    start, end = _bounds(date_from, date_to)
    dossiers = office_dossiers(user=user).filter(received_at__gte=start, received_at__lt=end)
    if office_code:
        dossiers = dossiers.filter(office__code=office_code)
    return (
        dossiers.select_related("procedure", "office", "office__unit")
        .annotate(
            sent_at=Min("events__at", filter=Q(events__kind=EventKind.PROCESSING_STARTED)),
        )
        .order_by("received_at", "id")
    )


def _note(dossier: Dossier) -> str:
    if dossier.status in NOTES:
        return NOTES[dossier.status]
    if dossier.returned_at and dossier.due_at and dossier.returned_at > dossier.due_at:
        return "Trả quá hạn"
    return ""


def register_rows(dossiers) -> list[RegisterRow]:
    rows = []
    for number, dossier in enumerate(dossiers, start=1):
        unit = dossier.office.unit
        phone = mask_phone(dossier.applicant_phone) if dossier.applicant_phone else ""
        contact = [part for part in (dossier.applicant_address, phone) if part]
        rows.append(
            RegisterRow(
                number=number,
                code=dossier.code,
                procedure=dossier.procedure.name,
                sets=1,
                applicant=dossier.applicant_name,
                address_phone=" – ".join(contact),
                lead_agency=f"Ủy ban nhân dân {unit.full_name[:1].lower()}{unit.full_name[1:]}",
                received_at=_local(dossier.received_at),
                due_at=_local(dossier.due_at),
                sent_at=_local(getattr(dossier, "sent_at", None)),
                result_at=_local(dossier.processing_ended_at),
                returned_at=_local(dossier.returned_at),
                note=_note(dossier),
            )
        )
    return rows


def period_text(date_from: datetime.date, date_to: datetime.date) -> str:
    return f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}"


def register_xlsx(rows: list[RegisterRow], *, date_from: datetime.date, date_to: datetime.date) -> bytes:
    """The workbook: title, period, a bold header on ``HEADER_ROW``, then one line per dossier. Times are
    real Excel dates (naive, in Việt Nam's time: Excel has no time zones)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "So theo doi ho so"
    sheet.cell(row=1, column=1, value=TITLE.upper()).font = Font(bold=True, size=14)
    sheet.cell(row=2, column=1, value=period_text(date_from, date_to)).font = Font(italic=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, (header, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    for offset, row in enumerate(rows, start=1):
        for column, value in enumerate(row.values(), start=1):
            if isinstance(value, datetime.datetime):
                value = value.replace(tzinfo=None)
            cell = sheet.cell(row=HEADER_ROW + offset, column=column, value=value)
            cell.alignment = wrap
            if column in DATE_COLUMNS:
                cell.number_format = DATETIME_FORMAT
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.print_options.gridLines = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _short(moment: datetime.datetime | None) -> str:
    return f"{moment:%H:%M %d/%m/%Y}" if moment else ""


def register_pdf(
    rows: list[RegisterRow],
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    office_name: str = "",
    request: HttpRequest | None = None,
) -> bytes:
    lines = [
        {
            **row.__dict__,
            **{
                name: _short(getattr(row, name))
                for name in ("received_at", "due_at", "sent_at", "result_at", "returned_at")
            },
        }
        for row in rows
    ]
    context = {
        "title": TITLE,
        "period": period_text(date_from, date_to),
        "office_name": office_name,
        "rows": lines,
        "printed_at": _short(_local(timezone.now())),
    }
    return render_pdf("dossiers/pdf/register.html", context, request=request)
