"""The back office's moves on a dossier: one service per transition of ``congso.dossiers.workflow``.

Every service locks the dossier's row, checks who acts and whether the move is legal, changes the status
and the timestamps the law asks for, writes one ``DossierEvent`` (who, which unit, when, from, to, note, the
step's own deadline) and, for the moves the applicant must know of, writes the e-mail and SMS to the outbox,
sent once the transaction commits. A refused move raises before anything is written.

``at`` is when the move happened, by default now; it exists for tests and imports: views never pass it.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from congso.accounts.constants import OFFICE_ROLES
from congso.accounts.models import User
from congso.accounts.selectors import user_units
from congso.catalog.constants import SupplementRule
from congso.core import calendar
from congso.core.exceptions import ApplicationError
from congso.core.storage import stored_files
from congso.dossiers import workflow
from congso.dossiers.constants import DossierOutcome, DossierStatus, ResultDelivery
from congso.dossiers.models import Dossier, DossierDocument, DossierEvent, ReceivingOffice
from congso.dossiers.services import PreparedDocument, due_for, form_next_number, notify_applicant
from congso.dossiers.steps import open_steps, route_plan, steps_shift
from congso.geo.constants import UnitLevel
from congso.sync.services import sync_event

# Who may act on a dossier of their unit (or of a unit below it).
STAFF_ROLES = OFFICE_ROLES
# A supplement must be asked for within this many working days of receipt (ONE-STOP.md §6).
SUPPLEMENT_REQUEST_DAYS = 3
# Paper dossiers received after this time go to the competent body the next morning (ONE-STOP.md §4).
TRANSFER_CUTOFF = datetime.time(15, 0)
# The moves that issue a numbered notice (Mẫu 02–05): the number is taken when the move is made.
NUMBERED_FORMS = {
    "request_supplement": "02",
    "refuse_at_intake": "03",
    "extend": "04",
    "stop": "05",
}
# Moves the system itself may make (``actor=None``): a bank callback or a statement import confirms a payment.
SYSTEM_MOVES = frozenset({"request_fees", "fees_paid"})
_ZERO = datetime.timedelta()


def may_act(*, user: User, dossier: Dossier, transition: str) -> bool:
    """Whether ``user`` may make this move on this dossier, whatever its status: staff of a unit covering
    the dossier's office; for a withdrawal only the applicant's own account."""
    if not user.is_authenticated:
        return False
    if workflow.transition(transition).by_applicant:
        return dossier.applicant_user_id is not None and dossier.applicant_user_id == user.pk
    return user_units(user=user, roles=STAFF_ROLES).filter(pk=dossier.office.unit_id).exists()


# Intake


@transaction.atomic
def dossier_accept(
    *, dossier: Dossier, actor: User, note: str = "", at: datetime.datetime | None = None
) -> Dossier:
    """Accept an online dossier (the receipt, Mẫu 01): the deadline counts from now."""
    now = _begin(dossier, actor, "accept", at)
    status_from = dossier.status
    dossier.status = DossierStatus.RECEIVED
    dossier.received_at = now
    dossier.due_at = due_for(version=dossier.version, channel=dossier.channel, start=now)
    _record(
        dossier,
        "accept",
        actor=actor,
        at=now,
        status_from=status_from,
        fields=["received_at", "due_at"],
        note=note,
        step_due_at=dossier.due_at,
    )
    return dossier


@transaction.atomic
def dossier_refuse_at_intake(
    *, dossier: Dossier, actor: User, reasons: str, at: datetime.datetime | None = None
) -> Dossier:
    """Refuse to accept (Mẫu 03), with reasons. The dossier is closed."""
    now = _begin(dossier, actor, "refuse_at_intake", at)
    reasons = _required(reasons, _("Give the reasons for the refusal."))
    status_from = dossier.status
    dossier.status = DossierStatus.REFUSED
    _record(
        dossier,
        "refuse_at_intake",
        actor=actor,
        at=now,
        status_from=status_from,
        note=reasons,
        data={"reasons": reasons},
    )
    return dossier


# Supplements


@transaction.atomic
def dossier_request_supplement(
    *, dossier: Dossier, actor: User, items: list[str], reason: str, at: datetime.datetime | None = None
) -> Dossier:
    """Ask the applicant for missing or corrected documents (Mẫu 02), at intake or after appraisal.

    After acceptance the clock stops until the supplement arrives (``clock_paused_at``); whether the waiting
    time is then added to the deadline or the deadline restarts is the procedure version's rule. A second
    request is allowed but flagged: the national scoring counts the dossier as overdue.
    """
    now = _begin(dossier, actor, "request_supplement", at)
    items = [item.strip() for item in items if item and item.strip()]
    if not items:
        raise ApplicationError(_("List the documents to supplement."), code="items_required")
    reason = _required(reason, _("Give the reason for the supplement request."))
    status_from = dossier.status
    at_intake = workflow.was_asked_at_intake(dossier)
    dossier.supplement_requests += 1
    second_request = dossier.supplement_requests > 1
    dossier.status = DossierStatus.SUPPLEMENT_REQUESTED
    step_due_at = None
    if not at_intake:
        dossier.clock_paused_at = now
        step_due_at = calendar.add_working_days(dossier.received_at, days=SUPPLEMENT_REQUEST_DAYS)
    _record(
        dossier,
        "request_supplement",
        actor=actor,
        at=now,
        status_from=status_from,
        fields=["supplement_requests", "clock_paused_at"],
        note=reason,
        step_due_at=step_due_at,
        data={
            "items": items,
            "reason": reason,
            "at_intake": at_intake,
            "rule": dossier.version.supplement_rule,
            "second_request": second_request,
        },
    )
    return dossier


@transaction.atomic
def dossier_supplement_received(
    *, dossier: Dossier, actor: User, note: str = "", at: datetime.datetime | None = None
) -> Dossier:
    """The complete dossier is back: processing resumes (intake resumes if it was asked at intake).

    Rule "pause": the deadline moves forward by the working time spent waiting. Rule "restart": the full
    legal time counts again from now.
    """
    now = _begin(dossier, actor, "supplement_received", at)
    status_from = dossier.status
    due_before = dossier.due_at
    rule = dossier.version.supplement_rule
    waited = _ZERO
    if workflow.clock_is_paused(dossier):
        waited = _end_pause(dossier, now)
        if rule == SupplementRule.RESTART:
            dossier.due_at = due_for(version=dossier.version, channel=dossier.channel, start=now)
        elif dossier.due_at is not None and waited > _ZERO:
            dossier.due_at = calendar.add_working_time(dossier.due_at, duration=waited)
        # The agencies' steps were paused with the dossier: their deadlines move by the time waited.
        steps_shift(dossier=dossier, waited=waited)
    dossier.status = workflow.target(dossier, "supplement_received")
    _record(
        dossier,
        "supplement_received",
        actor=actor,
        at=now,
        status_from=status_from,
        fields=["clock_paused_at", "paused_working_time", "due_at"],
        note=note,
        step_due_at=dossier.due_at,
        data={
            "rule": rule,
            "waited_seconds": int(waited.total_seconds()),
            "due_before": _iso(due_before),
            "due_after": _iso(dossier.due_at),
        },
    )
    return dossier


@transaction.atomic
def dossier_forward(
    *,
    dossier: Dossier,
    actor: User,
    office: ReceivingOffice,
    reason: str,
    at: datetime.datetime | None = None,
) -> Dossier:
    """Send the dossier to the office competent for it (chuyển hồ sơ đến cơ quan có thẩm quyền): dossiers are
    received regardless of administrative boundary within the province, then handled where the law says.
    The code, the dates and the deadline stay; from now on the other office's staff see it, not this one's."""
    now = _begin(dossier, actor, "forward", at)
    reason = _required(reason, _("Say why the dossier goes to another office."))
    if office.pk == dossier.office_id:
        raise ApplicationError(_("The dossier is already at this office."), code="same_office")
    if _province_id(office.unit) != _province_id(dossier.office.unit):
        raise ApplicationError(
            _("Dossiers can be forwarded only to an office of the same province."), code="other_province"
        )
    previous = dossier.office
    dossier.office = office
    dossier.assigned_to = None
    _record(
        dossier,
        "forward",
        actor=actor,
        at=now,
        status_from=dossier.status,
        fields=["office", "assigned_to"],
        note=reason,
        unit_id=previous.unit_id,
        step_due_at=dossier.due_at,
        data={
            "from_office": previous.code,
            "from_name": previous.name,
            "to_office": office.code,
            "to_name": office.name,
        },
    )
    return dossier


def _province_id(unit) -> int | None:
    return unit.pk if unit.level == UnitLevel.PROVINCE else unit.parent_id


# Processing


@transaction.atomic
def dossier_assign(
    *, dossier: Dossier, actor: User, officer: User, at: datetime.datetime | None = None
) -> Dossier:
    """Make ``officer`` the officer in charge (cán bộ thụ lý). The status does not change."""
    now = _begin(dossier, actor, "assign", at)
    if not user_units(user=officer, roles=STAFF_ROLES).filter(pk=dossier.office.unit_id).exists():
        raise ApplicationError(
            _("This officer holds no role in a unit responsible for the dossier."),
            code="officer_out_of_scope",
        )
    dossier.assigned_to = officer
    _record(
        dossier,
        "assign",
        actor=actor,
        at=now,
        status_from=dossier.status,
        fields=["assigned_to"],
        step_due_at=dossier.due_at,
        data={"officer": officer.pk, "officer_name": officer.full_name or officer.email},
    )
    return dossier


@transaction.atomic
def dossier_start_processing(
    *, dossier: Dossier, actor: User, note: str = "", at: datetime.datetime | None = None
) -> Dossier:
    """Hand the accepted dossier over for appraisal. The step is due the day of receipt, or the next working
    morning for a dossier received after 15:00."""
    now = _begin(dossier, actor, "start_processing", at)
    status_from = dossier.status
    dossier.status = DossierStatus.PROCESSING
    _record(
        dossier,
        "start_processing",
        actor=actor,
        at=now,
        status_from=status_from,
        note=note,
        step_due_at=_transfer_due(dossier.received_at),
    )
    route_plan(dossier=dossier, start=now)
    return dossier


@transaction.atomic
def dossier_request_fees(
    *,
    dossier: Dossier,
    actor: User | None,
    note: str = "",
    amount_vnd: int | None = None,
    at: datetime.datetime | None = None,
) -> Dossier:
    """Ask the applicant to pay the fees or taxes due (national status 6). ``actor=None``: the system (the
    payments app issuing a fee request)."""
    now = _begin(dossier, actor, "request_fees", at)
    status_from = dossier.status
    dossier.status = DossierStatus.FEES_DUE
    _record(
        dossier,
        "request_fees",
        actor=actor,
        at=now,
        status_from=status_from,
        note=note,
        step_due_at=dossier.due_at,
        data={"amount_vnd": amount_vnd} if amount_vnd is not None else {},
    )
    return dossier


@transaction.atomic
def dossier_fees_paid(
    *, dossier: Dossier, actor: User | None, note: str = "", at: datetime.datetime | None = None
) -> Dossier:
    """The fees are paid: processing goes on. ``actor=None``: the system (a reconciled bank payment)."""
    now = _begin(dossier, actor, "fees_paid", at)
    status_from = dossier.status
    dossier.status = DossierStatus.PROCESSING
    _record(
        dossier,
        "fees_paid",
        actor=actor,
        at=now,
        status_from=status_from,
        note=note,
        step_due_at=dossier.due_at,
    )
    return dossier


@transaction.atomic
def dossier_extend(
    *,
    dossier: Dossier,
    actor: User,
    new_due_at: datetime.datetime,
    reason: str,
    at: datetime.datetime | None = None,
) -> Dossier:
    """Apologise and set a new date (Mẫu 04): only once, at least one working day before the due date, and
    only to a later date. The status does not change."""
    now = _begin(dossier, actor, "extend", at)
    reason = _required(reason, _("Give the reason for the new date."))
    if workflow.was_extended(dossier):
        raise ApplicationError(
            _("A new date has already been set once for this dossier: it can be set only once."),
            code="already_extended",
        )
    if dossier.due_at is None:
        raise ApplicationError(_("The dossier has no due date to extend."), code="no_due_date")
    if not workflow.in_time_to_extend(dossier, at=now):
        raise ApplicationError(
            _("A new date must be set at least one working day before the due date (%(due)s).")
            % {"due": _format(dossier.due_at)},
            code="too_late_to_extend",
        )
    if new_due_at <= dossier.due_at:
        raise ApplicationError(
            _("The new date must be after the current due date (%(due)s).")
            % {"due": _format(dossier.due_at)},
            code="new_date_not_later",
        )
    due_before = dossier.due_at
    dossier.due_at = new_due_at
    dossier.extended_at = now
    _record(
        dossier,
        "extend",
        actor=actor,
        at=now,
        status_from=dossier.status,
        fields=["due_at", "extended_at"],
        note=reason,
        step_due_at=new_due_at,
        data={"reason": reason, "due_before": _iso(due_before), "due_after": _iso(new_due_at)},
    )
    return dossier


# Endings


@transaction.atomic
def dossier_stop(
    *, dossier: Dossier, actor: User, reason: str, at: datetime.datetime | None = None
) -> Dossier:
    """Stop processing (Mẫu 05), with the reason. The dossier is closed."""
    now = _begin(dossier, actor, "stop", at)
    reason = _required(reason, _("Give the reason for stopping."))
    status_from = dossier.status
    _end_pause(dossier, now)
    dossier.status = DossierStatus.STOPPED
    _record(
        dossier,
        "stop",
        actor=actor,
        at=now,
        status_from=status_from,
        fields=["clock_paused_at", "paused_working_time"],
        note=reason,
        data={"reason": reason},
    )
    return dossier


@transaction.atomic
def dossier_withdraw(
    *, dossier: Dossier, actor: User, reason: str = "", at: datetime.datetime | None = None
) -> Dossier:
    """The applicant withdraws their dossier (only from their own account, before the result)."""
    now = _begin(dossier, actor, "withdraw", at)
    status_from = dossier.status
    _end_pause(dossier, now)
    dossier.status = DossierStatus.WITHDRAWN
    _record(
        dossier,
        "withdraw",
        actor=actor,
        at=now,
        status_from=status_from,
        fields=["clock_paused_at", "paused_working_time"],
        note=reason.strip(),
    )
    return dossier


@transaction.atomic
def dossier_approve(
    *,
    dossier: Dossier,
    actor: User,
    note: str = "",
    result: PreparedDocument | None = None,
    at: datetime.datetime | None = None,
) -> Dossier:
    """Approve: processing ends and the result is ready, with its electronic copy when there is one. Before
    the due date this message is the applicant's notice of an early result."""
    now = _begin(dossier, actor, "approve", at)
    unfinished = open_steps(dossier)
    if unfinished:
        raise ApplicationError(
            _("Steps not finished yet: %(steps)s.") % {"steps": "; ".join(step.label for step in unfinished)},
            code="steps_open",
        )
    return _finish(
        dossier, "approve", actor=actor, at=now, outcome=DossierOutcome.APPROVED, note=note, result=result
    )


