"""Reading procedure lists: the national extracts shipped in data/procedures/ and officials' own lists.

The parsers are pure functions over the text as published; they keep the raw text beside every value and never
invent what the source does not say (a bare ``1`` stays 1 with no unit). The loaders write through them.
"""

import csv
import gzip
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congso.catalog.constants import CHANNEL_WORDS, Channel, OnlineLevel, TimeUnit
from congso.catalog.models import DossierComponent, FeeItem, Procedure, ProcedureVersion, ProcessingTime
from congso.core.text import fold

DATA_DIR = Path(settings.BASE_DIR) / "data" / "procedures"
SHARED_FILES = {
    "dvcqg": DATA_DIR / "tthc_dvcqg_7nganh.csv.gz",
    "cap_xa": DATA_DIR / "tthc_cap_xa.csv.gz",
    "bqp": DATA_DIR / "tthc_bqp.csv.gz",
}
DVCQG_REPOSITORY = "chatbot-tthc/chatbot_tthc"
DVCQG_COMMIT = "53229487610b07e0d7127f529b87c333f19aeb1e"
BQP_REPOSITORY = "nhdandz/ThuTucHanhChinh"
BQP_COMMIT = "936e184ef5b6afd7debfecf42e66888c4d6174ba"
BQP_MINISTRY = "Bộ Quốc phòng"

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


# --- loading the shared national files

_PROCEDURE_FIELDS = [
    "name",
    "field",
    "levels",
    "at_central",
    "at_province",
    "at_commune",
    "issuing_body",
    "implementing_agency",
    "competent_authority",
    "procedure_type",
    "applicants",
    "source",
    "source_note",
    "source_url",
]
_VERSION_FIELDS = [
    "publication_decision",
    "steps",
    "conditions",
    "result_description",
    "legal_basis",
    "components_raw",
    "processing_raw",
    "fees_raw",
]
_PAGE_FOOTER = "Chọn cơ quan thực hiện"  # where the crawled result text runs into the page's footer


@dataclass
class _Record:
    procedure: dict
    version: dict
    times: list[ParsedTime] = field(default_factory=list)
    fees: list[ParsedFee] = field(default_factory=list)
    components: list[ParsedComponent] = field(default_factory=list)


def _known(value: str) -> str:
    value = (value or "").strip()
    return "" if value == NO_INFORMATION else value


