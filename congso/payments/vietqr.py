"""VietQR payloads (NAPAS, EMVCo merchant-presented QR): build and parse, ONE-STOP.md "VietQR".

A payload is a list of TLV fields: two-digit id, two-digit length, value. Templates (38, 62) hold TLV fields
of their own. The last field is the CRC (63): CRC-16/CCITT-FALSE over everything before it, "6304" included.
Only ASCII is allowed: banks' apps read the bytes and a "length" in characters must equal the byte count.
"""

import binascii
import re
from dataclasses import dataclass

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"  # chuyển nhanh NAPAS 247 đến tài khoản
SERVICE_TO_CARD = "QRIBFTTC"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
STATIC = "11"
DYNAMIC = "12"
PURPOSE_MAX = 25  # ONE-STOP.md: purpose ≤ 25 characters

# Fields that hold nested TLV fields: merchant account templates 26–51, additional data 62, language 64;
# inside NAPAS's 38, field 01 (the beneficiary) is a template too.
_TEMPLATES = {str(i) for i in range(26, 52)} | {"62", "64"}
_NESTED = {"38": {"01"}}
_PRINTABLE = re.compile(r"^[\x20-\x7e]*$")


class VietQRError(ValueError):
    """A payload that is not a valid VietQR: the message says which field is wrong."""


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR.

    The standard library's ``crc_hqx`` is this CRC (in C) when started from 0xFFFF; the tests check it
    against a bit-by-bit implementation and the published check value.
    """
    return binascii.crc_hqx(data, 0xFFFF)


def tlv(tag: str, value: str) -> str:
    if len(tag) != 2 or not tag.isdigit():
        raise VietQRError(f"field id {tag!r} must be two digits")
    if not _PRINTABLE.match(value):
        raise VietQRError(f"field {tag}: only printable ASCII is allowed")
    if not 0 < len(value) <= 99:
        raise VietQRError(f"field {tag}: length {len(value)} is outside 1–99")
    return f"{tag}{len(value):02d}{value}"


@dataclass(frozen=True)
class VietQR:
    """What a VietQR payload says. ``amount_vnd`` None: a static code, the payer types the amount."""

    bank_bin: str
    account_number: str
    amount_vnd: int | None = None
    purpose: str = ""  # 62/08
    bill_number: str = ""  # 62/01
    service: str = SERVICE_TO_ACCOUNT

    @property
    def is_dynamic(self) -> bool:
        return self.amount_vnd is not None


def build_payload(qr: VietQR) -> str:
    """The payload string of ``qr``, CRC included. Raises VietQRError for values the layout cannot carry."""
    if not re.fullmatch(r"\d{6}", qr.bank_bin or ""):
        raise VietQRError("the bank BIN has 6 digits")
    if not re.fullmatch(r"[0-9A-Za-z]{1,19}", qr.account_number or ""):
        raise VietQRError("the account number has 1–19 letters or digits")
    if qr.service not in (SERVICE_TO_ACCOUNT, SERVICE_TO_CARD):
        raise VietQRError(f"unknown service code {qr.service!r}")
    if len(qr.purpose) > PURPOSE_MAX or len(qr.bill_number) > PURPOSE_MAX:
        raise VietQRError(f"the purpose and bill number have at most {PURPOSE_MAX} characters")
    beneficiary = tlv("00", qr.bank_bin) + tlv("01", qr.account_number)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", qr.service)
    parts = [tlv("00", "01"), tlv("01", DYNAMIC if qr.is_dynamic else STATIC), tlv("38", merchant)]
    parts.append(tlv("53", CURRENCY_VND))
    if qr.is_dynamic:
        if not isinstance(qr.amount_vnd, int) or qr.amount_vnd <= 0 or qr.amount_vnd >= 10**13:
            raise VietQRError("the amount is a positive whole number of đồng")
        parts.append(tlv("54", str(qr.amount_vnd)))
    parts.append(tlv("58", COUNTRY_VN))
    additional = (tlv("01", qr.bill_number) if qr.bill_number else "") + (
        tlv("08", qr.purpose) if qr.purpose else ""
    )
    if additional:
        parts.append(tlv("62", additional))
    body = "".join(parts) + "6304"
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


def parse_tlv(data: str, *, where: str = "payload", templates=_TEMPLATES) -> dict[str, str | dict]:
    """Split ``data`` into {id: value}; templates are split again. Raises VietQRError on a malformed field
    (a length that overruns the data, a non-numeric id or length, a repeated id)."""
    fields: dict[str, str | dict] = {}
    i = 0
    while i < len(data):
        head = data[i : i + 4]
        if len(head) < 4 or not head.isdigit():
            raise VietQRError(f"{where}: malformed field header {head!r} at position {i}")
        tag, length = head[:2], int(head[2:])
        value = data[i + 4 : i + 4 + length]
        if length == 0 or len(value) != length:
            raise VietQRError(f"{where}: field {tag} says {length} characters, {len(value)} remain")
        if tag in fields:
            raise VietQRError(f"{where}: field {tag} appears twice")
        if tag in templates:
            fields[tag] = parse_tlv(value, where=f"{where}/{tag}", templates=_NESTED.get(tag, set()))
        else:
            fields[tag] = value
        i += 4 + length
    return fields


def parse_payload(payload: str) -> VietQR:
    """Check ``payload`` (CRC, lengths, templates, the VietQR fields) and return what it says.

    Raises VietQRError with a message naming the first problem: a tampered payload fails the CRC.
    """
    if not isinstance(payload, str) or not payload:
        raise VietQRError("empty payload")
    if not _PRINTABLE.match(payload):
        raise VietQRError("the payload has characters other than printable ASCII")
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise VietQRError("the payload does not end with the CRC field 63")
    expected = f"{crc16_ccitt_false(payload[:-4].encode('ascii')):04X}"
    if payload[-4:].upper() != expected:
        raise VietQRError(f"CRC mismatch: the payload says {payload[-4:]}, its content gives {expected}")
    fields = parse_tlv(payload)
    if list(fields)[-1] != "63":
        raise VietQRError("field 63 (CRC) must be the last")
    if fields.get("00") != "01":
        raise VietQRError("field 00 (payload format) must be 01")
    initiation = fields.get("01")
    if initiation not in (STATIC, DYNAMIC):
        raise VietQRError("field 01 (point of initiation) must be 11 or 12")
    merchant = fields.get("38")
    if not isinstance(merchant, dict):
        raise VietQRError("field 38 (merchant account) is missing")
    if merchant.get("00") != NAPAS_GUID:
        raise VietQRError(f"field 38/00 must be the NAPAS GUID {NAPAS_GUID}")
    beneficiary = merchant.get("01")
    if not isinstance(beneficiary, dict):
        raise VietQRError("field 38/01 (beneficiary) is missing")
    bank_bin, account = beneficiary.get("00"), beneficiary.get("01")
    if not isinstance(bank_bin, str) or not re.fullmatch(r"\d{6}", bank_bin):
        raise VietQRError("field 38/01/00 (bank BIN) must have 6 digits")
    if not isinstance(account, str) or not 0 < len(account) <= 19:
        raise VietQRError("field 38/01/01 (account or card number) must have 1–19 characters")
    service = merchant.get("02")
    if service not in (SERVICE_TO_ACCOUNT, SERVICE_TO_CARD):
        raise VietQRError("field 38/02 (service code) must be QRIBFTTA or QRIBFTTC")
    if fields.get("53") != CURRENCY_VND:
        raise VietQRError("field 53 (currency) must be 704")
    if fields.get("58") != COUNTRY_VN:
        raise VietQRError("field 58 (country) must be VN")
    amount = fields.get("54")
    if amount is not None and (not isinstance(amount, str) or not re.fullmatch(r"[1-9]\d*", amount)):
        raise VietQRError("field 54 (amount) must be a whole positive number of đồng")
    if initiation == DYNAMIC and amount is None:
        raise VietQRError("a dynamic code (01 = 12) must carry an amount (54)")
    additional = fields.get("62", {})
    if not isinstance(additional, dict):
        raise VietQRError("field 62 (additional data) is malformed")
    purpose, bill = additional.get("08", ""), additional.get("01", "")
    for name, value in (("62/08", purpose), ("62/01", bill)):
        if not isinstance(value, str) or len(value) > PURPOSE_MAX:
            raise VietQRError(f"field {name} must have at most {PURPOSE_MAX} characters")
    return VietQR(
        bank_bin=bank_bin,
        account_number=account,
        amount_vnd=int(amount) if amount is not None else None,
        purpose=purpose,
        bill_number=bill,
        service=service,
    )
