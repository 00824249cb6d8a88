import pytest
from django.db import IntegrityError

from congso.notifications.constants import MessageChannel
from congso.notifications.models import Message
from congso.notifications.tests.fakes import MASKED_PHONE, PHONE

pytestmark = pytest.mark.django_db


def test_str_masks_the_recipient():
    sms = Message(channel=MessageChannel.SMS, recipient=PHONE, template="dossier_received")
    email = Message(channel=MessageChannel.EMAIL, recipient="hoa@example.vn", subject="Thư thử nghiệm")
    assert str(sms) == f"SMS {MASKED_PHONE} · dossier_received"
    assert PHONE not in str(sms)
    assert "h***@example.vn" in str(email)
    assert "hoa@" not in str(email)


def test_a_dedup_key_is_unique_but_an_empty_one_is_not():
    fields = {"channel": MessageChannel.SMS, "recipient": PHONE, "body": "x"}
    Message.objects.create(**fields)
    Message.objects.create(**fields)
    Message.objects.create(**fields, dedup_key="dossier:1:received:sms")
    with pytest.raises(IntegrityError):
        Message.objects.create(**fields, dedup_key="dossier:1:received:sms")
