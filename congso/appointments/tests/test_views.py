import pytest
from django.urls import reverse

from congso.appointments import services
from congso.appointments.constants import BookingStatus
from congso.appointments.models import Booking
from congso.appointments.tests.conftest import make_resource, slot_at
from congso.conftest import PASSWORD, make_user


def login(client, user):
    client.login(email=user.email, password=PASSWORD)


def make_booking(resource, user, starts_at):
    return services.booking_create(
        resource=resource, user=user, starts_at=starts_at, name="Nguyễn Văn A", phone="0912345678",
        purpose="Khám bệnh",
    )  # fmt: skip


def test_search_is_accent_insensitive(client, db):
    make_resource("32248", name="Trạm Y tế xã Đất Mũi", kind="health_station")
    make_resource("32002", name="Quầy tiếp nhận An Xuyên")
    response = client.get(reverse("appointments:resource_list"), {"q": "tram y te dat mui"})
    assert response.status_code == 200
    assert "Trạm Y tế xã Đất Mũi" in response.text and "Quầy tiếp nhận An Xuyên" not in response.text
    response = client.get(reverse("appointments:resource_list"), {"xa": "32002"})
    results = response.text.split('class="procedure-list resource-list"')[1]
    assert "Quầy tiếp nhận An Xuyên" in results and "Trạm Y tế xã Đất Mũi" not in results


@pytest.mark.parametrize("count", [3, 25])
def test_resource_list_constant_queries(client, db, count, django_assert_max_num_queries):
    for n in range(count):
        make_resource("32002", name=f"Quầy {n}")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("appointments:resource_list")).status_code == 200


def test_free_slots_page_links_to_the_form_without_js(client, resource, day):
    response = client.get(
        reverse("appointments:resource_detail", args=[resource.pk]), {"tu": day.isoformat()}
    )
    assert response.status_code == 200
    assert f"?luc={day:%Y%m%d}0700" in response.text


def test_book_confirm_and_cancel_through_the_link(client, citizen, resource, day):
    login(client, citizen)
    url = reverse("appointments:book", args=[resource.pk]) + f"?luc={day:%Y%m%d}0800"
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Nguyễn Văn A", "phone": "0912 345 678", "purpose": "Nộp hồ sơ"})
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/lich-hen/{booking.pk}/")
    page = client.get(response["Location"])
    assert booking.check_in_code in page.text and "<svg" in page.text
    cancel = reverse("appointments:cancel", args=[services.cancel_token(booking)])
    client.logout()  # the link works without signing in
    assert client.get(cancel).status_code == 200
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED  # GET changes nothing
    response = client.post(cancel)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert client.post(cancel).status_code == 400  # twice: a message, not a 500
    qr = client.get(reverse("appointments:ticket_qr", args=[services.cancel_token(booking)]))
    assert qr["Content-Type"] == "image/png"


def test_booking_errors_are_shown_and_change_nothing(client, citizen, resource, day):
    login(client, citizen)
    url = reverse("appointments:book", args=[resource.pk]) + f"?luc={day:%Y%m%d}0810"
    response = client.post(url, {"name": "A", "phone": "0912345678", "purpose": "x"})
    assert response.status_code == 200 and "Vui lòng chọn một trong các khung giờ" in response.text
    bad_code = reverse("appointments:book", args=[resource.pk]) + "?luc=abc"
    assert client.get(bad_code).status_code == 302
    url = reverse("appointments:book", args=[resource.pk]) + f"?luc={day:%Y%m%d}0800"
    response = client.post(
        url, {"name": "A", "phone": "0912345678", "purpose": "x", "procedure_code": "9.99"}
    )
    assert "Không có thủ tục nào có mã này" in response.text
    assert not Booking.objects.exists()


def test_bookings_are_private(client, citizen, resource, day):
    booking = make_booking(resource, citizen, slot_at(day, 8))
    other = make_user("other@example.vn")
    login(client, other)
    assert client.get(reverse("appointments:confirmation", args=[booking.pk])).status_code == 404
    assert client.get(reverse("appointments:cancel", args=["forged"])).status_code == 404


