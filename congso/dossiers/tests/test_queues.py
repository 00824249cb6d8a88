"""Officers' queues: scoped to their units, counted, filtered, paginated in a constant number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from congso.dossiers.constants import DossierStatus
from congso.dossiers.models import Dossier
from congso.dossiers.queues import office_queue
from congso.dossiers.tests.factories import make_office, make_version, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossiers():
    """Three online dossiers at An Xuyên (the official's commune), one at the counter, one at Đất Mũi."""
    version = make_version()
    own, other = make_office("32002", "000.00.26.H12"), make_office("32248", "000.00.64.H12")
    mine = [submit(version, own, channel=2) for _ in range(3)] + [submit(version, own, channel=1)]
    theirs = submit(version, other, channel=2)
    return mine, theirs


def test_official_sees_only_dossiers_of_their_commune(client, official, dossiers):
    mine, theirs = dossiers
    _, waiting, tabs = office_queue(user=official, queue="cho-tiep-nhan")
    assert set(waiting.values_list("code", flat=True)) == {d.code for d in mine[:3]}
    counts = {key: count for key, _, count in tabs}
    assert counts["cho-tiep-nhan"] == 3
    assert counts["moi-tiep-nhan"] == 1
    client.force_login(official)
    body = client.get(reverse("dossiers:queue")).content.decode()
    assert mine[0].code in body
    assert theirs.code not in body
    assert client.get(reverse("dossiers:office_detail", args=[theirs.code])).status_code == 404
    assert client.get(reverse("dossiers:counter_receipt", args=[theirs.code])).status_code == 404
    assert client.get(reverse("dossiers:office_detail", args=[mine[0].code])).status_code == 200


def test_province_leader_sees_every_commune(dossiers, leader):
    _, waiting, _ = office_queue(user=leader, queue="cho-tiep-nhan")
    assert waiting.count() == 4


def test_overdue_and_due_soon(official, dossiers):
    mine, _ = dossiers
    Dossier.objects.filter(pk=mine[3].pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    Dossier.objects.filter(pk=mine[0].pk).update(due_at=timezone.now() + datetime.timedelta(minutes=30))
    _, overdue, tabs = office_queue(user=official, queue="qua-han")
    assert list(overdue.values_list("pk", flat=True)) == [mine[3].pk]
    assert {k: c for k, _, c in tabs}["sap-den-han"] == 1
    Dossier.objects.filter(pk=mine[3].pk).update(status=DossierStatus.RETURNED)
    assert not office_queue(user=official, queue="qua-han")[1].exists()  # returned: not overdue any more


def test_filters(official, dossiers):
    from congso.dossiers.queues import QueueFilters

    _, found, _ = office_queue(user=official, queue="moi-tiep-nhan", filters=QueueFilters(channel=1))
    assert found.count() == 1
    _, found, _ = office_queue(
        user=official, queue="cho-tiep-nhan", filters=QueueFilters(procedure="9.999999")
    )
    assert found.count() == 0


def test_queue_page_makes_a_constant_number_of_queries(
    client, official, dossiers, django_assert_max_num_queries
):
    client.force_login(official)
    client.get(reverse("dossiers:queue"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("dossiers:queue"))
    version = Dossier.objects.first().version
    office = Dossier.objects.filter(office__unit__code="32002").first().office
    for _ in range(20):
        submit(version, office, channel=2)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("dossiers:queue"))
    assert len(response.context["page"].object_list) == 23


def test_citizens_have_no_queue(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("dossiers:queue")).status_code == 403


def test_tab_counts_are_cached_briefly_per_set_of_offices(official, dossiers, settings):
    from congso.dossiers.queues import QueueFilters

    def counts(**filters):
        tabs = office_queue(user=official, queue="cho-tiep-nhan", filters=QueueFilters(**filters))[2]
        return {key: count for key, _, count in tabs}

    settings.CONGSO_QUEUE_COUNTS_TTL = 30
    mine, _ = dossiers
    assert counts()["cho-tiep-nhan"] == 3
    Dossier.objects.filter(pk=mine[0].pk).update(status=DossierStatus.RECEIVED)
    assert counts()["cho-tiep-nhan"] == 3  # the badge may lag for a few seconds
    assert counts(channel=2)["cho-tiep-nhan"] == 2  # other filters: other counts
    _, waiting, _ = office_queue(user=official, queue="cho-tiep-nhan")
    assert waiting.count() == 2  # the list itself is never cached
    settings.CONGSO_QUEUE_COUNTS_TTL = 0
    assert counts()["cho-tiep-nhan"] == 2


def test_on_time_figures_per_unit_and_officer(client, official, dossiers, django_assert_max_num_queries):
    mine, theirs = dossiers
    now = timezone.now()
    late, on_time, early = mine[0], mine[1], mine[2]
    Dossier.objects.filter(pk=late.pk).update(
        due_at=now - datetime.timedelta(days=1), processing_ended_at=now, assigned_to=official
    )
    Dossier.objects.filter(pk=on_time.pk).update(due_at=now, processing_ended_at=now, assigned_to=official)
    Dossier.objects.filter(pk=early.pk).update(
        due_at=now + datetime.timedelta(days=3), processing_ended_at=now
    )
    Dossier.objects.filter(pk=theirs.pk).update(due_at=now, processing_ended_at=now)  # another commune
    client.force_login(official)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("dossiers:on_time"))
    units, officers = page.context["units"], page.context["officers"]
    assert [(u.finished, u.on_time, u.early, u.late, u.rate) for u in units] == [(3, 2, 1, 1, 66)]
    assert {o.name: (o.finished, o.on_time) for o in officers} == {"": (1, 1), "Trần Thị B": (2, 1)}
    csv = client.get(reverse("dossiers:on_time"), {"dinh-dang": "csv"}).content.decode("utf-8-sig")
    assert "Phường An Xuyên,3,2,1,1,66" in csv
    assert "(chưa phân công)" in csv
    assert client.get(reverse("dossiers:on_time"), {"thang": "2020-01"}).context["units"] == []
    assert client.get(reverse("dossiers:on_time"), {"thang": "x-y"}).status_code == 200


def test_on_time_figures_are_for_officials(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("dossiers:on_time")).status_code in (302, 403)
