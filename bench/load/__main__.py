"""Load scenarios through gunicorn (deploy/gunicorn.conf.py) on a database bench.generate filled.

    .venv/bin/python -m bench.load --database-url postgres://postgres@127.0.0.1:5432/congso_bench \
        [--seconds 15] [--threads 8] [--workers N] [--only lookup_api,submission] [--json var/bench/load.json]

Each scenario runs ``--threads`` closed-loop clients for ``--seconds`` and prints requests/s, p50/p95/p99 and
the ratio of its throughput to the trivial view (/healthz) measured by the same server in the same run;
the IOC dashboard and outreach sync slots print "skipped: …" until those apps are ready. Then the mixed
workload of the busiest hour (scenarios.MIX) and the capacity it leaves over the busiest hour in the data.
"""

import argparse
import json
import random
import sys
from pathlib import Path

from bench.generate.__main__ import ROOT, django_setup
from bench.load import driver, scenarios
from bench.load.server import Gunicorn

DEFAULT_VAR = ROOT / "var/bench/var"
# Scenarios with a latency target, measured again with a single client (no queueing behind other requests).
LATENCY_ALONE = ["officer_queue", "ioc_dashboard"]


def server_env(database_url: str, var_dir: str) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "CONGSO_VAR_DIR": var_dir,
        "CONGSO_LOG_LEVEL": "WARNING",
        # The benchmark measures lookups, not the anti-enumeration limit (nginx and Django keep it in prod).
        "CONGSO_LOOKUP_LIMIT": str(10**9),
        # Sessions are written straight to the store; the TOTP step is not what is measured.
        "CONGSO_STAFF_MFA_REQUIRED": "false",
    }


def busiest_hour() -> dict:
    """The busiest hour of submissions in the data, and the request rate it implies."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT date_trunc('hour', submitted_at) h, count(*) FROM dossiers_dossier "
                "GROUP BY h ORDER BY 2 DESC LIMIT 1"
            )
        else:
            cursor.execute(
                "SELECT strftime('%Y-%m-%d %H', submitted_at) h, count(*) FROM dossiers_dossier "
                "GROUP BY h ORDER BY 2 DESC LIMIT 1"
            )
        row = cursor.fetchone()
    submissions = row[1] if row else 0
    # Each submission comes with about 20 other requests at that hour (MIX: 5 % are submissions).
    share = scenarios.MIX["submission"] / sum(scenarios.MIX.values())
    return {
        "hour": str(row[0]) if row else "",
        "submissions": submissions,
        "rate": submissions / share / 3600,
    }


def line(result: driver.Result, base: float) -> str:
    return (
        f"{result.name:<34} {result.rate:8.1f} {result.rate / base if base else 0:6.2f} "
        f"{result.p(0.5):8.1f} {result.p(0.95):8.1f} {result.p(0.99):8.1f} {result.errors:6d}"
    )


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", help="the database bench.generate filled (default: SQLite in --var-dir)"
    )
    parser.add_argument("--var-dir", default=str(DEFAULT_VAR), help="CONGSO_VAR_DIR bench.generate used")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--threads", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: deploy/gunicorn.conf.py's)")
    parser.add_argument("--only", help="comma-separated scenario keys: " + ", ".join(scenarios.SCENARIOS))
    parser.add_argument("--sync-batches", type=int, default=5, help="outreach batches, one at a time")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)

    django_setup(args.database_url, args.var_dir)
    from django.core.management import call_command
    from django.db import connection

    call_command("collectstatic", verbosity=0, interactive=False)  # the manifest pages need (DEBUG off)

    env = server_env(args.database_url or "", args.var_dir)
    if not args.database_url:
        env.pop("DATABASE_URL")
    figures = {"vendor": connection.vendor, "seconds": args.seconds, "threads": args.threads, "results": []}
    import multiprocessing

    workers = args.workers or multiprocessing.cpu_count() * 2 + 1
    figures["workers"] = workers
    figures["busiest_hour"] = hour = busiest_hour()
    from congso.dossiers.models import Dossier

    figures["dossiers"] = Dossier.objects.count()
    wanted = args.only.split(",") if args.only else list(scenarios.SCENARIOS)
    with Gunicorn(env, workers=workers) as server:
        ctx = scenarios.build_context(server.port)
        connection.close()
        print(
            f"database: {connection.vendor}, {figures['dossiers']:,} dossiers; gunicorn workers: {workers}; "
            f"clients: {args.threads}; {args.seconds:g} s per scenario\n"
        )
        print(f"{'scenario':<34} {'req/s':>8} {'ratio':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} errors")
        base = 0.0
        makers = {}
        for key in ["healthz", *[k for k in wanted if k != "healthz"]]:
            label, setup = scenarios.SCENARIOS[key]
            made = setup(ctx)
            connection.close()
            if isinstance(made, str):
                print(f"{label:<34} skipped: {made}")
                figures["results"].append({"key": key, "name": label, "skipped": made})
                continue
            makers[key] = made
            if key == "outreach_sync":  # one phone at a time: the target is a batch's latency
                result = driver.run(
                    label, made, port=server.port, threads=1, seconds=600, requests=args.sync_batches
                )
            else:
                result = driver.run(label, made, port=server.port, threads=args.threads, seconds=args.seconds)
            if key == "healthz":
                base = result.rate
            print(line(result, base), flush=True)
            figures["results"].append({"key": key, "ratio": round(result.rate / base, 3), **result.as_dict()})
        # The latency targets, as at the busiest hour (a few requests at a time): one client.
        for key in LATENCY_ALONE:
            if key in makers:
                label = f"{scenarios.SCENARIOS[key][0]}, 1 client"
                result = driver.run(label, makers[key], port=server.port, threads=1, seconds=args.seconds)
                print(line(result, base), flush=True)
                entry = {"key": f"{key}_alone", "ratio": round(result.rate / base, 3), **result.as_dict()}
                figures["results"].append(entry)
        # The busiest hour's mix, on the same server.
        mix = [(k, w) for k, w in scenarios.MIX.items() if k in makers]
        if mix:
            keys, weights = zip(*mix, strict=True)
            rng = random.Random(3)  # noqa: S311 - load test data

            def mixed(i):
                return makers[rng.choices(keys, weights=weights)[0]](i)

            result = driver.run(
                "mixed (busiest hour's mix)",
                mixed,
                port=server.port,
                threads=args.threads * 2,
                seconds=args.seconds,
            )
            print(line(result, base))
            figures["results"].append(
                {"key": "mixed", "ratio": round(result.rate / base, 3), **result.as_dict()}
            )
            figures["mixed_headroom"] = result.rate / hour["rate"] if hour["rate"] else None
            print(
                f"\nbusiest hour in the data: {hour['submissions']} submissions ({hour['hour']}), about "
                f"{hour['rate']:.2f} requests/s with the mix; capacity measured: {result.rate:.1f} req/s "
                f"(× {figures['mixed_headroom'] or 0:,.0f})"
            )
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, indent=2, default=str))
    return figures


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
