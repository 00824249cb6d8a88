"""Processing inside "being processed": the agencies of the procedure version's route, stage after stage, each
step with its share of the time, and consultations of other bodies with their own deadlines.

These are not moves of the state machine (the status stays "processing"); each still locks the dossier,
checks who acts, writes a ``DossierEvent`` with the step's own deadline (the control slip, Mẫu 06, reads
them) and goes to the national portal as a processing step. The applicant is not messaged: internal
hand-overs are not worth it.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts.constants import OFFICE_ROLES, StaffRole
from congso.accounts.models import User
from congso.accounts.selectors import user_units
from congso.catalog.route import validate_route
from congso.core import calendar
from congso.core.exceptions import ApplicationError
from congso.dossiers.constants import DossierStatus, EventKind, StepKind, StepStatus
from congso.dossiers.models import Dossier, DossierEvent, ProcessingStep
from congso.geo.constants import UnitLevel
from congso.sync.services import sync_event

# While the dossier is with the agencies. A supplement wait pauses the steps with the dossier's clock.
STEPS_RUN = frozenset({DossierStatus.PROCESSING, DossierStatus.FEES_DUE})
CONSULT_MAX_DAYS = 30
_MICROSECOND = datetime.timedelta(microseconds=1)


def _route_unit(dossier: Dossier, where: str):
    unit = dossier.office.unit
    if where == "province" and unit.level != UnitLevel.PROVINCE and unit.parent_id:
        return unit.parent
    return unit


def route_plan(*, dossier: Dossier, start: datetime.datetime) -> list[ProcessingStep]:
    """Create the route's steps when processing starts; the first stage becomes active. Each step is due at
    its share of the working time left between ``start`` and the dossier's due date, counted from the start
    of its stage (a stage lasts as long as its longest share). No due date: the steps have none either."""
    route = validate_route(dossier.version.route)
    if not route:
        return []
    total = None  # in microseconds of working time
    if dossier.due_at is not None and dossier.due_at > start:
        total = calendar.working_time_between(start, end=dossier.due_at) // _MICROSECOND
    stages = sorted({step["stage"] for step in route})
    first = stages[0]
    offset = Decimal(0)
    steps = []
    for stage in stages:
        members = [step for step in route if step["stage"] == stage]
        for position, step in enumerate(members):
            due = None
            if total is not None:
                share = int(total * (offset + step["share"]) / 100)
                due = calendar.add_working_time(start, duration=datetime.timedelta(microseconds=share))
            steps.append(
                ProcessingStep(
                    dossier=dossier,
                    kind=StepKind.PROCESS,
                    stage=stage,
                    position=position,
                    label=step["label"],
                    unit=_route_unit(dossier, step["unit"]),
                    role=step["role"],
                    share=step["share"],
                    status=StepStatus.ACTIVE if stage == first else StepStatus.WAITING,
                    started_at=start if stage == first else None,
                    due_at=due,
                )
            )
        offset += max(step["share"] for step in members)
    return ProcessingStep.objects.bulk_create(steps)


def steps_shift(*, dossier: Dossier, waited: datetime.timedelta) -> int:
    """A supplement wait paused the clock: every unfinished step's deadline moves by the same working time."""
    if waited <= datetime.timedelta():
        return 0
    moved = 0
    for step in dossier.steps.exclude(status=StepStatus.DONE).exclude(due_at=None):
        step.due_at = calendar.add_working_time(step.due_at, duration=waited)
        step.save(update_fields=["due_at"])
        moved += 1
    return moved


def open_steps(dossier: Dossier) -> list[ProcessingStep]:
    return list(dossier.steps.exclude(status=StepStatus.DONE))


def may_complete(*, user: User, step: ProcessingStep) -> bool:
    """The step's role in a unit covering the step's unit, or that unit's leader. A consultation's answer is
    recorded by any staff of the dossier's office (the body answers by letter)."""
    if not user.is_authenticated:
        return False
    if step.kind == StepKind.CONSULT:
        return user_units(user=user, roles=OFFICE_ROLES).filter(pk=step.dossier.office.unit_id).exists()
    roles = [step.role, StaffRole.UNIT_LEADER]
    return user_units(user=user, roles=roles).filter(pk=step.unit_id).exists()


@transaction.atomic
def step_complete(
    *, step: ProcessingStep, actor: User, note: str = "", at: datetime.datetime | None = None
) -> ProcessingStep:
    """Finish an active step of the route. When the stage's last step is done, the next stage starts."""
    dossier = _lock(step.dossier)
    step.refresh_from_db()
    if step.kind != StepKind.PROCESS:
        raise ApplicationError(_("Record the consultation's answer instead."), code="not_a_route_step")
    _check(dossier, step, actor)
    now = at or timezone.now()
    _finish(step, actor=actor, at=now, note=note)
    _event(dossier, EventKind.STEP_DONE, step=step, actor=actor, at=now, note=note)
    stage_left = dossier.steps.filter(kind=StepKind.PROCESS, stage=step.stage).exclude(status=StepStatus.DONE)
    if not stage_left.exists():
        following = (
            dossier.steps.filter(kind=StepKind.PROCESS, status=StepStatus.WAITING, stage__gt=step.stage)
            .order_by("stage")
            .values_list("stage", flat=True)
            .first()
        )
        if following is not None:
            dossier.steps.filter(kind=StepKind.PROCESS, stage=following).update(
                status=StepStatus.ACTIVE, started_at=now
            )
    return step


