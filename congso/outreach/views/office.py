"""Supervisors' pages (leaders and officials of the commune or province): coverage, adoption, visits per
team, follow-ups, conflicts and duplicates to resolve, imports and the Excel export."""

import io
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.accounts.models import RoleBinding
from congso.core.exceptions import ApplicationError
from congso.core.masking import mask_phone
from congso.geo.constants import UnitLevel
from congso.geo.models import AdministrativeUnit
from congso.outreach import imports, rollup, selectors, services
from congso.outreach.constants import (
    ADOPT_PREFIX,
    HH_DIGITAL,
    HH_OFFICIAL,
    HH_REGISTERED,
    HH_VISITED,
    SUPERVISOR_ROLES,
    VISITS,
)
from congso.outreach.forms import ImportForm
from congso.outreach.models import Household, HouseholdConflict

IMPORT_SESSION_KEY = "outreach_import"
LEVEL_ORDER = {UnitLevel.PROVINCE: 0, UnitLevel.COMMUNE: 1, UnitLevel.HAMLET: 2}


def supervisor_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not selectors.is_supervisor(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _unit_or_404(request, code: str) -> AdministrativeUnit:
    try:
        return selectors.supervised_unit_get(user=request.user, code=code)
    except AdministrativeUnit.DoesNotExist:
        raise Http404 from None


@supervisor_required
def overview(request: HttpRequest) -> HttpResponse:
    """Straight to the highest unit the supervisor is bound to."""
    bound = list(
        AdministrativeUnit.objects.filter(
            pk__in=RoleBinding.objects.filter(user=request.user, role__in=SUPERVISOR_ROLES).values("unit_id")
        )
    )
    bound.sort(key=lambda unit: (LEVEL_ORDER.get(unit.level, 9), unit.code))
    return redirect("outreach:unit", code=bound[0].code)


def _platform_rows(total: dict, platforms) -> list[dict]:
    official = total.get(HH_OFFICIAL, 0)
    rows = []
    for platform in platforms:
        count = total.get(ADOPT_PREFIX + platform.code, 0)
        rows.append(
            {
                "platform": platform,
                "count": count,
                "share": round(100 * count / official, 1) if official else None,
            }
        )
    return rows


@supervisor_required
def unit_coverage(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_or_404(request, code)
    today = timezone.localdate()
    table = rollup.stored_table(unit=unit, day=today)
    platforms = list(selectors.platforms_active())
    context = {
        "unit": unit,
        "table": table,
        "platform_rows": _platform_rows(table["total"], platforms),
        "series": rollup.coverage_series(unit=unit),
        "weeks": selectors.visits_per_week(user=request.user, within=unit, today=today)[:60],
        "follow_ups": selectors.follow_ups_due(user=request.user, within=unit)[:50],
        "conflicts_count": selectors.conflicts_open(user=request.user, within=unit).count(),
        "duplicates_count": len(selectors.duplicate_groups(user=request.user, within=unit)),
        "child_level": UnitLevel.COMMUNE if unit.level == UnitLevel.PROVINCE else UnitLevel.HAMLET,
        "metrics": {
            "official": HH_OFFICIAL,
            "registered": HH_REGISTERED,
            "visited": HH_VISITED,
            "digital": HH_DIGITAL,
            "visits": VISITS,
        },
    }
    return render(request, "outreach/office/unit.html", context)


@supervisor_required
def coverage_chart(request: HttpRequest, code: str) -> JsonResponse:
    """The stored coverage of a unit over time, for the chart (the page has the same figures as a table)."""
    unit = _unit_or_404(request, code)
    return JsonResponse(
        {"unit": unit.code, "name": unit.full_name, "series": rollup.coverage_series(unit=unit)}
    )


@supervisor_required
def coverage_export(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's coverage and follow-ups as an Excel workbook; phones masked."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    unit = _unit_or_404(request, code)
    today = timezone.localdate()
    table = rollup.stored_table(unit=unit, day=today)
    platforms = list(selectors.platforms_active())
    book = Workbook()
    sheet = book.active
    sheet.title = _("Coverage")[:31]
    sheet.append(
        [_("Coverage of households by digital platforms"), unit.full_name, today.strftime("%d/%m/%Y")]
    )
    header = [
        _("Code"), _("Unit"), _("Official households"), _("Registered households"),
        _("Households visited this month"), _("Households with at least one platform"), _("Coverage (%)"),
        _("Visits this month"),
    ] + [p.name for p in platforms]  # fmt: skip
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in [*table["children"], {**table["total"], "code": "", "name": _("Total")}]:
        sheet.append(
            [row["code"], row["name"], row.get(HH_OFFICIAL, 0), row.get(HH_REGISTERED, 0),
             row.get(HH_VISITED, 0), row.get(HH_DIGITAL, 0), row.get("coverage"), row.get(VISITS, 0)]
            + [row.get(ADOPT_PREFIX + p.code, 0) for p in platforms]
        )  # fmt: skip
    follow = book.create_sheet(_("Follow-ups")[:31])
    follow.append(
        [_("Hamlet"), _("House no."), _("Head of household"), _("Phone"), _("Platform"), _("Since")]
    )
    for cell in follow[1]:
        cell.font = Font(bold=True)
    for event in selectors.follow_ups_due(user=request.user, within=unit)[:5000]:
        household = event.household
        follow.append(
            [household.hamlet.full_name, household.house_number, household.head_name,
             mask_phone(household.phone) if household.phone else "", event.platform.name,
             timezone.localtime(event.recorded_at).strftime("%d/%m/%Y")]
        )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="do-phu-so-{unit.code}-{today:%Y%m%d}.xlsx"'
    return response


@supervisor_required
def conflicts(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.conflicts_open(user=request.user)[:100])
    return render(request, "outreach/office/conflicts.html", {"conflicts": rows})


@supervisor_required
@require_POST
def conflict_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        conflict = selectors.conflict_for_supervisor(user=request.user, conflict_id=pk)
    except HouseholdConflict.DoesNotExist:
        raise Http404 from None
    try:
        services.conflict_resolve(
            actor=request.user, conflict=conflict, apply=request.POST.get("decision") == "apply"
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done."))
    return redirect("outreach:conflicts")


@supervisor_required
def duplicates(request: HttpRequest) -> HttpResponse:
    groups = selectors.duplicate_groups(user=request.user)
    return render(request, "outreach/office/duplicates.html", {"groups": groups})


@supervisor_required
@require_POST
def merge(request: HttpRequest) -> HttpResponse:
    try:
        survivor = selectors.household_for_supervisor(
            user=request.user, household_id=request.POST.get("survivor")
        )
        duplicate = selectors.household_for_supervisor(
            user=request.user, household_id=request.POST.get("duplicate")
        )
    except (Household.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    try:
        services.households_merge(actor=request.user, survivor=survivor, duplicate=duplicate)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The households were merged."))
    return redirect("outreach:duplicates")


@supervisor_required
def import_households(request: HttpRequest) -> HttpResponse:
    """Upload a hamlet's household list, see every row checked, then confirm."""
    hamlets = selectors.supervised_hamlets(user=request.user).select_related("parent").order_by("code")
    if request.method == "POST" and request.POST.get("step") == "confirm":
        pending = request.session.pop(IMPORT_SESSION_KEY, None)
        if not pending:
            messages.error(request, _("The preview has expired; send the file again."))
            return redirect("outreach:import")
        hamlet = hamlets.filter(code=pending["hamlet"]).first()
        if hamlet is None:
            raise Http404
        created = services.households_import(
            actor=request.user,
            hamlet=hamlet,
            rows=pending["rows"],
            with_warnings=bool(request.POST.get("with_warnings")),
        )
        messages.success(
            request,
            _("%(count)d households imported into %(hamlet)s.")
            % {"count": created, "hamlet": hamlet.full_name},
        )
        return redirect("outreach:unit", code=hamlet.code)
    form = ImportForm(request.POST or None, request.FILES or None, hamlets=hamlets)
    preview = None
    if request.method == "POST" and form.is_valid():
        hamlet = hamlets.get(code=form.cleaned_data["hamlet"])
        upload = form.cleaned_data["file"]
        try:
            if upload.size > imports.MAX_BYTES:
                raise imports.FileRejected(_("The file is larger than 2 MB."))
            rows = imports.households_parse(hamlet=hamlet, name=upload.name, content=upload.read())
        except imports.FileRejected as error:
            form.add_error("file", str(error))
        else:
            request.session[IMPORT_SESSION_KEY] = {
                "hamlet": hamlet.code,
                "rows": imports.rows_to_session(rows),
            }
            preview = {
                "hamlet": hamlet,
                "rows": rows,
                "ok": sum(1 for r in rows if not r.error and not r.warning),
                "errors": sum(1 for r in rows if r.error),
                "warnings": sum(1 for r in rows if r.warning and not r.error),
            }
    return render(request, "outreach/office/import.html", {"form": form, "preview": preview})
