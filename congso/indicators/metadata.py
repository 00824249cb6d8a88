"""Metadata as data: the starter content (data/starter.json) and a province's own domains, forms and elements
imported from CSV or Excel (``manage.py indicators_metadata_import``)."""

import csv
import io
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from congso.core.exceptions import ApplicationError
from congso.geo.models import AdministrativeUnit
from congso.indicators.constants import AggregationType, AlertKind, PeriodType, Pillar, ValueType
from congso.indicators.expressions import parse
from congso.indicators.models import (
    AlertRule,
    DataElement,
    Domain,
    Indicator,
    Legend,
    LegendSet,
    Option,
    OptionSet,
    ReportingForm,
    Target,
)

STARTER = Path(__file__).resolve().parent / "data" / "starter.json"
METADATA_COLUMNS = [
    "type", "code", "name", "domain", "form", "period_type", "owner_agency", "deadline_days",
    "value_type", "aggregation_type", "option_set", "unit_level",
]  # fmt: skip


def _choice(value: str, choices, what: str, default: str) -> str:
    value = (value or default).strip().lower()
    if value not in choices.values:
        raise ApplicationError(
            _("“%(v)s” is not a valid %(what)s (allowed: %(allowed)s).")
            % {"v": value, "what": what, "allowed": ", ".join(choices.values)},
            code="bad_metadata",
        )
    return value


def domain_upsert(*, code: str, name: str) -> Domain:
    return Domain.objects.update_or_create(code=code.strip().upper(), defaults={"name": name.strip()})[0]


def form_upsert(
    *,
    code,
    name,
    domain,
    period_type,
    owner_agency="",
    deadline_days=10,
    unit_level="commune",
    is_computed=False,
) -> ReportingForm:
    try:
        domain_obj = Domain.objects.get(code=str(domain).strip().upper())
    except Domain.DoesNotExist:
        raise ApplicationError(
            _("Domain “%(c)s” does not exist.") % {"c": domain}, code="bad_metadata"
        ) from None
    return ReportingForm.objects.update_or_create(
        code=code.strip().upper(),
        defaults={
            "name": name.strip(), "domain": domain_obj,
            "period_type": _choice(period_type, PeriodType, _("period type"), PeriodType.MONTHLY),
            "owner_agency": owner_agency or "", "deadline_days": int(deadline_days or 10),
            "unit_level": unit_level or "commune", "is_computed": bool(is_computed),
        },
    )[0]  # fmt: skip


def element_upsert(
    *, code, name, form, aggregation_type="sum", value_type="number", option_set="", description=""
) -> DataElement:
    try:
        form_obj = ReportingForm.objects.get(code=str(form).strip().upper())
    except ReportingForm.DoesNotExist:
        raise ApplicationError(_("Form “%(c)s” does not exist.") % {"c": form}, code="bad_metadata") from None
    options = None
    if option_set:
        options = OptionSet.objects.filter(code=option_set.strip().upper()).first()
        if options is None:
            raise ApplicationError(
                _("Breakdown “%(c)s” does not exist.") % {"c": option_set}, code="bad_metadata"
            )
    return DataElement.objects.update_or_create(
        code=code.strip().upper(),
        defaults={
            "name": name.strip(), "form": form_obj, "option_set": options, "description": description,
            "aggregation_type": _choice(aggregation_type, AggregationType, _("aggregation type"), "sum"),
            "value_type": _choice(value_type, ValueType, _("value type"), "number"),
        },
    )[0]  # fmt: skip


