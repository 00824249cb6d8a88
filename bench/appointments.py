"""Appointments benchmark: free-slot computation over 30 days on a resource holding 5,000 bookings, and
booking throughput (sequential, and with parallel threads competing for one resource's row lock).

    .venv/bin/python bench/appointments.py                        # a throw-away SQLite database
    .venv/bin/python bench/appointments.py --database-url postgres://postgres@127.0.0.1:5432/congso_bench_a
        (an EMPTY database that the benchmark may fill)

Prints p50/p95 of ``days_with_slots`` for 30 days (the booking page shows 7; the API allows 31) on the busy
resource and, as the yardstick, on an empty one; then bookings per second through ``booking_create``
(every check, the lock, the insert, and the two queued notifications).
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database (default: SQLite in a temp folder)"
    )
    parser.add_argument(
        "--bookings", type=int, default=5000, help="bookings on the busy resource (default 5000)"
    )
    parser.add_argument("--repeat", type=int, default=30, help="slot computations measured (default 30)")
    parser.add_argument(
        "--book", type=int, default=300, help="bookings made for the throughput (default 300)"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads for the parallel run (default 4)")
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
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from congso.accounts.models import User
    from congso.appointments import services
    from congso.appointments.constants import BookingStatus, ResourceKind
    from congso.appointments.models import Booking, Resource
    from congso.appointments.slots import days_with_slots, slot_starts
    from congso.core import calendar
    from congso.core.exceptions import ApplicationError
    from congso.geo.models import AdministrativeUnit
    from congso.geo.services import communes_load_camau, units_load_national

    rng = random.Random(args.seed)  # noqa: S311 - data, not secrets
    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    if not AdministrativeUnit.objects.filter(code="32002").exists():
        units_load_national()
        communes_load_camau()
    unit = AdministrativeUnit.objects.get(code="32002")
    working = calendar.current_calendar()
    today = timezone.localdate()

    def resource(name: str, capacity: int) -> Resource:
        return Resource.objects.create(
            kind=ResourceKind.COUNTER,
            name=name,
            unit=unit,
            slot_minutes=30,
            capacity=capacity,
            horizon_days=30,
        )

    slots = [
        start
        for offset in range(1, 31)
        for start, _end in slot_starts(
            Resource(slot_minutes=30), today + datetime.timedelta(days=offset), working
        )
        if working.is_working_day(today + datetime.timedelta(days=offset))
    ]
    per_slot = -(-args.bookings // len(slots))
    busy, empty = resource("Bận", per_slot + 5), resource("Trống", per_slot + 5)
    rows, seats = [], {}
    for n in range(args.bookings):
        start = slots[n % len(slots)]
        seats[start] = seats.get(start, 0) + 1
        rows.append(
            Booking(
                resource=busy, starts_at=start, ends_at=start + datetime.timedelta(minutes=30),
                seat=seats[start],
                status=BookingStatus.CANCELLED if rng.random() < 0.1 else BookingStatus.BOOKED,
                name="Nguyễn Thị Hoa", phone="0912345678", purpose="Nộp hồ sơ", check_in_code=f"B{n:07d}",
            )
        )  # fmt: skip
    Booking.objects.bulk_create(rows, batch_size=1000)
    print(f"{args.bookings} bookings over {len(slots)} slots of 30 working/calendar days ({per_slot} a slot)")

    for label, target in (("busy (5,000 bookings)", busy), ("empty (yardstick)", empty)):
        days_with_slots(resource=target, start=today, days=30)  # warm
        ms = timed(lambda t=target: days_with_slots(resource=t, start=today, days=30), args.repeat)
        print(
            f"free slots, 30 days, {label}: "
            f"p50 {percentile(ms, 0.5):.1f} ms  p95 {percentile(ms, 0.95):.1f} ms"
        )
        if target is busy:
            busy_p50 = percentile(ms, 0.5)
    print(f"  ratio busy/empty p50: {busy_p50 / percentile(ms, 0.5):.2f}")

    users = User.objects.bulk_create(
        [User(email=f"bench{n}@example.vn", full_name="Người đặt") for n in range(args.book * 2)]
    )
    target = resource("Thông lượng", 1000)

    def book(user, start):
        services.booking_create(
            resource=target, user=user, starts_at=start, name="Nguyễn Thị Hoa", phone="0912345678",
            purpose="Nộp hồ sơ",
        )  # fmt: skip

    started = time.perf_counter()
    for n in range(args.book):
        book(users[n], slots[n % len(slots)])
    elapsed = time.perf_counter() - started
    print(
        f"booking, sequential: {args.book / elapsed:.0f} bookings/s "
        f"({elapsed * 1000 / args.book:.1f} ms each)"
    )

    # Parallel: every thread books the same resource, so they queue on its row lock (PostgreSQL) or on the
    # database's write lock (SQLite): the figure is the ceiling for one counter.
    refused, lock = [], threading.Lock()
    chunks = [users[args.book + i :: args.threads][: args.book // args.threads] for i in range(args.threads)]

    def worker(chunk):
        try:
            for n, user in enumerate(chunk):
                try:
                    book(user, slots[(n * 7) % len(slots)])
                except ApplicationError as exc:
                    with lock:
                        refused.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    made = sum(len(c) for c in chunks) - len(refused)
    print(
        f"booking, {args.threads} threads on one resource: {made / elapsed:.0f} bookings/s, "
        f"{len(refused)} refused"
    )
    over = (
        Booking.objects.filter(resource=target, status=BookingStatus.BOOKED)
        .values("starts_at")
        .annotate(n=django.db.models.Count("pk"))
        .filter(n__gt=target.capacity)
        .count()
    )
    print(f"overbooked slots: {over}")


if __name__ == "__main__":
    main()
