"""Alert rules → alerts. ``alerts_evaluate`` is idempotent: one alert per rule, unit and period."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from congso.geo.models import AdministrativeUnit
from congso.indicators import periods
from congso.indicators.constants import AlertKind, PeriodType
from congso.indicators.models import Alert, AlertRule, FormCompletion
from congso.indicators.selectors import indicator_figures, targets_for


def _scope_units(province_code: str) -> list[AdministrativeUnit]:
    return list(
        AdministrativeUnit.objects.current()
        .filter(Q(code=province_code) | Q(parent__code=province_code, level="commune"))
        .select_related("parent")
    )


def _raise(rule, unit, period, message, value=None) -> bool:
    _alert, created = Alert.objects.get_or_create(
        rule=rule, unit=unit, period=period,
        defaults={"message": message[:500], "value": value, "assignee": rule.assignee},
    )  # fmt: skip
    return created


def alerts_evaluate(*, today: datetime.date, province_code: str | None = None) -> int:
    """Check every active rule against the last complete period; return the number of new alerts."""
    province_code = province_code or settings.CONGSO_PROVINCE_CODE
    units = _scope_units(province_code)
    by_pk = {u.pk: u for u in units}
    unit_ids = list(by_pk)
    created = 0
    for rule in AlertRule.objects.filter(is_active=True).select_related(
        "indicator__legend_set", "form", "assignee"
    ):
        if rule.kind == AlertKind.MISSING_REPORT and rule.form is not None:
            form = rule.form
            period = periods.previous(periods.containing(today, form.period_type))
            if today <= period.end + datetime.timedelta(days=form.deadline_days):
                continue
            done = set(
                FormCompletion.objects.filter(form=form, period=period.key).values_list("unit_id", flat=True)
            )
            for unit in (
                AdministrativeUnit.objects.current()
                .filter(level=form.unit_level)
                .filter(
                    **(
                        {"code": province_code}
                        if form.unit_level == "province"
                        else {"parent__code": province_code}
                    )
                )
            ):
                if unit.pk not in done:
                    message = _("%(unit)s has not reported %(form)s for %(period)s (deadline passed).") % {
                        "unit": unit.full_name,
                        "form": form.name,
                        "period": period.label(),
                    }
                    created += _raise(rule, unit, period.key, message)
            continue
        indicator = rule.indicator
        if indicator is None:
            continue
        frequency = indicator.frequency if indicator.frequency != PeriodType.YEARLY else PeriodType.QUARTERLY
        period = periods.previous(periods.containing(today, frequency))
        before = periods.previous(period)
        figures = indicator_figures(
            indicators=[indicator], unit_ids=unit_ids, period_keys=[period.key, before.key]
        )
        if rule.kind == AlertKind.BELOW_TARGET:
            targets = targets_for(indicators=[indicator], units=units, years=[period.year])
            for pk, unit in by_pk.items():
                value = figures[(indicator.code, pk, period.key)].value
                target = targets.get((indicator.code, pk, period.year))
                if value is not None and target is not None and value < target:
                    message = _(
                        "%(indicator)s in %(unit)s is %(value).1f for %(period)s, "
                        "below the target %(target)s."
                    ) % {
                        "indicator": indicator.name, "unit": unit.full_name, "value": value,
                        "period": period.label(), "target": f"{target:g}",
                    }  # fmt: skip
                    created += _raise(rule, unit, period.key, message, value)
        elif rule.kind == AlertKind.DROP:
            for pk, unit in by_pk.items():
                value = figures[(indicator.code, pk, period.key)].value
                previous = figures[(indicator.code, pk, before.key)].value
                if value is None or not previous:
                    continue
                drop = 100 * (previous - value) / abs(previous)
                if drop > rule.threshold_percent:
                    message = _("%(indicator)s in %(unit)s dropped by %(drop).1f%% in %(period)s.") % {
                        "indicator": indicator.name, "unit": unit.full_name, "drop": drop,
                        "period": period.label(),
                    }  # fmt: skip
                    created += _raise(rule, unit, period.key, message, value)
    return created
