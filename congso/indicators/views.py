"""The operations centre's pages: read only roll-ups, scoped to the official's units; every table can be
downloaded."""

import json

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.accounts.decorators import official_required
from congso.accounts.models import User
from congso.core.exceptions import ApplicationError
from congso.geo.constants import UnitLevel
from congso.geo.models import AdministrativeUnit
from congso.indicators import periods, selectors, services
from congso.indicators.computed import D766_GROUPS, D766_MEASURED_MAX
from congso.indicators.constants import AlertStatus, JobStatus, PeriodType, Pillar
from congso.indicators.excel import form_template
from congso.indicators.export import FORMATS, table_response
from congso.indicators.forms import ResolveForm, UploadForm
from congso.indicators.models import Alert, ImportJob, Indicator, ReportingForm

SERIES_LENGTH = {PeriodType.MONTHLY: 24, PeriodType.QUARTERLY: 8, PeriodType.YEARLY: 5}


def _unit(request: HttpRequest) -> AdministrativeUnit:
    try:
        return selectors.ioc_unit(user=request.user, code=request.GET.get("don-vi"))
    except AdministrativeUnit.DoesNotExist:
        raise Http404 from None


def _last(period_type: str) -> periods.Period:
    """The last complete period of a type."""
    return periods.previous(periods.containing(timezone.localdate(), period_type))


def _period(request: HttpRequest, default: periods.Period) -> periods.Period:
    try:
        return periods.parse(request.GET["ky"]) if request.GET.get("ky") else default
    except ApplicationError:
        raise Http404 from None


def _export(request):
    fmt = request.GET.get("xuat", "")
    return fmt if fmt in FORMATS else None


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",")


def _breadcrumb(unit: AdministrativeUnit, root_level_units) -> list[AdministrativeUnit]:
    chain, current = [], unit
    while current is not None and current.pk in root_level_units:
        chain.append(current)
        current = current.parent if current.parent_id else None
    return chain[::-1]


@official_required
def overview(request: HttpRequest) -> HttpResponse:
    """The three pillars at a glance: each indicator's value for the year against its target."""
    unit = _unit(request)
    this_year = _last(PeriodType.MONTHLY).year
    try:
        year = int(request.GET.get("nam") or this_year)
    except ValueError:
        raise Http404 from None
    key = f"indicators:overview:{selectors.cache_version()}:{unit.pk}:{year}"
    rows = cache.get(key)
    if rows is None:
        indicators = selectors.indicators_with_legends()
        figures = selectors.indicator_figures(
            indicators=indicators, unit_ids=[unit.pk], period_keys=[str(year)]
        )
        targets = selectors.targets_for(indicators=indicators, units=[unit], years=[year])
        rows = []
        for indicator in indicators:
            value = figures[(indicator.code, unit.pk, str(year))].value
            target = targets.get((indicator.code, unit.pk, year))
            status = selectors.status_of(indicator, value, target)
            rows.append(
                {
                    "code": indicator.code,
                    "name": indicator.name,
                    "pillar": indicator.pillar,
                    "unit_label": indicator.unit_label,
                    "value": value,
                    "target": target,
                    "rag": status.rag,
                    "status": status.label,
                    "note": indicator.note,
                    "digits": 1 if indicator.factor != 1 else 0,
                }
            )
        cache.set(key, rows, 600)
    if fmt := _export(request):
        return table_response(
            filename=f"chi-so-{unit.code}-{year}",
            fmt=fmt,
            headers=[
                _("Pillar"),
                _("Code"),
                _("Indicator"),
                _("Value"),
                _("Target"),
                _("Unit of measure"),
                _("Status"),
            ],
            rows=[
                [
                    Pillar(r["pillar"]).label,
                    r["code"],
                    r["name"],
                    r["value"],
                    r["target"],
                    r["unit_label"],
                    r["status"],
                ]
                for r in rows
            ],
        )
    pillars = [
        {
            "code": p.value,
            "label": p.label,
            "rows": [
                dict(r, shown=_fmt(r["value"], r["digits"]), target_shown=_fmt(r["target"], r["digits"]))
                for r in rows
                if r["pillar"] == p.value
            ],
        }
        for p in Pillar
    ]
    return render(
        request,
        "indicators/office/overview.html",
        {
            "unit": unit,
            "year": year,
            "years": range(this_year - 2, this_year + 1),
            "pillars": pillars,
            "nav": "overview",
        },
    )


