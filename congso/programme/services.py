"""Every write of the programme: progress updates on tasks, and a project's money in a year."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core.exceptions import ApplicationError
from congso.core.uploads import clean_upload
from congso.programme.constants import EVIDENCE_KINDS, EVIDENCE_MAX_BYTES, NOTE_MAX_LENGTH, TaskStatus
from congso.programme.models import Project, ProjectYear, Task, TaskUpdate
from congso.programme.selectors import project_for_official, task_for_official


def _ensure_task(task: Task, actor) -> None:
    try:
        task_for_official(user=actor, pk=task.pk)
    except Task.DoesNotExist:
        raise PermissionDenied from None


def _refresh_current(task: Task) -> Task:
    """The task's percent and status are its latest update's (by date, then by entry)."""
    latest = task.updates.order_by("-date", "-pk").first()
    if latest is None:
        task.status, task.percent_done, task.last_update_on = TaskStatus.NOT_STARTED, 0, None
    else:
        task.status, task.percent_done, task.last_update_on = latest.status, latest.percent, latest.date
        if latest.evidence_url:
            task.evidence_url = latest.evidence_url
    task.save(update_fields=["status", "percent_done", "last_update_on", "evidence_url", "updated_at"])
    return task


@transaction.atomic
def task_update_add(
    *,
    task: Task,
    actor,
    date: datetime.date,
    percent: int,
    status: str,
    note: str = "",
    evidence_url: str = "",
    evidence_file=None,
) -> TaskUpdate:
    """Record progress on a task as of ``date``; the task takes the values of its latest update.

    Raises PermissionDenied outside the actor's units, ApplicationError for a date in the future, a percent
    outside 0–100, "done" below 100 %, 100 % not marked done, an unknown status, a too long note, or an
    evidence file that is not a clean PDF, image, Word or Excel file.
    """
    _ensure_task(task, actor)
    task = Task.objects.select_for_update().get(pk=task.pk)  # two reports at once: one after the other
    if date > timezone.localdate():
        raise ApplicationError(_("A progress report cannot be dated in the future."), code="future")
    if status not in TaskStatus.values:
        raise ApplicationError(_("Choose a status."), code="invalid_status")
    if not 0 <= percent <= 100:
        raise ApplicationError(_("The percentage is between 0 and 100."), code="invalid_percent")
    if status == TaskStatus.DONE and percent != 100:
        raise ApplicationError(_("A task marked done is %(n)d%% done.") % {"n": 100}, code="done_not_100")
    if percent == 100 and status != TaskStatus.DONE:
        raise ApplicationError(_("At %(n)d%%, mark the task done.") % {"n": 100}, code="100_not_done")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ApplicationError(
            _("The note may have at most %(n)d characters.") % {"n": NOTE_MAX_LENGTH}, code="too_long"
        )
    update = TaskUpdate(
        task=task,
        date=date,
        percent=percent,
        status=status,
        note=note,
        evidence_url=(evidence_url or "").strip(),
        created_by=actor,
    )
    if evidence_file is not None:
        try:
            content, _checked = clean_upload(
                evidence_file, allowed=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES
            )
        except ValidationError as error:
            raise ApplicationError(" ".join(error.messages), code="bad_file") from None
        update.evidence_file.save(content.name, content, save=False)
    update.save()
    _refresh_current(task)
    return update


@transaction.atomic
def project_year_set(
    *, project: Project, actor, year: int, allocated: int, committed: int, disbursed: int
) -> ProjectYear:
    """Record (or correct) a project's allocation, commitment and disbursement for one year."""
    try:
        project_for_official(user=actor, pk=project.pk)
    except Project.DoesNotExist:
        raise PermissionDenied from None
    if not project.start_year <= year <= project.end_year:
        raise ApplicationError(
            _("The project runs from %(a)d to %(b)d.") % {"a": project.start_year, "b": project.end_year},
            code="year",
        )
    if min(allocated, committed, disbursed) < 0:
        raise ApplicationError(_("Amounts cannot be negative."), code="negative")
    if disbursed > allocated:
        raise ApplicationError(_("Disbursement cannot exceed the year's allocation."), code="over_disbursed")
    others = (
        ProjectYear.objects.filter(project=project)
        .exclude(year=year)
        .aggregate(a=Sum("allocated", default=0))["a"]
    )
    if others + allocated > project.approved_total:
        raise ApplicationError(
            _("The allocations of all years would exceed the approved total."), code="over_approved"
        )
    row, _created = ProjectYear.objects.update_or_create(
        project=project,
        year=year,
        defaults={"allocated": allocated, "committed": committed, "disbursed": disbursed},
    )
    return row
