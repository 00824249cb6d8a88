"""Parallel bookings of the last place: exactly one wins, on PostgreSQL (real row locks, separate
connections). SQLite serialises every writer, so the race cannot happen there and the test is skipped."""

import threading

import pytest
from django.db import connection

from congso.appointments import services
from congso.appointments.constants import BookingStatus
from congso.appointments.models import Booking
from congso.appointments.tests.conftest import make_resource, next_working_day, slot_at
from congso.conftest import make_user
from congso.core.exceptions import ApplicationError

THREADS = 8


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite takes one writer at a time, no race can happen (CI's PostgreSQL run)",
)
def test_parallel_bookings_of_the_last_place_give_one_success(committing_db):
    resource = make_resource(capacity=2)
    day = next_working_day()
    starts_at = slot_at(day, 9)
    services.booking_create(
        resource=resource, user=make_user("first@example.vn"), starts_at=starts_at, name="Người đầu",
        phone="0912345678", purpose="Khám",
    )  # fmt: skip
    users = [make_user(f"racer{n}@example.vn") for n in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    wins, refusals, errors = [], [], []
    lock = threading.Lock()

    def race(user):
        try:
            barrier.wait()
            booking = services.booking_create(
                resource=resource, user=user, starts_at=starts_at, name="Người đua", phone="0912345678",
                purpose="Khám",
            )  # fmt: skip
            with lock:
                wins.append(booking.pk)
        except ApplicationError as exc:
            with lock:
                refusals.append(exc.code)
        except Exception as exc:  # reported below
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(wins) == 1
    assert refusals == ["full"] * (THREADS - 1)
    held = Booking.objects.filter(resource=resource, starts_at=starts_at, status=BookingStatus.BOOKED)
    assert held.count() == 2
    assert sorted(held.values_list("seat", flat=True)) == [1, 2]
