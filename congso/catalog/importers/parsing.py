"""Parsers of the text the national database publishes: pure functions that keep the raw text beside every
value and never invent what the source does not say (a bare ``1`` stays 1, with no unit)."""

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from congso.catalog.constants import CHANNEL_WORDS, Channel, TimeUnit
from congso.core.text import fold

CODE_RE = re.compile(r"^\d\.\d{6}$")  # every national code published so far, e.g. 1.001193
NO_INFORMATION = "Không có thông tin"  # what the portal prints in an empty cell
SEVERAL_TIMES_NOTE = "Nguồn ghi nhiều thời hạn cho cùng cách thức nộp."

_CHANNEL_PREFIX = re.compile(
    r"^\s*(" + "|".join(re.escape(word) for word in CHANNEL_WORDS) + r")(?:\s+công ích)?\s*:\s*",
    re.IGNORECASE,
)


def _channel_split(text: str) -> list[tuple[Channel | None, str]]:
    """Split ``Trực tuyến: … | Trực tiếp: …`` into (channel, value) pairs; a part without a channel word gets
    ``None`` (it applies to every channel)."""
    text = unicodedata.normalize("NFC", text or "")
    if not text.strip():
        return []
    parts = []
    for part in text.split("|"):  # the extracts join channels with " | "; no value holds a "|" of its own
        match = _CHANNEL_PREFIX.match(part)
        if match:
            parts.append((CHANNEL_WORDS[match.group(1).lower()], part[match.end() :].strip()))
        else:
            parts.append((None, part.strip()))
    return parts


# --- processing times (thời hạn giải quyết)


@dataclass(frozen=True)
class ParsedTime:
    channel: Channel | None  # None: the text named no channel
    value: Decimal | None  # None: not understood (or the source says nothing); ``raw`` keeps the text
    unit: str = TimeUnit.UNSPECIFIED
    raw: str = ""
    note: str = ""

    @property
    def parsed(self) -> bool:
        return self.value is not None


_TIME_UNITS = {
    "ngày làm việc": TimeUnit.WORKING_DAYS,
    "ngày": TimeUnit.DAYS,
    "giờ làm việc": TimeUnit.HOURS,
    "giờ": TimeUnit.HOURS,
}
_TIME_RE = re.compile(
    r"^(\d+(?:[.,]\d+)?)(?:\s*(" + "|".join(_TIME_UNITS) + r"))?\s*\.?$",
    re.IGNORECASE,
)


def _decimal(number: str) -> Decimal:
    # Deadlines are small numbers: either separator is a decimal point (1.5 and 0,5 both occur).
    return Decimal(number.replace(",", "."))


def parse_processing_times(text: str) -> list[ParsedTime]:
    """Read a ``thoi_han_giai_quyet`` value: ``Trực tuyến: 5 Ngày làm việc | Trực tiếp: 5 Ngày làm việc``.

    A bare number keeps no unit (``Trực tuyến: 1`` → 1, unit unspecified); "Tháng", ranges ("10-25") and prose
    give ``value=None`` with the text in ``raw``. A channel may appear more than once (several cases).
    """
    result = []
    for channel, value in _channel_split(text):
        match = _TIME_RE.match(value)
        if match:
            unit = _TIME_UNITS[match.group(2).lower()] if match.group(2) else TimeUnit.UNSPECIFIED
            result.append(ParsedTime(channel, _decimal(match.group(1)), unit, value))
        else:
            result.append(ParsedTime(channel, None, TimeUnit.UNSPECIFIED, value))
    return result


def times_by_channel(times: Iterable[ParsedTime]) -> list[ParsedTime]:
    """One deadline per channel, as :class:`ProcessingTime` stores them.

    A time without a channel applies to every channel; an empty value is dropped; when the source gives a
    channel several different times, the value is left empty and ``raw`` lists them all.
    """
    groups: dict[Channel, list[ParsedTime]] = {}
    for time in times:
        if not time.raw:
            continue
        for channel in [time.channel] if time.channel else list(Channel):
            groups.setdefault(channel, []).append(time)
    result = []
    for channel, items in groups.items():
        distinct = list(dict.fromkeys((t.value, t.unit, t.raw) for t in items))
        if len(distinct) == 1:
            value, unit, raw = distinct[0]
            result.append(ParsedTime(channel, value, unit, raw, items[0].note))
        else:
            raw = " | ".join(dict.fromkeys(t.raw for t in items))
            result.append(ParsedTime(channel, None, TimeUnit.UNSPECIFIED, raw, SEVERAL_TIMES_NOTE))
    return result


