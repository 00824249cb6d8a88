"""The summary table as CSV or Excel: the same rows as the page."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _


def summary_rows(summary: dict) -> list[list]:
    header = [
        _("Pillar"),
        _("Tasks"),
        _("Due by now"),
        _("Done (of those due)"),
        _("Overdue"),
        _("Done rate (%)"),
    ]
    rows = [header]
    for row in summary["by_pillar"]:
        rows.append([row["label"], row["total"], row["due"], row["done_of_due"], row["overdue"], row["rate"]])
    t = summary["tasks"]
    rows.append([_("Total"), t["total"], t["due"], t["done_of_due"], t["overdue"], t["rate"]])
    m = summary["money"]
    rows += [
        [],
        [_("Projects"), _("Approved total (VND)"), _("Allocated (VND)"), _("Committed (VND)"),
         _("Disbursed (VND)"), _("Disbursement rate (%)")],
        [m["projects"], m["approved_total"], m["allocated"], m["committed"], m["disbursed"], m["rate"]],
    ]  # fmt: skip
    return rows


def summary_csv(summary: dict) -> HttpResponse:
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 CSV with Vietnamese letters only with a BOM
    writer = csv.writer(out)
    for row in summary_rows(summary):
        writer.writerow(["" if cell is None else cell for cell in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chuong-trinh-cds-{summary["year"]}.csv"'
    return response


def summary_xlsx(summary: dict) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = str(summary["year"])
    for row in summary_rows(summary):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 28
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="chuong-trinh-cds-{summary["year"]}.xlsx"'
    return response
