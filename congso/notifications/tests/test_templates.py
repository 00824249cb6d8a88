"""The templates the dossier app uses, rendered with realistic contexts."""

import pytest

from congso.notifications.constants import MessageChannel
from congso.notifications.services import notification_send
from congso.notifications.tests.fakes import EMAIL, PHONE, RECEIVED, STATUS_CHANGED

pytestmark = pytest.mark.django_db
LONG_STATUS = {**STATUS_CHANGED, "status_label": "Đã có kết quả, chờ công dân đến nhận tại bộ phận một cửa"}


@pytest.mark.parametrize(
    ("template", "context"),
    [
        ("dossier_received", RECEIVED),
        ("dossier_received", {**RECEIVED, "due_at": None}),
        ("dossier_submitted", RECEIVED),
        ("dossier_status_changed", STATUS_CHANGED),
        ("dossier_status_changed", LONG_STATUS),
        ("test_message", {"note": "Kiểm tra kênh SMS"}),
    ],
)
def test_an_sms_fits_one_gsm_part(template, context):
    body = notification_send(
        channel=MessageChannel.SMS, recipient=PHONE, template=template, context=context
    ).body
    assert len(body) <= 160, body
    assert body.isascii()  # GSM alphabet, not UCS-2


@pytest.mark.parametrize(
    ("template", "context", "subject"),
    [
        ("dossier_received", RECEIVED, "Hồ sơ 000.00.32.H12-260315-0001 đã được tiếp nhận"),
        ("dossier_submitted", RECEIVED, "Đã nhận hồ sơ trực tuyến 000.00.32.H12-260315-0001"),
        ("dossier_status_changed", STATUS_CHANGED, "Hồ sơ 000.00.32.H12-260315-0001: Yêu cầu bổ sung hồ sơ"),
        ("test_message", {}, "Thư thử nghiệm từ congso"),
    ],
)
def test_an_email_is_written_with_diacritics(template, context, subject):
    message = notification_send(
        channel=MessageChannel.EMAIL, recipient=EMAIL, template=template, context=context
    )
    assert message.subject == subject
    assert message.body.startswith(("Kính gửi Quý ông/bà,", "Xin chào,"))
    assert message.body.endswith("Thư được gửi tự động, vui lòng không trả lời.")
    assert "{{" not in message.body