# --- fees (phí, lệ phí)


@dataclass(frozen=True)
class ParsedFee:
    channel: Channel | None  # None: every channel
    name: str
    amount: Decimal | None  # in ``currency``; None when not understood, ``raw`` keeps the text
    currency: str = "VND"
    note: str = ""  # the description that follows the amount, as published
    raw: str = ""

    @property
    def amount_vnd(self) -> int | None:
        if self.amount is None or self.currency != "VND" or self.amount != self.amount.to_integral_value():
            return None
        return int(self.amount)

    @property
    def parsed(self) -> bool:
        return self.amount is not None


MIN_PLAUSIBLE_VND = 1000  # no fee is smaller; the portal shows some thousands or dollars as a few "VNĐ"
GENERIC_FEE_NAME = "Phí, lệ phí"  # the portal's column heading when it does not say which
_CURRENCIES = {"việt nam đồng": "VND", "vnđ": "VND", "vnd": "VND", "đồng": "VND", "đ": "VND", "usd": "USD"}
# The crawler glued the description straight onto the amount ("200,000 Việt Nam ĐồngNộp hồ sơ…"), so a word
# may follow without a space; only the bare "đ" must not be the start of a word.
_AMOUNT_RE = re.compile(
    r"^(\d[\d.,]*?)\s*(việt nam đồng|vnđ|vnd|đồng|usd|đ(?![^\W\d_]))\s*(.*)$", re.IGNORECASE | re.DOTALL
)
_FREE_RE = re.compile(r"^(miễn phí|không thu)\s*(.*)$", re.IGNORECASE | re.DOTALL)
_PRICED_NOTE_RE = re.compile(r"\d{1,3}(?:[.,]\d{3})+\s*(?:đ|vn|việt nam)", re.IGNORECASE)
_ZERO_RE = re.compile(r"^không\s+đồng(?![^\W\d_])\s*(.*)$", re.IGNORECASE | re.DOTALL)  # "Phí : Không Đồng"
_NAMED_ITEM_RE = re.compile(r"^(lệ phí|phí)\s*:\s*(.*)$", re.IGNORECASE | re.DOTALL)
_ITEM_SPLIT_RE = re.compile(r"(?:\n|;)\s*(?=(?:lệ phí|phí)\s*:)", re.IGNORECASE)
_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")


def parse_amount(number: str) -> Decimal | None:
    """``8.000`` and ``200,000`` are thousands (the portal prints both); ``1.5`` is a decimal (USD fees)."""
    if _THOUSANDS_RE.match(number):
        return Decimal(re.sub(r"[.,]", "", number))
    if re.fullmatch(r"\d+", number):
        return Decimal(number)
    if re.fullmatch(r"\d+[.,]\d{1,2}", number):
        return Decimal(number.replace(",", "."))
    return None


def _parse_fee_item(channel: Channel | None, text: str) -> ParsedFee:
    name = GENERIC_FEE_NAME
    named = _NAMED_ITEM_RE.match(text)
    if named:
        name, body = named.group(1).capitalize(), named.group(2).strip()
    else:
        body = text
    if free := _FREE_RE.match(body):
        note = free.group(2).strip()
        # About 120 items say "Miễn phí" and then list amounts ("(20.000.000 đồng/lần)"): claim neither.
        amount = None if _PRICED_NOTE_RE.search(note) else Decimal(0)
        return ParsedFee(channel, free.group(1).capitalize(), amount, note=note, raw=text)
    if zero := _ZERO_RE.match(body):
        return ParsedFee(channel, name, Decimal(0), note=zero.group(1).strip(), raw=text)
    if amount := _AMOUNT_RE.match(body):
        value = parse_amount(amount.group(1))
        currency = _CURRENCIES[amount.group(2).lower()]
        # "135 VNĐ(… 135.000 đồng/lần)", "155 VNĐ(… 155 USD/thẻ)": the unit is wrong at source.
        if currency == "VND" and value is not None and 0 < value < MIN_PLAUSIBLE_VND:
            value = None
        return ParsedFee(channel, name, value, currency, amount.group(3).strip(), text)
    if re.fullmatch(r"\d[\d.,]*", body):  # an amount with no currency: officials write "50.000"
        return ParsedFee(channel, name, parse_amount(body), raw=text)
    if body.startswith(NO_INFORMATION):
        return ParsedFee(channel, NO_INFORMATION, None, note=body[len(NO_INFORMATION) :].strip(), raw=text)
    return ParsedFee(channel, name, None, raw=text)


