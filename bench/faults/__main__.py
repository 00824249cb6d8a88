"""Faults during concurrent submissions, on PostgreSQL, and what must hold afterwards.

    .venv/bin/python -m bench.faults [--submissions 500] [--threads 16] [--json var/bench/faults.json]
    .venv/bin/python -m bench.faults --database-url postgres://…/congso_faults   (no database restart then)

By default a throw-away PostgreSQL cluster is made in a temporary folder (initdb, pg_ctl as ``postgres``);
the system PostgreSQL is never stopped. Phases:

1. kill -9: ``--submissions`` submissions from ``--threads`` clients (each retries a failed request with the
   same Idempotency-Key, like a phone, on the next of ``--servers`` web servers) while a random gunicorn web
   worker of a random server is killed with SIGKILL every 2–5 s, and a random task worker (``manage.py
   db_worker``, one per server) every third time. All of them share one PostgreSQL.
2. database crash: more submissions while PostgreSQL is stopped with ``-m immediate`` and started again.
3. disk full: MEDIA_ROOT on a full 1 MB tmpfs (needs root to mount; skipped otherwise): uploads must be
   refused without a half-stored dossier, and accepted again once there is room.

Then, as the sweep would 15 minutes later (``notifications_sweep``), unsent messages are queued again and a
task worker drains the outbox. Checks: every submission that got a success response exists with its code
(unique), one dossier per Idempotency-Key, its document on disk with the recorded size and SHA-256; every
notification sent exactly once (SMS files by message reference, e-mails by recipient). Prints PASS/FAIL.
"""

import argparse
import contextlib
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.generate.__main__ import ROOT, django_setup
from bench.load import driver, scenarios
from bench.load.server import Gunicorn, free_port

PY = str(ROOT / ".venv/bin/python")


