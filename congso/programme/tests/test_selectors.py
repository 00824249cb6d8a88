import datetime

from congso.conftest import unit
from congso.programme.constants import Pillar, TaskStatus
from congso.programme.models import Plan, Project, ProjectYear
from congso.programme.selectors import programme_summary, programme_units, tasks_of_official
from congso.programme.tests.conftest import TODAY, YEAR, make_task


def build(plan):
    # 20 tasks due by 1 July, 18 of them done (the province's "18/20 = 90%"), and 3 due later.
    for n in range(20):
        status = TaskStatus.DONE if n < 18 else TaskStatus.IN_PROGRESS
        make_task(plan, f"G{n:02d}", due=(6, 30), status=status, percent_done=100 if n < 18 else 50)
    make_task(plan, "L1", due=(12, 31), pillar=Pillar.ECONOMY)
    make_task(plan, "L2", due=(12, 31), pillar=Pillar.ECONOMY, status=TaskStatus.DONE, percent_done=100)
    make_task(plan, "L3", due=(9, 30), pillar=Pillar.SOCIETY, lead_unit=unit("32002"))


def test_summary_tasks_done_against_planned(plan, project):
    build(plan)
    s = programme_summary(year=YEAR, today=TODAY)
    assert s["tasks"] == {"total": 23, "due": 20, "done": 19, "done_of_due": 18, "overdue": 2, "rate": 90.0}
    by = {row["pillar"]: row for row in s["by_pillar"]}
    assert by[Pillar.GOVERNMENT]["rate"] == 90.0 and by[Pillar.ECONOMY]["due"] == 0
    assert by[Pillar.ECONOMY]["rate"] is None


def test_summary_money_of_the_year(plan, project):
    s = programme_summary(year=YEAR, today=TODAY)
    m = s["money"]
    assert (m["allocated"], m["committed"], m["disbursed"], m["rate"]) == (40_000, 20_000, 10_000, 25.0)
    assert m["projects"] == 1 and m["approved_total"] == 100_000
    assert programme_summary(year=2025, today=TODAY)["money"]["rate"] == 100.0


def test_a_past_year_counts_every_task_as_due(plan):
    make_task(plan, "A", due=(12, 31))
    assert programme_summary(year=YEAR, today=datetime.date(2027, 3, 1))["tasks"]["due"] == 1


def test_summary_scoped_to_units(plan, project, leader):
    build(plan)
    commune = Plan.objects.create(name="Kế hoạch xã", year=YEAR, unit=unit("32248"))
    make_task(commune, "X1", due=(3, 1), status=TaskStatus.DONE)
    other = Project.objects.create(
        code="DA-X", name="Wifi xã", owner_unit=unit("32248"), funding_source="commune", approved_total=500,
        start_year=YEAR, end_year=YEAR,
    )  # fmt: skip
    ProjectYear.objects.create(project=other, year=YEAR, allocated=500, disbursed=100)
    everything = programme_summary(year=YEAR, today=TODAY)
    an_xuyen = programme_summary(year=YEAR, units=[unit("32002")], today=TODAY)
    dat_mui = programme_summary(year=YEAR, units=[unit("32248")], today=TODAY)
    assert everything["tasks"]["total"] == 24 and everything["money"]["allocated"] == 40_500
    assert an_xuyen["tasks"]["total"] == 1 and an_xuyen["money"]["allocated"] == 0  # the task it leads
    assert dat_mui["tasks"]["total"] == 1 and dat_mui["money"]["allocated"] == 500
    assert (
        programme_summary(year=YEAR, units=programme_units(user=leader), today=TODAY)["tasks"]["total"] == 24
    )


def test_task_filters(plan, leader):
    build(plan)
    assert tasks_of_official(user=leader, overdue=True, today=TODAY).count() == 2
    assert tasks_of_official(user=leader, status=TaskStatus.DONE).count() == 19
    assert tasks_of_official(user=leader, agency="An Xuyên").get().code == "L3"
