"""Run N submissions to one office at the same time, in threads with their own database connections, and
print the codes. Used by test_concurrency.py in a separate process against a real database (a SQLite file or
a PostgreSQL database), because the test database of pytest is shared or held in memory.

    python concurrency_probe.py N

At most ``CONNECTIONS`` threads hold a database connection at once, as a pool of web workers would: a
PostgreSQL server accepts about 100 clients by default.
"""

import json
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from congso.dossiers.tests.factories import make_office, make_version, submit  # noqa: E402
from congso.geo.services import units_load_national  # noqa: E402

CONNECTIONS = 40


def main(count: int) -> None:
    call_command("migrate", verbosity=0)
    units_load_national()
    version, office = make_version(), make_office()
    barrier = threading.Barrier(count)
    pool = threading.BoundedSemaphore(CONNECTIONS)
    codes, errors = [], []
    lock = threading.Lock()

    def worker():
        barrier.wait()
        with pool:
            try:
                dossier = submit(version, office, channel=2)
                with lock:
                    codes.append(dossier.code)
            except Exception as exc:  # reported to the test
                with lock:
                    errors.append(repr(exc))
            finally:
                connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"codes": codes, "errors": errors, "vendor": connection.vendor}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
