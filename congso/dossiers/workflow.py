"""The dossier's legal moves, declared once (ONE-STOP.md, "Dossier lifecycle").

``TRANSITIONS`` is the whole state machine: a move not listed here does not exist. The services in
``congso.dossiers.transitions`` call :func:`ensure` before they change anything; views ask :func:`available`
which buttons to show. This module only reads a dossier: it never writes, sends or locks.

Decisions the law leaves to us:

- ``supplement_received`` returns a dossier asked for a supplement *at intake* (never accepted, so no
  ``received_at``) to "submitted", where it waits for acceptance (Mẫu 01 then sets its deadline); any other
  dossier goes on to "processing", whether it was asked from "received" or "processing": the appraisal that
  found the gap has begun.
- ``refuse_after_appraisal`` ends processing with a reasoned refusal, which is the dossier's result: it goes
  to "result ready" (national code 9) with ``outcome = refused`` and is delivered by ``return_result`` (10)
  like any result. "Refused" (code 3) means *not accepted at intake* and stays reserved for that.
- ``forward``, ``assign`` and ``extend`` keep the status.
"""

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.core import calendar
from congso.core.exceptions import ApplicationError
from congso.dossiers.constants import DossierStatus, EventKind
from congso.dossiers.models import Dossier

S = DossierStatus

# Statuses in which the deadline runs: the applicant is not being waited for and processing is not over.
CLOCK_RUNNING = frozenset({S.RECEIVED, S.PROCESSING, S.FEES_DUE})
# Accepted and not finished: processing can still be stopped.
IN_PROGRESS = CLOCK_RUNNING | {S.SUPPLEMENT_REQUESTED}
# Everything before the result: the applicant can still withdraw.
BEFORE_RESULT = IN_PROGRESS | {S.SUBMITTED}


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: frozenset[DossierStatus]
    # Empty: the status stays. Several: :func:`target` picks one (only ``supplement_received``).
    targets: tuple[DossierStatus, ...]
    event: EventKind
    # Whether the applicant is told (e-mail and SMS). Internal hand-overs are not worth a message.
    notifies: bool = True
    # Done by the applicant's own account rather than by staff.
    by_applicant: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "accept",
            gettext_lazy("Accept the dossier"),  # tiếp nhận, Mẫu 01
            frozenset({S.SUBMITTED}),
            (S.RECEIVED,),
            EventKind.ACCEPTED,
        ),
        Transition(
            "refuse_at_intake",
            gettext_lazy("Refuse at intake"),  # từ chối tiếp nhận, Mẫu 03
            frozenset({S.SUBMITTED}),
            (S.REFUSED,),
            EventKind.REFUSED_AT_INTAKE,
        ),
        Transition(
            "request_supplement",
            gettext_lazy("Request a supplement"),  # yêu cầu bổ sung, Mẫu 02
            frozenset({S.SUBMITTED, S.RECEIVED, S.PROCESSING}),
            (S.SUPPLEMENT_REQUESTED,),
            EventKind.SUPPLEMENT_REQUESTED,
        ),
        Transition(
            "supplement_received",
            gettext_lazy("Record the supplement received"),
            frozenset({S.SUPPLEMENT_REQUESTED}),
            (S.PROCESSING, S.SUBMITTED),
            EventKind.SUPPLEMENTED,
        ),
        Transition(
            "forward",
            gettext_lazy("Forward to the competent office"),  # chuyển cơ quan có thẩm quyền
            frozenset({S.SUBMITTED, S.RECEIVED}),
            (),
            EventKind.FORWARDED,
        ),
        Transition(
            "assign",
            gettext_lazy("Assign an officer"),  # phân công cán bộ thụ lý
            BEFORE_RESULT | {S.RESULT_READY},
            (),
            EventKind.ASSIGNED,
            notifies=False,
        ),
        Transition(
            "start_processing",
            gettext_lazy("Send for processing"),  # chuyển xử lý
            frozenset({S.RECEIVED}),
            (S.PROCESSING,),
            EventKind.PROCESSING_STARTED,
            notifies=False,
        ),
        Transition(
            "request_fees",
            gettext_lazy("Request payment of fees"),  # yêu cầu thực hiện nghĩa vụ tài chính
            frozenset({S.PROCESSING}),
            (S.FEES_DUE,),
            EventKind.FEES_REQUESTED,
        ),
        Transition(
            "fees_paid",
            gettext_lazy("Record the fees paid"),
            frozenset({S.FEES_DUE}),
            (S.PROCESSING,),
            EventKind.FEES_PAID,
        ),
        Transition(
            "extend",
            gettext_lazy("Apologise and set a new date"),  # xin lỗi và hẹn lại, Mẫu 04
            CLOCK_RUNNING,
            (),
            EventKind.EXTENDED,
        ),
        Transition(
            "stop",
            gettext_lazy("Stop processing"),  # dừng xử lý, Mẫu 05
            IN_PROGRESS,
            (S.STOPPED,),
            EventKind.STOPPED,
        ),
        Transition(
            "withdraw",
            gettext_lazy("Withdraw the dossier"),  # rút hồ sơ
            BEFORE_RESULT,
            (S.WITHDRAWN,),
            EventKind.WITHDRAWN,
            by_applicant=True,
        ),
        Transition(
            "approve",
            gettext_lazy("Approve and issue the result"),
            frozenset({S.PROCESSING}),
            (S.RESULT_READY,),
            EventKind.APPROVED,
        ),
        Transition(
            "refuse_after_appraisal",
            gettext_lazy("Refuse after appraisal"),  # từ chối giải quyết, with reasons
            frozenset({S.PROCESSING}),
            (S.RESULT_READY,),
            EventKind.REFUSED,
        ),
        Transition(
            "return_result",
            gettext_lazy("Return the result"),  # trả kết quả
            frozenset({S.RESULT_READY}),
            (S.RETURNED,),
            EventKind.RETURNED,
        ),
    )
}


