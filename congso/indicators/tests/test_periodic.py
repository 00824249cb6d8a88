import pytest

from congso.core.models import PeriodicMarker
from congso.indicators.metadata import starter_load
from congso.indicators.periodic import tick

pytestmark = pytest.mark.django_db


def test_tick_runs_once_per_hour_and_day():
    starter_load()
    first = tick()
    assert "computed values" in first and "roll-up rows" in first and "alerts" in first
    assert tick() is None  # nothing due until the next hour
    names = ["indicators:computed-hourly", "indicators:daily"]
    assert PeriodicMarker.objects.filter(name__in=names).count() == 2
