import datetime

import pytest

from congso.core.exceptions import ApplicationError
from congso.indicators import periods
from congso.indicators.alerts import alerts_evaluate
from congso.indicators.models import Alert, AlertRule, DataValue, FormCompletion, Target
from congso.indicators.rollup import rollup_refresh
from congso.indicators.selectors import completeness, units_missing
from congso.indicators.services import alert_acknowledge, alert_resolve, form_complete

from .factories import make_element, make_form, make_indicator, unit

pytestmark = pytest.mark.django_db


def put(element, unit_code, key, value):
    p = periods.parse(key)
    DataValue.objects.create(element=element, unit=unit(unit_code), period=key, period_start=p.start,
                             period_end=p.end, value=value)  # fmt: skip


@pytest.fixture
def rate():
    form = make_form()
    done, total = make_element("DONE", form), make_element("TOTAL", form)
    for commune, (jan, feb) in {"32002": (9, 5), "32248": (10, 10)}.items():
        put(done, commune, "2026M01", jan)
        put(done, commune, "2026M02", feb)
        put(total, commune, "2026M01", 10)
        put(total, commune, "2026M02", 10)
    rollup_refresh()
    indicator = make_indicator("RATE", "#{DONE}", "#{TOTAL}", frequency="monthly")
    Target.objects.create(indicator=indicator, unit=unit("96"), year=2026, value=80)
    return indicator


def test_below_target_applies_the_province_target_to_its_communes(rate):
    AlertRule.objects.create(name="Dưới mục tiêu", kind="below_target", indicator=rate)
    assert alerts_evaluate(today=datetime.date(2026, 3, 10)) == 2
    # February: 32002 at 5/10 = 50%, the province at (5 + 10) / 20 = 75% (a ratio of sums); 32248 at 100%
    values = dict(Alert.objects.filter(period="2026M02").values_list("unit__code", "value"))
    assert values == {"32002": 50, "96": 75}
    alert = Alert.objects.get(unit__code="32002")
    assert "thấp hơn mục tiêu" in alert.message
    assert alerts_evaluate(today=datetime.date(2026, 3, 11)) == 0  # idempotent


def test_drop_versus_previous_period(rate):
    AlertRule.objects.create(name="Giảm", kind="drop", indicator=rate, threshold_percent=30)
    alerts_evaluate(today=datetime.date(2026, 3, 10))
    assert list(Alert.objects.values_list("unit__code", flat=True)) == [
        "32002"
    ]  # 90% → 50%: −44%; province −21%


def test_missing_report_only_after_the_deadline(rate):
    form = make_form("F_Q", "quarterly", deadline_days=10)
    AlertRule.objects.create(name="Thiếu", kind="missing_report", form=form)
    form_complete(form=form, unit=unit("32002"), period="2026Q1")
    assert alerts_evaluate(today=datetime.date(2026, 4, 10)) == 0  # still within the deadline
    created = alerts_evaluate(today=datetime.date(2026, 4, 11))
    assert created == 63
    assert not Alert.objects.filter(unit__code="32002").exists()


def test_alert_life(rate, leader):
    rule = AlertRule.objects.create(name="Dưới mục tiêu", kind="below_target", indicator=rate)
    alert = Alert.objects.create(rule=rule, unit=unit("32002"), period="2026M02", message="x")
    alert_acknowledge(alert=alert, actor=leader)
    assert alert.status == "acknowledged" and alert.assignee == leader
    with pytest.raises(ApplicationError):
        alert_acknowledge(alert=alert, actor=leader)
    alert_resolve(alert=alert, actor=leader, note="Đã đôn đốc")
    with pytest.raises(ApplicationError):
        alert_resolve(alert=alert, actor=leader)


def test_completeness_counts_and_missing_units():
    form = make_form("F_Q", "quarterly")
    for code in ("32002", "32248"):
        form_complete(form=form, unit=unit(code), period="2026Q1")
    form_complete(form=form, unit=unit("32002"), period="2026Q1")  # twice: still one
    assert FormCompletion.objects.count() == 2
    q1 = periods.parse("2026Q1")
    row = next(r for r in completeness(root=unit("96"), period=q1) if r["form"] == form)
    assert (row["expected"], row["reported"], row["missing"]) == (64, 2, 62)
    missing = units_missing(root=unit("96"), form=form, period=q1)
    assert missing.count() == 62 and not missing.filter(code="32002").exists()
    commune = next(r for r in completeness(root=unit("32002"), period=q1) if r["form"] == form)
    assert (commune["expected"], commune["missing"]) == (1, 0)