def test_office_day_list_is_scoped_and_printable(
    client, official, citizen, day, django_assert_max_num_queries
):
    mine = make_resource("32002")
    theirs = make_resource("32248", name="Quầy Đất Mũi")
    make_booking(mine, citizen, slot_at(day, 8))
    login(client, official)
    url = reverse("appointments:office_day", args=[mine.pk])
    response = client.get(url, {"ngay": day.isoformat()})
    assert response.status_code == 200
    assert "Nguyễn Văn A" in response.text and "0912345678" not in response.text  # phone masked
    assert "appointments/print" in response.text and 'media="print"' in response.text
    assert client.get(reverse("appointments:office_day", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("appointments:office_blackouts", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("appointments:office_edit", args=[theirs.pk])).status_code == 404


@pytest.mark.parametrize("count", [2, 20])
def test_office_day_list_constant_queries(client, official, day, count, django_assert_max_num_queries):
    resource = make_resource("32002", capacity=30)
    for n in range(count):
        make_booking(resource, make_user(f"u{n}@example.vn"), slot_at(day, 8))
    login(client, official)
    with django_assert_max_num_queries(12):
        client.get(reverse("appointments:office_day", args=[resource.pk]), {"ngay": day.isoformat()})


def test_citizen_cannot_open_office_pages(client, citizen, resource):
    login(client, citizen)
    assert client.get(reverse("appointments:office_day", args=[resource.pk])).status_code == 403


def test_check_in_by_code_on_the_day(client, official, citizen, resource, day, monkeypatch):
    booking = make_booking(resource, citizen, slot_at(day, 8))
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: slot_at(day, 8, 5))
    login(client, official)
    response = client.post(
        reverse("appointments:office_check_in", args=[resource.pk]),
        {"code": booking.check_in_code},
        follow=True,
    )
    assert "đã đến" in response.text.lower() or "Nguyễn Văn A" in response.text
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN


def test_office_adds_a_resource_and_a_closed_day(client, official, day):
    login(client, official)
    from congso.conftest import unit

    response = client.post(
        reverse("appointments:office_new"),
        {"kind": "health_station", "name": "Trạm Y tế phường An Xuyên", "unit": unit("32002").pk,
         "slot_minutes": 15, "capacity": 2, "horizon_days": 30, "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    resource = official.__class__.objects.none().model  # noqa: F841
    from congso.appointments.models import Resource

    created = Resource.objects.get(name="Trạm Y tế phường An Xuyên")
    response = client.post(
        reverse("appointments:office_blackouts", args=[created.pk]),
        {"date": day.isoformat(), "reason": "Tiêm chủng"},
    )
    assert response.status_code == 302 and created.blackouts.get().reason == "Tiêm chủng"


def test_api_lists_free_slots(client, resource, day):
    response = client.get(
        f"/api/v1/appointments/resources/{resource.pk}/slots", {"start": day.isoformat(), "days": 1}
    )
    assert response.status_code == 200
    (entry,) = response.json()
    assert entry["slots"][0]["free"] == 2


def test_bad_query_values_are_not_errors(client, official, resource):
    for params in ({"tu": "9999-99-99"}, {"tu": "2999-01-01"}, {"trang": "x"}):
        assert (
            client.get(reverse("appointments:resource_detail", args=[resource.pk]), params).status_code == 200
        )
    assert (
        client.get(reverse("appointments:resource_list"), {"q": "x" * 500, "loai": "zzz"}).status_code == 200
    )
    login(client, official)
    url = reverse("appointments:office_day", args=[resource.pk])
    assert client.get(url, {"ngay": "not-a-date"}).status_code == 200
    response = client.get(f"/api/v1/appointments/resources/{resource.pk}/slots", {"days": -5})
    assert response.status_code == 200 and response.json() == []
