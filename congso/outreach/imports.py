"""Households in bulk from a hamlet's list (CSV or Excel): parse, check each row, warn of likely duplicates.

Nothing is written here; ``services.households_import`` stores the rows a supervisor confirmed.
"""

import contextlib
import csv
import io
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from congso.core.text import fold
from congso.outreach.selectors import households_live
from congso.outreach.services import ItemError, household_clean

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
# Accepted column titles, folded (no accents, lower case), for each field.
COLUMNS = {
    "house_number": ["so nha", "house number", "so nha/dia chi", "dia chi"],
    "head_name": ["ho ten chu ho", "chu ho", "ho va ten chu ho", "head of household", "ten chu ho"],
    "phone": ["so dien thoai", "dien thoai", "sdt", "phone"],
    "members": ["so nhan khau", "nhan khau", "so thanh vien", "members"],
    "adults": ["so nguoi truong thanh", "nguoi truong thanh", "so nguoi lon", "adults", "tren 18 tuoi"],
}


@dataclass
class ImportRow:
    line: int
    data: dict = field(default_factory=dict)
    error: str = ""
    warning: str = ""


class FileRejected(Exception):
    pass


def _read_rows(name: str, content: bytes) -> list[list[str]]:
    if len(content) > MAX_BYTES:
        raise FileRejected(_("The file is larger than 2 MB."))
    if content[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception:
            raise FileRejected(_("This Excel file cannot be read.")) from None
        rows = []
        for values in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2):
            rows.append(["" if v is None else str(v).strip() for v in values])
        return rows
    if not name.lower().endswith(".csv"):
        raise FileRejected(_("Send a CSV file or an Excel (.xlsx) workbook."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected(_("The CSV file must be saved in UTF-8.")) from None
    dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)][: MAX_ROWS + 2]


def _header(row: list[str]) -> dict[str, int]:
    positions = {}
    for index, title in enumerate(row):
        folded = fold(title).rstrip(" *:")
        for name, aliases in COLUMNS.items():
            if folded in aliases and name not in positions:
                positions[name] = index
    return positions


def households_parse(*, hamlet, name: str, content: bytes) -> list[ImportRow]:
    """The rows of the file, checked; raises FileRejected (Vietnamese) when the file itself is unusable.

    Warnings: the same folded head's name and house number, or the same phone, as a household already in
    the hamlet or an earlier row of the file.
    """
    rows = [row for row in _read_rows(name, content) if any(row)]
    if not rows:
        raise FileRejected(_("The file is empty."))
    positions = _header(rows[0])
    if "head_name" not in positions:
        raise FileRejected(_("No “Họ tên chủ hộ” column found in the first row."))
    if len(rows) - 1 > MAX_ROWS:
        raise FileRejected(_("At most %(max)d households per file.") % {"max": MAX_ROWS})
    existing = households_live().filter(hamlet=hamlet).values_list("search_key", "phone", "head_name")
    by_key = {key: head for key, _phone, head in existing}
    by_phone = {phone: head for _key, phone, head in existing if phone}
    seen_keys: dict[str, int] = {}
    seen_phones: dict[str, int] = {}
    result = []
    for line, row in enumerate(rows[1:], start=2):
        raw = {name: (row[index] if index < len(row) else "") for name, index in positions.items()}
        item = ImportRow(line=line)
        try:
            item.data = household_clean(raw)
        except ItemError as error:
            item.error = str(error)
            item.data = raw
            result.append(item)
            continue
        key = fold(f"{item.data['head_name']} {item.data['house_number']}")
        phone = item.data["phone"]
        if key in by_key:
            item.warning = _("Already registered in this hamlet: %(name)s.") % {"name": by_key[key]}
        elif phone and phone in by_phone:
            item.warning = _("Same phone as %(name)s, already registered.") % {"name": by_phone[phone]}
        elif key in seen_keys:
            item.warning = _("Same as row %(line)d of the file.") % {"line": seen_keys[key]}
        elif phone and phone in seen_phones:
            item.warning = _("Same phone as row %(line)d of the file.") % {"line": seen_phones[phone]}
        seen_keys.setdefault(key, line)
        if phone:
            seen_phones.setdefault(phone, line)
        result.append(item)
    return result


def rows_to_session(rows: list[ImportRow]) -> list[dict]:
    return [asdict(row) for row in rows]
