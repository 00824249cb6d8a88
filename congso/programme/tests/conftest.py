import datetime

import pytest

from congso.conftest import unit
from congso.programme.constants import FundingSource, Pillar
from congso.programme.models import Plan, Project, ProjectYear, Task

YEAR = 2026
TODAY = datetime.date(2026, 7, 1)


def make_task(
    plan, code, *, due=(3, 31), pillar=Pillar.GOVERNMENT, lead_unit=None, agency="Sở KH&CN", **extra
):
    return Task.objects.create(
        plan=plan, code=code, name=f"Nhiệm vụ {code}", pillar=pillar, lead_unit=lead_unit,
        lead_agency_name="" if lead_unit else agency, due_date=datetime.date(YEAR, *due), **extra,
    )  # fmt: skip


@pytest.fixture
def plan(db):
    return Plan.objects.create(
        name="Kế hoạch CĐS 2026", year=YEAR, decision_number="01/KH-UBND", unit=unit("96")
    )


@pytest.fixture
def project(plan):
    project = Project.objects.create(
        plan=plan, code="DA-1", name="Trung tâm dữ liệu", owner_unit=unit("96"),
        funding_source=FundingSource.PROVINCIAL, approved_total=100_000, start_year=2025, end_year=2027,
    )  # fmt: skip
    ProjectYear.objects.create(
        project=project, year=2025, allocated=30_000, committed=30_000, disbursed=30_000
    )
    ProjectYear.objects.create(
        project=project, year=YEAR, allocated=40_000, committed=20_000, disbursed=10_000
    )
    return project
