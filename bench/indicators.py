"""Operations-centre benchmark: N data values (default 5,000,000), the roll-up refresh, the dashboards.

    .venv/bin/python bench/indicators.py                      # a throw-away SQLite database, 5M values
    .venv/bin/python bench/indicators.py --values 200000      # fewer values
    .venv/bin/python bench/indicators.py --database-url postgres://postgres@127.0.0.1:5432/congso_bench_ioc
        (an EMPTY database that the benchmark may fill)

Builds the units (province, 64 communes, demo hamlets), the starter indicators and a leader of the province,
then bulk-inserts N monthly values at hamlet level over 40 elements (the starter's monthly elements and
benchmark ones) and as many months back as needed. Measures: the insert rate, a full roll-up refresh, an
incremental refresh (one element, one year, as an import leaves it), and each dashboard page in-process
(django.test.Client, signed in as the leader): p50/p95 with the cache cleared before each request (cold) and
with the cache kept (warm), and the SQL queries of one request.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LEADER = "lanhdao.bench@congso.local"
ELEMENTS = 40


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def setup_reference() -> None:
    from django.core.management import call_command

    from congso.accounts.constants import StaffRole
    from congso.accounts.models import User
    from congso.accounts.services import role_grant
    from congso.geo.models import AdministrativeUnit
    from congso.geo.services import communes_load_camau, hamlets_generate_demo, units_load_national
    from congso.indicators.metadata import starter_load

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    if not AdministrativeUnit.objects.filter(code="96").exists():
        units_load_national()
        communes_load_camau()
        hamlets_generate_demo(province_code="96")
    starter_load()
    if not User.objects.filter(email=LEADER).exists():
        user = User.objects.create_user(LEADER, "bench-password-2026", full_name="Lãnh đạo tỉnh")
        role_grant(user=user, role=StaffRole.UNIT_LEADER, unit=AdministrativeUnit.objects.get(code="96"))


def elements() -> list:
    from congso.indicators.metadata import domain_upsert, element_upsert, form_upsert
    from congso.indicators.models import DataElement

    monthly = list(
        DataElement.objects.filter(form__period_type="monthly").exclude(aggregation_type="average")
    )
    if len(monthly) < ELEMENTS:
        domain_upsert(code="BENCH", name="Benchmark")
        form_upsert(
            code="F_BENCH", name="Benchmark", domain="BENCH", period_type="monthly", unit_level="hamlet"
        )
        aggregations = ["sum", "last", "max", "min", "count"]
        for i in range(ELEMENTS - len(monthly)):
            monthly.append(
                element_upsert(code=f"BENCH_{i:02d}", name=f"Bench {i}", form="F_BENCH",
                               aggregation_type=aggregations[i % len(aggregations)])
            )  # fmt: skip
    return monthly[:ELEMENTS]


def generate(count: int, seed: int) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from congso.geo.models import AdministrativeUnit
    from congso.indicators import periods
    from congso.indicators.models import DataValue
    from congso.indicators.rollup import insert_rows

    rng = random.Random(seed)  # noqa: S311 - test data
    chosen = elements()
    hamlets = list(AdministrativeUnit.objects.current().filter(level="hamlet", parent__parent__code="96")
                   .values_list("pk", flat=True))  # fmt: skip
    per_month = len(chosen) * len(hamlets)
    months_needed = -(-count // per_month)
    last = periods.previous(periods.containing(timezone.localdate(), "monthly"))
    months = periods.series(last, months_needed)
    now = timezone.now()
    columns = ["element_id", "unit_id", "period", "period_start", "period_end", "option", "value", "source",
               "stored_by", "comment", "created_at", "updated_at"]  # fmt: skip

    def rows():
        made = 0
        for month in months:
            for element in chosen:
                for hamlet in hamlets:
                    if made >= count:
                        return
                    made += 1
                    value = float(rng.randint(0, 500))
                    yield (element.pk, hamlet, month.key, month.start, month.end, "", value,
                           "bench", "bench", "", now, now)  # fmt: skip

    started = time.perf_counter()
    with transaction.atomic():
        DataValue.objects.filter(source="bench").delete()
        inserted = insert_rows(DataValue, columns, rows())
    return {
        "values": inserted, "insert_s": time.perf_counter() - started, "elements": len(chosen),
        "hamlets": len(hamlets), "months": len(months), "first": months[0].key, "last": months[-1].key,
    }  # fmt: skip


def measure(urls, repeat: int) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from congso.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=LEADER))
    results = {}
    for label, url in urls:
        client.get(url)
        cold, warm = [], []
        for _ in range(repeat):
            cache.clear()
            started = time.perf_counter()
            client.get(url)
            cold.append((time.perf_counter() - started) * 1000)
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            warm.append((time.perf_counter() - started) * 1000)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        results[label] = (cold, warm, captured.captured_queries, response.status_code)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database (default: SQLite in a temp folder)"
    )
    parser.add_argument("--values", type=int, default=5_000_000, help="data values to generate (default 5M)")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page (default 20)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    env = {
        "CONGSO_VAR_DIR": tempfile.mkdtemp(prefix="congso-bench-ioc-"),
        "CONGSO_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CONGSO_STAFF_MFA_REQUIRED": "0",  # the leader signs in with force_login: no second factor here
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from congso.indicators.models import DataElement, RollupValue
    from congso.indicators.rollup import rollup_refresh

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"database: {connection.vendor}")
    started = time.perf_counter()
    setup_reference()
    print(f"reference data (units, starter indicators, leader): {time.perf_counter() - started:.0f} s")
    figures = generate(args.values, args.seed)
    print(
        f"inserted {figures['values']:,} values ({figures['elements']} elements × {figures['hamlets']} "
        f"hamlets × {figures['months']} months, {figures['first']}–{figures['last']}) "
        f"in {figures['insert_s']:.1f} s "
        f"({figures['values'] / figures['insert_s']:,.0f} rows/s)"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    started = time.perf_counter()
    rows = rollup_refresh()
    full = time.perf_counter() - started
    print(
        f"full roll-up refresh: {rows:,} roll-up rows in {full:.1f} s "
        f"({figures['values'] / full:,.0f} values/s)"
    )
    element = DataElement.objects.get(code="DOSSIER_RECEIVED")
    year = int(figures["last"][:4])
    started = time.perf_counter()
    rollup_refresh(touched={element.pk: {year}})
    incremental = time.perf_counter() - started
    print(
        f"incremental refresh (1 element, {year}): {incremental:.2f} s "
        f"({incremental / full:.3f} of a full one)"
    )
    print(f"roll-up table: {RollupValue.objects.count():,} rows")

    urls = [
        ("overview (province)", "/ioc/"),
        ("indicator ON_TIME_RATE (province + map)", "/ioc/chi-so/ON_TIME_RATE/"),
        ("indicator DIGITAL_HH_COVERAGE (commune)", "/ioc/chi-so/DIGITAL_HH_COVERAGE/?don-vi=32248"),
        ("indicator data JSON", "/ioc/chi-so/ON_TIME_RATE/du-lieu.json"),
        ("766 table", "/ioc/chi-so-766/"),
        ("completeness", "/ioc/bao-cao/?loai=monthly"),
        ("alerts", "/ioc/canh-bao/"),
    ]
    results = measure(urls, args.repeat)
    print(f"\nin-process (django.test.Client, signed in as {LEADER}), {args.repeat} requests each:")
    print(
        f"{'page':<44} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} {'warm p95':>9} {'queries':>8}  status"
    )
    for label, _url in urls:
        cold, warm, queries, status = results[label]
        print(
            f"{label:<44} {percentile(cold, 0.5):9.1f} {percentile(cold, 0.95):9.1f} "
            f"{percentile(warm, 0.5):9.1f} {percentile(warm, 0.95):9.1f} {len(queries):8d}  {status}"
        )
    print("(milliseconds; cold = cache cleared before each request)")


if __name__ == "__main__":
    main()
