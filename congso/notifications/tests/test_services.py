import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from congso.core.exceptions import ApplicationError
from congso.notifications.constants import MessageChannel, MessageStatus
from congso.notifications.models import Message
from congso.notifications.selectors import messages_about
from congso.notifications.services import message_send_again, notification_send
from congso.notifications.tests.fakes import CODE, EMAIL, LOOKUP_URL, PHONE, RECEIVED

pytestmark = pytest.mark.django_db
DELIVER = "congso.notifications.tasks.deliver_message"


def send(
    channel=MessageChannel.SMS, recipient=PHONE, template="dossier_received", context=RECEIVED, **kwargs
):
    return notification_send(
        channel=channel, recipient=recipient, template=template, context=context, **kwargs
    )


def test_the_message_is_written_in_the_callers_transaction_and_queued_only_on_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            message = send(channel=MessageChannel.EMAIL, recipient=EMAIL)
            assert Message.objects.get().status == MessageStatus.PENDING
            assert not DBTaskResult.objects.exists()
        assert not DBTaskResult.objects.exists()
    assert len(callbacks) == 1
    task = DBTaskResult.objects.get()
    assert task.task_path == DELIVER
    assert task.args_kwargs["kwargs"] == {"message_id": message.pk}
    assert mail.outbox == []  # the worker sends it, not the request
    assert message.attempts == 0
    assert message.next_attempt_at > message.created_at  # when the sweep takes over if the task is lost


def test_nothing_is_queued_when_the_callers_transaction_rolls_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send()
        raise RuntimeError("the dossier could not be saved")
    assert callbacks == []
    assert not Message.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_an_email_stores_the_vietnamese_text_the_person_reads():
    message = send(channel=MessageChannel.EMAIL, recipient=" Hoa.Nguyen@Example.VN ")
    assert message.recipient == EMAIL
    assert message.template == "dossier_received"
    assert message.subject == f"Hồ sơ {CODE} đã được tiếp nhận"
    # Plain text is not HTML-escaped, and times are in Cà Mau.
    assert "Thủ tục: Đăng ký khai sinh & cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi" in message.body
    assert "Ngày hẹn trả kết quả: 17:00 ngày 20/03/2026" in message.body
    assert f"Tra cứu tình trạng hồ sơ: {LOOKUP_URL}" in message.body
    assert message.html_body == ""


def test_an_sms_is_written_without_diacritics():
    message = send(recipient="+84 912 345 678")
    assert message.recipient == PHONE
    assert message.subject == ""
    assert message.body == f"Ho so {CODE} da duoc tiep nhan. Hen tra 20/03/2026. Tra cuu: {LOOKUP_URL}"


def test_an_html_alternative_is_escaped_where_the_text_is_not():
    message = send(
        channel=MessageChannel.EMAIL, recipient=EMAIL, template="test_message", context={"note": "<a&b>"}
    )
    assert message.subject == "Thư thử nghiệm từ congso"
    assert "Ghi chú: <a&b>" in message.body
    assert "<p>Ghi chú: &lt;a&amp;b&gt;</p>" in message.html_body


def test_a_given_subject_replaces_the_template_and_stays_on_one_line():
    message = send(channel=MessageChannel.EMAIL, recipient=EMAIL, subject="Thông báo\nvề hồ sơ")
    assert message.subject == "Thông báo về hồ sơ"


def test_a_dedup_key_gives_one_message(django_capture_on_commit_callbacks):
    key = "dossier:123:received:sms"
    with django_capture_on_commit_callbacks(execute=True):
        first = send(dedup_key=key, subject_type="dossier", subject_id=123)
        again = send(dedup_key=key, subject_type="dossier", subject_id=123)
    with django_capture_on_commit_callbacks(execute=True):
        later = send(dedup_key=key, subject_type="dossier", subject_id=123)
    assert first.pk == again.pk == later.pk
    assert Message.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


@pytest.mark.parametrize(
    ("channel", "recipient", "error"),
    [
        (MessageChannel.EMAIL, "", "Nhập địa chỉ email"),
        (MessageChannel.EMAIL, "hoa@", "Nhập địa chỉ email"),
        (MessageChannel.EMAIL, PHONE, "Nhập địa chỉ email"),
        (MessageChannel.SMS, "", "Số điện thoại gồm 10 chữ số"),
        (MessageChannel.SMS, "091234567", "Số điện thoại gồm 10 chữ số"),
        (MessageChannel.SMS, EMAIL, "Số điện thoại gồm 10 chữ số"),
    ],
)
def test_a_missing_or_malformed_recipient_is_refused_in_vietnamese(
    channel, recipient, error, django_capture_on_commit_callbacks
):
    with (
        translation.override("vi"),
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ApplicationError) as refused,
    ):
        send(channel=channel, recipient=recipient)
    assert refused.value.code == "invalid_recipient"
    assert error in refused.value.message
    assert callbacks == []
    assert not Message.objects.exists()


def test_an_unknown_channel_is_refused():
    with pytest.raises(ApplicationError) as refused:
        send(channel="fax")
    assert refused.value.code == "unknown_channel"


def test_send_again_queues_a_given_up_message_but_not_a_sent_one(django_capture_on_commit_callbacks):
    given_up = send()
    sent = send()
    Message.objects.filter(pk=given_up.pk).update(
        status=MessageStatus.GIVEN_UP, attempts=7, next_attempt_at=None
    )
    Message.objects.filter(pk=sent.pk).update(status=MessageStatus.SENT, next_attempt_at=None)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert message_send_again(message=given_up) is True
        assert message_send_again(message=sent) is False
    assert len(callbacks) == 1
    given_up.refresh_from_db()
    assert given_up.status == MessageStatus.PENDING
    assert given_up.next_attempt_at is not None
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"message_id": given_up.pk}


def test_messages_about_one_dossier():
    first = send(subject_type="dossier", subject_id=1)
    second = send(channel=MessageChannel.EMAIL, recipient=EMAIL, subject_type="dossier", subject_id=1)
    send(subject_type="dossier", subject_id=2)
    assert list(messages_about(subject_type="dossier", subject_id=1)) == [second, first]
