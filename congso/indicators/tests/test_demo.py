import pytest

from congso.indicators.demo import load_demo
from congso.indicators.models import DataValue, Indicator, RollupValue

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_rolls_up():
    first = load_demo()
    count = DataValue.objects.count()
    assert count > 1000 and set(DataValue.objects.values_list("source", flat=True).distinct()) == {"demo"}
    assert Indicator.objects.filter(code="DIGITAL_HH_COVERAGE").exists()
    assert RollupValue.objects.filter(
        unit__code="96", period="2025", element__code="DOSSIER_RECEIVED"
    ).exists()
    assert "demo values already there" in load_demo()
    assert DataValue.objects.count() == count
    assert first
