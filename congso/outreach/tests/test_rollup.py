import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from congso.outreach import periodic
from congso.outreach.models import RollupValue
from congso.outreach.rollup import outreach_figures, rollup_store
from congso.outreach.tests.test_views import coverage_fixture

pytestmark = pytest.mark.django_db


def test_outreach_figures_for_hamlets_communes_and_the_province(team_member, django_assert_max_num_queries):
    coverage_fixture(team_member)
    today = timezone.localdate()
    with django_assert_max_num_queries(12):
        rows = outreach_figures(period_start=today.replace(day=1), period_end=today)
    values = {(unit, metric): value for unit, metric, value in rows}
    assert values[("32248-01", "OUTREACH_HH_DIGITAL")] == Decimal(2)
    assert values[("32248-01", "OUTREACH_HH_OFFICIAL")] == Decimal(10)
    assert values[("32248-01", "OUTREACH_VISITS")] == Decimal(3)
    assert values[("32248", "OUTREACH_HH_DIGITAL")] == Decimal(3)
    assert values[("96", "OUTREACH_HH_REGISTERED")] == Decimal(5)
    assert values[("96", "OUTREACH_ADOPT_VNEID")] == Decimal(2)
    assert values[("32002", "OUTREACH_HH_DIGITAL")] == Decimal(0)
    # Before anything happened: nothing visited, nothing adopted.
    past = today - datetime.timedelta(days=40)
    old = {(u, m): v for u, m, v in outreach_figures(period_start=past, period_end=past)}
    assert old[("96", "OUTREACH_HH_DIGITAL")] == 0
    assert old[("96", "OUTREACH_VISITS")] == 0


def test_the_latest_event_decides_a_platform(team_member):
    from congso.outreach.services import sync_batch
    from congso.outreach.tests.factories import event_item, make_household

    household = make_household()
    early = (timezone.now() - datetime.timedelta(days=2)).isoformat()
    sync_batch(user=team_member, events=[event_item(household, "VNEID", "adopted", recorded_at=early)])
    sync_batch(user=team_member, events=[event_item(household, "VNEID", "declined")])
    today = timezone.localdate()
    values = {(u, m): v for u, m, v in outreach_figures(period_start=today, period_end=today)}
    assert values[("32248-01", "OUTREACH_ADOPT_VNEID")] == 0
    assert values[("32248-01", "OUTREACH_HH_DIGITAL")] == 0
    household.refresh_from_db()
    assert household.platforms_in_use == 0
    yesterday = today - datetime.timedelta(days=1)
    values = {(u, m): v for u, m, v in outreach_figures(period_start=yesterday, period_end=yesterday)}
    assert values[("32248-01", "OUTREACH_ADOPT_VNEID")] == 1
    assert values[("32248-01", "OUTREACH_HH_DIGITAL")] == 1


def test_a_late_upload_of_an_older_event_does_not_replace_the_current_state(team_member):
    from congso.outreach import selectors
    from congso.outreach.services import sync_batch
    from congso.outreach.tests.factories import event_item, make_household

    household = make_household()
    sync_batch(user=team_member, events=[event_item(household, "DVC", "adopted")])
    older = (timezone.now() - datetime.timedelta(days=3)).isoformat()
    sync_batch(user=team_member, events=[event_item(household, "DVC", "declined", recorded_at=older)])
    assert selectors.current_platforms(household_ids=[household.pk])[household.pk] == ["DVC"]
    assert household.adoption_events.filter(is_current=True).count() == 1


def test_nightly_rollup_runs_once_a_day_after_one_in_the_morning(team_member):
    coverage_fixture(team_member)
    today = timezone.localdate()
    night = timezone.make_aware(datetime.datetime.combine(today, datetime.time(0, 30)))
    assert periodic.tick(now=night) is None
    morning = night + datetime.timedelta(hours=1)
    assert "roll-up" in periodic.tick(now=morning)
    assert periodic.tick(now=morning + datetime.timedelta(hours=5)) is None
    yesterday = today - datetime.timedelta(days=1)
    stored = RollupValue.objects.filter(as_of=yesterday)
    assert stored.filter(unit__code="96", metric="OUTREACH_HH_OFFICIAL").get().value == 15
    assert rollup_store(as_of=yesterday) == stored.count()


def test_stored_figures_kept_on_write_match_a_full_recompute(team_member, leader):
    from congso.accounts.constants import StaffRole
    from congso.accounts.services import role_grant
    from congso.outreach.rollup import stored_table
    from congso.outreach.services import households_merge, sync_batch
    from congso.outreach.tests.factories import event_item, hamlet, make_household, visit_item

    coverage_fixture(team_member)  # the first write of the day stores the whole province
    role_grant(user=team_member, role=StaffRole.TEAM_MEMBER, unit=hamlet("32002-01"))
    far = make_household("32002-01")
    twin = make_household("32248-01", head_name="Nguyễn Văn Tám", house_number="0")
    sync_batch(user=team_member, visits=[visit_item(far)], events=[event_item(far, "SMARTPHONE")])
    sync_batch(user=team_member, events=[event_item(twin, "DVC")])
    survivor = make_household("32248-01", head_name="Nguyễn Văn Tám", house_number="0 ")
    households_merge(actor=leader, survivor=survivor, duplicate=twin)
    today = timezone.localdate()
    fresh = {
        (u, m): int(v) for u, m, v in outreach_figures(period_start=today.replace(day=1), period_end=today)
    }
    for code in ("96", "32248", "32002", "32248-01", "32248-02", "32002-01"):
        stored = stored_table(unit=hamlet(code), day=today)["total"]
        for metric in stored_table(unit=hamlet(code), day=today)["metrics"]:
            assert stored[metric] == fresh[(code, metric)], (code, metric)


def test_the_tick_takes_the_first_snapshot_of_the_day(db):
    now = timezone.localtime()
    assert "figures" in periodic.tick(now=now)
    assert RollupValue.objects.filter(as_of=now.date(), unit__code="96").exists()
