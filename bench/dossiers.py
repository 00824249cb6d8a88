"""Dossier benchmark: submissions with a small attachment and public status lookups per second, through the
real HTTP stack (gunicorn), each as a ratio to a trivial view (/healthz) served by the same server in the
same run.

    .venv/bin/python bench/dossiers.py                         # a throw-away SQLite database
    .venv/bin/python bench/dossiers.py --database-url postgres://postgres@127.0.0.1:5432/congso_bench
        (an EMPTY database that the benchmark may fill)

Prints requests per second and p50/p95/p99 latency for each scenario.
"""

import argparse
import http.client
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


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


def small_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (230, 230, 230)).save(buffer, format="PNG")
    return buffer.getvalue()


def multipart(payload: dict, files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="payload"\r\n'
        f"Content-Type: application/json\r\n\r\n".encode()
        + json.dumps(payload).encode()
        + b"\r\n"
    ]
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def load(port: int, make_request, *, threads: int, seconds: float) -> tuple[int, list[float], int]:
    """Run ``make_request(i) -> (method, path, body, headers, expected_status)`` from ``threads`` threads for
    ``seconds``; return (requests done, latencies in ms, errors)."""
    deadline = time.monotonic() + seconds
    latencies, errors, counter = [], [0], [0]
    lock = threading.Lock()

    def worker():
        while time.monotonic() < deadline:
            with lock:
                counter[0] += 1
                index = counter[0]
            method, path, body, headers, expected = make_request(index)
            started = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == expected
            except OSError:
                ok = False
            finally:
                connection.close()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return len(latencies), latencies, errors[0]


def setup_data(env: dict) -> str:
    """Migrate, load Cà Mau, one structured procedure and an office; return a fresh API token."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from congso.accounts.models import User
    from congso.api.auth import api_token_issue
    from congso.api.models import ApiClient
    from congso.catalog.curated import procedures_load_curated
    from congso.catalog.models import Procedure
    from congso.dossiers.demo import offices_load_demo
    from congso.geo.services import communes_load_camau, hamlets_generate_demo, units_load_national

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    units_load_national()
    communes_load_camau()
    hamlets_generate_demo(province_code="96")
    Procedure.objects.get_or_create(
        code="2.000884", defaults={"name": "Chứng thực chữ ký", "at_commune": True}
    )
    procedures_load_curated()
    offices_load_demo()
    user, _ = User.objects.get_or_create(email="bench@congso.local")
    client, _ = ApiClient.objects.get_or_create(name="bench", defaults={"user": user})
    return api_token_issue(client=client)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database (default: SQLite in a temp folder)"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--threads", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--seconds", type=float, default=10, help="seconds per scenario (default 10)")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="congso-bench-")
    env = {
        "CONGSO_VAR_DIR": var_dir,
        "CONGSO_LOOKUP_LIMIT": str(10**9),  # the benchmark measures lookups, not the rate limit
        "CONGSO_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    token = setup_data(env)
    from django.db import connection

    vendor = connection.vendor
    connection.close()

    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, **env},
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        png = small_png()
        payload = {
            "procedure": "2.000884",
            "office": "000.00.64.H12",
            "applicant": {"name": "Nguyễn Thị Hoa", "id_number": "096190000123", "phone": "0912345678"},
            "answers": {
                "applicant_name": "Nguyễn Thị Hoa",
                "applicant_id": "096190000123",
                "applicant_phone": "0912345678",
                "document_name": "Hợp đồng",
            },
        }
        created = []

        def trivial(_):
            return "GET", "/healthz", None, {}, 200

        def submission(i):
            body, content_type = multipart(payload, {"scan": ("scan.png", png, "image/png")})
            headers = {
                "Authorization": f"Bearer {token}",
                "Content-Type": content_type,
                "Idempotency-Key": f"bench-{uuid.uuid4().hex}",
            }
            return "POST", "/api/v1/dossiers", body, headers, 201

        print(f"database: {vendor}; gunicorn workers: {args.workers}; client threads: {args.threads}; "
              f"{args.seconds:.0f} s per scenario\n")  # fmt: skip
        results = {}
        for name, scenario in (("trivial view (/healthz)", trivial), ("submission + 2 KB PNG", submission)):
            results[name] = load(port, scenario, threads=args.threads, seconds=args.seconds)
        # Look up the dossiers just created, by code and key.
        from django.db import connection as db

        with db.cursor() as cursor:
            cursor.execute("SELECT code, lookup_key FROM dossiers_dossier")
            created = cursor.fetchall()
        db.close()

        def lookup(i):
            code, key = created[i % len(created)]
            return "GET", f"/api/v1/dossiers/status?code={code}&key={key}", None, {}, 200

        def lookup_page(i):
            code, key = created[i % len(created)]
            return "GET", f"/tra-cuu/?ma={code}&khoa={key}", None, {}, 200

        results["status lookup (API)"] = load(port, lookup, threads=args.threads, seconds=args.seconds)
        results["status lookup (web page)"] = load(
            port, lookup_page, threads=args.threads, seconds=args.seconds
        )
        base = results["trivial view (/healthz)"][0] / args.seconds
        for name, (count, latencies, errors) in results.items():
            rate = count / args.seconds
            print(
                f"{name:<28} {rate:8.1f} req/s  ratio {rate / base:5.2f}  "
                f"p50 {percentile(latencies, 0.5):7.1f} ms  p95 {percentile(latencies, 0.95):7.1f} ms  "
                f"p99 {percentile(latencies, 0.99):7.1f} ms  "
                f"errors {errors}"
            )
        print(f"\ndossiers created: {len(created)}; distinct codes: {len({c for c, _ in created})}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