def transition(name: str) -> Transition:
    """The transition called ``name``; KeyError for a name that is not in the table."""
    return TRANSITIONS[name]


def allowed(dossier: Dossier, name: str) -> bool:
    """Whether the table allows ``name`` from the dossier's current status."""
    return dossier.status in TRANSITIONS[name].sources


def available(dossier: Dossier) -> list[Transition]:
    """The moves allowed from the dossier's current status, in the table's order (permissions aside)."""
    return [t for t in TRANSITIONS.values() if dossier.status in t.sources]


def ensure(dossier: Dossier, name: str) -> Transition:
    """The transition ``name`` if the dossier's status allows it; otherwise ApplicationError naming the
    current status."""
    move = TRANSITIONS[name]
    if dossier.status not in move.sources:
        raise ApplicationError(
            _("The dossier is “%(status)s”: “%(transition)s” is not allowed.")
            % {"status": dossier.get_status_display(), "transition": move.label},
            code="transition_not_allowed",
            extra={"status": dossier.status, "transition": name},
        )
    return move


def target(dossier: Dossier, name: str) -> DossierStatus:
    """The status the dossier will have after ``name`` (its current one for a move that keeps it)."""
    move = TRANSITIONS[name]
    if not move.targets:
        return DossierStatus(dossier.status)
    if name == "supplement_received" and was_asked_at_intake(dossier):
        return S.SUBMITTED
    return move.targets[0]


# Guards, named for what they ask.


def was_asked_at_intake(dossier: Dossier) -> bool:
    """Never accepted: a supplement asked for now (or being answered) belongs to intake, not to processing,
    so it neither pauses nor restarts a deadline."""
    return dossier.received_at is None


def clock_is_paused(dossier: Dossier) -> bool:
    return dossier.clock_paused_at is not None


def was_extended(dossier: Dossier) -> bool:
    """Mẫu 04 was sent: a new date can be set only once."""
    return dossier.extended_at is not None


def in_time_to_extend(dossier: Dossier, *, at: datetime.datetime) -> bool:
    """At least one working day of the deadline is left at ``at`` (ONE-STOP.md, "Late")."""
    if dossier.due_at is None:
        return False
    cal = calendar.current_calendar()
    return cal.working_time_between(at, end=dossier.due_at) >= cal.working_day_length


def is_early(dossier: Dossier, *, at: datetime.datetime) -> bool:
    """Done before the due date: an early result, returned with notice."""
    return dossier.due_at is not None and at < dossier.due_at
