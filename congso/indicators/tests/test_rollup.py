import pytest

from congso.indicators import periods
from congso.indicators.models import DataValue, RollupValue
from congso.indicators.rollup import rollup_refresh
from congso.indicators.selectors import indicator_figures

from .factories import make_element, make_form, make_indicator, make_option_set, unit

pytestmark = pytest.mark.django_db
COMMUNE, HAMLET_1, HAMLET_2 = "32248", "32248-01", "32248-02"


def put(element, unit_code, key, value, option=""):
    p = periods.parse(key)
    DataValue.objects.create(
        element=element,
        unit=unit(unit_code),
        period=key,
        period_start=p.start,
        period_end=p.end,
        option=option,
        value=value,
    )


def rolled(element, unit_code, key, option=""):
    row = RollupValue.objects.filter(element=element, unit__code=unit_code, period=key, option=option).first()
    return None if row is None else row.value


@pytest.fixture
def form():
    return make_form()


def fill(element):
    # Hamlet 1 reports Jan and Feb, hamlet 2 reports Jan and Mar.
    put(element, HAMLET_1, "2026M01", 10)
    put(element, HAMLET_1, "2026M02", 20)
    put(element, HAMLET_2, "2026M01", 30)
    put(element, HAMLET_2, "2026M03", 60)
    rollup_refresh()


@pytest.mark.parametrize(
    ("aggregation", "commune_jan", "hamlet1_q1", "commune_q1", "province_year"),
    [
        ("sum", 40, 30, 120, 120),
        ("last", 40, 20, 80, 80),  # latest month of each hamlet, then added up over hamlets
        ("average", 20, 15, 30, 30),
        ("min", 10, 10, 10, 10),
        ("max", 30, 20, 60, 60),
        ("count", 2, 2, 4, 4),
    ],
)
def test_aggregation_types_up_the_tree_and_over_periods(
    form, aggregation, commune_jan, hamlet1_q1, commune_q1, province_year
):
    element = make_element("E", form, aggregation)
    fill(element)
    assert rolled(element, COMMUNE, "2026M01") == commune_jan
    assert rolled(element, HAMLET_1, "2026Q1") == hamlet1_q1
    assert rolled(element, COMMUNE, "2026Q1") == commune_q1
    assert rolled(element, "96", "2026") == province_year
    assert rolled(element, "32002", "2026") is None  # another commune has nothing


def test_breakdown_has_its_total(form):
    element = make_element("E", form, option_set=make_option_set())
    put(element, COMMUNE, "2026M01", 3, "M")
    put(element, COMMUNE, "2026M01", 4, "F")
    rollup_refresh()
    assert rolled(element, "96", "2026M01", "M") == 3
    assert rolled(element, "96", "2026M01") == 7


def test_ratio_of_sums_not_sum_of_ratios(form):
    on_time, total = make_element("ON_TIME", form), make_element("TOTAL", form)
    put(on_time, HAMLET_1, "2026M01", 1)
    put(total, HAMLET_1, "2026M01", 1)  # 100%
    put(on_time, HAMLET_2, "2026M01", 0)
    put(total, HAMLET_2, "2026M01", 99)  # 0%
    rollup_refresh()
    indicator = make_indicator("RATE", "#{ON_TIME}", "#{TOTAL}")
    commune = unit(COMMUNE)
    figure = indicator_figures(indicators=[indicator], unit_ids=[commune.pk], period_keys=["2026M01"])
    assert figure[("RATE", commune.pk, "2026M01")].value == pytest.approx(1.0)  # 1/100, not (100% + 0%) / 2


def test_incremental_refresh_rebuilds_only_the_touched_year(form):
    element = make_element("E", form)
    put(element, COMMUNE, "2025M12", 5)
    put(element, COMMUNE, "2026M01", 1)
    rollup_refresh()
    DataValue.objects.filter(period="2026M01").update(value=7)
    DataValue.objects.filter(period="2025M12").update(value=9)
    rollup_refresh(touched={element.pk: {2026}})
    assert rolled(element, "96", "2026") == 7
    assert rolled(element, "96", "2025") == 5  # untouched year kept as it was
