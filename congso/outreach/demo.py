"""Demo data for outreach, loaded by `manage.py demo_load`. Safe to run again.

Synthetic households (20–40 per demo hamlet of the province), the hamlets' teams and official household
counts, visits over the last eight weeks and their adoption events, and weekly roll-ups so the coverage chart
has a history. Everything is marked as demo and drawn from seeded generators, so it is the same each time.
"""

import datetime
import random
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congso.accounts.models import User
from congso.geo.constants import UnitLevel
from congso.geo.models import AdministrativeUnit
from congso.outreach.constants import PLATFORMS, USING, AdoptionStatus, MemberRole, VisitOutcome
from congso.outreach.models import (
    AdoptionEvent,
    HamletFigures,
    Household,
    HouseholdConflict,
    Platform,
    Team,
    TeamMember,
    Visit,
)
from congso.outreach.rollup import rollup_store
from congso.outreach.services import platforms_load

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lâm",
    "Tô",
]
MIDDLE_MEN = ["Văn", "Minh", "Quốc", "Thanh", "Hoàng", "Hữu", "Công", "Chí"]
MIDDLE_WOMEN = ["Thị", "Ngọc", "Kim", "Thanh", "Mỹ", "Thu", "Bích"]
GIVEN_MEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hùng",
    "Tuấn",
    "Phúc",
    "Sơn",
    "Tâm",
    "Út",
    "Tư",
    "Năm",
    "Sáu",
    "Bảy",
    "Tám",
    "Hải",
    "Lợi",
    "Nghĩa",
    "Trung",
    "Khánh",
]
GIVEN_WOMEN = [
    "Lan",
    "Mai",
    "Hoa",
    "Thảo",
    "Hạnh",
    "Hương",
    "Nga",
    "Loan",
    "Diệu",
    "Trinh",
    "Yến",
    "Phượng",
    "Thúy",
    "Nhung",
    "Hằng",
]
POSITIONS = [
    "Trưởng ấp",
    "Bí thư Chi đoàn",
    "Công an viên",
    "Nhân viên bưu điện",
    "Chi hội trưởng Phụ nữ",
    "Giáo viên",
]
TEAM_MEMBER_EMAIL = "tocns.datmui@congso.local"
WEEKS = 8
# How likely a household already uses a platform once visited (per platform code).
UPTAKE = {
    "VNEID": 0.8,
    "DVC": 0.45,
    "CASHLESS": 0.6,
    "EHEALTH": 0.3,
    "CITIZENAPP": 0.35,
    "ECOMMERCE": 0.06,
    "SMARTPHONE": 0.85,
    "INTERNET": 0.6,
}


def _name(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_MEN)} {rng.choice(GIVEN_MEN)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_WOMEN)} {rng.choice(GIVEN_WOMEN)}"


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


HAMLETS_PER_COMMUNE = 2  # keeps demo_load to a few seconds; the other hamlets stay empty


def demo_hamlets() -> list[AdministrativeUnit]:
    """The first hamlets of each commune of the province (codes <commune>-01 and -02)."""
    suffixes = [f"-{n:02d}" for n in range(1, HAMLETS_PER_COMMUNE + 1)]
    hamlets = AdministrativeUnit.objects.current().filter(
        level=UnitLevel.HAMLET, is_demo=True, parent__parent__code=settings.CONGSO_PROVINCE_CODE
    )
    return [h for h in hamlets.order_by("code") if h.code[-3:] in suffixes]