def _indicator_context(request: HttpRequest, code: str) -> dict:
    indicator = (
        Indicator.objects.select_related("legend_set")
        .prefetch_related("legend_set__legends")
        .filter(code=code)
        .first()
    )
    if indicator is None:
        raise Http404
    unit = _unit(request)
    last = _last(indicator.frequency)
    series = periods.series(last, SERIES_LENGTH[indicator.frequency])
    selected = _period(request, last)
    if selected.type != indicator.frequency:
        raise Http404
    key = f"indicators:detail:{selectors.cache_version()}:{indicator.pk}:{unit.pk}:{selected.key}"
    data = cache.get(key)
    if data is None:
        children = selectors.children_of(unit)
        keys = sorted({p.key for p in series} | {selected.key})
        unit_ids = [unit.pk] + [c.pk for c in children]
        figures = selectors.indicator_figures(indicators=[indicator], unit_ids=unit_ids, period_keys=keys)
        years = sorted({p.year for p in series} | {selected.year})
        targets = selectors.targets_for(indicators=[indicator], units=[unit, *children], years=years)
        rows = []
        for child in children:
            figure = figures[(indicator.code, child.pk, selected.key)]
            target = targets.get((indicator.code, child.pk, selected.year))
            status = selectors.status_of(indicator, figure.value, target)
            rows.append(
                {
                    "code": child.code,
                    "name": child.full_name,
                    "level": child.level,
                    "value": figure.value,
                    "numerator": figure.numerator,
                    "denominator": figure.denominator,
                    "target": target,
                    "rag": status.rag,
                    "status": status.label,
                }
            )
        points = []
        for p in series:
            figure = figures[(indicator.code, unit.pk, p.key)]
            points.append(
                {
                    "period": p.key,
                    "label": p.label(),
                    "value": figure.value,
                    "numerator": figure.numerator,
                    "denominator": figure.denominator,
                    "target": targets.get((indicator.code, unit.pk, p.year)),
                }
            )
        own = figures[(indicator.code, unit.pk, selected.key)]
        own_target = targets.get((indicator.code, unit.pk, selected.year))
        status = selectors.status_of(indicator, own.value, own_target)
        data = {
            "rows": rows,
            "points": points,
            "value": own.value,
            "numerator": own.numerator,
            "denominator": own.denominator,
            "target": own_target,
            "rag": status.rag,
            "status": status.label,
            "has_map": unit.level == UnitLevel.PROVINCE and bool(children),
        }
        cache.set(key, data, 600)
    return {"indicator": indicator, "unit": unit, "selected": selected, "series": series, **data}


