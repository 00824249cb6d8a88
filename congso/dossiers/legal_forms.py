"""The one-stop legal forms printed from a dossier's history: Mẫu 02–05 (A5) and the control slip, Mẫu 06.

Like the receipt (Mẫu 01, ``congso.dossiers.receipts``) they are always in Vietnamese, whatever language the
person printing has chosen, and every time is printed in Việt Nam's time. Each of Mẫu 02–05 is drawn from the
latest event of its kind (``FORM_EVENTS``): a dossier without such an event has no such form.
"""

import datetime
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from congso.core.pdf import render_pdf
from congso.dossiers.constants import EventKind
from congso.dossiers.models import Dossier, DossierEvent
from congso.dossiers.receipts import LOCAL_TIME, format_moment

# Mẫu number → (the event it is printed from, its title).
FORM_EVENTS: dict[str, tuple[str, str]] = {
    "02": (EventKind.SUPPLEMENT_REQUESTED, "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "03": (EventKind.REFUSED_AT_INTAKE, "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "04": (EventKind.EXTENDED, "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
    "05": (EventKind.STOPPED, "Thông báo dừng giải quyết hồ sơ"),
}
CONTROL_SLIP_TITLE = "Phiếu kiểm soát quá trình giải quyết hồ sơ"

# The step's name on the control slip (Vietnamese whatever the active language).
STEP_NAMES = {
    EventKind.SUBMITTED: "Nộp hồ sơ trực tuyến",
    EventKind.RECEIVED: "Tiếp nhận hồ sơ tại Bộ phận Một cửa",
    EventKind.STATUS_CHANGED: "Thay đổi trạng thái",
    EventKind.NOTE: "Ghi chú",
    EventKind.ACCEPTED: "Tiếp nhận hồ sơ",
    EventKind.REFUSED_AT_INTAKE: "Từ chối tiếp nhận hồ sơ",
    EventKind.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung, hoàn thiện hồ sơ",
    EventKind.SUPPLEMENTED: "Nhận hồ sơ bổ sung",
    EventKind.ASSIGNED: "Phân công cán bộ thụ lý",
    EventKind.PROCESSING_STARTED: "Chuyển hồ sơ đến cơ quan giải quyết",
    EventKind.FEES_REQUESTED: "Yêu cầu thực hiện nghĩa vụ tài chính",
    EventKind.FEES_PAID: "Đã thực hiện nghĩa vụ tài chính",
    EventKind.EXTENDED: "Xin lỗi và hẹn lại ngày trả kết quả",
    EventKind.STOPPED: "Dừng giải quyết hồ sơ",
    EventKind.WITHDRAWN: "Rút hồ sơ",
    EventKind.APPROVED: "Phê duyệt kết quả",
    EventKind.REFUSED: "Từ chối sau thẩm định",
    EventKind.RETURNED: "Trả kết quả",
    EventKind.FORWARDED: "Chuyển hồ sơ đến cơ quan có thẩm quyền",
    EventKind.STEP_DONE: "Hoàn thành bước xử lý",
    EventKind.CONSULT_ASKED: "Xin ý kiến cơ quan liên quan",
    EventKind.CONSULT_ANSWERED: "Nhận ý kiến cơ quan liên quan",
}
# Steps of the route and consultations: the row names the step itself.
NAMED_STEPS = {EventKind.STEP_DONE, EventKind.CONSULT_ASKED, EventKind.CONSULT_ANSWERED}

EARLY = "Trước hạn"
ON_TIME = "Đúng hạn"
LATE = "Quá hạn"
# Steps whose ``step_due_at`` bounds the step's own moment rather than the hand-over that follows it: the
# supplement request must be *made* within 3 working days of receipt (ONE-STOP.md §6); what follows it is
# the applicant's waiting time, which is not the office's to be late on.
# A route step or a consultation's answer is judged by the moment it was done against its own deadline.
SELF_TIMED = {EventKind.SUPPLEMENT_REQUESTED, EventKind.STEP_DONE, EventKind.CONSULT_ANSWERED}
# A consultation asked is judged when it is answered, on the answer's row.
NOT_JUDGED = {EventKind.CONSULT_ASKED}


def local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment, LOCAL_TIME)


def format_short(moment: datetime.datetime | None) -> str:
    """``08:05 03/03/2026`` in Việt Nam's time; empty for no time."""
    return f"{local(moment):%H:%M %d/%m/%Y}" if moment else ""


def step_result(due: datetime.datetime | None, finished: datetime.datetime) -> str:
    """The result of one step, as Mẫu 06 records it.

    - no deadline for the step: ``""`` (nothing to judge);
    - ``finished`` after ``due`` (to the microsecond): **quá hạn**;
    - otherwise, ``finished`` on the same calendar day as ``due`` in Việt Nam's time: **đúng hạn**;
    - otherwise (finished on an earlier day): **trước hạn**.
    """
    if due is None:
        return ""
    if finished > due:
        return LATE
    if local(finished).date() == local(due).date():
        return ON_TIME
    return EARLY


@dataclass(frozen=True)
class SlipRow:
    number: int
    step: str
    unit: str
    handed_by: str
    received_by: str
    at: str
    due: str
    finished: str
    result: str
    note: str


def _person(event: DossierEvent | None) -> str:
    if event is None or event.actor is None:
        return ""
    return event.actor.full_name or event.actor.email


def control_slip_rows(dossier: Dossier, *, now: datetime.datetime | None = None) -> list[SlipRow]:
    """One row per event of the dossier, in order (``at``, then ``id``).

    Each row is one hand-over: the step's officer (``actor``) hands the dossier over, the next event's officer
    receives it. The step **finishes** when the next event happens; the last step finishes when the result
    was returned (``dossier.returned_at``) or, for a dossier not returned yet, ``now``. The step's result
    compares that moment with the step's own deadline (``step_due_at``) by :func:`step_result`. Exception:
    a supplement request (``SELF_TIMED``) is judged by its own moment, since its deadline is the time allowed
    to ask and the wait that follows is the applicant's.
    """
    now = now or timezone.now()
    events = list(dossier.events.select_related("actor", "unit").order_by("at", "id"))
    rows = []
    for index, event in enumerate(events):
        following = events[index + 1] if index + 1 < len(events) else None
        if event.kind in SELF_TIMED:
            finished = event.at
        elif following is not None:
            finished = following.at
        else:
            finished = dossier.returned_at or now
        step = STEP_NAMES.get(event.kind, event.kind)
        if event.kind in NAMED_STEPS and (event.data or {}).get("label"):
            step = f"{step}: {event.data['label']}"
        rows.append(
            SlipRow(
                number=index + 1,
                step=step,
                unit=event.unit.full_name if event.unit else "",
                handed_by=_person(event),
                received_by=_person(following),
                at=format_short(event.at),
                due=format_short(event.step_due_at),
                finished=format_short(finished),
                result="" if event.kind in NOT_JUDGED else step_result(event.step_due_at, finished),
                note=event.note,
            )
        )
    return rows


def masthead(dossier: Dossier, moment: datetime.datetime) -> dict:
    """Issuing authority and office, place and date: the top of every form (Decree 30/2020/NĐ-CP)."""
    unit = dossier.office.unit
    day = local(moment)
    return {
        "dossier": dossier,
        "office": dossier.office,
        "authority": f"Ủy ban nhân dân {unit.full_name[:1].lower()}{unit.full_name[1:]}",
        "place_date": f"{unit.name}, ngày {day:%d} tháng {day:%m} năm {day:%Y}",
    }


def latest_event(dossier: Dossier, number: str) -> DossierEvent | None:
    kind, _title = FORM_EVENTS[number]
    return dossier.events.filter(kind=kind).select_related("actor").order_by("-at", "-id").first()


def _parse(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def form_context(dossier: Dossier, number: str) -> dict | None:
    """The context of ``dossiers/pdf/form_<number>.html``; ``None`` when the dossier has no such event."""
    event = latest_event(dossier, number)
    if event is None:
        return None
    data = event.data or {}
    received = dossier.received_at or dossier.submitted_at
    context = {
        **masthead(dossier, event.at),
        "number": number,
        "title": FORM_EVENTS[number][1],
        "event": event,
        "event_at": format_moment(event.at),
        "received_at": format_moment(received),
        "officer": _person(event),
        "form_number": data.get("form_number", ""),
        "items": [],
        "reason": (data.get("reason") or data.get("reasons") or event.note or "").strip(),
    }
    if number == "02":
        context["items"] = [str(item) for item in data.get("items", [])]
    if number == "04":
        before = _parse(data.get("due_before"))
        after = _parse(data.get("due_after")) or event.step_due_at
        context["due_before"] = format_moment(before) if before else ""
        context["due_after"] = format_moment(after) if after else ""
    return context


def form_pdf(dossier: Dossier, number: str, *, request: HttpRequest | None = None) -> bytes | None:
    """Mẫu ``number`` (``"02"``–``"05"``) as PDF bytes, or ``None`` when the dossier has no such event."""
    context = form_context(dossier, number)
    if context is None:
        return None
    return render_pdf(f"dossiers/pdf/form_{number}.html", context, request=request)


def control_slip_context(dossier: Dossier, *, now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    return {
        **masthead(dossier, dossier.received_at or dossier.submitted_at),
        "title": CONTROL_SLIP_TITLE,
        "received_at": format_moment(dossier.received_at or dossier.submitted_at),
        "due_at": format_moment(dossier.due_at) if dossier.due_at else "",
        "rows": control_slip_rows(dossier, now=now),
        "printed_at": format_short(now),
    }


def control_slip_pdf(
    dossier: Dossier, *, request: HttpRequest | None = None, now: datetime.datetime | None = None
) -> bytes:
    return render_pdf(
        "dossiers/pdf/control_slip.html", control_slip_context(dossier, now=now), request=request
    )