@transaction.atomic
def load_demo() -> str:
    """Create the demo rows that are missing; return a one-line summary for the console."""
    platforms_load()
    if Household.objects.filter(is_demo=True).exists():
        return "demo households already loaded"
    hamlets = demo_hamlets()
    if not hamlets:
        return "no demo hamlets: nothing to do"
    platforms = {p.code: p for p in Platform.objects.filter(code__in=[row[0] for row in PLATFORMS])}
    member = User.objects.filter(email=TEAM_MEMBER_EMAIL).first()
    now = timezone.now()
    today = timezone.localdate()
    households, visits, events, teams, figures = [], [], [], [], []
    for hamlet in hamlets:
        rng = random.Random(f"outreach-{hamlet.code}")  # noqa: S311 - demo data, not security
        teams.append(
            Team(
                hamlet=hamlet,
                name=f"Tổ công nghệ số cộng đồng {hamlet.full_name}",
                decision_number=f"{rng.randint(100, 999)}/QĐ-UBND",
                decision_date=datetime.date(2023, rng.randint(1, 12), rng.randint(1, 28)),
                is_demo=True,
            )
        )
        count = rng.randint(20, 40)
        figures.append(
            HamletFigures(hamlet=hamlet, official_households=count + rng.randint(0, 6), is_demo=True)
        )
        for number in range(1, count + 1):
            members = rng.randint(1, 7)
            household = Household(
                id=_uuid(rng),
                hamlet=hamlet,
                house_number=str(number * rng.randint(1, 3) + rng.randint(0, 2)),
                head_name=_name(rng),
                phone=f"09{rng.randint(10000000, 99999999)}" if rng.random() < 0.75 else "",
                members=members,
                adults=max(1, members - rng.randint(0, 3)),
                is_demo=True,
            )
            household.set_keys()
            households.append(household)
            if rng.random() > 0.6:
                continue  # not visited yet
            visited_at = now - datetime.timedelta(days=rng.randint(1, WEEKS * 7), hours=rng.randint(0, 9))
            outcome = rng.choices(list(VisitOutcome), weights=[80, 12, 4, 4])[0]
            visit = Visit(
                id=_uuid(rng),
                household=household,
                visited_by=member if hamlet.code == "32248-01" else None,
                visited_at=visited_at,
                outcome=outcome,
                members_present=rng.randint(1, household.members) if outcome == VisitOutcome.MET else 0,
                is_demo=True,
            )
            visits.append(visit)
            if outcome != VisitOutcome.MET:
                continue
            for code, chance in UPTAKE.items():
                roll = rng.random()
                if roll < chance * 0.4:
                    status = AdoptionStatus.ALREADY
                elif roll < chance:
                    status = AdoptionStatus.ADOPTED
                elif roll < chance + 0.1:
                    status = AdoptionStatus.FOLLOW_UP
                elif roll < chance + 0.15:
                    status = AdoptionStatus.DECLINED
                else:
                    continue
                platform = platforms[code]
                if status in USING:
                    household.platforms_in_use += 1
                events.append(
                    AdoptionEvent(
                        id=_uuid(rng),
                        household=household,
                        visit=visit,
                        platform=platform,
                        status=status,
                        persons=rng.randint(1, household.adults) if platform.level == "person" else 0,
                        shop_platform=rng.choice(["Shopee", "Lazada", "TikTok Shop", "Sàn Cà Mau"])
                        if platform.has_shop_details and status != AdoptionStatus.FOLLOW_UP
                        else "",
                        product_count=rng.randint(1, 12) if platform.has_shop_details else None,
                        recorded_at=visited_at,
                        recorded_by=visit.visited_by,
                        is_demo=True,
                        is_current=True,  # one event per household and platform
                    )
                )
    Team.objects.bulk_create(teams, batch_size=500)
    HamletFigures.objects.bulk_create(figures, batch_size=500, ignore_conflicts=True)
    Household.objects.bulk_create(households, batch_size=1000)
    Visit.objects.bulk_create(visits, batch_size=1000)
    AdoptionEvent.objects.bulk_create(events, batch_size=1000)
    _load_team_members(teams, member)
    _load_cases_to_resolve(hamlets[0] if hamlets[0].code == "32248-01" else None, member)
    for weeks_ago in range(WEEKS, 0, -2):  # the history of communes and the province, for the chart
        rollup_store(
            as_of=today - datetime.timedelta(weeks=weeks_ago), levels=[UnitLevel.PROVINCE, UnitLevel.COMMUNE]
        )
    rollup_store(as_of=today)
    return (
        f"{len(households)} demo households in {len(hamlets)} hamlets, {len(visits)} visits, "
        f"{len(events)} adoption events"
    )


def _load_team_members(teams: list[Team], member: User | None) -> None:
    rows = []
    for team in Team.objects.filter(is_demo=True).select_related("hamlet"):
        rng = random.Random(f"team-{team.hamlet.code}")  # noqa: S311 - demo data
        size = rng.randint(5, 7)
        for index in range(size):
            rows.append(
                TeamMember(
                    team=team,
                    full_name=_name(rng),
                    role=MemberRole.LEADER
                    if index == 0
                    else MemberRole.DEPUTY
                    if index == 1
                    else MemberRole.MEMBER,
                    position=POSITIONS[index % len(POSITIONS)],
                    trained=rng.random() < 0.8,
                )
            )
        if member is not None and team.hamlet.code == "32248-01":
            rows.append(
                TeamMember(
                    team=team,
                    user=member,
                    full_name=member.full_name,
                    role=MemberRole.MEMBER,
                    position="Đoàn viên",
                    trained=True,
                )
            )
    TeamMember.objects.bulk_create(rows, batch_size=1000)


def _load_cases_to_resolve(hamlet: AdministrativeUnit | None, member: User | None) -> None:
    """A duplicate pair and a conflict in the demo team member's hamlet, for the supervisors' pages."""
    if hamlet is None:
        return
    first = Household(
        id=uuid.UUID("6f1c2a4e-0000-4000-8000-000000000001"),
        hamlet=hamlet,
        house_number="88",
        head_name="Trương Văn Phát",
        phone="0918000111",
        members=4,
        adults=2,
        is_demo=True,
    )
    twin = Household(
        id=uuid.UUID("6f1c2a4e-0000-4000-8000-000000000002"),
        hamlet=hamlet,
        house_number="88",
        head_name="Truong Van Phat",
        members=4,
        adults=2,
        is_demo=True,
    )
    for household in (first, twin):
        household.save()
    HouseholdConflict.objects.create(
        household=first,
        submitted_by=member,
        base_version=0,
        server_version=1,
        data={
            "house_number": "88A",
            "head_name": "Trương Văn Phát",
            "phone": "0918000111",
            "members": 5,
            "adults": 3,
            "hamlet": hamlet.code,
        },
    )
