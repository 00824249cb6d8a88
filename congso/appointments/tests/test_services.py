import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from congso.appointments import services
from congso.appointments.constants import MAX_ACTIVE_BOOKINGS, BookingStatus
from congso.appointments.models import Blackout, Booking
from congso.appointments.periodic import tick
from congso.appointments.slots import days_with_slots
from congso.appointments.tests.conftest import make_resource, next_working_day, slot_at
from congso.conftest import make_user
from congso.core.exceptions import ApplicationError
from congso.core.models import CalendarOverride, OverrideKind
from congso.notifications.models import Message


def book(resource, user, starts_at, **extra):
    fields = {"name": "Nguyễn Văn A", "phone": "0912345678", "purpose": "Nộp hồ sơ khai sinh"}
    fields.update(extra)
    return services.booking_create(resource=resource, user=user, starts_at=starts_at, **fields)


def test_slots_follow_office_hours_and_never_span_lunch(resource, day):
    (entry,) = days_with_slots(resource=resource, start=day, days=1)
    starts = [s.starts_at.strftime("%H:%M") for s in entry.slots]
    assert starts[0] == "07:00" and "11:00" in starts and "11:30" not in starts
    assert "13:30" in starts and starts[-1] == "16:30"
    assert len(starts) == 9 + 7  # 07:00–11:30 and 13:30–17:00 in half hours
    assert all(s.free == 2 for s in entry.slots)


def test_weekends_holidays_overrides_and_blackouts_are_closed(resource):
    saturday = timezone.localdate()
    while saturday.weekday() != 5:
        saturday += datetime.timedelta(days=1)
    holiday = datetime.date(saturday.year + 1, 9, 2)  # Quốc khánh
    (sat,) = days_with_slots(resource=resource, start=saturday, days=1)
    (hol,) = days_with_slots(resource=resource, start=holiday, days=1)
    assert not sat.is_open and not sat.slots
    assert not hol.is_open
    monday = saturday + datetime.timedelta(days=2)
    CalendarOverride.objects.create(date=monday, kind=OverrideKind.DAY_OFF, reason="Nghỉ bù")
    Blackout.objects.create(resource=resource, date=monday + datetime.timedelta(days=1), reason="Tập huấn")
    mon, tue = days_with_slots(resource=resource, start=monday, days=2)
    assert not mon.is_open
    assert tue.closed_reason == "Tập huấn"


def test_booking_takes_a_place_and_notifies_with_the_ticket(citizen, resource, day):
    booking = book(resource, citizen, slot_at(day, 8))
    assert booking.status == BookingStatus.BOOKED and booking.seat == 1
    assert len(booking.check_in_code) == 8
    assert booking.ends_at == slot_at(day, 8, 30)
    (entry,) = days_with_slots(resource=resource, start=day, days=1)
    assert {s.starts_at: s.free for s in entry.slots}[slot_at(day, 8)] == 1
    messages = Message.objects.filter(subject_type="appointment", subject_id=booking.pk)
    assert {m.channel for m in messages} == {"email", "sms"}
    email = messages.get(channel="email")
    assert booking.check_in_code in email.body
    assert "/dat-lich/ve/" in email.body and "qr.png" in email.html_body


def test_no_overbooking_and_cancel_frees_the_place(resource, day):
    resource.capacity = 1
    resource.save()
    first, second = make_user("a@example.vn"), make_user("b@example.vn")
    booking = book(resource, first, slot_at(day, 9))
    with pytest.raises(ApplicationError, match="đã hết chỗ"):
        book(resource, second, slot_at(day, 9))
    services.booking_cancel(booking=booking)
    assert book(resource, second, slot_at(day, 9)).seat == 1


@pytest.mark.parametrize(
    "starts_at, message",
    [
        (lambda day: slot_at(day, 8, 10), "Vui lòng chọn một trong các khung giờ"),
        (lambda day: slot_at(day, 11, 30), "Vui lòng chọn một trong các khung giờ"),
        (lambda day: slot_at(day + datetime.timedelta(days=60), 8), "tối đa 30 ngày"),
        (lambda day: slot_at(timezone.localdate() - datetime.timedelta(days=1), 8), "đã qua"),
    ],
)
def test_refused_times(citizen, resource, day, starts_at, message):
    with pytest.raises(ApplicationError, match=message):
        book(resource, citizen, starts_at(day))
    assert not Booking.objects.exists()


def test_closed_day_refused(citizen, resource, day):
    Blackout.objects.create(resource=resource, date=day, reason="Phun thuốc khử khuẩn")
    with pytest.raises(ApplicationError, match="Phun thuốc khử khuẩn"):
        book(resource, citizen, slot_at(day, 8))


def test_person_details_are_checked(citizen, resource, day):
    with pytest.raises(ApplicationError, match="10 chữ số"):
        book(resource, citizen, slot_at(day, 8), phone="12345")
    with pytest.raises(ApplicationError):
        book(resource, citizen, slot_at(day, 8), purpose="  ")
    assert not Booking.objects.exists()


def test_same_person_same_slot_once_and_at_most_n_upcoming(citizen, resource, day):
    book(resource, citizen, slot_at(day, 7))
    with pytest.raises(ApplicationError, match="đã đặt khung giờ này"):
        book(resource, citizen, slot_at(day, 7))
    for n in range(1, MAX_ACTIVE_BOOKINGS):
        book(resource, citizen, slot_at(day, 7 + n))
    with pytest.raises(ApplicationError, match="Vui lòng huỷ"):
        book(resource, citizen, slot_at(day, 14))