def read_csv(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _dvcqg_record(row: dict[str, str], files: list[str]) -> _Record:
    levels = row["cap_thuc_hien"]
    at_central, at_province, at_commune = parse_levels(levels)
    result = row.get("ket_qua_xu_ly_raw", "")
    procedure = {
        # The 17 crawl errors have no detail page of their own: only the official list's columns remain.
        "name": row["ten_thu_tuc"] or row["ten_thu_tuc_danh_sach"],
        "field": row["linh_vuc"] or row["ds_linh_vuc"].strip(),
        "levels": levels,
        "at_central": at_central,
        "at_province": at_province,
        "at_commune": at_commune,
        "issuing_body": row["ds_co_quan_ban_hanh"].strip(),
        "implementing_agency": _known(row["co_quan_thuc_hien"]) or row["ds_co_quan_thuc_hien"].strip(),
        "competent_authority": _known(row["co_quan_co_tham_quyen"]),
        "procedure_type": row["loai_thu_tuc"],
        "applicants": _known(row["doi_tuong_thuc_hien"]),
        "source": f"{DVCQG_REPOSITORY}: {', '.join(files)}",
        "source_note": f"kiem_tra: {row['kiem_tra']}\n"
        f"{row['nguon_file']} @ {DVCQG_REPOSITORY} {DVCQG_COMMIT}",
        "source_url": row["detail_url"],
    }
    version = {
        "publication_decision": row["so_quyet_dinh"],
        "steps": _known(row.get("trinh_tu_thuc_hien", "")),
        "conditions": _known(row.get("yeu_cau_dieu_kien", "")),
        "result_description": result.split(_PAGE_FOOTER, 1)[0].strip(),
        "legal_basis": row.get("can_cu_phap_ly_raw", "").strip(),
        "components_raw": row.get("thanh_phan_ho_so_raw", "").strip(),
        "processing_raw": row["thoi_han_giai_quyet"],
        "fees_raw": row["phi_le_phi"],
    }
    return _Record(
        procedure,
        version,
        times_by_channel(parse_processing_times(row["thoi_han_giai_quyet"])),
        unique_fees(parse_fees(row["phi_le_phi"])),
    )


def _bqp_record(row: dict[str, str], file: str) -> _Record:
    levels = row["cap_thuc_hien"]
    at_central, at_province, at_commune = parse_levels(levels)
    procedure = {
        "name": row["ten_thu_tuc"],
        "field": row["linh_vuc"],
        "levels": levels,
        "at_central": at_central,
        "at_province": at_province,
        "at_commune": at_commune,
        "issuing_body": BQP_MINISTRY,
        "implementing_agency": _known(row["co_quan_thuc_hien"]),
        "competent_authority": _known(row["co_quan_co_tham_quyen"]),
        "procedure_type": row["loai_thu_tuc"],
        "applicants": _known(row["doi_tuong_thuc_hien"]),
        "source": f"{BQP_REPOSITORY}: {file}",
        "source_note": f"{row['nguon_file']} ({row['nguon_file_goc']}) @ {BQP_REPOSITORY} {BQP_COMMIT}",
        "source_url": "",
    }
    version = {
        "publication_decision": row["so_quyet_dinh"],
        "steps": _known(row["trinh_tu_thuc_hien"]),
        "conditions": _known(row["yeu_cau_dieu_kien"]),
        "result_description": _known(row["ket_qua_thuc_hien"]),
        "legal_basis": bqp_legal_basis(row["can_cu_phap_ly_json"]),
        "components_raw": "",
        "processing_raw": row["thoi_han_giai_quyet"],
        "fees_raw": row["phi_le_phi"],
    }
    return _Record(
        procedure,
        version,
        times_by_channel(parse_processing_times(row["thoi_han_giai_quyet"])),
        unique_fees(parse_fees(row["phi_le_phi"])),
        parse_bqp_components(row["thanh_phan_ho_so_json"]),
    )


def _shared_records(paths: Mapping[str, Path]) -> tuple[dict[str, _Record], dict[str, int]]:
    stats = {
        "crawl_errors": 0,
        "times_total": 0,
        "times_parsed": 0,
        "fees_total": 0,
        "fees_parsed": 0,
    }
    records: dict[str, _Record] = {}
    cap_xa_file = Path(paths["cap_xa"]).name.removesuffix(".gz")
    dvcqg_file = Path(paths["dvcqg"]).name.removesuffix(".gz")
    cap_xa = {row["ma_thu_tuc"]: row for row in read_csv(Path(paths["cap_xa"]))}
    rows = read_csv(Path(paths["dvcqg"]))
    stats.update(dvcqg_rows=len(rows), cap_xa_rows=len(cap_xa))
    # The commune file repeats the main file's columns and adds the full texts: one procedure, merged.
    main_codes = {row["ma_thu_tuc"] for row in rows}
    rows += [row for code, row in cap_xa.items() if code not in main_codes]
    for row in rows:
        code = row["ma_thu_tuc"]
        files = [dvcqg_file] if code in main_codes else []
        if code in cap_xa:
            row = {**row, **cap_xa[code]}
            files.append(cap_xa_file)
        records[code] = _dvcqg_record(row, files)
        stats["crawl_errors"] += row["kiem_tra"].startswith("LỖI")
    bqp_file = Path(paths["bqp"]).name.removesuffix(".gz")
    bqp_rows = read_csv(Path(paths["bqp"]))
    for row in bqp_rows:
        records[row["ma_thu_tuc"]] = _bqp_record(row, bqp_file)
    stats["bqp_rows"] = len(bqp_rows)
    for row in rows + bqp_rows:
        if row["thoi_han_giai_quyet"]:
            stats["times_total"] += 1
            stats["times_parsed"] += all(t.parsed for t in parse_processing_times(row["thoi_han_giai_quyet"]))
        if fees := parse_fees(row["phi_le_phi"]):
            stats["fees_total"] += 1
            stats["fees_parsed"] += all(f.parsed for f in fees)
    return records, stats


def _time_key(time) -> tuple:
    """The same for a :class:`ParsedTime` and the :class:`ProcessingTime` stored from it."""
    value = None if time.value is None else Decimal(time.value).quantize(Decimal("0.01"))
    return (int(time.channel), value, str(time.unit), time.note, time.raw)


def _fee_key(fee) -> tuple:
    channel = None if fee.channel is None else int(fee.channel)
    return (channel, fee.name[:255], fee.amount_vnd, fee.raw)


def _component_key(c) -> tuple:
    return (c.name, c.originals, c.certified_copies, c.template_name, c.note)


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _replace_children(version_ids: list[int], records_by_version: dict[int, _Record]) -> dict[str, int]:
    """Delete the listed versions' times, fees and components and write them again from their records."""
    for chunk in _chunks(version_ids):
        ProcessingTime.objects.filter(version_id__in=chunk).delete()
        FeeItem.objects.filter(version_id__in=chunk).delete()
        DossierComponent.objects.filter(version_id__in=chunk).delete()
    times, fees, components = [], [], []
    for version_id in version_ids:
        record = records_by_version[version_id]
        times += [
            ProcessingTime(
                version_id=version_id, channel=t.channel, value=t.value, unit=t.unit, note=t.note, raw=t.raw
            )
            for t in record.times
        ]
        fees += [
            FeeItem(
                version_id=version_id,
                position=position,
                channel=f.channel,
                name=f.name[:255],
                amount_vnd=f.amount_vnd,
                raw=f.raw,
            )
            for position, f in enumerate(record.fees, start=1)
        ]
        components += [
            DossierComponent(
                version_id=version_id,
                position=position,
                name=c.name,
                originals=c.originals,
                certified_copies=c.certified_copies,
                template_name=c.template_name,
                note=c.note,
            )
            for position, c in enumerate(record.components, start=1)
        ]
    ProcessingTime.objects.bulk_create(times, batch_size=500)
    FeeItem.objects.bulk_create(fees, batch_size=500)
    DossierComponent.objects.bulk_create(components, batch_size=500)
    return {"times": len(times), "fees": len(fees), "components": len(components)}


def _children_by_version(version_ids: set[int]) -> dict[int, tuple]:
    """What each version holds now, in the shape ``_time_key`` & co. give, to tell whether it changed."""
    held: dict[int, tuple[list, list, list]] = {pk: ([], [], []) for pk in version_ids}
    for t in ProcessingTime.objects.filter(version__number=1, version__is_structured=False).order_by("id"):
        if t.version_id in held:
            held[t.version_id][0].append(_time_key(t))
    for f in FeeItem.objects.filter(version__number=1, version__is_structured=False).order_by(
        "position", "id"
    ):
        if f.version_id in held:
            held[f.version_id][1].append(_fee_key(f))
    components = DossierComponent.objects.filter(version__number=1, version__is_structured=False)
    for c in components.order_by("position", "id"):
        if c.version_id in held:
            held[c.version_id][2].append(_component_key(c))
    return {pk: (sorted(t), f, c) for pk, (t, f, c) in held.items()}


def _update_each(model, objects: list, fields: list[str]) -> None:
    # bulk_update() builds one CASE per field and row: for 2,849 procedures it spends ~10 s compiling SQL.
    # One plain UPDATE per changed row, inside the caller's transaction, takes well under a second.
    for obj in objects:
        model.objects.filter(pk=obj.pk).update(**{name: getattr(obj, name) for name in fields})


@transaction.atomic
def procedures_load_shared(*, paths: Mapping[str, Path] = SHARED_FILES) -> dict[str, int]:
    """Create or update every procedure of the national extracts in data/procedures/ (idempotent).

    ``paths`` maps ``dvcqg``, ``cap_xa`` and ``bqp`` to their CSV files (gzip or plain). Rows of the commune
    file are merged onto the main file's procedure. Each procedure gets version 1 with the published texts,
    deadlines, fees and (Ministry of Defence) components; a version marked ``is_structured`` was entered by
    hand and is never touched (counted in ``structured_skipped``).
    """
    records, stats = _shared_records(paths)
    now = timezone.now()
    existing = {p.code: p for p in Procedure.objects.all()}
    to_create, to_update = [], []
    for code, record in records.items():
        procedure = existing.get(code)
        if procedure is None:
            procedure = Procedure(code=code, **record.procedure)
            procedure.refresh_search_keys()
            to_create.append(procedure)
        elif any(getattr(procedure, name) != value for name, value in record.procedure.items()):
            for name, value in record.procedure.items():
                setattr(procedure, name, value)
            procedure.refresh_search_keys()
            procedure.updated_at = now
            to_update.append(procedure)
    Procedure.objects.bulk_create(to_create, batch_size=500)
    _update_each(Procedure, to_update, [*_PROCEDURE_FIELDS, "search_name", "search_extra", "updated_at"])
    procedure_ids = dict(Procedure.objects.filter(code__in=list(records)).values_list("code", "id"))

    versions = {v.procedure_id: v for v in ProcedureVersion.objects.filter(number=1)}
    new_versions, changed_versions, skipped = [], [], 0
    for code, record in records.items():
        version = versions.get(procedure_ids[code])
        if version is None:
            new_versions.append(
                ProcedureVersion(procedure_id=procedure_ids[code], number=1, **record.version)
            )
        elif version.is_structured:
            skipped += 1
        elif any(getattr(version, name) != value for name, value in record.version.items()):
            for name, value in record.version.items():
                setattr(version, name, value)
            version.updated_at = now
            changed_versions.append(version)
    ProcedureVersion.objects.bulk_create(new_versions, batch_size=500)
    _update_each(ProcedureVersion, changed_versions, [*_VERSION_FIELDS, "updated_at"])

    code_by_procedure = {pk: code for code, pk in procedure_ids.items()}
    records_by_version = {
        v.pk: records[code_by_procedure[v.procedure_id]]
        for v in ProcedureVersion.objects.filter(number=1, is_structured=False).only("id", "procedure_id")
        if v.procedure_id in code_by_procedure
    }
    held = _children_by_version(set(records_by_version))
    stale = [
        pk
        for pk, record in records_by_version.items()
        if held[pk]
        != (
            sorted(_time_key(t) for t in record.times),
            [_fee_key(f) for f in record.fees],
            [_component_key(c) for c in record.components],
        )
    ]
    written = _replace_children(stale, records_by_version)
    return {
        **stats,
        "procedures": len(records),
        "created": len(to_create),
        "updated": len(to_update),
        "versions_created": len(new_versions),
        "versions_updated": len(changed_versions),
        "versions_refilled": len(stale),
        "structured_skipped": skipped,
        **written,
    }


# --- officials' own lists

IMPORT_COLUMNS = [
    "ma_thu_tuc",
    "ten_thu_tuc",
    "linh_vuc",
    "cap_thuc_hien",
    "co_quan_thuc_hien",
    "thoi_han_giai_quyet",
    "phi_le_phi",
    "muc_do",
]
REQUIRED_COLUMNS = ["ma_thu_tuc", "ten_thu_tuc"]
ONLINE_LEVEL_WORDS = {"toan trinh": OnlineLevel.FULL, "mot phan": OnlineLevel.PARTIAL}


class ImportFileError(Exception):
    """The file cannot be read as a list at all (wrong type, missing columns); the message is Vietnamese."""


def _column_key(heading: str) -> str:
    # "Mã thủ tục", "MA_THU_TUC" and "ma_thu_tuc" are the same column.
    return re.sub(r"[^a-z0-9]+", "_", fold(str(heading or ""))).strip("_")


def _cell_text(column: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if column == "ma_thu_tuc":
            # Excel turns 1.001190 typed in a number cell into 1.00119: every code has six decimals.
            return f"{value:.6f}"
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def read_import_file(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The rows of a .csv or .xlsx list with the row number a person sees in Excel (the heading is row 1).

    Empty rows are left out. Raises :class:`ImportFileError` when the file cannot be read as a list.
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError("Tệp CSV phải được lưu với bảng mã UTF-8 (CSV UTF-8 trong Excel).") from exc
        first_line = text.split("\n", 1)[0]
        # Excel in a Vietnamese locale separates CSV columns with ";".
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several kinds for a damaged file
            raise ImportFileError(f"Không mở được tệp Excel {path.name}: {exc}") from exc
        table = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    else:
        raise ImportFileError("Chỉ nhận tệp .csv hoặc .xlsx.")
    if not table:
        raise ImportFileError("Tệp trống.")
    columns = [_column_key(heading) for heading in table[0]]
    if missing := [c for c in REQUIRED_COLUMNS if c not in columns]:
        raise ImportFileError(
            f"Thiếu cột bắt buộc: {', '.join(missing)}. Dòng 1 phải là tên cột: {', '.join(IMPORT_COLUMNS)}."
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        row = {
            column: _cell_text(column, value)
            for column, value in zip(columns, cells, strict=False)
            if column in IMPORT_COLUMNS
        }
        if any(row.values()):
            rows.append((number, {column: row.get(column, "") for column in IMPORT_COLUMNS}))
    return rows


@dataclass(frozen=True)
class ImportRow:
    number: int  # as the official sees it in Excel
    code: str
    name: str
    field: str
    levels: str
    implementing_agency: str
    online_level: str
    times_raw: str
    fees_raw: str
    times: list[ParsedTime]
    fees: list[ParsedFee]


def validate_import_rows(
    rows: list[tuple[int, dict[str, str]]],
) -> tuple[list[ImportRow], list[tuple[int, str]]]:
    """Check every row; return the good rows and, for each bad one, its number and reasons (in Vietnamese)."""
    good, errors, seen = [], [], {}
    for number, row in rows:
        reasons = []
        code = row["ma_thu_tuc"]
        if not code:
            reasons.append("thiếu mã thủ tục")
        elif not CODE_RE.match(code):
            reasons.append(
                f"mã thủ tục “{code}” sai định dạng (đúng dạng: một chữ số, dấu chấm, 6 chữ số, như 1.001193)"
            )
        elif code in seen:
            reasons.append(f"mã thủ tục {code} trùng với dòng {seen[code]}")
        else:
            seen[code] = number
        if not row["ten_thu_tuc"]:
            reasons.append("thiếu tên thủ tục")
        if len(row["linh_vuc"]) > 255:
            reasons.append("lĩnh vực dài quá 255 ký tự")
        if len(row["cap_thuc_hien"]) > 255:
            reasons.append("cấp thực hiện dài quá 255 ký tự")
        elif row["cap_thuc_hien"] and (unknown := unknown_levels(row["cap_thuc_hien"])):
            reasons.append(
                f"cấp thực hiện không rõ: “{', '.join(unknown)}” "
                "(chỉ nhận Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác)"
            )
        online_level = ""
        if row["muc_do"]:
            online_level = ONLINE_LEVEL_WORDS.get(fold(row["muc_do"]), "")
            if not online_level:
                reasons.append(
                    f"mức độ “{row['muc_do']}” không hợp lệ (chỉ nhận “toàn trình”, “một phần” hoặc để trống)"
                )
        times = parse_processing_times(row["thoi_han_giai_quyet"])
        if bad := [t.raw or "(trống)" for t in times if not t.parsed]:
            reasons.append(
                f"không đọc được thời hạn giải quyết “{'; '.join(bad)}” "
                "(viết như “5 ngày làm việc” hoặc “Trực tuyến: 3 ngày làm việc | Trực tiếp: 5 ngày làm việc”)"
            )
        fees = parse_fees(row["phi_le_phi"])
        if bad := [f.raw for f in fees if f.amount_vnd is None]:
            reasons.append(
                f"không đọc được phí, lệ phí “{'; '.join(bad)}” "
                "(viết như “Miễn phí” hoặc “Lệ phí: 8.000 đồng”)"
            )
        if reasons:
            errors.append((number, "; ".join(reasons)))
        else:
            good.append(
                ImportRow(
                    number=number,
                    code=code,
                    name=row["ten_thu_tuc"],
                    field=row["linh_vuc"],
                    levels=row["cap_thuc_hien"],
                    implementing_agency=row["co_quan_thuc_hien"],
                    online_level=online_level,
                    times_raw=row["thoi_han_giai_quyet"],
                    fees_raw=row["phi_le_phi"],
                    times=times_by_channel(times),
                    fees=unique_fees(fees),
                )
            )
    return good, errors


_FIELD_LABELS = {
    "name": "tên",
    "field": "lĩnh vực",
    "levels": "cấp thực hiện",
    "implementing_agency": "cơ quan thực hiện",
    "online_level": "mức độ",
    "times": "thời hạn",
    "fees": "phí, lệ phí",
}


@dataclass
class ImportPlan:
    row: ImportRow
    procedure: Procedure | None  # None: to be created
    procedure_values: dict
    version: ProcedureVersion | None
    changes: list[str]  # labels of what changes; empty for an existing procedure that stays as it is
    version_skipped: bool = False  # the version is structured by hand: its times and fees stay


def _import_plan(rows: list[ImportRow]) -> list[ImportPlan]:
    existing = Procedure.objects.in_bulk([row.code for row in rows], field_name="code")
    versions = {
        v.procedure_id: v
        for v in ProcedureVersion.objects.filter(procedure__in=existing.values(), number=1).prefetch_related(
            "processing_times", "fees"
        )
    }
    plans = []
    for row in rows:
        values = {"name": row.name}
        # An empty cell leaves what the catalogue holds: officials fill only what they know.
        if row.field:
            values["field"] = row.field
        if row.levels:
            at_central, at_province, at_commune = parse_levels(row.levels)
            values.update(
                levels=row.levels, at_central=at_central, at_province=at_province, at_commune=at_commune
            )
        if row.implementing_agency:
            values["implementing_agency"] = row.implementing_agency
        if row.online_level:
            values["online_level"] = row.online_level
        procedure = existing.get(row.code)
        version = versions.get(procedure.pk) if procedure else None
        plan = ImportPlan(row, procedure, values, version, [])
        if procedure is None:
            plan.changes = ["tạo mới"]
        else:
            plan.changes = [
                _FIELD_LABELS.get(name, name)
                for name, value in values.items()
                if name in _FIELD_LABELS and getattr(procedure, name) != value
            ]
            plan.changes = list(dict.fromkeys(plan.changes))
        if version is not None and version.is_structured and (row.times_raw or row.fees_raw):
            plan.version_skipped = True
        elif version is not None:
            held_times = sorted(map(_time_key, version.processing_times.all()))
            if row.times_raw and held_times != sorted(map(_time_key, row.times)):
                plan.changes.append(_FIELD_LABELS["times"])
            held_fees = [_fee_key(f) for f in version.fees.all()]
            if row.fees_raw and held_fees != [_fee_key(f) for f in row.fees]:
                plan.changes.append(_FIELD_LABELS["fees"])
        elif procedure is not None and (row.times_raw or row.fees_raw):
            plan.changes.append("thêm phiên bản 1")
        plans.append(plan)
    return plans


@transaction.atomic
def procedures_import(*, rows: list[ImportRow], source: str, dry_run: bool = False) -> list[ImportPlan]:
    """Create or update the procedures of an official's list (rows already validated), all or nothing.

    Empty optional cells leave the catalogue's value; a time or fee given replaces version 1's; a version
    structured by hand is not touched. With ``dry_run`` nothing is written: the plans say what would change.
    """
    plans = _import_plan(rows)
    if dry_run:
        return plans
    for plan in plans:
        if not plan.changes:
            continue
        procedure = plan.procedure
        if procedure is None:
            procedure = Procedure.objects.create(
                code=plan.row.code,
                source=source,
                source_note=f"dòng {plan.row.number}",
                **plan.procedure_values,
            )
        else:
            for name, value in plan.procedure_values.items():
                setattr(procedure, name, value)
            procedure.save(
                update_fields=[*plan.procedure_values, "search_name", "search_extra", "updated_at"]
            )
        # A new procedure gets version 1 as the national ones do; an existing one only when there is content.
        if plan.version_skipped or (
            plan.procedure is not None and not (plan.row.times_raw or plan.row.fees_raw)
        ):
            continue
        version = plan.version
        if version is None:
            version = ProcedureVersion.objects.create(procedure=procedure, number=1)
        update_fields = []
        if plan.row.times_raw:
            version.processing_raw = plan.row.times_raw
            update_fields.append("processing_raw")
            version.processing_times.all().delete()
            ProcessingTime.objects.bulk_create(
                ProcessingTime(
                    version=version, channel=t.channel, value=t.value, unit=t.unit, raw=t.raw, note=t.note
                )
                for t in plan.row.times
            )
        if plan.row.fees_raw:
            version.fees_raw = plan.row.fees_raw
            update_fields.append("fees_raw")
            version.fees.all().delete()
            FeeItem.objects.bulk_create(
                FeeItem(
                    version=version,
                    position=position,
                    channel=f.channel,
                    name=f.name[:255],
                    amount_vnd=f.amount_vnd,
                    raw=f.raw,
                )
                for position, f in enumerate(plan.row.fees, start=1)
            )
        if update_fields:
            version.save(update_fields=[*update_fields, "updated_at"])
    return plans
