import datetime

import pytest

from congso.dossiers.models import Dossier
from congso.dossiers.tests.factories import at, make_office, make_version, submit
from congso.feedback.models import Rating
from congso.indicators import periods
from congso.indicators.computed import computed_run, d766_scores
from congso.indicators.metadata import starter_load
from congso.indicators.models import DataValue, RollupValue

pytestmark = pytest.mark.django_db
MARCH = periods.parse("2026M03")


def dossier(version, office, *, channel=1, received, due, ended=None, supplements=0):
    d = submit(version, office, channel=channel)
    Dossier.objects.filter(pk=d.pk).update(
        received_at=at(received),
        due_at=at(due),
        processing_ended_at=at(ended) if ended else None,
        supplement_requests=supplements,
    )
    return d


@pytest.fixture
def march():
    """Commune 32248 in March 2026: 4 dossiers received (1 online), 3 finished: 1 on time, 1 late, 1 on time
    but with two supplement requests (overdue by Decision 766)."""
    starter_load()
    version, office = make_version(), make_office("32248")
    dossier(
        version,
        office,
        channel=2,
        received="2026-03-02 08:00",
        due="2026-03-05 17:00",
        ended="2026-03-04 10:00",
    )
    dossier(version, office, received="2026-03-03 08:00", due="2026-03-06 17:00", ended="2026-03-09 10:00")
    late = dossier(
        version,
        office,
        received="2026-03-03 09:00",
        due="2026-03-20 17:00",
        ended="2026-03-10 10:00",
        supplements=2,
    )
    dossier(version, office, received="2026-03-30 09:00", due="2026-04-03 17:00")
    dossier(version, office, received="2026-02-27 09:00", due="2026-03-03 17:00")  # another month
    Rating.objects.create(dossier=late, level="not_satisfied", created_at=at("2026-03-12 09:00"))
    return office


def values(code):
    return dict(
        DataValue.objects.filter(element__code=code, period="2026M03").values_list("unit__code", "value")
    )


def test_dossier_figures_per_commune_and_month(march):
    computed_run(period=MARCH)
    assert values("DOSSIER_RECEIVED") == {"32248": 4}
    assert values("DOSSIER_ONLINE") == {"32248": 1}
    assert values("DOSSIER_FINISHED") == {"32248": 3}
    assert values("DOSSIER_ON_TIME") == {"32248": 1}
    assert values("DOSSIER_LATE") == {"32248": 2}
    assert values("RATING_TOTAL") == {"32248": 1}
    assert (
        RollupValue.objects.get(element__code="DOSSIER_RECEIVED", unit__code="96", period="2026Q1").value == 4
    )
    assert set(DataValue.objects.values_list("source", flat=True)) >= {"computed:dossiers"}


def test_766_estimate_on_a_small_fixture(march):
    computed_run(period=MARCH)
    assert values("D766_PROGRESS")["32248"] == pytest.approx(20 * 1 / 3, abs=1e-3)
    # 1 procedure, with an online dossier (4 × 1) + online share 1/4, full at 50% (4 × 0.5)
    assert values("D766_ONLINE")["32248"] == pytest.approx(6)
    # no feedback; dossiers: 100% − overdue 2/3 − dislike 1/1 → 0
    assert values("D766_SATISFACTION")["32248"] == pytest.approx(0)
    assert values("D766_MEASURED_MAX")["32248"] == 40


def test_766_leaves_out_what_cannot_be_measured():
    scores = d766_scores({"1": {"received": 2, "online": 2, "finished": 0, "on_time": 0, "procedures": 1,
                                "online_procedures": 1}}, {}, {})  # fmt: skip
    assert set(scores["1"]) == {"D766_ONLINE", "D766_SCORE", "D766_MEASURED_MAX"}
    assert scores["1"]["D766_MEASURED_MAX"] == 8


def test_running_again_replaces_the_month(march):
    computed_run(period=MARCH)
    Dossier.objects.filter(received_at__month=3, channel=1).delete()
    computed_run(period=MARCH)
    assert values("DOSSIER_RECEIVED") == {"32248": 1}
    assert DataValue.objects.filter(element__code="DOSSIER_RECEIVED", period="2026M03").count() == 1


def test_missing_optional_sources_are_skipped(march, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_outreach(name, *args, **kwargs):
        if name.startswith(("congso.outreach.rollup", "congso.payments.selectors")):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_outreach)
    assert computed_run(period=MARCH, names=["outreach", "payments"]) == 0


def test_outreach_figures_become_values(march, monkeypatch):
    import sys
    import types

    module = types.ModuleType("congso.outreach.rollup")
    module.outreach_figures = lambda period_start, period_end: [
        ("32248-01", "OUTREACH_HH_DIGITAL", 30), ("32248-01", "OUTREACH_HH_OFFICIAL", 60),
        ("32248-02", "OUTREACH_ADOPT_ZALO", 5), ("nowhere", "OUTREACH_VISITS", 1),
        ("32248", "OUTREACH_HH_DIGITAL", 30), ("96", "OUTREACH_HH_DIGITAL", 30),  # totals: the roll-up's job
    ]  # fmt: skip
    monkeypatch.setitem(sys.modules, "congso.outreach.rollup", module)
    assert computed_run(period=MARCH, names=["outreach"]) == 3
    assert (
        RollupValue.objects.get(element__code="OUTREACH_HH_DIGITAL", unit__code="32248", period="2026").value
        == 30
    )
    assert DataValue.objects.filter(element__code="OUTREACH_ADOPT_ZALO").exists()
    assert datetime.date(2026, 3, 1) == MARCH.start


def test_payments_feed_values_and_the_766_payment_part(march, monkeypatch):
    import sys
    import types

    module = types.ModuleType("congso.payments.selectors")
    module.payments_paid_by_unit = lambda start, end: {"32248": {"requests": 4, "paid": 3, "paid_online": 2}}
    monkeypatch.setitem(sys.modules, "congso.payments.selectors", module)
    computed_run(period=MARCH, names=["payments", "d766"])
    assert values("PAYMENT_PAID_ONLINE") == {"32248": 2}
    assert values("D766_PAYMENT")["32248"] == pytest.approx(3)  # 6 × 2 / 4
    assert values("D766_MEASURED_MAX")["32248"] == 46
