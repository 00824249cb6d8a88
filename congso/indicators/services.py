"""Every write of the operations centre: data-value imports (dataValueSets JSON/CSV, Excel), completeness,
alerts."""

import csv
import io
import math
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core.exceptions import ApplicationError
from congso.geo.models import AdministrativeUnit
from congso.indicators import periods
from congso.indicators.constants import AlertStatus, ImportStrategy, JobStatus, ValueType
from congso.indicators.models import (
    Alert,
    DataElement,
    DataValue,
    FormCompletion,
    ImportJob,
    Option,
    ReportingForm,
)
from congso.indicators.rollup import rollup_refresh, touched_add

CSV_COLUMNS = [
    "dataelement", "period", "orgunit", "categoryoptioncombo", "attroptioncombo",
    "value", "storedby", "lastupdated", "comment", "followup",
]  # fmt: skip
MAX_ROWS = 500_000
CHUNK = 2000


@dataclass
class Row:
    element: str
    period: str
    unit: str
    option: str = ""
    value: str = ""
    comment: str = ""
    stored_by: str = ""


@dataclass
class ImportSummary:
    """DHIS2's import summary: status SUCCESS / WARNING / ERROR, counts and conflicts."""

    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0
    conflicts: list = field(default_factory=list)
    dry_run: bool = False

    def conflict(self, obj: str, message: str) -> None:
        self.ignored += 1
        if len(self.conflicts) < 1000:
            self.conflicts.append({"object": obj, "value": message})

    def as_dict(self) -> dict:
        written = self.imported + self.updated + self.deleted
        status = "SUCCESS" if not self.conflicts else ("WARNING" if written else "ERROR")
        return {
            "responseType": "ImportSummary",
            "status": status,
            "dryRun": self.dry_run,
            "importCount": {
                "imported": self.imported, "updated": self.updated,
                "ignored": self.ignored, "deleted": self.deleted,
            },
            "conflicts": self.conflicts,
        }  # fmt: skip


def rows_from_json(payload: dict) -> list[Row]:
    """The rows of a DHIS2 ``dataValueSets`` document; the set's period and orgUnit are the defaults."""
    if not isinstance(payload, dict) or not isinstance(payload.get("dataValues"), list):
        raise ApplicationError(_("The document has no “dataValues” list."), code="bad_document")
    period, unit = str(payload.get("period") or ""), str(payload.get("orgUnit") or "")
    rows = []
    for item in payload["dataValues"][: MAX_ROWS + 1]:
        if not isinstance(item, dict):
            item = {}
        rows.append(
            Row(
                element=str(item.get("dataElement") or "").strip(),
                period=str(item.get("period") or period).strip(),
                unit=str(item.get("orgUnit") or unit).strip(),
                option=str(item.get("categoryOptionCombo") or "").strip(),
                value="" if item.get("value") is None else str(item.get("value")).strip(),
                comment=str(item.get("comment") or "")[:500],
                stored_by=str(item.get("storedBy") or "")[:150],
            )
        )
    _check_size(rows)
    return rows