@transaction.atomic
def dossier_consult(
    *,
    dossier: Dossier,
    actor: User,
    body: str,
    question: str,
    days: int,
    at: datetime.datetime | None = None,
) -> ProcessingStep:
    """Ask another body for its opinion (xin ý kiến), to be answered within ``days`` working days. The time is
    part of the processing time: the dossier's clock does not stop."""
    dossier = _lock(dossier)
    if dossier.status not in STEPS_RUN:
        raise ApplicationError(
            _("Other bodies can be consulted only while the dossier is being processed."),
            code="not_processing",
        )
    if not user_units(user=actor, roles=OFFICE_ROLES).filter(pk=dossier.office.unit_id).exists():
        raise PermissionDenied(_("You may not act on this dossier."))
    body = (body or "").strip()[:255]
    question = (question or "").strip()
    if not body:
        raise ApplicationError(_("Name the body whose opinion is asked."), code="body")
    if not question:
        raise ApplicationError(_("Write what the body is asked."), code="question")
    if not isinstance(days, int) or not 1 <= days <= CONSULT_MAX_DAYS:
        raise ApplicationError(
            _("The answer is due in 1 to %(max)s working days.") % {"max": CONSULT_MAX_DAYS}, code="days"
        )
    now = at or timezone.now()
    current = (
        dossier.steps.filter(kind=StepKind.PROCESS, status=StepStatus.ACTIVE)
        .order_by("stage")
        .values_list("stage", flat=True)
        .first()
    )
    step = ProcessingStep.objects.create(
        dossier=dossier,
        kind=StepKind.CONSULT,
        stage=current or 1,
        position=100 + dossier.steps.filter(kind=StepKind.CONSULT).count(),
        label=body,
        unit=dossier.office.unit,
        question=question,
        status=StepStatus.ACTIVE,
        started_at=now,
        due_at=calendar.add_working_days(now, days=days),
    )
    _event(dossier, EventKind.CONSULT_ASKED, step=step, actor=actor, at=now, note=question)
    return step


@transaction.atomic
def consult_answer(
    *, step: ProcessingStep, actor: User, answer: str, at: datetime.datetime | None = None
) -> ProcessingStep:
    """Record the consulted body's answer; the event says whether it came in time."""
    dossier = _lock(step.dossier)
    step.refresh_from_db()
    if step.kind != StepKind.CONSULT:
        raise ApplicationError(_("This step is not a consultation."), code="not_a_consultation")
    answer = (answer or "").strip()
    if not answer:
        raise ApplicationError(_("Write the body's answer."), code="answer")
    _check(dossier, step, actor)
    now = at or timezone.now()
    _finish(step, actor=actor, at=now, note=answer)
    _event(dossier, EventKind.CONSULT_ANSWERED, step=step, actor=actor, at=now, note=answer)
    return step


def _lock(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().select_related("office__unit", "version").get(pk=dossier.pk)


def _check(dossier: Dossier, step: ProcessingStep, actor: User) -> None:
    if not may_complete(user=actor, step=step):
        raise PermissionDenied(_("This step is not yours to finish."))
    if step.status == StepStatus.DONE:
        raise ApplicationError(_("This step is already done."), code="step_done")
    if step.status != StepStatus.ACTIVE:
        raise ApplicationError(
            _("This step has not started: the stage before it is not finished."), code="early"
        )
    if dossier.status not in STEPS_RUN:
        raise ApplicationError(
            _("Steps can be finished only while the dossier is being processed."), code="not_processing"
        )


def _finish(step: ProcessingStep, *, actor: User, at: datetime.datetime, note: str) -> None:
    step.status = StepStatus.DONE
    step.finished_at = at
    step.finished_by = actor
    step.note = (note or "").strip()[:2000]
    step.save(update_fields=["status", "finished_at", "finished_by", "note"])


def _event(
    dossier: Dossier, kind: str, *, step: ProcessingStep, actor: User, at: datetime.datetime, note: str
) -> DossierEvent:
    event = DossierEvent.objects.create(
        dossier=dossier,
        kind=kind,
        at=at,
        actor=actor,
        unit=step.unit,
        status_from=dossier.status,
        status_to=dossier.status,
        note=(note or "").strip()[:2000],
        step_due_at=step.due_at,
        data={
            "step": step.pk,
            "label": step.label,
            "on_time": step.on_time if kind != EventKind.CONSULT_ASKED else None,
        },
    )
    sync_event(event)
    return event