class Worker:
    """``manage.py db_worker`` as a child process that can be killed and restarted."""

    def __init__(self, env):
        self.env = env
        self.process = None
        self.kills = 0

    def start(self):
        self.process = subprocess.Popen(
            [PY, "manage.py", "db_worker", "--no-startup-delay", "--verbosity", "0"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill9(self):
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.kills += 1

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill9()


def submit_all(ctx, ports: list[int], keys: list[str], threads: int, outcomes: dict, phase: str) -> None:
    """Submit one dossier per key; a failed attempt (connection reset, 5xx) is retried with the same key,
    on the next web server (as a load balancer would): the servers share one PostgreSQL."""
    queue = list(keys)
    lock = threading.Lock()

    def client():
        while True:
            with lock:
                if not queue:
                    return
                key = queue.pop()
            number = int(key.rsplit("-", 1)[1])
            request = scenarios.submission_request(
                ctx, key=key, phone=f"09{number:08d}", email=f"nguoi-nop-{number}@example.vn"
            )
            record = {"phase": phase, "attempts": 0, "statuses": [], "code": None}
            for attempt in range(12):
                record["attempts"] = attempt + 1
                try:
                    port = ports[(number + attempt) % len(ports)]
                    status, body, _headers = driver.send("127.0.0.1", port, request, timeout=60)
                except OSError as exc:
                    status, body = 0, str(exc).encode()
                record["statuses"].append(status)
                if status in (200, 201):
                    record["code"] = json.loads(body)["code"]
                    break
                if status and status < 500 and status not in (429,):
                    record["error"] = body[:300].decode(errors="replace")
                    break
                time.sleep(0.3 + attempt * 0.3)
            with lock:
                outcomes[key] = record

    pool = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()


def chaos(servers: list, workers: list, stop: threading.Event, counts: dict, rng) -> None:
    """kill -9 a random web worker of a random server every 2–5 s and a random task worker every third time
    (restarted at once)."""
    tick = 0
    while not stop.wait(rng.uniform(2, 5)):
        tick += 1
        server, worker = rng.choice(servers), rng.choice(workers)
        pids = server.worker_pids()
        if pids:
            try:
                os.kill(rng.choice(pids), signal.SIGKILL)
                counts["web_workers_killed"] += 1
            except ProcessLookupError:
                pass
        if tick % 3 == 0:
            worker.kill9()
            counts["task_worker_killed"] += 1
            worker.start()


def drain(env: dict, timeout: float = 300) -> dict:
    """What the minute sweep does 15 minutes later, then a worker until no message is unsent."""
    from datetime import timedelta

    from django.db import close_old_connections
    from django.db.models import Count
    from django.utils import timezone

    from congso.notifications.constants import SENDING_TIMEOUT, UNFINISHED_STATUSES
    from congso.notifications.models import Message
    from congso.notifications.services import messages_retry_due

    by_status = Message.objects.order_by().values("status").annotate(n=Count("id"))
    before = {row["status"]: row["n"] for row in by_status}
    requeued = messages_retry_due(now=timezone.now() + SENDING_TIMEOUT + timedelta(minutes=1), limit=100_000)
    worker = Worker(env)
    worker.start()
    deadline = time.monotonic() + timeout
    left = None
    while time.monotonic() < deadline:
        close_old_connections()
        left = Message.objects.filter(status__in=UNFINISHED_STATUSES).count()
        if left == 0:
            break
        time.sleep(2)
    worker.stop()
    return {"before_sweep": before, "requeued_by_sweep": requeued, "unsent_after_drain": left}


def check(outcomes: dict, var_dir: Path) -> list[tuple[str, bool, str]]:
    """[(check, passed, detail)]."""
    from collections import Counter

    from django.core.files.storage import default_storage

    from congso.dossiers.models import Dossier, DossierDocument
    from congso.notifications.constants import MessageStatus
    from congso.notifications.models import Message

    keys = list(outcomes)
    succeeded = {k: o for k, o in outcomes.items() if o["code"]}
    rows = list(Dossier.objects.filter(idempotency_key__in=keys).values_list("pk", "code", "idempotency_key"))
    by_key = Counter(k for _pk, _code, k in rows)
    codes = {code for _pk, code, _k in rows}
    results = []
    missing = [k for k, o in succeeded.items() if o["code"] not in codes]
    results.append(("every success response has its dossier", not missing, f"{len(succeeded)} successes, "
                    f"{len(missing)} missing"))  # fmt: skip
    duplicates = [k for k, n in by_key.items() if n > 1]
    results.append(("one dossier per Idempotency-Key (no duplicate from retries)", not duplicates,
                    f"{len(rows)} dossiers for {len(by_key)} keys"))  # fmt: skip
    all_codes = list(Dossier.objects.values_list("code", flat=True))
    results.append(("dossier codes unique", len(all_codes) == len(set(all_codes)), f"{len(all_codes)} codes"))
    wrong_code = [k for k, o in succeeded.items() if k in by_key and o["code"] not in codes]
    results.append(("the code answered is the code stored", not wrong_code, f"{len(wrong_code)} differ"))
    documents = list(
        DossierDocument.objects.filter(dossier__idempotency_key__in=keys).values_list(
            "dossier_id", "file", "size", "sha256"
        )
    )
    with_document = {d[0] for d in documents}
    no_document = [pk for pk, _c, _k in rows if pk not in with_document]
    bad_files = []
    for _dossier, name, size, sha in documents:
        try:
            with default_storage.open(name, "rb") as handle:
                content = handle.read()
        except OSError:
            bad_files.append(name)
            continue
        if len(content) != size or hashlib.sha256(content).hexdigest() != sha:
            bad_files.append(name)
    referenced = {str(name) for name in DossierDocument.objects.values_list("file", flat=True)}
    media = Path(default_storage.location)
    orphans = [p for p in media.rglob("*") if p.is_file() and str(p.relative_to(media)) not in referenced]
    results.append(("every dossier has its document, intact on disk", not no_document and not bad_files,
                    f"{len(documents)} documents; {len(no_document)} dossiers without; {len(bad_files)} "
                    f"missing or corrupt files; {len(orphans)} orphan files (requests killed after the file "
                    f"was written, rolled back: garbage, not loss)"))  # fmt: skip
    # Notifications: one e-mail and one SMS per dossier, each sent exactly once.
    messages = list(
        Message.objects.filter(
            subject_type="dossier", subject_id__in=[pk for pk, _c, _k in rows]
        ).values_list("pk", "channel", "recipient", "status", "attempts")
    )
    per_dossier = len(messages) == 2 * len(rows)
    unsent = [m for m in messages if m[3] != MessageStatus.SENT]
    sms_refs = Counter()
    for path in (var_dir / "sms").glob("*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("Reference: "):
                sms_refs[int(line.split(": ", 1)[1])] += 1
    mail_to = Counter()
    for path in (var_dir / "mail").glob("*"):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("To: "):
                mail_to[line[4:].strip().lower()] += 1
    sms = [m for m in messages if m[1] == "sms"]
    emails = [m for m in messages if m[1] == "email"]
    sms_lost = [m for m in sms if sms_refs[m[0]] == 0]
    sms_twice = [m for m in sms if sms_refs[m[0]] > 1]
    mail_lost = [m for m in emails if mail_to[m[2]] == 0]
    mail_twice = [m for m in emails if mail_to[m[2]] > 1]
    results.append(("one e-mail and one SMS queued per dossier", per_dossier,
                    f"{len(messages)} messages for {len(rows)} dossiers"))  # fmt: skip
    lost = f"{len(unsent)} not sent; {len(sms_lost)} SMS and {len(mail_lost)} e-mails never delivered"
    results.append(
        ("every notification sent (none lost)", not unsent and not sms_lost and not mail_lost, lost)
    )
    results.append(("no notification sent twice", not sms_twice and not mail_twice,
                    f"{len(sms_twice)} SMS and {len(mail_twice)} e-mails sent more than once "
                    f"(max attempts {max((m[4] for m in messages), default=0)})"))  # fmt: skip
    return results


def disk_full_phase(ctx_factory, env: dict, media: Path, outcomes: dict) -> dict:
    """MEDIA_ROOT on a full tmpfs: submissions refused cleanly, none half-stored; then room again."""
    from congso.dossiers.models import Dossier

    media.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(media)], capture_output=True
    )
    if mounted.returncode != 0:
        return {"skipped": f"cannot mount a tmpfs ({mounted.stderr.decode().strip()[:120]}): needs root"}
    try:
        filler = media / "filler"
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True, check=False)
        before = Dossier.objects.count()
        statuses = []
        with Gunicorn({**env, "CONGSO_MEDIA_ROOT": str(media)}, workers=2) as server:
            ctx = ctx_factory(server.port)
            for n in range(10):
                request = scenarios.submission_request(ctx, key=f"diskfull-{n}")
                statuses.append(driver.send("127.0.0.1", server.port, request)[0])
            created_full = Dossier.objects.count() - before
            filler.unlink()
            request = scenarios.submission_request(ctx, key="diskfull-room-again")
            after_room = driver.send("127.0.0.1", server.port, request)[0]
        from congso.dossiers.models import DossierDocument

        stored = {str(name) for name in DossierDocument.objects.values_list("file", flat=True)}
        half_stored = [p for p in media.rglob("*") if p.is_file() and str(p.relative_to(media)) not in stored]
        return {
            "statuses_when_full": statuses,
            "dossiers_created_when_full": created_full,
            "status_with_room": after_room,
            "orphan_files_left": len(half_stored),
        }
    finally:
        subprocess.run(["umount", str(media)], capture_output=True, check=False)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="an EMPTY PostgreSQL database (default: a throw-away cluster)")
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--restart-submissions", type=int, default=150, help="during the database restart")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn web workers per server")
    parser.add_argument(
        "--servers", type=int, default=2, help="web servers on different ports, each with its own task worker"
    )
    parser.add_argument("--no-disk-full", action="store_true")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)

    from bench.faults.cluster import Cluster

    cluster = None
    database_url = args.database_url
    why_no_cluster = None
    if not database_url:
        why_no_cluster = Cluster.available()
        if why_no_cluster:
            sys.exit(f"no throw-away PostgreSQL cluster ({why_no_cluster}): pass --database-url")
        cluster = Cluster(free_port()).init()
        cluster.start()
        cluster.createdb("congso_faults")
        database_url = cluster.url("congso_faults")
    var_dir = Path(tempfile.mkdtemp(prefix="congso-faults-"))
    figures = {
        "submissions": args.submissions,
        "restart_submissions": args.restart_submissions,
        "threads": args.threads,
        "workers": args.workers,
        "servers": args.servers,
    }
    rng = random.Random(args.seed)  # noqa: S311 - fault timing
    try:
        started = time.perf_counter()
        django_setup(database_url, str(var_dir))
        from django.core.management import call_command
        from django.db import connection

        from bench.generate import reference

        print(f"database: {database_url} ({'throw-away cluster' if cluster else 'given'}); var: {var_dir}")
        reference.setup(log=print, catalogue=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        from bench.load.__main__ import server_env

        env = {**os.environ, **server_env(database_url, str(var_dir))}
        env.pop("CONGSO_EMAIL_HOST", None)  # e-mails to files in var/mail, SMS to var/sms: both counted
        env.pop("CONGSO_SMS_BACKEND", None)
        outcomes: dict = {}
        counts = {"web_workers_killed": 0, "task_worker_killed": 0, "database_restarts": 0}
        workers = [Worker(env) for _ in range(args.servers)]
        with contextlib.ExitStack() as stack:
            servers = [stack.enter_context(Gunicorn(env, workers=args.workers)) for _ in range(args.servers)]
            ports = [server.port for server in servers]
            print(f"web servers on ports {ports}, {len(workers)} task workers, one PostgreSQL")
            ctx = scenarios.build_context(ports[0])
            connection.close()
            for worker in workers:
                worker.start()
            # 1. kill -9 of web workers and of the task workers.
            stop = threading.Event()
            thread = threading.Thread(target=chaos, args=(servers, workers, stop, counts, rng), daemon=True)
            thread.start()
            keys = [f"fault-{n:06d}" for n in range(args.submissions)]
            phase_started = time.perf_counter()
            submit_all(ctx, ports, keys, args.threads, outcomes, "kill -9")
            stop.set()
            thread.join()
            figures["kill_phase_s"] = time.perf_counter() - phase_started
            print(
                f"kill -9 phase: {args.submissions} submissions in {figures['kill_phase_s']:.1f} s; "
                f"{counts['web_workers_killed']} web workers and {counts['task_worker_killed']} task workers "
                f"killed"
            )
            # 2. the database crashes and comes back.
            if cluster and args.restart_submissions:
                keys = [
                    f"fault-{n:06d}"
                    for n in range(args.submissions, args.submissions + args.restart_submissions)
                ]

                def restarts():
                    for _ in range(2):
                        time.sleep(2)
                        cluster.crash_restart()
                        counts["database_restarts"] += 1

                thread = threading.Thread(target=restarts, daemon=True)
                thread.start()
                submit_all(ctx, ports, keys, args.threads, outcomes, "database restart")
                thread.join()
                print(
                    f"database phase: {len(keys)} submissions, {counts['database_restarts']} crash-restarts"
                )
            else:
                figures["database_restart"] = "skipped: no throw-away cluster (--database-url given)"
                print(f"database phase: {figures['database_restart']}")
            for worker in workers:
                worker.stop()
        connection.close()
        figures["drain"] = drain(env)
        figures["counts"] = counts
        attempts = [o["attempts"] for o in outcomes.values()]
        figures["retried_submissions"] = sum(1 for a in attempts if a > 1)
        figures["failed_submissions"] = sum(1 for o in outcomes.values() if not o["code"])
        figures["failed_examples"] = [o for o in outcomes.values() if not o["code"]][:3]
        results = check(outcomes, var_dir)
        # 3. disk full.
        if args.no_disk_full:
            figures["disk_full"] = {"skipped": "--no-disk-full"}
        else:
            figures["disk_full"] = disk_full_phase(
                lambda port: scenarios.build_context(port), env, var_dir / "media-full", outcomes
            )
        disk = figures["disk_full"]
        if "skipped" not in disk:
            refused_cleanly = (
                all(s and s < 500 and s not in (200, 201) for s in disk["statuses_when_full"])
                and disk["dossiers_created_when_full"] == 0
            )
            detail = (
                f"statuses {sorted(set(disk['statuses_when_full']))}, {disk['dossiers_created_when_full']} "
                f"dossiers, {disk['orphan_files_left']} orphan files in MEDIA_ROOT"
            )
            name = "disk full: uploads refused with a 4xx/503, nothing half-stored"
            results.append((name, refused_cleanly and disk["orphan_files_left"] == 0, detail))
            name = "disk full: accepted again once there is room"
            results.append(
                (name, disk["status_with_room"] in (200, 201), f"status {disk['status_with_room']}")
            )
        figures["checks"] = [{"check": c, "passed": p, "detail": d} for c, p, d in results]
        figures["total_s"] = time.perf_counter() - started
        print(
            f"\n{len(outcomes)} submissions: {len(outcomes) - figures['failed_submissions']} succeeded "
            f"({figures['retried_submissions']} after a retry), {figures['failed_submissions']} gave up; "
            f"before the sweep: {figures['drain']['before_sweep']}; the sweep re-queued "
            f"{figures['drain']['requeued_by_sweep']} messages"
        )
        if "skipped" in disk:
            print(f"disk full: skipped: {disk['skipped']}")
        for name, passed, detail in results:
            print(f"  {'PASS' if passed else 'FAIL'}  {name}: {detail}")
        figures["passed"] = all(p for _c, p, _d in results)
        print(f"\nfaults: {'PASS' if figures['passed'] else 'FAIL'} ({figures['total_s']:.0f} s)")
    finally:
        if cluster:
            from django.db import connections

            connections.close_all()
            cluster.destroy()
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, indent=2, default=str))
    return figures


if __name__ == "__main__":
    sys.exit(0 if main().get("passed") else 1)
