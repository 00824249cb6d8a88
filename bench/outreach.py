"""Community digital teams at the size of Cà Mau: 323,000 households (~65% with a platform, as reported in
2024), then a team member's sync of 1,000 visits and the coverage roll-up of the whole province.

    .venv/bin/python bench/outreach.py                         # a throw-away SQLite database
    .venv/bin/python bench/outreach.py --households 50000      # fewer households
    .venv/bin/python bench/outreach.py --database-url postgres://postgres@127.0.0.1:5432/congso_bench_outreach
        (an EMPTY database that the benchmark may fill)
    .venv/bin/python bench/outreach.py --keep-db               # the configured database (DATABASE_URL)

Households, visits and adoption events are written with executemany (the app's bulk path would take minutes
here and measures nothing of interest). Then it measures, each a few times: sync_batch of 1,000 visits and
1,000 adoption events (target < 2 s), the same batch replayed (idempotent: nothing new), the first download
page of the member's households, outreach_figures for the province, the supervisor's live coverage table of
the province, and the nightly rollup_store.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SYNC_TARGET_S = 2.0
PLATFORM_UPTAKE = {
    "VNEID": 0.8,
    "DVC": 0.45,
    "CASHLESS": 0.6,
    "EHEALTH": 0.3,
    "CITIZENAPP": 0.35,
    "ECOMMERCE": 0.03,
    "SMARTPHONE": 0.85,
    "INTERNET": 0.6,
}
HAMLET = "32248-01"


def timed(function, repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times), result


def setup() -> None:
    from django.core.management import call_command

    from congso.conftest import load_units

    call_command("migrate", verbosity=0)
    load_units()


def generate(count: int, seed: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from congso.core.text import fold
    from congso.geo.models import AdministrativeUnit
    from congso.outreach.models import HamletFigures, Platform

    rng = random.Random(seed)  # noqa: S311 - benchmark data
    hamlets = list(
        AdministrativeUnit.objects.filter(level="hamlet", parent__parent__code="96").values_list(
            "pk", flat=True
        )
    )
    platforms = dict(Platform.objects.values_list("code", "pk"))
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi"]
    given = ["Văn An", "Thị Hoa", "Minh Tuấn", "Văn Tư", "Thị Lan", "Quốc Bảo", "Ngọc Mai", "Văn Út"]
    hh_sql = (
        "INSERT INTO outreach_household (id, hamlet_id, house_number, head_name, head_key, search_key, "
        "phone, members, adults, version, change_seq, is_demo, created_at, updated_at, platforms_in_use) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 1, 0, false, %s, %s, %s)"
    )
    visit_sql = (
        "INSERT INTO outreach_visit (id, household_id, visited_at, received_at, outcome, "
        "members_present, note, is_demo) VALUES (%s, %s, %s, %s, 'met', 2, '', false)"
    )
    event_sql = (
        "INSERT INTO outreach_adoptionevent (id, household_id, visit_id, platform_id, status, persons, "
        "source, shop_platform, recorded_at, received_at, is_demo, is_current) "
        "VALUES (%s, %s, %s, %s, %s, 1, 'self_reported', '', %s, %s, false, true)"
    )
    per_hamlet: dict[int, int] = {}
    counts = {"households": 0, "visits": 0, "events": 0}
    start = time.perf_counter()

    def hex_id() -> str:
        # Django keeps UUIDs as 32 hex digits in SQLite and as the uuid type in PostgreSQL.
        value = uuid.UUID(int=rng.getrandbits(128), version=4)
        return value.hex if connection.vendor == "sqlite" else str(value)

    with transaction.atomic(), connection.cursor() as cursor:
        stamp = adapt(now)
        for offset in range(0, count, 20000):
            households, visits, events = [], [], []
            for n in range(offset, min(count, offset + 20000)):
                hamlet = hamlets[n % len(hamlets)]
                per_hamlet[hamlet] = per_hamlet.get(hamlet, 0) + 1
                name = f"{rng.choice(families)} {rng.choice(given)}"
                number = str(per_hamlet[hamlet])
                household_id = hex_id()
                in_use = 0
                if rng.random() <= 0.7:
                    at = adapt(now - datetime.timedelta(days=rng.randint(1, 300)))
                    visit_id = hex_id()
                    visits.append((visit_id, household_id, at, at))
                    for code, chance in PLATFORM_UPTAKE.items():
                        if rng.random() < chance:
                            status = "already" if rng.random() < 0.4 else "adopted"
                            events.append((hex_id(), household_id, visit_id, platforms[code], status, at, at))
                            in_use += 1
                households.append(
                    (household_id, hamlet, number, name, fold(name), fold(f"{name} {number}"),
                     f"09{rng.randint(10000000, 99999999)}", 4, 2, stamp, stamp, in_use)
                )  # fmt: skip
            cursor.executemany(hh_sql, households)
            cursor.executemany(visit_sql, visits)
            cursor.executemany(event_sql, events)
            counts["households"] += len(households)
            counts["visits"] += len(visits)
            counts["events"] += len(events)
        HamletFigures.objects.bulk_create(
            [
                HamletFigures(hamlet_id=pk, official_households=round(n * 1.02))
                for pk, n in per_hamlet.items()
            ],
            ignore_conflicts=True,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after a load: the planner needs the new sizes
    counts["seconds"] = time.perf_counter() - start
    return counts


def measure(repeat: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from congso.accounts.constants import StaffRole
    from congso.accounts.models import User
    from congso.accounts.services import role_grant
    from congso.geo.models import AdministrativeUnit
    from congso.outreach import rollup, selectors
    from congso.outreach.models import Visit
    from congso.outreach.services import sync_batch

    member, _created = User.objects.get_or_create(
        email="bench.team@example.vn", defaults={"full_name": "Bench"}
    )
    role_grant(user=member, role=StaffRole.TEAM_MEMBER, unit=AdministrativeUnit.objects.get(code=HAMLET))
    mine = list(selectors.households_live().filter(hamlet__code=HAMLET).values_list("pk", flat=True))
    print(f"member's hamlet {HAMLET}: {len(mine)} households")
    today = timezone.localdate()

    def batch():
        now = timezone.now()
        visits, events = [], []
        for n in range(1000):
            household = str(mine[n % len(mine)])
            visit = str(uuid.uuid4())
            at = now.isoformat()
            visits.append(
                {
                    "id": visit,
                    "household": household,
                    "visited_at": at,
                    "outcome": "met",
                    "members_present": 2,
                }
            )
            events.append(
                {"id": str(uuid.uuid4()), "household": household, "visit": visit, "platform": "EHEALTH",
                 "status": "adopted", "persons": 1, "recorded_at": at}
            )  # fmt: skip
        return visits, events

    rows = []

    def report(label, median, worst, extra=""):
        rows.append((label, median, worst, extra))
        print(f"  {label:<58} median {median * 1000:9.1f} ms   max {worst * 1000:9.1f} ms  {extra}")

    rollup.rollup_store(as_of=today)  # the day's first snapshot, as the periodic tick takes it
    print("measurements:")
    times = []
    for _ in range(repeat):
        visits, events = batch()
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            result = sync_batch(user=member, visits=visits, events=events)
        times.append(time.perf_counter() - start)
        if {r["status"] for r in result["visits"]} != {"created"}:
            raise SystemExit("the batch was not stored")
    median = statistics.median(times)
    extra = f"{len(queries.captured_queries)} queries · {median / SYNC_TARGET_S:.2f}× the 2 s target"
    report("sync_batch: 1,000 visits + 1,000 events (new)", median, max(times), extra)
    before = Visit.objects.count()
    start = time.perf_counter()
    again = sync_batch(user=member, visits=visits, events=events)
    replay = time.perf_counter() - start
    if {r["status"] for r in again["visits"]} != {"exists"} or Visit.objects.count() != before:
        raise SystemExit("the replay stored something")
    report("sync_batch: the same batch replayed (nothing stored)", replay, replay)
    median, worst, page = timed(lambda: selectors.households_changed_since(user=member, limit=500), repeat)
    report("first download page (500 households)", median, worst, f"{len(page.households)} rows")
    median, worst, figures = timed(
        lambda: rollup.outreach_figures(period_start=today.replace(day=1), period_end=today),
        max(1, repeat // 2),
    )
    values = {(u, m): v for u, m, v in figures}
    digital, official = values[("96", "OUTREACH_HH_DIGITAL")], values[("96", "OUTREACH_HH_OFFICIAL")]
    extra = (
        f"{len(figures)} values · province {digital:,.0f}/{official:,.0f} = {100 * digital / official:.1f}%"
    )
    report("outreach_figures: every hamlet, commune and the province", median, worst, extra)
    province = AdministrativeUnit.objects.get(code="96")
    median, worst, _table = timed(lambda: rollup.stored_table(unit=province, day=today), repeat)
    report("stored_table: the province by commune (supervisor page)", median, worst)
    hamlet = AdministrativeUnit.objects.get(code=HAMLET)
    median, worst, _none = timed(lambda: rollup.rollup_refresh(hamlet_ids=[hamlet.pk]), repeat)
    report("rollup_refresh: one hamlet, its commune and the province", median, worst)
    median, worst, stored = timed(lambda: rollup.rollup_store(as_of=today), 1)
    report("rollup_store: the nightly stored roll-up", median, worst, f"{stored} rows")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database (default: SQLite in a temp folder)"
    )
    parser.add_argument("--keep-db", action="store_true", help="use the configured database as it is")
    parser.add_argument(
        "--households", type=int, default=323_000, help="households to generate (default 323,000)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --database-url or --keep-db: measure the households already there",
    )
    args = parser.parse_args()
    env = {"CONGSO_LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "config.settings"}
    if not args.keep_db:
        env["CONGSO_VAR_DIR"] = tempfile.mkdtemp(prefix="congso-bench-outreach-")
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        else:
            os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    print(f"database: {connection.vendor}")
    from congso.outreach.models import Household

    if args.reuse and Household.objects.exists():
        print(f"reusing {Household.objects.count():,} households")
        measure(args.repeat)
        return
    start = time.perf_counter()
    setup()
    print(f"units loaded in {time.perf_counter() - start:.1f} s")
    counts = generate(args.households, args.seed)
    rate = (counts["households"] + counts["visits"] + counts["events"]) / counts["seconds"]
    print(
        f"generated {counts['households']:,} households, {counts['visits']:,} visits, "
        f"{counts['events']:,} events in {counts['seconds']:.1f} s ({rate:,.0f} rows/s)"
    )
    measure(args.repeat)


if __name__ == "__main__":
    main()
