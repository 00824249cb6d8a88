"""Officer's queue and dossier detail benchmark with a large number of dossiers (default 1,000,000).

    .venv/bin/python bench/office_queue.py                           # a throw-away SQLite database
    .venv/bin/python bench/office_queue.py --dossiers 200000         # fewer dossiers
    .venv/bin/python bench/office_queue.py --database-url postgres://postgres@127.0.0.1:5432/congso_bench_q
        (an EMPTY database that the benchmark may fill)
    .venv/bin/python bench/office_queue.py --gunicorn                # also through gunicorn (sequential)

Builds the data (units, the curated procedures, the demo offices and accounts, then N dossiers over the 65
offices and 3 years: mostly returned, some open, some overdue), then, signed in as the one-stop officer of
commune 32002, measures in-process (django.test.Client) each queue page (page 1, and a deep page of
"da-tra"), the detail page of a few dossiers and, as the yardstick, /healthz: p50/p95 latency, the ratio to
/healthz, and the SQL queries of one request (count, slowest). A query slower than --slow-ms is printed with
its plan and the index that would serve it.
"""

import argparse
import datetime
import http.client
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OFFICER = "motcua.anxuyen@congso.local"
COMMUNE = "32002"
QUEUES = [
    "cho-tiep-nhan", "moi-tiep-nhan", "dang-xu-ly", "cho-bo-sung",
    "sap-den-han", "qua-han", "cho-tra", "da-tra",
]  # fmt: skip
NAMES = ["Nguyễn Thị Hoa", "Trần Văn Nam", "Lê Thị Mai", "Phạm Minh Tuấn", "Huỳnh Văn Tư", "Võ Thị Lan"]
LOOKUP_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup_reference() -> None:
    from django.core.management import call_command

    from congso.accounts.demo import demo_accounts_load
    from congso.catalog.curated import CURATED_JSON, procedures_load_curated
    from congso.catalog.models import Procedure
    from congso.dossiers.demo import offices_load_demo
    from congso.geo.services import communes_load_camau, hamlets_generate_demo, units_load_national

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    units_load_national()
    communes_load_camau()
    hamlets_generate_demo(province_code="96")
    import json

    for item in json.loads(CURATED_JSON.read_text(encoding="utf-8"))["procedures"]:
        # A throw-away database: the name only has to be there.
        Procedure.objects.get_or_create(
            code=item["code"], defaults={"name": f"Thủ tục {item['code']}", "at_commune": True}
        )
    procedures_load_curated()
    offices_load_demo()
    demo_accounts_load()


def status_and_times(rng: random.Random, now: datetime.datetime, span_days: int):
    """(status, submitted_at, received_at, due_at, processing_ended_at, returned_at): a realistic mix."""
    from congso.dossiers.constants import DossierStatus as S

    r = rng.random()
    day = datetime.timedelta(days=1)
    if r < 0.90:  # finished long ago: mostly returned, a few refused, withdrawn or stopped
        submitted = now - datetime.timedelta(seconds=rng.uniform(3 * 86400, span_days * 86400))
        status = S.RETURNED if r < 0.87 else rng.choice([S.REFUSED, S.WITHDRAWN, S.STOPPED])
        if status == S.REFUSED:
            return status, submitted, None, None, None, None
        received = submitted + datetime.timedelta(minutes=rng.uniform(5, 600))
        due = received + rng.randint(2, 15) * day
        ended = received + (due - received) * rng.uniform(0.3, 1.1)
        returned = ended + datetime.timedelta(hours=rng.uniform(1, 48)) if status == S.RETURNED else None
        return status, submitted, received, due, ended if status == S.RETURNED else None, returned
    if r < 0.92:  # result ready, waiting to be collected
        submitted = now - rng.uniform(2, 30) * day
        received = submitted + datetime.timedelta(minutes=30)
        ended = now - rng.uniform(0, 2) * day
        return S.RESULT_READY, submitted, received, received + rng.randint(3, 15) * day, ended, None
    if r < 0.93:  # submitted online, waiting for acceptance
        return S.SUBMITTED, now - rng.uniform(0, 3) * day, None, None, None, None
    status = rng.choices(
        [S.RECEIVED, S.PROCESSING, S.FEES_DUE, S.SUPPLEMENT_REQUESTED], weights=[15, 40, 5, 10]
    )[0]
    submitted = now - rng.uniform(0, 40) * day
    received = submitted + datetime.timedelta(minutes=rng.uniform(5, 600))
    kind = rng.random()
    if kind < 0.25:  # overdue
        due = now - rng.uniform(0.1, 20) * day
    elif kind < 0.35:  # due within a working day
        due = now + rng.uniform(0.05, 0.9) * day
    else:
        due = now + rng.uniform(1.5, 15) * day
    return status, submitted, received, due, None, None