@transaction.atomic
def dossier_refuse_after_appraisal(
    *,
    dossier: Dossier,
    actor: User,
    reasons: str,
    result: PreparedDocument | None = None,
    at: datetime.datetime | None = None,
) -> Dossier:
    """Refuse after appraisal, with reasons: the reasoned answer is the dossier's result ("result ready",
    ``outcome = refused``), returned like any result. It should come within the deadline; the event records
    whether it did."""
    now = _begin(dossier, actor, "refuse_after_appraisal", at)
    reasons = _required(reasons, _("Give the reasons for the refusal."))
    return _finish(
        dossier,
        "refuse_after_appraisal",
        actor=actor,
        at=now,
        outcome=DossierOutcome.REFUSED,
        note=reasons,
        result=result,
        data={"reasons": reasons},
    )


@transaction.atomic
def dossier_return_result(
    *, dossier: Dossier, actor: User, method: str, note: str = "", at: datetime.datetime | None = None
) -> Dossier:
    """Hand the result over in person, online (needs the electronic result) or by post."""
    now = _begin(dossier, actor, "return_result", at)
    if method not in ResultDelivery.values:
        raise ApplicationError(_("Unknown way of returning the result."), code="delivery_method")
    if method == ResultDelivery.ONLINE and dossier.result_document_id is None:
        raise ApplicationError(
            _("No electronic result is attached: the result cannot be returned online."),
            code="no_result_file",
        )
    status_from = dossier.status
    dossier.status = DossierStatus.RETURNED
    dossier.returned_at = now
    dossier.result_delivery = method
    _record(
        dossier,
        "return_result",
        actor=actor,
        at=now,
        status_from=status_from,
        fields=["returned_at", "result_delivery"],
        note=note,
        step_due_at=dossier.due_at,
        data={"method": method, "early": workflow.is_early(dossier, at=now)},
    )
    return dossier


