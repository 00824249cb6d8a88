"""Bank statements (sao kê): read a CSV or Excel file, find each line's payment reference, classify it.

A bank's export varies: headers in Vietnamese or English, a title block above them, amounts written
"120.000", "120,000" or "120000.00", debit and credit in separate columns. The reader finds the header row,
maps the columns it knows and leaves the rest. Matching is a pure function of the lines and the database
(:func:`classify`), run at preview and again at apply, since payments may have arrived in between.
"""

import csv
import datetime
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _

from congso.core.exceptions import ApplicationError
from congso.core.text import fold
from congso.payments.constants import OPEN, STATEMENT_MAX_LINES, LineOutcome, PaymentSource
from congso.payments.models import FeeRequest, Payment, StatementLine
from congso.payments.references import references_in

# Folded header names → our column. Checked whole first, then as a prefix.
HEADERS = {
    "date": [
        "date",
        "ngay",
        "ngay giao dich",
        "ngay gd",
        "transaction date",
        "ngay hach toan",
        "posting date",
        "ngay hieu luc",
        "value date",
        "thoi gian",
        "ngay thang",
    ],
    "amount": [
        "amount",
        "so tien",
        "so tien ghi co",
        "ghi co",
        "credit",
        "credit amount",
        "phat sinh co",
        "so tien co",
        "tien vao",
        "so tien (vnd)",
        "so tien vnd",
    ],
    "debit": ["debit", "ghi no", "so tien ghi no", "phat sinh no", "debit amount", "tien ra"],
    "description": [
        "description",
        "content",
        "noi dung",
        "dien giai",
        "mo ta",
        "noi dung giao dich",
        "noi dung chuyen khoan",
        "details",
        "transaction details",
        "narrative",
        "remark",
    ],
    "transaction_id": [
        "bank transaction id",
        "transaction id",
        "ma giao dich",
        "so tham chieu",
        "ma gd",
        "reference number",
        "so giao dich",
        "ref",
        "ref no",
        "so ct",
        "so chung tu",
        "transaction no",
        "ma tham chieu",
        "so but toan",
        "id",
    ],
}
_HEADER_ROWS_SCANNED = 20


@dataclass
class ParsedLine:
    row: int
    booked_on: datetime.date | None
    amount_vnd: int
    description: str
    transaction_id: str


@dataclass
class Classified:
    line: ParsedLine
    outcome: str
    request: FeeRequest | None = None
    references: list[str] = field(default_factory=list)


def _column_for(header: str) -> str | None:
    name = fold(str(header or "")).strip(" :*")
    if not name:
        return None
    for column, names in HEADERS.items():
        if name in names:
            return column
    for column, names in HEADERS.items():
        if any(name.startswith(candidate + " ") for candidate in names if len(candidate) > 3):
            return column
    return None


def _header_map(row: list) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        column = _column_for(cell)
        if column and column not in found:
            found[column] = index
    return found


