"""Excel templates of a reporting form (elements × units) and reading them back."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from congso.core.exceptions import ApplicationError
from congso.indicators.models import ReportingForm
from congso.indicators.services import Row

HEADER_ROW = 4
FIRST_DATA_ROW = 6


def _columns(form: ReportingForm) -> list[tuple[str, str, str]]:
    """(element code, option code, label) of each value column."""
    out = []
    for element in form.elements.select_related("option_set").prefetch_related("option_set__options"):
        if element.option_set_id:
            out += [
                (element.code, o.code, f"{element.name} — {o.name}") for o in element.option_set.options.all()
            ]
        else:
            out.append((element.code, "", element.name))
    return out


def form_template(*, form: ReportingForm, units, period: str = "") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    ws["A1"], ws["B1"], ws["C1"] = _("Form"), form.code, form.name
    ws["A2"], ws["B2"] = _("Period"), period
    ws["C2"] = _("e.g. 2026M03 (month), 2026Q1 (quarter), 2026 (year)")
    columns = _columns(form)
    ws.cell(HEADER_ROW, 1, "orgunit")
    ws.cell(HEADER_ROW + 1, 1, _("Unit code"))
    ws.cell(HEADER_ROW + 1, 2, _("Unit"))
    for i, (code, option, label) in enumerate(columns, start=3):
        ws.cell(HEADER_ROW, i, f"{code}.{option}" if option else code)
        ws.cell(HEADER_ROW + 1, i, label)
    for cell in ws[HEADER_ROW + 1]:
        cell.font = Font(bold=True)
    for r, unit in enumerate(units, start=FIRST_DATA_ROW):
        ws.cell(r, 1, unit.code)
        ws.cell(r, 2, unit.full_name)
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 3)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rows_from_workbook(handle, *, form: ReportingForm) -> list[Row]:
    try:
        wb = load_workbook(handle, read_only=True, data_only=True)
    except Exception:
        raise ApplicationError(_("The file is not an Excel workbook (.xlsx)."), code="bad_file") from None
    ws = wb.worksheets[0]
    lines = ws.iter_rows(values_only=True)
    head = [next(lines, ()) for _i in range(HEADER_ROW)]
    if len(head[0]) < 2 or str(head[0][1] or "").strip() != form.code:
        raise ApplicationError(
            _("This workbook is not the template of form %(f)s: download the template again.")
            % {"f": form.code},
            code="bad_template",
        )
    period = str(head[1][1] or "").strip() if len(head[1]) > 1 else ""
    if not period:
        raise ApplicationError(_("Fill in the period in cell B2 of the workbook."), code="no_period")
    header = [str(c or "").strip() for c in head[HEADER_ROW - 1]]
    next(lines, None)  # the labels row
    rows = []
    for line in lines:
        if not line or line[0] in (None, ""):
            continue
        unit = str(line[0]).strip()
        for i in range(2, min(len(header), len(line))):
            if not header[i] or line[i] is None or str(line[i]).strip() == "":
                continue
            code, _sep, option = header[i].partition(".")
            rows.append(
                Row(element=code, period=period, unit=unit, option=option, value=str(line[i]).strip())
            )
    return rows