# Shared steps


def _begin(
    dossier: Dossier, actor: User | None, name: str, at: datetime.datetime | None
) -> datetime.datetime:
    """Lock the row (reloading the caller's instance from it), check the actor, then the move."""
    dossier.refresh_from_db(from_queryset=Dossier.objects.select_for_update())
    if actor is None:
        if name not in SYSTEM_MOVES:
            raise PermissionDenied(_("You may not act on this dossier."))
    elif not may_act(user=actor, dossier=dossier, transition=name):
        if workflow.transition(name).by_applicant:
            raise PermissionDenied(_("Only the applicant can withdraw the dossier."))
        raise PermissionDenied(_("You may not act on this dossier."))
    workflow.ensure(dossier, name)
    return at or timezone.now()


def _record(
    dossier: Dossier,
    name: str,
    *,
    actor: User | None,
    at: datetime.datetime,
    status_from: str,
    fields: Sequence[str] = (),
    note: str = "",
    step_due_at: datetime.datetime | None = None,
    data: dict | None = None,
    unit_id: int | None = None,
) -> DossierEvent:
    """Save the dossier, write the event and, if the applicant is to be told, the messages. The event's
    unit is the dossier's office's, unless ``unit_id`` says otherwise (a forward is made by the office it
    leaves)."""
    move = workflow.transition(name)
    dossier.save(update_fields=["status", *fields, "updated_at"])
    data = dict(data or {})
    if name in NUMBERED_FORMS:
        form = NUMBERED_FORMS[name]
        data["form_number"] = form_next_number(
            office=dossier.office, form=form, year=timezone.localtime(at).year
        )
    event = DossierEvent.objects.create(
        dossier=dossier,
        kind=move.event,
        at=at,
        actor=actor,
        unit_id=unit_id or dossier.office.unit_id,
        status_from=status_from,
        status_to=dossier.status,
        note=note.strip(),
        step_due_at=step_due_at,
        data=data,
    )
    sync_event(event)  # to the national portal, when configured
    if move.notifies:
        notify_applicant(dossier=dossier, template="dossier_status_changed", event_key=f"event-{event.pk}")
    return event