def generate(count: int, seed: int) -> dict:
    """Bulk-insert ``count`` dossiers; return the figures."""
    from django.db import connection, transaction

    from congso.catalog.constants import Channel
    from congso.catalog.models import ProcedureVersion
    from congso.dossiers.constants import DossierStatus, EventKind
    from congso.dossiers.models import Dossier, DossierEvent, ReceivingOffice

    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    now = datetime.datetime.now(datetime.UTC)
    local = datetime.timedelta(hours=7)  # Asia/Ho_Chi_Minh, for the day in the code
    offices = list(ReceivingOffice.objects.order_by("code"))
    versions = list(ProcedureVersion.objects.filter(number=1).select_related("procedure"))
    target = ReceivingOffice.objects.get(unit__code=COMMUNE)
    channels = [Channel.ONLINE.value, Channel.IN_PERSON.value, Channel.IN_PERSON.value, Channel.POST.value]
    numbers = defaultdict(int)
    started = time.perf_counter()
    chunk = 50_000
    done = 0
    with transaction.atomic():
        while done < count:
            rows = []
            for _ in range(min(chunk, count - done)):
                office = rng.choice(offices)
                version = rng.choice(versions)
                status, submitted, received, due, ended, returned = status_and_times(rng, now, 3 * 365)
                day = (submitted + local).date()
                numbers[office.pk, day] += 1
                rows.append(
                    Dossier(
                        code=f"{office.code}-{day:%y%m%d}-{numbers[office.pk, day]:04d}",
                        lookup_key="".join(rng.choices(LOOKUP_ALPHABET, k=6)),
                        version_id=version.pk,
                        procedure_id=version.procedure_id,
                        office_id=office.pk,
                        channel=rng.choice(channels),
                        status=status,
                        applicant_name=rng.choice(NAMES),
                        applicant_id_number=f"0961{rng.randrange(10**8):08d}",
                        applicant_phone=f"09{rng.randrange(10**8):08d}",
                        form_data={},
                        submitted_at=submitted,
                        received_at=received,
                        due_at=due,
                        processing_ended_at=ended,
                        returned_at=returned,
                    )
                )
            Dossier.objects.bulk_create(rows, batch_size=5000)
            done += len(rows)
            print(f"  … {done:,} dossiers", flush=True)
    inserted = time.perf_counter() - started
    # A few events, for the benchmarked office's dossiers only (the detail page shows them).
    events = []
    for pk, status, submitted, received, returned in Dossier.objects.filter(office=target).values_list(
        "pk", "status", "submitted_at", "received_at", "returned_at"
    ):
        first = DossierStatus.SUBMITTED
        events.append(DossierEvent(dossier_id=pk, kind=EventKind.SUBMITTED, at=submitted, status_to=first))
        if received:
            events.append(DossierEvent(dossier_id=pk, kind=EventKind.ACCEPTED, at=received, status_to=status))
        if returned:
            events.append(DossierEvent(dossier_id=pk, kind=EventKind.RETURNED, at=returned, status_to=status))
    with transaction.atomic():
        DossierEvent.objects.bulk_create(events, batch_size=5000)
    analyze_started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    finished = time.perf_counter()
    return {
        "dossiers": count,
        "events": len(events),
        "insert_s": inserted,
        "events_s": analyze_started - started - inserted,
        "analyze_s": finished - analyze_started,
        "total_s": finished - started,
    }


def explain(sql: str) -> list[str]:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        return [" ".join(str(c) for c in row) for row in cursor.fetchall()]


def advice(sql: str) -> str:
    """The index that would serve a slow query of these pages (the models are not changed here)."""
    upper = sql.upper()
    if "FILTER (WHERE" in upper or ("COUNT(" in upper and " CASE " in upper):
        return (
            "the tab counts read every dossier of the office: models.Index(fields=['office', 'status', "
            "'due_at']) lets them be counted from the index alone (PostgreSQL: add include=['id'] or count "
            "'*'); beyond that, cache the counts or keep them in a counter table"
        )
    if "ORDER BY" in upper and "DUE_AT" in upper and "OFFSET" in upper:
        return (
            "a deep page sorts the whole queue and skips the offset: "
            "models.Index(fields=['office', 'status', 'due_at', 'submitted_at']) reads it in order; "
            "keyset pagination (due_at, submitted_at > last) "
            "avoids the OFFSET"
        )
    if "ORDER BY" in upper and "DUE_AT" in upper:
        return (
            "the page sorts the queue by due date: models.Index(fields=['office', 'status', 'due_at', "
            "'submitted_at']) reads it in order"
        )
    if "COUNT(*)" in upper:
        return "the paginator's count of the queue: models.Index(fields=['office', 'status', 'due_at'])"
    return "see the plan"


