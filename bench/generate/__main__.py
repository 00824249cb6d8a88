"""Generate province-size data into a database (an EMPTY one, or one this tool filled before).

    .venv/bin/python -m bench.generate --database-url postgres://postgres@127.0.0.1:5432/congso_bench \
        --dossiers 1000000 [--households 300000] [--datavalues 0] [--json var/bench/generate.json]
    .venv/bin/python -m bench.generate --dossiers 20000          # a throw-away SQLite database

Loads the reference data (units, hamlets, the whole catalogue, offices, demo accounts), then each family:
dossiers (COPY on PostgreSQL, bulk_create on SQLite), households (outreach) and data values (indicators),
the last two skipped with "skipped: app not ready" until those apps exist. Prints the time of each step.
"""

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def log(message: str) -> None:
    print(message, flush=True)


def django_setup(database_url: str | None, var_dir: str | None = None) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("CONGSO_LOG_LEVEL", "WARNING")
    os.environ["CONGSO_VAR_DIR"] = (
        var_dir or os.environ.get("CONGSO_VAR_DIR") or tempfile.mkdtemp(prefix="congso-bench-")
    )
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def recreate(database_url: str) -> None:
    """DROP and CREATE the database named in ``database_url`` (connecting to the server's "postgres")."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    log(f"database {name} re-created")


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="PostgreSQL database to fill (default: SQLite, temp folder)")
    parser.add_argument("--var-dir", help="CONGSO_VAR_DIR (default: a temp folder)")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--no-events", action="store_true", help="dossiers without their events")
    parser.add_argument("--households", type=int, default=300_000, help="outreach households (0: none)")
    parser.add_argument("--datavalues", type=int, default=0, help="most indicator values (0: all months)")
    parser.add_argument("--no-catalogue", action="store_true", help="only the curated procedures")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument(
        "--recreate", action="store_true", help="drop and create the PostgreSQL database first"
    )
    args = parser.parse_args(argv)

    if args.recreate and args.database_url:
        recreate(args.database_url)
    django_setup(args.database_url, args.var_dir)
    from django.db import connection
    from django.utils import timezone

    from bench.generate import datavalues, dossiers, households, reference

    figures = {"vendor": connection.vendor, "started": timezone.now().isoformat(timespec="seconds")}
    started = time.perf_counter()
    log(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    log("reference data (migrate, units, hamlets, catalogue, offices, accounts) …")
    figures["reference"] = reference.setup(log=log, catalogue=not args.no_catalogue)
    log(f"reference data: {figures['reference']['reference_s']:.1f} s")
    rng = random.Random(args.seed)  # noqa: S311 - test data, not secrets
    now = datetime.datetime.now(datetime.UTC)
    if args.dossiers:
        log(f"dossiers: {args.dossiers:,} …")
        result = dossiers.generate(count=args.dossiers, rng=rng, now=now, log=log, events=not args.no_events)
        figures["dossiers"] = result
        log(
            f"dossiers: {result['dossiers']:,} ({result['late']:,} finished late) and {result['events']:,} "
            f"events over {result['offices']} offices and {result['procedures']:,} procedures in "
            f"{result['insert_s']:.1f} s ({result['dossiers'] / result['insert_s']:,.0f} dossiers/s); "
            f"with ANALYZE {result['total_s']:.1f} s"
        )
    if args.households:
        figures["households"] = households.generate(count=args.households, rng=rng, now=now, log=log)
    figures["datavalues"] = datavalues.generate(count=args.datavalues, rng=rng, now=now, log=log)
    figures["total_s"] = time.perf_counter() - started
    log(f"total: {figures['total_s']:.1f} s ({figures['total_s'] / 60:.1f} min)")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, indent=2, default=str))
    return figures


if __name__ == "__main__":
    main()
