import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["home", "geo:unit_list", "account_login", "account_signup", "account_reset_password"]


def test_home_page_is_in_vietnamese(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Dịch vụ công của Tỉnh Cà Mau" in body
    assert "64 xã, phường" in body
    assert 'href="#main"' in body  # skip link
    assert "<main" in body
    assert "<nav" in body


def test_vietnamese_even_when_the_phone_asks_for_english(client):
    body = client.get(reverse("home"), headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="vi">' in body


def test_language_switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body
    assert "Public services of Tỉnh Cà Mau" in body


@pytest.mark.parametrize("name", PAGES)
def test_pages_have_no_inline_script_or_style(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    body = response.content.decode()
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    # Every executable <script> loads a file; JSON data blocks are not executed.
    for attrs in re.findall(r"<script([^>]*)>", body):
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
    assert not re.search(r"\sstyle=", body)
    assert not re.search(r"\son[a-z]+=", body)  # no inline event handlers


def test_static_front_end_packages_are_local(client):
    body = client.get(reverse("geo:unit_list")).content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in body
    assert "cdn" not in body.lower()


def test_404_page_in_vietnamese(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_500_page_in_vietnamese_without_the_database(rf):
    from congso.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in response.content.decode()


def test_403_page_in_vietnamese(rf):
    from django.contrib.auth.models import AnonymousUser

    from congso.core.views import permission_denied

    request = rf.get("/")
    request.user = AnonymousUser()
    response = permission_denied(request)
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_healthz(client):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


def test_security_headers(client):
    response = client.get(reverse("home"))
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
