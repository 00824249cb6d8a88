import logging
import smtplib

import pytest
from django.core.checks import run_checks
from django.core.mail.backends.base import BaseEmailBackend

from congso.notifications.channels import (
    CHANNELS,
    DevelopmentSmsProvider,
    PermanentError,
    TemporaryError,
    channel_backend,
    sms_provider,
)
from congso.notifications.constants import MessageChannel
from congso.notifications.models import Message
from congso.notifications.tests.fakes import EMAIL, MASKED_PHONE, PHONE, UnreachableGateway


class RefusingMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({EMAIL: (550, b"no such user")})


class DownMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


def email(**fields) -> Message:
    return Message(
        pk=1, channel=MessageChannel.EMAIL, recipient=EMAIL, subject="Chủ đề", body="Nội dung", **fields
    )


def test_every_channel_has_a_backend():
    assert set(CHANNELS) == set(MessageChannel.values)
    with pytest.raises(PermanentError):
        channel_backend("fax")


def test_a_refused_address_is_permanent_and_a_server_down_temporary(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingMailServer"
    with pytest.raises(PermanentError):
        channel_backend(MessageChannel.EMAIL).send(email())
    settings.EMAIL_BACKEND = f"{__name__}.DownMailServer"
    with pytest.raises(TemporaryError, match="ConnectionRefusedError"):
        channel_backend(MessageChannel.EMAIL).send(email())


def test_the_sms_provider_is_chosen_by_setting(settings):
    assert isinstance(sms_provider(), DevelopmentSmsProvider)
    settings.CONGSO_SMS_BACKEND = "congso.notifications.tests.fakes.UnreachableGateway"
    assert isinstance(sms_provider(), UnreachableGateway)
    del settings.CONGSO_SMS_BACKEND
    assert isinstance(sms_provider(), DevelopmentSmsProvider)  # the default when the setting is absent


def test_the_development_provider_logs_the_masked_number(caplog, sent_sms, sms_dir):
    with caplog.at_level(logging.INFO, logger="congso.notifications"):
        provider_id = DevelopmentSmsProvider().send_sms(
            phone=PHONE, text="Ho so da duoc tiep nhan", reference="7"
        )
    (sms,) = sent_sms()
    assert sms.startswith(f"To: {PHONE}\n")
    assert f"Provider-Id: {provider_id}\n" in sms
    assert f"development SMS to {MASKED_PHONE} (23 characters)" in caplog.text
    assert PHONE not in caplog.text


def test_the_development_provider_sends_a_reference_once(sent_sms):
    """Like a real gateway given the message's reference as its idempotency key: a retry after a worker was
    killed between the gateway's answer and congso's record sends nothing twice."""
    first = DevelopmentSmsProvider().send_sms(phone=PHONE, text="Ho so da duoc tiep nhan", reference="42")
    again = DevelopmentSmsProvider().send_sms(phone=PHONE, text="Ho so da duoc tiep nhan", reference="42")
    other = DevelopmentSmsProvider().send_sms(phone=PHONE, text="Ho so da duoc tiep nhan", reference="43")
    assert again == first != other
    assert len(sent_sms()) == 2


def test_an_sms_backend_that_cannot_be_imported_fails_the_system_check(settings):
    settings.CONGSO_SMS_BACKEND = "congso.notifications.channels.NoSuchProvider"
    assert "notifications.E001" in [error.id for error in run_checks()]
    settings.CONGSO_SMS_BACKEND = "congso.notifications.channels.DevelopmentSmsProvider"
    assert "notifications.E001" not in [error.id for error in run_checks()]
    assert "notifications.W001" in [error.id for error in run_checks(include_deployment_checks=True)]
