"""The settings file: safe defaults, production checks, and SQLite that does not lock up under two writers."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections, transaction

ROOT = Path(settings.BASE_DIR)


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CONGSO_", "DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_defaults_are_safe_and_local(tmp_path):
    result = run_python(
        "import config.settings as s; d = s.DATABASES['default'];"
        "print(s.DEBUG, s.TIME_ZONE, s.LANGUAGE_CODE, ','.join(c for c, _ in s.LANGUAGES),"
        " d['ENGINE'], d['NAME'])",
        {"CONGSO_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "Asia/Ho_Chi_Minh",
        "vi",
        "vi,en",
        "django.db.backends.sqlite3",
        str(tmp_path / "congso.sqlite3"),
    ]


def test_secret_key_is_generated_once_into_var(tmp_path):
    code = "import config.settings as s; print(s.SECRET_KEY)"
    first = run_python(code, {"CONGSO_VAR_DIR": str(tmp_path)})
    second = run_python(code, {"CONGSO_VAR_DIR": str(tmp_path)})
    key = (tmp_path / "secret_key").read_text().strip()
    assert first.stdout.strip() == second.stdout.strip() == key
    assert len(key) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    given = run_python(code, {"CONGSO_VAR_DIR": str(tmp_path), "CONGSO_SECRET_KEY": "x" * 60})
    assert given.stdout.strip() == "x" * 60


def test_database_url_selects_postgresql(tmp_path):
    result = run_python(
        "import config.settings as s; d = s.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'])",
        {"CONGSO_VAR_DIR": str(tmp_path), "DATABASE_URL": "postgres://congso@db.example:5432/congso"},
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "congso", "db.example"]


def test_check_deploy_passes_with_production_variables(tmp_path):
    env = {
        "CONGSO_VAR_DIR": str(tmp_path),
        "CONGSO_SECRET_KEY": "k" * 20 + "Zq8#x!vB2@pL9$wR4%tY7^uI1&oP3*aS6(dF0)gH5",
        "CONGSO_ALLOWED_HOSTS": "dichvucong.camau.gov.vn",
        "CONGSO_HTTPS": "1",
        # A real SMS gateway is configured in production (the development one only writes files).
        "CONGSO_SMS_BACKEND": "congso.notifications.tests.fakes.RefusingGateway",
        "CONGSO_CACHE_URL": "redis://127.0.0.1:6379/1",  # rate limits shared by every web process
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = run_python(
        "import sys; from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        env,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_without_them(tmp_path):
    result = run_python(
        "from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        {"CONGSO_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    assert result.returncode != 0
    assert "security.W" in result.stdout + result.stderr


@pytest.fixture
def sqlite_file_alias(tmp_path, django_db_blocker):
    """A second SQLite database on disk with the production OPTIONS (the test database lives in memory)."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    alias = "concurrency"
    connections.settings[alias] = {**connections.settings["default"], "NAME": str(tmp_path / "c.sqlite3")}
    connections.settings[alias]["OPTIONS"] = settings.SQLITE_OPTIONS
    with django_db_blocker.unblock():
        yield alias
        connections[alias].close()
    del connections[alias]
    del connections.settings[alias]


def test_sqlite_runs_in_wal_mode(sqlite_file_alias):
    with connections[sqlite_file_alias].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000


def test_two_writers_never_hit_database_is_locked(sqlite_file_alias):
    """Read-then-write in two threads: with deferred transactions SQLite fails one of them at once
    ("database is locked"); with IMMEDIATE they queue and every number is issued exactly once."""
    alias = sqlite_file_alias
    with connections[alias].cursor() as cursor:
        cursor.execute("CREATE TABLE seq (n INTEGER PRIMARY KEY)")
    errors: list[Exception] = []

    def writer():
        try:
            for _ in range(40):
                with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                    cursor.execute("SELECT COALESCE(MAX(n), 0) FROM seq")
                    (last,) = cursor.fetchone()
                    time.sleep(0.001)
                    cursor.execute("INSERT INTO seq (n) VALUES (%s)", [last + 1])
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT COUNT(*), MAX(n) FROM seq")
        assert cursor.fetchone() == (80, 80)
