"""Importing an official's own list of procedures (CSV or Excel), all or nothing."""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from congso.catalog.constants import OnlineLevel
from congso.catalog.importers.parsing import (
    CODE_RE,
    ParsedFee,
    ParsedTime,
    parse_fees,
    parse_levels,
    parse_processing_times,
    times_by_channel,
    unique_fees,
    unknown_levels,
)
from congso.catalog.importers.shared import fee_key, time_key
from congso.catalog.models import FeeItem, Procedure, ProcedureVersion, ProcessingTime
from congso.core.text import fold

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
            held_times = sorted(map(time_key, version.processing_times.all()))
            if row.times_raw and held_times != sorted(map(time_key, row.times)):
                plan.changes.append(_FIELD_LABELS["times"])
            held_fees = [fee_key(f) for f in version.fees.all()]
            if row.fees_raw and held_fees != [fee_key(f) for f in row.fees]:
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