def parse_amount(value) -> int:
    """Whole đồng from a cell: 120000, 120000.0, "120.000", "120,000", "1.234.567,00", "120 000 VND"."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValueError("not an amount")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != int(value):
            raise ValueError("fractions of a đồng")
        return int(value)
    text = re.sub(r"(?i)\s|vnd|vnđ|đ|d$", "", str(value))
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("-()+")
    if not text or not re.fullmatch(r"[\d.,]+", text):
        raise ValueError("not an amount")
    decimal = re.search(r"[.,](\d{1,2})$", text)
    if decimal and not re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        if int(decimal.group(1)):
            raise ValueError("fractions of a đồng")
        text = text[: decimal.start()]
    number = int(re.sub(r"[.,]", "", text) or "0")
    return -number if negative else number


def parse_date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip().split(" ")[0].split("T")[0]
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%y", "%Y/%m/%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _csv_candidates(content: bytes) -> list[list[list]]:
    """The file read with each usual delimiter: the one whose header row is found wins."""
    for encoding in ("utf-8-sig", "cp1258", "latin-1"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    return [list(csv.reader(io.StringIO(text), delimiter=d)) for d in (",", ";", "\t", "|")]


def _rows_from_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ApplicationError(_("The Excel file cannot be read."), code="bad_file") from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def statement_read(*, filename: str, content: bytes) -> list[ParsedLine]:
    """The lines of a statement file. Raises ApplicationError naming the problem (type, header, row)."""
    if not content:
        raise ApplicationError(_("The file is empty."), code="empty")
    is_zip = content[:4] == b"PK\x03\x04"
    if is_zip:
        if not zipfile.is_zipfile(io.BytesIO(content)):
            raise ApplicationError(_("The Excel file cannot be read."), code="bad_file")
        candidates = [_rows_from_xlsx(content)]
    elif filename.lower().endswith((".xlsx", ".xlsm", ".xls")) or b"\x00" in content[:2048]:
        raise ApplicationError(_("Send the statement as CSV or Excel (.xlsx)."), code="bad_type")
    else:
        candidates = _csv_candidates(content)
    header_at, columns, rows = None, {}, []
    for rows in candidates:
        for index, row in enumerate(rows[:_HEADER_ROWS_SCANNED]):
            columns = _header_map(row)
            if {"amount", "description"} <= columns.keys():
                header_at = index
                break
        if header_at is not None:
            break
    if header_at is None:
        raise ApplicationError(
            _(
                "No header row with an amount and a description column was found (e.g. “Số tiền”, "
                "“Nội dung”)."
            ),
            code="no_header",
        )
    lines: list[ParsedLine] = []
    for index, row in enumerate(rows[header_at + 1 :], start=header_at + 2):

        def cell(column, row=row):
            position = columns.get(column)
            return row[position] if position is not None and position < len(row) else None

        description = str(cell("description") or "").strip()
        raw_amount, raw_debit = cell("amount"), cell("debit")
        if not description and raw_amount in (None, "") and raw_debit in (None, ""):
            continue  # a blank or closing row
        try:
            amount = parse_amount(raw_amount)
            if not amount and raw_debit not in (None, ""):
                amount = -abs(parse_amount(raw_debit))
        except ValueError:
            raise ApplicationError(
                _("Row %(row)s: “%(value)s” is not an amount in đồng.") % {"row": index, "value": raw_amount},
                code="bad_amount",
            ) from None
        booked_on = parse_date(cell("date"))
        transaction_id = str(cell("transaction_id") or "").strip()
        if isinstance(cell("transaction_id"), float) and cell("transaction_id").is_integer():
            transaction_id = str(int(cell("transaction_id")))
        if not transaction_id:
            # No id in the file: the line's own content stands for it, so a second import still matches.
            digest = hashlib.sha256(f"{booked_on}|{amount}|{description}".encode()).hexdigest()[:24]
            transaction_id = f"auto-{digest}"
        lines.append(ParsedLine(index, booked_on, amount, description[:500], transaction_id[:100]))
        if len(lines) > STATEMENT_MAX_LINES:
            raise ApplicationError(
                _("A statement may have at most %(n)s lines: split the file.") % {"n": STATEMENT_MAX_LINES},
                code="too_long",
            )
    if not lines:
        raise ApplicationError(_("The statement has no lines under its header."), code="no_lines")
    return lines


def _chunks(items: list, size: int = 900):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def classify(lines: list[ParsedLine], *, office_ids: list[int]) -> list[Classified]:
    """Decide what each line is, in a constant number of queries per 900 lines.

    A line matches a request of one of ``office_ids`` by a reference found in its description and by its
    amount against what is still due. A transaction already recorded (or met earlier in the file) is a
    duplicate and changes nothing.
    """
    ids = list({line.transaction_id for line in lines})
    seen: set[str] = set()
    for chunk in _chunks(ids):
        seen.update(
            Payment.objects.filter(source=PaymentSource.STATEMENT, transaction_id__in=chunk).values_list(
                "transaction_id", flat=True
            )
        )
        seen.update(
            StatementLine.objects.filter(
                transaction_id__in=chunk, statement__applied_at__isnull=False
            ).values_list("transaction_id", flat=True)
        )
    found = {line.row: sorted(references_in(line.description)) for line in lines}
    wanted = sorted({ref for refs in found.values() for ref in refs})
    requests: dict[str, FeeRequest] = {}
    for chunk in _chunks(wanted):
        for request in FeeRequest.objects.filter(reference__in=chunk, dossier__office_id__in=office_ids).only(
            "pk", "reference", "amount_vnd", "status", "dossier_id"
        ):
            requests[request.reference] = request
    outstanding: dict[int, int] = {r.pk: r.amount_vnd for r in requests.values()}
    for chunk in _chunks(list(outstanding)):
        for row in (
            Payment.objects.filter(request_id__in=chunk).values("request_id").annotate(t=Sum("amount_vnd"))
        ):
            outstanding[row["request_id"]] -= row["t"]
    results: list[Classified] = []
    for line in lines:
        refs = [ref for ref in found[line.row] if ref in requests]
        if line.transaction_id in seen:
            results.append(Classified(line, LineOutcome.DUPLICATE, references=refs))
            continue
        seen.add(line.transaction_id)
        if line.amount_vnd <= 0:
            results.append(Classified(line, LineOutcome.NOT_CREDIT, references=refs))
            continue
        if not refs:
            results.append(Classified(line, LineOutcome.UNMATCHED, references=found[line.row]))
            continue
        if len(refs) > 1:
            results.append(Classified(line, LineOutcome.AMBIGUOUS, references=refs))
            continue
        request = requests[refs[0]]
        due = outstanding[request.pk]
        if request.status not in OPEN or due <= 0:
            outcome = LineOutcome.ALREADY_PAID
        elif line.amount_vnd == due:
            outcome = LineOutcome.MATCHED
        elif line.amount_vnd < due:
            outcome = LineOutcome.PARTIAL
        else:
            outcome = LineOutcome.OVERPAID
        if outcome == LineOutcome.MATCHED:
            outstanding[request.pk] = 0
        results.append(Classified(line, outcome, request=request, references=refs))
    return results
