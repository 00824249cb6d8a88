import pytest
from hypothesis import given
from hypothesis import strategies as st

from congso.notifications.text import (
    mask_email,
    mask_phone,
    mask_recipient,
    phone_normalize,
    redact,
    sms_text,
)

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàằầèềìòồờùừỳáắấéếíóốớúứýảẳẩẻểỉỏổởủửỷãẵẫẽễĩõỗỡũữỹạặậẹệịọộợụựỵ"


def test_sms_text_strips_diacritics_and_keeps_the_case():
    assert sms_text("Hồ sơ ĐÃ được tiếp nhận") == "Ho so DA duoc tiep nhan"
    assert sms_text("Xã Đất Mũi, Cà Mau") == "Xa Dat Mui, Ca Mau"


def test_sms_text_makes_one_line_of_gsm_characters():
    assert sms_text("  “Khai sinh” – bản sao…\n\nxong ") == '"Khai sinh" - ban sao... xong'
    assert sms_text("") == ""


def test_sms_text_treats_composed_and_decomposed_text_alike():
    assert sms_text("Cà Mau") == sms_text("Ca\u0300 Mau") == "Ca Mau"


@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " .,:/-0123456789"))
def test_sms_text_of_vietnamese_is_ascii(text):
    folded = sms_text(text)
    assert folded.isascii()
    assert len(folded) <= len(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("091234567", None),
        ("09123456789", None),
        ("1912345678", None),
        ("0912-34x-678", None),
        ("", None),
    ],
)
def test_phone_normalize(value, expected):
    assert phone_normalize(value) == expected


def test_masking():
    assert mask_phone("0912345678") == "09******78"
    assert mask_email("hoa@example.vn") == "h***@example.vn"
    assert mask_recipient("0912345678") == "09******78"
    assert mask_recipient("nguyen.van.a@camau.gov.vn") == "n***@camau.gov.vn"
    assert mask_phone("123") == "***"


def test_redact_hides_every_form_of_the_recipient():
    assert redact("refused +84912345678 and 0912345678", "0912345678") == "refused +09******78 and 09******78"
    assert redact("550 <Hoa@Example.vn> unknown", "hoa@example.vn") == "550 <h***@example.vn> unknown"
