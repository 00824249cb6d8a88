import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from congso.accounts.constants import IdentityLevel
from congso.accounts.models import CitizenProfile, User
from congso.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signup(client, django_capture_on_commit_callbacks, email="moi@example.vn", password="Hoa-sen-2026!x"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("account_signup"),
            {"email": email, "password1": password, "password2": password, "consent": "on"},
        )


def test_signup_page_is_in_vietnamese(client):
    body = client.get(reverse("account_signup")).content.decode()
    assert "Đăng ký" in body
    assert "Mật khẩu" in body


def test_signup_creates_a_citizen_and_queues_the_welcome_email(client, django_capture_on_commit_callbacks):
    response = signup(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    user = User.objects.get(email="moi@example.vn")
    assert CitizenProfile.objects.get(user=user).identity_level == IdentityLevel.NONE
    task = DBTaskResult.objects.get()
    assert task.task_path == "congso.accounts.tasks.send_welcome_email"
    assert task.args_kwargs["kwargs"] == {"user_id": user.pk}
    assert [m for m in mail.outbox if "Chào mừng" in m.subject] == []  # nothing sent until the worker runs


def test_worker_round_trip_sends_the_welcome_email(client, committing_db):
    # Committed for real: the task is enqueued on commit; the worker checks its connection as in production.
    response = client.post(
        reverse("account_signup"),
        {
            "email": "moi@example.vn",
            "password1": "Hoa-sen-2026!x",
            "password2": "Hoa-sen-2026!x",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    assert DBTaskResult.objects.get().status == "READY"
    mail.outbox.clear()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    task = DBTaskResult.objects.get()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == "moi@example.vn"
    (message,) = mail.outbox
    assert message.to == ["moi@example.vn"]
    assert message.subject == "Chào mừng bạn đến với congso"
    assert "hồ sơ trực tuyến" in message.body


def test_signup_rejects_a_weak_password_with_a_vietnamese_message(client, django_capture_on_commit_callbacks):
    response = signup(client, django_capture_on_commit_callbacks, password="12345678")
    assert response.status_code == 200
    assert not User.objects.filter(email="moi@example.vn").exists()
    body = response.content.decode()
    assert "Mật khẩu này quá ngắn" in body or "Mật khẩu này quá phổ biến" in body
    assert not DBTaskResult.objects.exists()


def test_signup_refuses_a_taken_email(client, citizen, django_capture_on_commit_callbacks):
    response = signup(client, django_capture_on_commit_callbacks, email=citizen.email.upper())
    assert response.status_code == 200
    assert User.objects.filter(email__iexact=citizen.email).count() == 1


def test_login_and_logout(client, citizen):
    page = client.get(reverse("account_login")).content.decode()
    assert "Đăng nhập" in page
    response = client.post(reverse("account_login"), {"login": citizen.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_login_with_a_wrong_password_fails_in_vietnamese(client, citizen):
    response = client.post(reverse("account_login"), {"login": citizen.email, "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "không đúng" in response.content.decode()


def test_password_reset_sends_a_vietnamese_email(client, citizen):
    response = client.post(reverse("account_reset_password"), {"email": citizen.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [citizen.email]
    assert message.subject == "[congso] Email đặt lại mật khẩu"


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_totp_setup_is_available(client, official):
    client.post(reverse("account_login"), {"login": official.email, "password": PASSWORD})
    # Turning on two-factor asks for the password again, even right after signing in.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kích hoạt ứng dụng xác thực" in body or "Ứng dụng xác thực" in body
    assert 'name="code"' in body