def measure_inprocess(urls, repeat: int):
    """{label: (latencies in ms, captured queries of one request, status)}."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from congso.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=OFFICER))
    results = {}
    for label, url in urls:
        for _ in range(2):  # warm-up
            client.get(url)
        latencies = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            latencies.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        results[label] = (latencies, list(captured.captured_queries), response.status_code)
    return results, client.cookies["sessionid"].value


def measure_gunicorn(urls, repeat: int, env: dict, session: str, workers: int):
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT,
        env={**os.environ, **env},
    )  # fmt: skip
    results = {}
    try:
        for _ in range(200):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        headers = {"Cookie": f"sessionid={session}"}
        for label, url in urls:
            latencies, status = [], 0
            for i in range(repeat + 2):
                started = time.perf_counter()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                connection.request("GET", url, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                connection.close()
                if i >= 2:
                    latencies.append((time.perf_counter() - started) * 1000)
            results[label] = (latencies, status)
    finally:
        server.terminate()
        server.wait()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database (default: SQLite in a temp folder)"
    )
    parser.add_argument(
        "--dossiers",
        type=int,
        default=1_000_000,
        help="dossiers to generate (default 1M; 0: keep those there)",
    )
    parser.add_argument("--repeat", type=int, default=20, help="requests per page (default 20)")
    parser.add_argument("--deep-page", type=int, default=200, help="the deep page of da-tra (default 200)")
    parser.add_argument("--slow-ms", type=float, default=20, help="a query slower than this is reported")
    parser.add_argument("--gunicorn", action="store_true", help="also measure through gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    env = {
        "CONGSO_VAR_DIR": tempfile.mkdtemp(prefix="congso-bench-"),
        "CONGSO_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
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

    from congso.dossiers.models import Dossier

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"database: {connection.vendor}")
    started = time.perf_counter()
    setup_reference()
    print(f"reference data (units, procedures, offices, accounts): {time.perf_counter() - started:.0f} s")
    if args.dossiers == 0:  # measure the dossiers a previous run left in the --database-url database
        print(f"no generation: {Dossier.objects.count():,} dossiers already there")
    else:
        figures = generate(args.dossiers, args.seed)
        print(
            f"generated {figures['dossiers']:,} dossiers in {figures['insert_s']:.1f} s "
            f"({figures['dossiers'] / figures['insert_s']:,.0f} rows/s), {figures['events']:,} events in "
            f"{figures['events_s']:.1f} s, ANALYZE {figures['analyze_s']:.1f} s; "
            f"total {figures['total_s']:.1f} s"
        )
    office = Dossier.objects.filter(office__unit__code=COMMUNE)
    returned = office.filter(status="returned").count()
    print(f"office of {COMMUNE}: {office.count():,} dossiers, {returned:,} returned")

    samples = [
        office.filter(status=status).order_by("-submitted_at").values_list("code", flat=True).first()
        for status in ("returned", "processing", "submitted", "supplement", "result_ready")
    ]
    urls = [("healthz (yardstick)", "/healthz")]
    urls += [(f"queue {key} p1", f"/can-bo/ho-so/?hang-doi={key}") for key in QUEUES]
    urls.append((f"queue da-tra p{args.deep_page}", f"/can-bo/ho-so/?hang-doi=da-tra&trang={args.deep_page}"))
    urls += [(f"detail {code}", f"/can-bo/ho-so/{code}/") for code in samples if code]

    results, session = measure_inprocess(urls, args.repeat)
    base = percentile(results[urls[0][0]][0], 0.5)
    print(f"\nin-process (django.test.Client, signed in as {OFFICER}), {args.repeat} requests each:")
    head = f"{'page':<42} {'p50 ms':>9} {'p95 ms':>9} {'× healthz':>10}"
    print(f"{head} {'queries':>8} {'slowest ms':>11}  status")
    slow = []
    for label, _url in urls:
        latencies, queries, status = results[label]
        times = [float(q["time"]) * 1000 for q in queries]
        slowest = max(times, default=0)
        p50 = percentile(latencies, 0.5)
        print(
            f"{label:<42} {p50:9.2f} {percentile(latencies, 0.95):9.2f} {p50 / base:10.1f} "
            f"{len(queries):8d} {slowest:11.2f}  {status}"
        )
        slow += [(t, label, q["sql"]) for t, q in zip(times, queries, strict=True) if t >= args.slow_ms]

    if args.gunicorn:
        connection.close()
        served = measure_gunicorn(urls, args.repeat, env, session, args.workers)
        gbase = percentile(served[urls[0][0]][0], 0.5)
        print(f"\nthrough gunicorn ({args.workers} workers, one request at a time), {args.repeat} each:")
        print(f"{head}  status")
        for label, _url in urls:
            latencies, status = served[label]
            p50 = percentile(latencies, 0.5)
            print(f"{label:<42} {p50:9.2f} {percentile(latencies, 0.95):9.2f} {p50 / gbase:10.1f}  {status}")

    print(f"\nqueries slower than {args.slow_ms:g} ms (one captured request per page):")
    if not slow:
        print("  none")
    seen = set()
    for took, label, sql in sorted(slow, reverse=True):
        shape = (sql[:60], "OFFSET" in sql.upper())
        if shape in seen:
            print(f"  {took:8.1f} ms  {label}  (same query as above)")
            continue
        seen.add(shape)
        print(f"  {took:8.1f} ms  {label}\n    SQL: {sql[:400]}{' …' if len(sql) > 400 else ''}")
        for row in explain(sql):
            print(f"    plan: {row}")
        print(f"    index: {advice(sql)}")


if __name__ == "__main__":
    main()