def test_another_persons_dossier_is_refused(citizen, resource, day):
    from congso.dossiers.tests.factories import make_office, make_version, submit

    dossier = submit(make_version(), make_office())  # no account: not the citizen's
    with pytest.raises(PermissionDenied):
        book(resource, citizen, slot_at(day, 8), dossier=dossier)


def test_own_dossier_sets_the_procedure(citizen, resource, day):
    from congso.dossiers.tests.factories import make_office, make_version, submit

    dossier = submit(make_version(), make_office(), applicant_user=citizen)
    booking = book(resource, citizen, slot_at(day, 8), dossier=dossier)
    assert booking.procedure == dossier.procedure


def test_cancel_token_round_trip_and_tamper(citizen, resource, day):
    booking = book(resource, citizen, slot_at(day, 8))
    token = services.cancel_token(booking)
    assert services.booking_from_token(token) == booking
    assert services.booking_from_token(token[:-2] + "xx") is None
    services.booking_cancel(booking=booking)
    with pytest.raises(ApplicationError, match="đã được huỷ"):
        services.booking_cancel(booking=booking)


def test_check_in_and_no_show(official, citizen, resource, day):
    booking = book(resource, citizen, slot_at(day, 8))
    other = book(resource, make_user("x@example.vn"), slot_at(day, 8))
    with pytest.raises(ApplicationError, match="không phải hôm nay"):
        services.booking_check_in(resource=resource, actor=official, code=booking.check_in_code)
    during = slot_at(day, 8, 5)
    checked = services.booking_check_in(
        resource=resource, actor=official, code=booking.check_in_code.lower(), now=during
    )
    assert checked.status == BookingStatus.CHECKED_IN and checked.handled_by == official
    with pytest.raises(ApplicationError, match="đã được ghi nhận"):
        services.booking_check_in(resource=resource, actor=official, code=booking.check_in_code, now=during)
    with pytest.raises(ApplicationError, match="chưa bắt đầu"):
        services.booking_mark_no_show(booking=other, actor=official, now=slot_at(day, 7))
    assert services.booking_mark_no_show(booking=other, actor=official, now=during).status == "no_show"


def test_staff_of_another_commune_cannot_act(citizen, day):
    elsewhere = make_resource("32248", name="Quầy Đất Mũi")
    booking = book(elsewhere, citizen, slot_at(day, 8))
    from congso.accounts.constants import StaffRole
    from congso.accounts.services import role_grant
    from congso.conftest import unit

    stranger = make_user("other@example.vn")
    role_grant(user=stranger, role=StaffRole.ONE_STOP_OFFICER, unit=unit("32002"))
    with pytest.raises(PermissionDenied):
        services.booking_check_in(resource=elsewhere, actor=stranger, code=booking.check_in_code)
    with pytest.raises(PermissionDenied):
        services.blackout_add(resource=elsewhere, actor=stranger, date=day, reason="x")


def test_blackout_cancels_the_days_bookings_and_tells_them(official, citizen, resource, day):
    booking = book(resource, citizen, slot_at(day, 8))
    services.blackout_add(resource=resource, actor=official, date=day, reason="Mất điện")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancel_reason == "Mất điện"
    assert Message.objects.filter(template="appointment_cancelled", subject_id=booking.pk).exists()
    with pytest.raises(ApplicationError, match="đã được đóng"):
        services.blackout_add(resource=resource, actor=official, date=day, reason="Mất điện")


def test_reminder_the_day_before_once(citizen, resource):
    day = next_working_day()
    tomorrow = next_working_day(day)
    booking = book(resource, citizen, slot_at(tomorrow, 8))
    # Booked before the day before: the reminder goes once, on the day before at 07:00 or later.
    Booking.objects.filter(pk=booking.pk).update(created_at=slot_at(day, 7) - datetime.timedelta(days=3))
    before_eve = tomorrow - datetime.timedelta(days=1)
    assert tick(now=slot_at(before_eve, 6)) is None  # too early in the morning
    assert tick(now=slot_at(before_eve, 9)) == "1 appointment reminders"
    assert tick(now=slot_at(before_eve, 10)) is None
    assert Message.objects.filter(template="appointment_reminder").count() == 2  # e-mail and SMS
    booking.refresh_from_db()
    assert booking.reminder_sent_at is not None


def test_resource_save_is_scoped_and_checked(official):
    from congso.conftest import unit

    with pytest.raises(PermissionDenied):
        services.resource_save(
            actor=official, unit=unit("32248"), kind="counter", name="X", slot_minutes=30, capacity=1,
            horizon_days=30,
        )  # fmt: skip
    with pytest.raises(ApplicationError, match="từ 5 đến 240 phút"):
        services.resource_save(
            actor=official, unit=unit("32002"), kind="counter", name="X", slot_minutes=1, capacity=1,
            horizon_days=30,
        )  # fmt: skip
    saved = services.resource_save(
        actor=official, unit=unit("32002"), kind="health_station", name="Trạm Y tế", slot_minutes=15,
        capacity=3, horizon_days=14,
    )  # fmt: skip
    assert saved.search_key.startswith("tram y te")
