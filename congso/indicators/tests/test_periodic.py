import pytest

from congso.indicators.metadata import starter_load
from congso.indicators.models import Marker
from congso.indicators.periodic import tick

pytestmark = pytest.mark.django_db


def test_tick_runs_once_per_hour_and_day():
    starter_load()
    first = tick()
    assert "computed values" in first and "roll-up rows" in first and "alerts" in first
    assert tick() is None  # nothing due until the next hour
    assert Marker.objects.filter(key__in=["computed-hourly", "daily"]).count() == 2