def rows_from_csv(text: str) -> list[Row]:
    """Rows of DHIS2's CSV shape; a header line is recognised and skipped."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = []
    for number, cells in enumerate(reader):
        if not cells or (number == 0 and cells[0].strip().lower() == "dataelement"):
            continue
        cells = [c.strip() for c in cells] + [""] * (len(CSV_COLUMNS) - len(cells))
        rows.append(
            Row(
                element=cells[0],
                period=cells[1],
                unit=cells[2],
                option=cells[3],
                value=cells[5],
                stored_by=cells[6][:150],
                comment=cells[8][:500],
            )
        )
        if len(rows) > MAX_ROWS:
            break
    _check_size(rows)
    return rows


def _check_size(rows) -> None:
    if len(rows) > MAX_ROWS:
        raise ApplicationError(
            _("Too many values in one import (more than %(n)s): split the file.") % {"n": f"{MAX_ROWS:,}"},
            code="too_many",
        )


def _parse_value(text: str, value_type: str) -> float:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise ApplicationError(_("“%(v)s” is not a number.") % {"v": text[:30]}) from None
    if not math.isfinite(number):
        raise ApplicationError(_("“%(v)s” is not a number.") % {"v": text[:30]})
    if value_type == ValueType.INTEGER and number != int(number):
        raise ApplicationError(_("“%(v)s” must be a whole number.") % {"v": text[:30]})
    if value_type == ValueType.PERCENTAGE and not 0 <= number <= 100:
        raise ApplicationError(_("“%(v)s” must be a percentage between 0 and 100.") % {"v": text[:30]})
    return number


def data_values_import(
    *,
    rows: list[Row],
    strategy: str = ImportStrategy.CREATE_AND_UPDATE,
    dry_run: bool = False,
    allowed_forms: set[int] | None = None,
    allowed_units: set[int] | None = None,
    source: str = "import",
    stored_by: str = "",
    progress=None,
) -> dict:
    """Validate and write ``rows``; return DHIS2's import summary. Each bad row is a conflict explained in
    Vietnamese and changes nothing; ``dry_run`` writes nothing at all. ``allowed_forms`` (form ids) limits
    the elements an API client may write, ``allowed_units`` (unit ids) the units an official may report
    for. The roll-up is refreshed for what was touched."""
    if strategy not in ImportStrategy.values:
        raise ApplicationError(
            _("Unknown import strategy “%(s)s”: use CREATE, UPDATE, CREATE_AND_UPDATE or DELETE.")
            % {"s": str(strategy)[:30]},
            code="bad_strategy",
        )
    summary = ImportSummary(dry_run=dry_run)
    elements = {e.code: e for e in DataElement.objects.select_related("form")}
    options = {}
    for set_id, code in Option.objects.values_list("option_set_id", "code"):
        options.setdefault(set_id, set()).add(code)
    unit_codes = {r.unit for r in rows}
    units = dict(AdministrativeUnit.objects.current().filter(code__in=unit_codes).values_list("code", "pk"))
    period_cache: dict[str, periods.Period | ApplicationError] = {}
    touched: dict = {}
    completions: set = set()
    now = timezone.now()
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        valid = []
        for row in chunk:
            obj = f"{row.element}/{row.unit}/{row.period}" + (f"/{row.option}" if row.option else "")
            element = elements.get(row.element)
            if element is None:
                summary.conflict(
                    row.element or "-", _("Data element “%(c)s” does not exist.") % {"c": row.element}
                )
                continue
            if allowed_forms is not None and element.form_id not in allowed_forms:
                summary.conflict(
                    row.element,
                    _("This client may not report data element “%(c)s” (form %(f)s).")
                    % {"c": row.element, "f": element.form.code},
                )
                continue
            unit_id = units.get(row.unit)
            if unit_id is None:
                summary.conflict(row.unit or "-", _("Unit “%(c)s” does not exist.") % {"c": row.unit})
                continue
            if allowed_units is not None and unit_id not in allowed_units:
                summary.conflict(row.unit, _("You may not report for unit “%(c)s”.") % {"c": row.unit})
                continue
            if row.period not in period_cache:
                try:
                    period_cache[row.period] = periods.parse(row.period)
                except ApplicationError as error:
                    period_cache[row.period] = error
            period = period_cache[row.period]
            if isinstance(period, ApplicationError):
                summary.conflict(row.period or "-", period.message)
                continue
            if period.type != element.form.period_type:
                summary.conflict(
                    obj,
                    _("Period %(p)s does not fit form %(f)s, which is reported %(t)s.")
                    % {"p": period.key, "f": element.form.code, "t": element.form.get_period_type_display()},
                )
                continue
            if row.option and row.option not in options.get(element.option_set_id, set()):
                summary.conflict(
                    obj,
                    _("“%(o)s” is not an option of data element %(c)s.")
                    % {"o": row.option, "c": element.code},
                )
                continue
            if element.option_set_id and not row.option:
                summary.conflict(obj, _("Data element %(c)s needs a breakdown option.") % {"c": element.code})
                continue
            number = None
            if row.value != "" and strategy != ImportStrategy.DELETE:
                try:
                    number = _parse_value(row.value, element.value_type)
                except ApplicationError as error:
                    summary.conflict(obj, error.message)
                    continue
            valid.append((element, unit_id, period, row, number))
        _write_chunk(valid, strategy, dry_run, summary, touched, completions, source, stored_by, now)
        if progress is not None:
            progress(min(start + CHUNK, len(rows)), len(rows))
    if not dry_run:
        _complete(completions, stored_by)
        if touched:
            rollup_refresh(touched=touched)
    return summary.as_dict()


def _write_chunk(valid, strategy, dry_run, summary, touched, completions, source, stored_by, now) -> None:
    if not valid:
        return
    keys = {(e.pk, u, p.key, r.option) for e, u, p, r, _n in valid}
    existing = {
        (v.element_id, v.unit_id, v.period, v.option): v
        for v in DataValue.objects.filter(
            element_id__in={k[0] for k in keys},
            unit_id__in={k[1] for k in keys},
            period__in={k[2] for k in keys},
        )
        if (v.element_id, v.unit_id, v.period, v.option) in keys
    }
    creates, updates, deletes, seen = [], [], [], set()
    for element, unit_id, period, row, number in valid:
        key = (element.pk, unit_id, period.key, row.option)
        obj = f"{element.code}/{row.unit}/{period.key}"
        if key in seen:
            summary.conflict(obj, _("The same value appears twice in the import; the first one was kept."))
            continue
        seen.add(key)
        current = existing.get(key)
        delete = strategy == ImportStrategy.DELETE or (number is None and strategy != ImportStrategy.CREATE)
        if delete:
            if current is None:
                summary.conflict(obj, _("There is no value to delete."))
                continue
            deletes.append(current.pk)
            summary.deleted += 1
        elif number is None:
            summary.conflict(obj, _("The value is empty."))
            continue
        elif current is None:
            if strategy == ImportStrategy.UPDATE:
                summary.conflict(obj, _("The value does not exist yet and the strategy is UPDATE only."))
                continue
            creates.append(
                DataValue(
                    element=element,
                    unit_id=unit_id,
                    period=period.key,
                    period_start=period.start,
                    period_end=period.end,
                    option=row.option,
                    value=number,
                    source=source,
                    stored_by=row.stored_by or stored_by,
                    comment=row.comment,
                )
            )
            summary.imported += 1
        else:
            if strategy == ImportStrategy.CREATE:
                summary.conflict(obj, _("The value already exists and the strategy is CREATE only."))
                continue
            current.value, current.comment, current.source = number, row.comment, source
            current.stored_by, current.updated_at = row.stored_by or stored_by, now
            updates.append(current)
            summary.updated += 1
        touched_add(touched, element.pk, period.key)
        if not delete:
            completions.add((element.form_id, unit_id, period.key))
    if dry_run:
        return
    with transaction.atomic():
        DataValue.objects.bulk_create(creates, batch_size=1000)
        DataValue.objects.bulk_update(
            updates, ["value", "comment", "source", "stored_by", "updated_at"], batch_size=1000
        )
        if deletes:
            DataValue.objects.filter(pk__in=deletes).delete()


def _complete(completions: set, stored_by: str) -> None:
    if completions:
        FormCompletion.objects.bulk_create(
            [FormCompletion(form_id=f, unit_id=u, period=p, stored_by=stored_by) for f, u, p in completions],
            ignore_conflicts=True,
        )


@transaction.atomic
def form_complete(*, form: ReportingForm, unit: AdministrativeUnit, period: str, stored_by: str = "") -> None:
    """Register that ``unit`` reported ``form`` for ``period`` (even with no value to send)."""
    period = periods.parse(period)
    FormCompletion.objects.get_or_create(
        form=form, unit=unit, period=period.key, defaults={"stored_by": stored_by}
    )


# --- Alerts -------------------------------------------------------------------------------------------


def alert_acknowledge(*, alert: Alert, actor) -> Alert:
    if alert.status != AlertStatus.OPEN:
        raise ApplicationError(_("Only an open alert can be acknowledged."), code="alert_state")
    alert.status, alert.acknowledged_at = AlertStatus.ACKNOWLEDGED, timezone.now()
    if alert.assignee_id is None:
        alert.assignee = actor
    alert.save(update_fields=["status", "acknowledged_at", "assignee"])
    return alert


def alert_assign(*, alert: Alert, assignee, actor) -> Alert:
    if alert.status == AlertStatus.RESOLVED:
        raise ApplicationError(_("A resolved alert cannot be assigned."), code="alert_state")
    alert.assignee = assignee
    alert.save(update_fields=["assignee"])
    return alert


def alert_resolve(*, alert: Alert, actor, note: str = "") -> Alert:
    if alert.status == AlertStatus.RESOLVED:
        raise ApplicationError(_("The alert is already resolved."), code="alert_state")
    alert.status, alert.resolved_at, alert.resolution_note = AlertStatus.RESOLVED, timezone.now(), note[:500]
    alert.save(update_fields=["status", "resolved_at", "resolution_note"])
    return alert


# --- Excel ----------------------------------------------------------------------------------------------


def import_job_create(*, form: ReportingForm, user, file, strategy: str, dry_run: bool) -> ImportJob:
    if strategy not in ImportStrategy.values:
        raise ApplicationError(_("Unknown import strategy."), code="bad_strategy")
    job = ImportJob.objects.create(form=form, created_by=user, file=file, strategy=strategy, dry_run=dry_run)
    from congso.indicators.tasks import import_job_run

    transaction.on_commit(lambda: import_job_run.enqueue(job_id=job.pk))
    return job


def _units_of(user) -> set[int]:
    from django.core.exceptions import PermissionDenied

    from congso.indicators.selectors import ioc_units

    try:
        return set(ioc_units(user=user).values_list("pk", flat=True))
    except PermissionDenied:  # no longer an official: nothing may be written
        return set()


def import_job_process(*, job: ImportJob) -> ImportJob:
    """Read the workbook of ``job`` and import it, writing the progress on the job as it goes."""
    from congso.indicators.excel import rows_from_workbook

    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    try:
        with job.file.open("rb") as handle:
            rows = rows_from_workbook(handle, form=job.form)
        ImportJob.objects.filter(pk=job.pk).update(total=len(rows))

        def progress(done, total):
            ImportJob.objects.filter(pk=job.pk).update(processed=done, total=total)

        allowed = {job.form_id}
        summary = data_values_import(
            rows=rows,
            strategy=job.strategy,
            dry_run=job.dry_run,
            allowed_forms=allowed,
            # Only the units the uploader may see: an official of one commune never writes another's figures.
            allowed_units=_units_of(job.created_by),
            source="excel",
            stored_by=job.created_by.email,
            progress=progress,
        )
    except ApplicationError as error:
        job.status, job.error = JobStatus.FAILED, error.message
    else:
        job.status, job.summary, job.processed, job.total = JobStatus.DONE, summary, len(rows), len(rows)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "summary", "processed", "total", "finished_at"])
    return job