@transaction.atomic
def metadata_import(*, rows: list[dict]) -> dict[str, int]:
    """Create or update domains, forms and elements (in that order) from rows with a ``type`` column.
    All or nothing: a bad row raises ApplicationError naming the line, and nothing is kept."""
    counts = {"domain": 0, "form": 0, "element": 0}
    order = {"domain": 0, "form": 1, "element": 2}
    numbered = [
        (n, {k: (v or "").strip() for k, v in row.items() if k}) for n, row in enumerate(rows, start=2)
    ]
    for number, row in sorted(numbered, key=lambda item: order.get(item[1].get("type", "").lower(), 9)):
        kind = row.get("type", "").lower()
        try:
            if not row.get("code") or not row.get("name"):
                raise ApplicationError(_("Code and name are required."))
            if kind == "domain":
                domain_upsert(code=row["code"], name=row["name"])
            elif kind == "form":
                form_upsert(
                    **{
                        k: row.get(k, "")
                        for k in ("code", "name", "domain", "period_type", "owner_agency", "unit_level")
                    },
                    deadline_days=row.get("deadline_days"),
                )
            elif kind == "element":
                element_upsert(
                    **{
                        k: row.get(k, "")
                        for k in ("code", "name", "form", "aggregation_type", "value_type", "option_set")
                    }
                )
            else:
                raise ApplicationError(_("The type must be domain, form or element."))
        except ApplicationError as error:
            raise ApplicationError(
                _("Line %(n)s: %(message)s") % {"n": number, "message": error.message}, code="bad_metadata"
            ) from None
        counts[kind] += 1
    return counts


def metadata_rows_from_file(name: str, content: bytes) -> list[dict]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        rows = []
        for ws in wb.worksheets:
            lines = ws.iter_rows(values_only=True)
            header = [str(c or "").strip().lower() for c in next(lines, ())]
            for line in lines:
                row = {h: "" if v is None else str(v) for h, v in zip(header, line, strict=False)}
                if "type" not in row:
                    row["type"] = ws.title.rstrip("s").lower()  # a sheet per kind: domains, forms, elements
                if any(row.values()):
                    rows.append(row)
        return rows
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@transaction.atomic
def starter_load(path: Path = STARTER) -> dict[str, int]:
    """Load (or bring up to date) the starter content. Safe to run again."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for item in data["domains"]:
        domain_upsert(**item)
    for item in data["option_sets"]:
        option_set = OptionSet.objects.update_or_create(code=item["code"], defaults={"name": item["name"]})[0]
        for option in item["options"]:
            Option.objects.update_or_create(
                option_set=option_set, code=option["code"], defaults={"name": option["name"]}
            )
    for item in data["forms"]:
        form_upsert(**item)
    for item in data["elements"]:
        element_upsert(**item)
    for item in data["legend_sets"]:
        legend_set = LegendSet.objects.update_or_create(code=item["code"], defaults={"name": item["name"]})[0]
        legend_set.legends.all().delete()
        Legend.objects.bulk_create([Legend(legend_set=legend_set, **legend) for legend in item["legends"]])
    legend = LegendSet.objects.get(code="TARGET")
    province = AdministrativeUnit.objects.filter(code=settings.CONGSO_PROVINCE_CODE).first()
    for item in data["indicators"]:
        item = dict(item)
        targets = item.pop("targets", {})
        item["pillar"] = _choice(item["pillar"], Pillar, _("pillar"), Pillar.DIGITAL_GOVERNMENT)
        parse(item["numerator"])
        parse(item["denominator"])
        indicator = Indicator.objects.update_or_create(
            code=item.pop("code"), defaults={**item, "legend_set": legend}
        )[0]
        if province is not None:
            for year, value in targets.items():
                Target.objects.update_or_create(
                    indicator=indicator,
                    unit=province,
                    year=int(year),
                    defaults={"value": value, "source": _("published target of the province")},
                )
    for item in data["alert_rules"]:
        AlertRule.objects.update_or_create(
            name=item["name"],
            defaults={
                "kind": _choice(item["kind"], AlertKind, _("alert kind"), ""),
                "indicator": Indicator.objects.filter(code=item.get("indicator", "")).first(),
                "form": ReportingForm.objects.filter(code=item.get("form", "")).first(),
                "threshold_percent": item.get("threshold_percent", 10),
            },
        )
    return {
        "forms": len(data["forms"]),
        "elements": len(data["elements"]),
        "indicators": len(data["indicators"]),
    }