def _finish(
    dossier: Dossier,
    name: str,
    *,
    actor: User,
    at: datetime.datetime,
    outcome: str,
    note: str,
    result: PreparedDocument | None,
    data: dict | None = None,
) -> Dossier:
    status_from = dossier.status
    dossier.status = DossierStatus.RESULT_READY
    dossier.outcome = outcome
    dossier.processing_ended_at = at
    if result is not None:
        dossier.result_document = _store(dossier, result)
    _record(
        dossier,
        name,
        actor=actor,
        at=at,
        status_from=status_from,
        fields=["outcome", "processing_ended_at", "result_document"],
        note=note,
        step_due_at=dossier.due_at,
        data={
            **(data or {}),
            "early": workflow.is_early(dossier, at=at),
            "on_time": dossier.due_at is None or at <= dossier.due_at,
            "result_document": dossier.result_document_id,
        },
    )
    return dossier


def _store(dossier: Dossier, document: PreparedDocument) -> DossierDocument:
    stored = DossierDocument(
        dossier=dossier,
        component=document.component,
        field_name=document.field_name,
        label=document.label,
        content_type=document.content_type,
        size=document.size,
        sha256=document.sha256,
        page_count=document.page_count,
    )
    with stored_files() as saved:
        saved.save(stored.file, document.content.name, document.content)
        stored.save()
    return stored


def _end_pause(dossier: Dossier, now: datetime.datetime) -> datetime.timedelta:
    """Close a supplement wait: add its working time to the dossier's total and return it."""
    if not workflow.clock_is_paused(dossier):
        return _ZERO
    waited = max(calendar.working_time_between(dossier.clock_paused_at, end=now), _ZERO)
    dossier.paused_working_time += waited
    dossier.clock_paused_at = None
    return waited


def _transfer_due(received_at: datetime.datetime) -> datetime.datetime:
    """The same working day, or the next working morning when received after 15:00 (or out of hours)."""
    cal = calendar.current_calendar()
    local = timezone.localtime(received_at)
    start = cal.next_working_start(received_at)
    if start.date() == local.date() and local.time() < TRANSFER_CUTOFF:
        return cal.end_of_day(local.date())
    day = start.date() if start.date() != local.date() else cal.next_working_day(local.date())
    return datetime.datetime.combine(day, cal.periods[0][1], tzinfo=cal.tz)


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ApplicationError(message, code="required")
    return text


def _iso(value: datetime.datetime | None) -> str | None:
    # In Việt Nam's time, as every date the law and the national portal read.
    return timezone.localtime(value).isoformat() if value is not None else None


def _format(value: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "H:i d/m/Y")
