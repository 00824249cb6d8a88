import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from congso.conftest import make_user
from congso.notifications.constants import MessageChannel, MessageStatus
from congso.notifications.models import Message
from congso.notifications.services import notification_send
from congso.notifications.tests.fakes import EMAIL, MASKED_EMAIL, MASKED_PHONE, PHONE, RECEIVED

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("admin@example.vn", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def outbox():
    sms = notification_send(
        channel=MessageChannel.SMS, recipient=PHONE, template="dossier_received", context=RECEIVED
    )
    email = notification_send(
        channel=MessageChannel.EMAIL, recipient=EMAIL, template="dossier_received", context=RECEIVED
    )
    return sms, email


def test_the_list_and_the_page_mask_recipients(admin_client, outbox):
    sms = outbox[0]
    body = admin_client.get(reverse("admin:notifications_message_changelist")).content.decode()
    assert MASKED_PHONE in body
    assert MASKED_EMAIL in body
    assert PHONE not in body
    assert EMAIL not in body
    response = admin_client.get(reverse("admin:notifications_message_change", args=[sms.pk]))
    assert response.status_code == 200
    assert MASKED_PHONE in response.content.decode()
    assert PHONE not in response.content.decode()


def test_search_by_the_exact_number_finds_the_message(admin_client, outbox):
    for query in (PHONE, "+84 912 345 678"):
        response = admin_client.get(reverse("admin:notifications_message_changelist"), {"q": query})
        assert list(response.context["cl"].result_list) == [outbox[0]]


def test_filter_by_status(admin_client, outbox):
    Message.objects.filter(pk=outbox[1].pk).update(status=MessageStatus.FAILED)
    response = admin_client.get(
        reverse("admin:notifications_message_changelist"), {"status__exact": "failed"}
    )
    assert list(response.context["cl"].result_list) == [outbox[1]]


def test_send_again_now(admin_client, outbox, django_capture_on_commit_callbacks):
    sms, email = outbox
    Message.objects.filter(pk=sms.pk).update(status=MessageStatus.GIVEN_UP, next_attempt_at=None)
    Message.objects.filter(pk=email.pk).update(status=MessageStatus.SENT, next_attempt_at=None)
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:notifications_message_changelist"),
            {"action": "send_again_now", "_selected_action": [sms.pk, email.pk]},
            follow=True,
        )
    assert response.status_code == 200
    notices = [str(notice) for notice in response.context["messages"]]
    assert len(notices) == 2
    sms.refresh_from_db()
    email.refresh_from_db()
    assert sms.status == MessageStatus.PENDING
    assert email.status == MessageStatus.SENT
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"message_id": sms.pk}


def test_messages_cannot_be_added_by_hand(admin_client):
    assert admin_client.get(reverse("admin:notifications_message_add")).status_code == 403