@official_required
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator: its time series, its units below (drill-down) on a table and a map."""
    context = _indicator_context(request, code)
    indicator, unit, selected = context["indicator"], context["unit"], context["selected"]
    if fmt := _export(request):
        if request.GET.get("bang") == "chuoi":
            return table_response(
                filename=f"{indicator.code}-{unit.code}-chuoi",
                fmt=fmt,
                headers=[
                    _("Period"),
                    indicator.numerator_label or _("Numerator"),
                    indicator.denominator_label or _("Denominator"),
                    _("Value"),
                    _("Target"),
                ],
                rows=[
                    [p["label"], p["numerator"], p["denominator"], p["value"], p["target"]]
                    for p in context["points"]
                ],
            )
        return table_response(
            filename=f"{indicator.code}-{unit.code}-{selected.key}",
            fmt=fmt,
            headers=[
                _("Code"),
                _("Unit"),
                indicator.numerator_label or _("Numerator"),
                indicator.denominator_label or _("Denominator"),
                _("Value"),
                _("Target"),
                _("Status"),
            ],
            rows=[
                [r["code"], r["name"], r["numerator"], r["denominator"], r["value"], r["target"], r["status"]]
                for r in context["rows"]
            ],
        )
    digits = 1 if indicator.factor != 1 else 0  # rates with a decimal, counts without
    for row in context["rows"]:
        row["shown"], row["target_shown"] = _fmt(row["value"], digits), _fmt(row["target"], digits)
        row["drill"] = row["level"] != UnitLevel.HAMLET
    for point in context["points"]:
        point["shown"], point["target_shown"] = _fmt(point["value"], digits), _fmt(point["target"], digits)
    visible_parent = (
        unit.parent_id and selectors.ioc_units(user=request.user).filter(pk=unit.parent_id).exists()
    )
    ancestors = [unit.parent] if visible_parent else []
    context.update(
        shown=_fmt(context["value"], digits),
        target_shown=_fmt(context["target"], digits),
        ancestors=ancestors,
        data_url=reverse("indicators:indicator_data", args=[indicator.code])
        + f"?don-vi={unit.code}&ky={selected.key}",
        geo_url=reverse("indicators:boundaries"),
        periods_choice=[(p.key, p.label()) for p in reversed(context["series"])],
        nav="overview",
    )
    return render(request, "indicators/office/indicator.html", context)


@official_required
def indicator_data(request: HttpRequest, code: str) -> JsonResponse:
    """The JSON the charts and the map read (the same figures as the page's tables)."""
    c = _indicator_context(request, code)
    return JsonResponse(
        {
            "indicator": {
                "code": c["indicator"].code,
                "name": c["indicator"].name,
                "unit_label": c["indicator"].unit_label,
            },
            "unit": {"code": c["unit"].code, "name": c["unit"].full_name},
            "period": {"key": c["selected"].key, "label": c["selected"].label()},
            "series": [{k: p[k] for k in ("period", "label", "value", "target")} for p in c["points"]],
            "children": [{k: r[k] for k in ("code", "name", "value", "rag", "status")} for r in c["rows"]],
            "labels": {"value": _("Value"), "target": _("Target"), "no_data": _("No data")},
        }
    )


@official_required
def boundaries(request: HttpRequest) -> JsonResponse:
    """The communes of the province as a GeoJSON FeatureCollection (cached: boundaries change rarely)."""
    root = selectors.ioc_root(user=request.user)
    province = root if root.level == UnitLevel.PROVINCE else root.parent
    key = f"indicators:boundaries:{province.pk}"
    data = cache.get(key)
    if data is None:
        features = [
            {"type": "Feature", "properties": {"code": code, "name": name}, "geometry": boundary}
            for code, name, boundary in AdministrativeUnit.objects.current()
            .filter(parent=province, boundary__isnull=False)
            .values_list("code", "full_name", "boundary")
        ]
        data = json.dumps({"type": "FeatureCollection", "features": features})
        cache.set(key, data, 24 * 3600)
    response = HttpResponse(data, content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@official_required
def d766(request: HttpRequest) -> HttpResponse:
    """Decision 766's service index by unit for a month: congso's own estimate of what it can measure."""
    unit = _unit(request)
    selected = _period(request, _last(PeriodType.MONTHLY))
    children = selectors.children_of(unit) if unit.level != UnitLevel.HAMLET else []
    codes = [code for _g, _m, code in D766_GROUPS if code] + ["D766_SCORE", "D766_MEASURED_MAX"]
    ids = selectors.element_ids()
    cells = selectors.rollup_cells(
        element_ids=[ids[c] for c in codes if c in ids],
        unit_ids=[unit.pk] + [c.pk for c in children],
        period_keys=[selected.key],
    )
    labels = {
        "transparency": _("Transparency"),
        "progress": _("Progress"),
        "online": _("Online services"),
        "payment": _("Online payment"),
        "satisfaction": _("Satisfaction"),
        "digitisation": _("Digitisation"),
    }
    groups = [
        {"key": g, "label": labels[g], "max": m, "measured": D766_MEASURED_MAX.get(code or "", 0)}
        for g, m, code in D766_GROUPS
    ]
    rows = []
    for u in [unit, *children]:

        def cell(code, u=u):
            return cells.get((ids.get(code), u.pk, selected.key))

        score, measured = cell("D766_SCORE"), cell("D766_MEASURED_MAX")
        rows.append(
            {
                "unit": u,
                "is_total": u.pk == unit.pk,
                "groups": [cell(code) if code else None for _g, _m, code in D766_GROUPS],
                "score": score,
                "measured": measured,
                "percent": 100 * score / measured if score is not None and measured else None,
            }
        )
    if fmt := _export(request):
        return table_response(
            filename=f"chi-so-766-{unit.code}-{selected.key}",
            fmt=fmt,
            headers=[_("Code"), _("Unit")]
            + [f"{g['label']} (/{g['max']})" for g in groups]
            + [_("Measured points"), _("Measurable maximum"), _("Share of measurable points (%)")],
            rows=[
                [
                    r["unit"].code,
                    r["unit"].full_name,
                    *[("" if v is None else round(v, 2)) for v in r["groups"]],
                    r["score"],
                    r["measured"],
                    r["percent"],
                ]
                for r in rows
            ],
        )
    for r in rows:
        r["shown"] = [_fmt(v, 2) if v is not None else None for v in r["groups"]]
        r["score_shown"], r["percent_shown"] = _fmt(r["score"], 2), _fmt(r["percent"])
    return render(
        request,
        "indicators/office/d766.html",
        {
            "unit": unit,
            "selected": selected,
            "groups": groups,
            "rows": rows,
            "nav": "d766",
            "months": [(p.key, p.label()) for p in reversed(periods.series(_last(PeriodType.MONTHLY), 12))],
        },
    )


@official_required
def completeness(request: HttpRequest) -> HttpResponse:
    """Who has not reported which form for a period."""
    unit = _unit(request)
    period_type = request.GET.get("loai") or PeriodType.QUARTERLY
    if period_type not in PeriodType.values:
        raise Http404
    selected = _period(request, _last(period_type))
    forms = selectors.completeness(root=unit, period=selected)
    form = None
    page = None
    if code := request.GET.get("bieu"):
        form = get_object_or_404(ReportingForm, code=code, period_type=selected.type)
        missing = selectors.units_missing(root=unit, form=form, period=selected)
        if fmt := _export(request):
            return table_response(
                filename=f"chua-bao-cao-{form.code}-{selected.key}",
                fmt=fmt,
                headers=[_("Code"), _("Unit"), _("Parent unit")],
                rows=[[u.code, u.full_name, u.parent.full_name if u.parent_id else ""] for u in missing],
            )
        page = Paginator(missing, 50).get_page(request.GET.get("trang"))
    elif fmt := _export(request):
        return table_response(
            filename=f"bao-cao-{selected.key}",
            fmt=fmt,
            headers=[
                _("Form"),
                _("Owner agency"),
                _("Expected"),
                _("Reported"),
                _("Missing"),
                _("Complete (%)"),
            ],
            rows=[
                [
                    f["form"].name,
                    f["form"].owner_agency,
                    f["expected"],
                    f["reported"],
                    f["missing"],
                    f["percent"],
                ]
                for f in forms
            ],
        )
    return render(
        request,
        "indicators/office/completeness.html",
        {
            "unit": unit,
            "selected": selected,
            "forms": forms,
            "form": form,
            "page": page,
            "period_type": period_type,
            "types": PeriodType.choices,
            "nav": "completeness",
            "choices": [(p.key, p.label()) for p in reversed(periods.series(_last(period_type), 8))],
        },
    )


@official_required
def alerts(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("trang-thai", "")
    if status and status not in AlertStatus.values:
        raise Http404
    found = selectors.alerts_for(user=request.user, status=status)
    if fmt := _export(request):
        return table_response(
            filename="canh-bao",
            fmt=fmt,
            headers=[
                _("Raised at"),
                _("Rule"),
                _("Unit"),
                _("Period"),
                _("Message"),
                _("Status"),
                _("Assignee"),
            ],
            rows=[
                [
                    timezone.localtime(a.created_at).strftime("%d/%m/%Y %H:%M"),
                    a.rule.name,
                    a.unit.full_name,
                    a.period,
                    a.message,
                    a.get_status_display(),
                    a.assignee.email if a.assignee else "",
                ]
                for a in found[:5000]
            ],
        )
    page = Paginator(found, 25).get_page(request.GET.get("trang"))
    assignees = (
        User.objects.filter(role_bindings__unit__in=selectors.ioc_units(user=request.user))
        .distinct()
        .order_by("email")[:200]
    )
    return render(
        request,
        "indicators/office/alerts.html",
        {
            "page": page,
            "status": status,
            "statuses": AlertStatus.choices,
            "assignees": assignees,
            "resolve_form": ResolveForm(),
            "nav": "alerts",
        },
    )


@official_required
@require_POST
def alert_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        alert = selectors.alert_for(user=request.user, pk=pk)
    except Alert.DoesNotExist:
        raise Http404 from None
    try:
        if action == "xac-nhan":
            services.alert_acknowledge(alert=alert, actor=request.user)
            messages.success(request, _("Alert acknowledged."))
        elif action == "giao":
            scope = selectors.ioc_units(user=request.user)
            assignee = User.objects.filter(
                pk=request.POST.get("assignee") or 0, role_bindings__unit__in=scope
            ).first()
            if assignee is None:
                raise ApplicationError(_("Choose an official of your units."))
            services.alert_assign(alert=alert, assignee=assignee, actor=request.user)
            messages.success(request, _("Alert assigned to %(who)s.") % {"who": assignee.email})
        elif action == "xu-ly":
            form = ResolveForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            services.alert_resolve(alert=alert, actor=request.user, note=note)
            messages.success(request, _("Alert resolved."))
        else:
            raise Http404
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(reverse("indicators:alerts") + "#alert-" + str(alert.pk))


@official_required
def upload(request: HttpRequest) -> HttpResponse:
    """Excel upload from a form's template, processed in the background."""
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = services.import_job_create(
                    form=form.cleaned_data["form"],
                    user=request.user,
                    file=form.cleaned_data["file"],
                    strategy=form.cleaned_data["strategy"],
                    dry_run=form.cleaned_data["dry_run"],
                )
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                return redirect("indicators:job", pk=job.pk)
    else:
        form = UploadForm()
    jobs = ImportJob.objects.filter(created_by=request.user).select_related("form")[:10]
    forms = ReportingForm.objects.filter(is_computed=False).order_by("code")
    return render(
        request,
        "indicators/office/upload.html",
        {"form": form, "jobs": jobs, "forms": forms, "nav": "upload"},
    )


@official_required
def template(request: HttpRequest, code: str) -> HttpResponse:
    form = get_object_or_404(ReportingForm, code=code, is_computed=False)
    root = selectors.ioc_root(user=request.user)
    units = selectors.ioc_units(user=request.user).filter(level=form.unit_level).order_by("code")
    if form.unit_level == UnitLevel.PROVINCE:
        units = units.filter(pk=root.pk) if root.level == UnitLevel.PROVINCE else units.none()
    content = form_template(form=form, units=units, period=_last(form.period_type).key)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="mau-{form.code}.xlsx"'
    return response


@official_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress, then the summary. Refreshes itself (meta refresh) while the job runs: no JavaScript."""
    found = get_object_or_404(ImportJob.objects.select_related("form"), pk=pk, created_by=request.user)
    running = found.status in (JobStatus.PENDING, JobStatus.RUNNING)
    return render(request, "indicators/office/job.html", {"job": found, "running": running, "nav": "upload"})
