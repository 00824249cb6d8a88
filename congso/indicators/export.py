"""Every dashboard table can be downloaded as CSV or Excel (``?xuat=csv`` / ``?xuat=xlsx``)."""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

FORMATS = {"csv", "xlsx"}


def table_response(*, filename: str, headers: list[str], rows: list[list], fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        wb = Workbook()
        ws = wb.active
        ws.append([str(h) for h in headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(["" if v is None else _cell(v) for v in row])
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        out = io.StringIO()
        out.write("\ufeff")  # Excel opens UTF-8 CSV with Vietnamese text correctly only with a BOM
        writer = csv.writer(out)
        writer.writerow([str(h) for h in headers])
        for row in rows:
            writer.writerow(["" if v is None else _safe(_cell(v)) for v in row])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _cell(value):
    return value if isinstance(value, int | float | str) else str(value)  # lazy translations, dates


def _safe(value):
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