def parse_fees(text: str) -> list[ParsedFee]:
    """Read a ``phi_le_phi`` value: ``Trực tuyến: Miễn phí | Trực tiếp: 200,000 Việt Nam Đồng(…)`` or
    ``Trực tiếp: Phí : 0 Đồng\\nPhí : 3.500.000 Đồng (…)`` (several items in one channel).

    Amounts are integers of VND when the source says so; the note after the amount is kept in ``note``, the
    whole item in ``raw``. Anything else gives ``amount=None``. Empty channel values are skipped.
    """
    result = []
    for channel, value in _channel_split(text):
        # Several items only in the "Phí : … \n Lệ phí : …" shape; elsewhere a ";" belongs to the description.
        items = _ITEM_SPLIT_RE.split(value) if _NAMED_ITEM_RE.match(value) else [value]
        for item in items:
            if item.strip():
                result.append(_parse_fee_item(channel, item.strip()))
    return result


def unique_fees(fees: Iterable[ParsedFee]) -> list[ParsedFee]:
    """Drop exact repeats (the source repeats a channel's fee once per case)."""
    return list({(fee.channel, fee.raw): fee for fee in fees}.values())


# --- levels, components

LEVEL_WORDS = {"cap bo": "central", "cap tinh": "province", "cap xa": "commune", "co quan khac": "other"}


def parse_levels(cap_thuc_hien: str) -> tuple[bool, bool, bool]:
    """``"Cấp bộ, Cấp tỉnh, Cấp xã"`` → (at_central, at_province, at_commune), whatever the case."""
    found = {LEVEL_WORDS.get(part.strip()) for part in fold(cap_thuc_hien).split(",")}
    return "central" in found, "province" in found, "commune" in found


def unknown_levels(cap_thuc_hien: str) -> list[str]:
    """The parts of a ``cap_thuc_hien`` value that are not a level word."""
    return [part.strip() for part in cap_thuc_hien.split(",") if fold(part) not in LEVEL_WORDS]


@dataclass(frozen=True)
class ParsedComponent:
    name: str
    originals: int | None = None
    certified_copies: int | None = None
    template_name: str = ""
    note: str = ""


_COPIES_RE = re.compile(r"^\s*Bản chính:\s*(\d+)\s*[\n/;,]?\s*Bản sao:\s*(\d+)\s*$", re.IGNORECASE)


def parse_bqp_components(json_text: str) -> list[ParsedComponent]:
    """The Ministry of Defence's ``thanh_phan_ho_so_json``: ``ghi_chu`` holds "Bản chính: n / Bản sao: n",
    ``so_luong`` usually the form's file name."""
    result = []
    for item in json.loads(json_text or "[]"):
        note = (item.get("ghi_chu") or "").strip()
        originals = copies = None
        if match := _COPIES_RE.match(note):
            originals, copies, note = int(match.group(1)), int(match.group(2)), ""
        template = (item.get("so_luong") or "").strip()
        if re.fullmatch(r"\d+", template):  # a real quantity, not a file name
            note, template = "; ".join(filter(None, [f"Số lượng: {template}", note])), ""
        result.append(ParsedComponent(item["ten_giay_to"].strip(), originals, copies, template[:255], note))
    return result


def bqp_legal_basis(json_text: str) -> str:
    """One line per document of ``can_cu_phap_ly_json``."""
    lines = []
    for doc in json.loads(json_text or "[]"):
        details = ", ".join(
            value
            for value in (
                doc.get("so_ky_hieu") and f"số {doc['so_ky_hieu']}",
                doc.get("ngay_ban_hanh") and f"ngày {doc['ngay_ban_hanh']}",
                doc.get("co_quan_ban_hanh"),
            )
            if value
        )
        lines.append(f"- {doc.get('trich_yeu', '').strip()}" + (f" ({details})" if details else ""))
    return "\n".join(lines)
