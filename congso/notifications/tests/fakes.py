"""What the tests share: a person, realistic dossier contexts, and SMS gateways that fail (named in
CONGSO_SMS_BACKEND like a real one; their errors quote the number, as real gateways do, so that the tests can
check it never reaches the logs)."""

from datetime import UTC, datetime

from congso.notifications.channels import PermanentError, SmsProvider, TemporaryError

PHONE = "0912345678"
MASKED_PHONE = "09******78"
EMAIL = "hoa.nguyen@example.vn"
MASKED_EMAIL = "h***@example.vn"

# A national-format dossier code and a lookup address as long as a province portal's.
CODE = "000.00.32.H12-260315-0001"
LOOKUP_URL = f"https://dichvucong.camau.gov.vn/tra-cuu/?ma={CODE}"
RECEIVED = {
    "code": CODE,
    "procedure_name": "Đăng ký khai sinh & cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
    "due_at": datetime(2026, 3, 20, 10, 0, tzinfo=UTC),  # 17:00 in Cà Mau
    "lookup_url": LOOKUP_URL,
}
STATUS_CHANGED = {"code": CODE, "status_label": "Yêu cầu bổ sung hồ sơ", "lookup_url": LOOKUP_URL}


class UnreachableGateway(SmsProvider):
    def send_sms(self, *, phone: str, text: str, reference: str) -> str:
        raise TemporaryError(f"timeout sending to +84{phone[1:]}")


class RefusingGateway(SmsProvider):
    def send_sms(self, *, phone: str, text: str, reference: str) -> str:
        raise PermanentError(f"{phone} is not a mobile number")


class BrokenGateway(SmsProvider):
    def send_sms(self, *, phone: str, text: str, reference: str) -> str:
        raise KeyError(phone)  # a bug: an error the gateway did not classify
