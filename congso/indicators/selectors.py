"""Every scoped read of the operations centre. Dashboards read only the roll-up table, with a constant number
of queries, and cache what they compute (the cache version moves on at each roll-up refresh)."""

from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from congso.accounts.selectors import user_units
from congso.geo.constants import UnitLevel
from congso.geo.models import AdministrativeUnit
from congso.indicators import expressions, periods
from congso.indicators.models import (
    Alert,
    DataElement,
    FormCompletion,
    Indicator,
    ReportingForm,
    RollupValue,
    Target,
)

_VERSION_KEY = "indicators:version"
_parsed: dict[str, expressions.Node] = {}


def cache_version() -> int:
    return cache.get_or_set(_VERSION_KEY, 1, None)


def cache_bump() -> None:
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, None)


def _tree(text: str) -> expressions.Node:
    if text not in _parsed:
        _parsed[text] = expressions.parse(text)
    return _parsed[text]


# --- Scope ------------------------------------------------------------------------------------------------

_LEVEL_ORDER = Case(
    When(level=UnitLevel.PROVINCE, then=Value(0)),
    When(level=UnitLevel.COMMUNE, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def ioc_units(*, user) -> QuerySet[AdministrativeUnit]:
    """The units a user may see in the operations centre; PermissionDenied for anyone who is not an official
    (citizens)."""
    if not user.is_authenticated:
        raise PermissionDenied
    if not hasattr(user, "_ioc_is_official"):  # asked several times a request; one query
        user._ioc_is_official = user.is_official
    if not user._ioc_is_official:
        raise PermissionDenied
    return user_units(user=user)


def ioc_root(*, user) -> AdministrativeUnit:
    """The highest unit the user sees (the province for its leaders, their commune for a commune official)."""
    root = ioc_units(user=user).select_related("parent").order_by(_LEVEL_ORDER, "code").first()
    if root is None:
        raise PermissionDenied
    return root


def ioc_unit(*, user, code: str | None) -> AdministrativeUnit:
    """A unit the user may see, by code (their root when no code); DoesNotExist when outside their scope."""
    if not code:
        return ioc_root(user=user)
    return ioc_units(user=user).select_related("parent").get(code=code)


def children_of(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    return list(
        AdministrativeUnit.objects.current().filter(parent=unit).select_related("parent").order_by("code")
    )


# --- Values -----------------------------------------------------------------------------------------------


def element_ids() -> dict[str, int]:
    key = f"indicators:elements:{cache_version()}"
    found = cache.get(key)
    if found is None:
        found = dict(DataElement.objects.values_list("code", "pk"))
        cache.set(key, found, 3600)
    return found


def rollup_cells(
    *, element_ids: list[int], unit_ids: list[int], period_keys: list[str], option: str = ""
) -> dict:
    """(element id, unit id, period) → value, in one query."""
    rows = RollupValue.objects.filter(
        element_id__in=element_ids, unit_id__in=unit_ids, period__in=period_keys, option=option
    ).values_list("element_id", "unit_id", "period", "value")
    return {(e, u, p): v for e, u, p, v in rows}


@dataclass
class Figure:
    value: float | None
    numerator: float | None
    denominator: float | None


def indicator_figures(*, indicators: list[Indicator], unit_ids: list[int], period_keys: list[str]) -> dict:
    """(indicator code, unit id, period) → Figure: numerator and denominator are evaluated on aggregated
    values (sums over units and periods), then divided — a ratio of sums, never a sum of ratios."""
    ids = element_ids()
    refs = {}
    for indicator in indicators:
        refs[indicator.code] = (_tree(indicator.numerator), _tree(indicator.denominator))
    wanted = {
        ids[c]
        for n, d in refs.values()
        for c in expressions.references(n) | expressions.references(d)
        if c in ids
    }
    cells = rollup_cells(element_ids=list(wanted), unit_ids=unit_ids, period_keys=period_keys)
    codes = {pk: code for code, pk in ids.items() if pk in wanted}
    grouped: dict = {}
    for (e, u, p), v in cells.items():
        grouped.setdefault((u, p), {})[codes[e]] = v
    out = {}
    for unit_id in unit_ids:
        for period in period_keys:
            values = grouped.get((unit_id, period), {})
            for indicator in indicators:
                num_tree, den_tree = refs[indicator.code]
                num, den = expressions.evaluate(num_tree, values), expressions.evaluate(den_tree, values)
                value = None if num is None or not den else num / den * indicator.factor
                out[(indicator.code, unit_id, period)] = Figure(value, num, den)
    return out


def targets_for(*, indicators: list[Indicator], units: list[AdministrativeUnit], years: list[int]) -> dict:
    """(indicator code, unit id, year) → target. A rate's target (factor 100) applies to the units below the
    one it was set for; a count's target only to its own unit."""
    chain = {
        u.pk: [u.pk, u.parent_id, getattr(u.parent, "parent_id", None) if u.parent_id else None]
        for u in units
    }
    ancestor_ids = {a for c in chain.values() for a in c if a}
    rows = Target.objects.filter(
        indicator__in=indicators, unit_id__in=ancestor_ids, year__in=years
    ).values_list("indicator__code", "unit_id", "year", "value")
    found = {(c, u, y): v for c, u, y, v in rows}
    factor = {i.code: i.factor for i in indicators}
    out = {}
    for indicator_code in factor:
        for unit_id, ancestors in chain.items():
            for year in years:
                for depth, ancestor in enumerate(ancestors):
                    if (
                        ancestor
                        and (indicator_code, ancestor, year) in found
                        and (depth == 0 or factor[indicator_code] == 100)
                    ):
                        out[(indicator_code, unit_id, year)] = found[(indicator_code, ancestor, year)]
                        break
    return out


@dataclass
class Status:
    rag: str | None
    label: str
    achievement: float | None


def status_of(indicator: Indicator, value: float | None, target: float | None) -> Status:
    from django.utils.translation import gettext as _

    if value is None:
        return Status(None, _("No data"), None)
    if target is None or indicator.legend_set is None:
        return Status(None, _("No target"), None)
    if indicator.higher_is_better:
        achievement = 100 * value / target if target else None
    else:
        achievement = 100 * target / value if value else None
    legend = indicator.legend_set.classify(achievement)
    if legend is None:
        return Status(None, _("No target"), achievement)
    return Status(legend.rag, legend.label, achievement)


def indicators_with_legends() -> list[Indicator]:
    return list(Indicator.objects.select_related("legend_set").prefetch_related("legend_set__legends"))


# --- Completeness, alerts ---------------------------------------------------------------------------------


def completeness(*, root: AdministrativeUnit, period: periods.Period) -> list[dict]:
    """Per form of ``period``'s type: units expected (of the form's level under ``root``), units reported."""
    forms = list(ReportingForm.objects.filter(period_type=period.type, is_computed=False).order_by("code"))
    scope = Q(pk=root.pk) | Q(parent=root) | Q(parent__parent=root)
    expected = dict(
        AdministrativeUnit.objects.current()
        .filter(scope)
        .values("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    reported = dict(
        FormCompletion.objects.filter(period=period.key, form__in=forms)
        .filter(Q(unit=root) | Q(unit__parent=root) | Q(unit__parent__parent=root))
        .values("form_id")
        .annotate(n=Count("pk"))
        .values_list("form_id", "n")
    )
    out = []
    for form in forms:
        total = expected.get(form.unit_level, 0)
        done = reported.get(form.pk, 0)
        out.append(
            {
                "form": form,
                "expected": total,
                "reported": done,
                "missing": max(0, total - done),
                "percent": round(100 * done / total, 1) if total else None,
            }
        )
    return out


def units_missing(*, root: AdministrativeUnit, form: ReportingForm, period: periods.Period) -> QuerySet:
    scope = Q(pk=root.pk) | Q(parent=root) | Q(parent__parent=root)
    done = FormCompletion.objects.filter(form=form, period=period.key).values("unit_id")
    return (
        AdministrativeUnit.objects.current()
        .filter(scope, level=form.unit_level)
        .exclude(pk__in=done)
        .select_related("parent")
        .order_by("code")
    )


def alerts_for(*, user, status: str = "") -> QuerySet[Alert]:
    alerts = Alert.objects.filter(unit__in=ioc_units(user=user)).select_related(
        "rule", "unit", "assignee", "rule__indicator", "rule__form"
    )
    if status:
        alerts = alerts.filter(status=status)
    return alerts.order_by("status", "-created_at")


def alert_for(*, user, pk: int) -> Alert:
    return alerts_for(user=user).get(pk=pk)
