"""200 simultaneous submissions to one office: 200 dossiers with 200 distinct, consecutive codes, on SQLite
(without "database is locked") and on PostgreSQL. Run in a child process on a real database of its own."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

PROBE = Path(__file__).with_name("concurrency_probe.py")
COUNT = 200


def run_probe(env: dict) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CONGSO_", "DATABASE_URL", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, str(PROBE), str(COUNT)],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def check(outcome: dict) -> None:
    assert outcome["errors"] == []
    codes = outcome["codes"]
    assert len(codes) == len(set(codes)) == COUNT
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, COUNT + 1))  # consecutive: none skipped, none twice


def test_on_sqlite(tmp_path):
    outcome = run_probe({"CONGSO_VAR_DIR": str(tmp_path)})
    assert outcome["vendor"] == "sqlite"
    check(outcome)


def test_on_postgresql(tmp_path):
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        pytest.skip("runs when the suite runs on PostgreSQL (DATABASE_URL)")
    import psycopg

    name = f"congso_probe_{uuid.uuid4().hex[:8]}"
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    if db.get("PASSWORD"):
        params["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = f"{db['USER']}:{db['PASSWORD']}@" if db.get("PASSWORD") else f"{db['USER']}@"
        url = f"postgres://{auth}{params['host']}:{params['port']}/{name}"
        outcome = run_probe({"DATABASE_URL": url, "CONGSO_VAR_DIR": str(tmp_path)})
        assert outcome["vendor"] == "postgresql"
        check(outcome)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
