import pytest
from hypothesis import given
from hypothesis import strategies as st

from congso.payments.vietqr import VietQR, VietQRError, build_payload, crc16_ccitt_false, parse_payload

# Written field by field from ONE-STOP.md "VietQR" (tag, length, value):
# 00 02 01 | 01 02 12 | 38 54 [00 10 A000000727 | 01 24 [00 06 970405 | 01 10 9999320020] | 02 08 QRIBFTTA]
# | 53 03 704 | 54 05 50000 | 58 02 VN | 62 30 [01 11 CS7KQ2M9XA4 | 08 11 CS7KQ2M9XA4] | 63 04 CRC
DYNAMIC = (
    "000201"
    "010212"
    "3854"
    "0010A000000727"
    "0124"
    "0006970405"
    "01109999320020"
    "0208QRIBFTTA"
    "5303704"
    "540550000"
    "5802VN"
    "6230"
    "0111CS7KQ2M9XA4"
    "0811CS7KQ2M9XA4"
    "63044AB3"
)
STATIC = "00020101021138540010A00000072701240006970405011099993200200208QRIBFTTA53037045802VN6304705B"
# Published in the README of github.com/subiz/vietqr (VietinBank BIN 970415, 120,000 đ, "ung ho lu lut").
PUBLISHED = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN"
    "62170813ung ho lu lut6304C15C"
)


def bitwise_crc(data: bytes) -> int:
    """CRC-16/CCITT-FALSE bit by bit, as the specification describes it."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def test_crc_check_value():
    assert crc16_ccitt_false(b"123456789") == bitwise_crc(b"123456789") == 0x29B1


@pytest.mark.parametrize("payload", [DYNAMIC, STATIC, PUBLISHED])
def test_crc_of_known_payloads(payload):
    body = payload[:-4].encode()
    assert crc16_ccitt_false(body) == bitwise_crc(body) == int(payload[-4:], 16)


@given(st.binary(max_size=300))
def test_crc_matches_the_bitwise_definition(data):
    assert crc16_ccitt_false(data) == bitwise_crc(data)


def test_dynamic_payload_for_known_input():
    qr = VietQR(
        bank_bin="970405",
        account_number="9999320020",
        amount_vnd=50000,
        purpose="CS7KQ2M9XA4",
        bill_number="CS7KQ2M9XA4",
    )
    assert build_payload(qr) == DYNAMIC


def test_static_payload_for_known_input():
    assert build_payload(VietQR(bank_bin="970405", account_number="9999320020")) == STATIC


def test_published_payload_verifies():
    qr = parse_payload(PUBLISHED)
    assert (qr.bank_bin, qr.account_number, qr.amount_vnd, qr.purpose) == (
        "970415",
        "0011001932418",
        120000,
        "ung ho lu lut",
    )
    assert build_payload(qr) == PUBLISHED


def _recrc(body: str) -> str:
    return body + f"{crc16_ccitt_false(body.encode()):04X}"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (DYNAMIC.replace("50000", "90000"), "CRC"),  # the amount changed
        (DYNAMIC[:-1] + "0", "CRC"),
        (DYNAMIC[:-8], "63"),
        ("", "empty"),
        (_recrc(DYNAMIC[:-4].replace("540550000", "540650000")), "field"),  # length overruns
        (_recrc(DYNAMIC[:-4].replace("A000000727", "A000000999")), "GUID"),
        (_recrc(DYNAMIC[:-4].replace("5303704", "5303840")), "currency"),
        (_recrc(STATIC[:-4].replace("010211", "010212")), "amount"),
        (_recrc(DYNAMIC[:-4].replace("QRIBFTTA", "QRIBFTXX")), "service"),
        (_recrc("000201" + DYNAMIC[6:-4].replace("5802VN", "5802US")), "country"),
    ],
)
def test_tampered_or_malformed_payloads_are_refused(payload, message):
    with pytest.raises(VietQRError, match=message):
        parse_payload(payload)


def test_builder_refuses_what_the_layout_cannot_carry():
    with pytest.raises(VietQRError):
        build_payload(VietQR(bank_bin="97040", account_number="1"))
    with pytest.raises(VietQRError):
        build_payload(VietQR(bank_bin="970405", account_number="1", purpose="x" * 26))
    with pytest.raises(VietQRError):
        build_payload(VietQR(bank_bin="970405", account_number="1", purpose="phí"))
    with pytest.raises(VietQRError):
        build_payload(VietQR(bank_bin="970405", account_number="1", amount_vnd=0))


ascii_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=25)


@given(
    bank_bin=st.from_regex(r"[0-9]{6}", fullmatch=True),
    account=st.from_regex(r"[0-9A-Z]{1,19}", fullmatch=True),
    amount=st.one_of(st.none(), st.integers(min_value=1, max_value=10**12)),
    purpose=ascii_text,
    bill=ascii_text,
)
def test_round_trip(bank_bin, account, amount, purpose, bill):
    qr = VietQR(
        bank_bin=bank_bin, account_number=account, amount_vnd=amount, purpose=purpose, bill_number=bill
    )
    assert parse_payload(build_payload(qr)) == qr


@given(st.data())
def test_any_single_character_change_is_caught(data):
    index = data.draw(st.integers(min_value=0, max_value=len(DYNAMIC) - 1))
    replacement = data.draw(st.sampled_from("0123456789ABCDEFVN"))
    if DYNAMIC[index] == replacement:
        return
    with pytest.raises(VietQRError):
        parse_payload(DYNAMIC[:index] + replacement + DYNAMIC[index + 1 :])
