"""Leaders' and departments' pages: the plan's tasks and progress, the projects' money, the summary."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts.decorators import official_required
from congso.core.exceptions import ApplicationError
from congso.programme import selectors, services
from congso.programme.constants import TaskStatus
from congso.programme.exports import summary_csv, summary_xlsx
from congso.programme.forms import ProjectYearForm, TaskUpdateForm
from congso.programme.models import Project, Task, TaskUpdate


def _year(request) -> int:
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _reader(request) -> None:
    if not selectors.programme_units(user=request.user).exists():
        raise PermissionDenied


@official_required
def summary(request: HttpRequest) -> HttpResponse:
    """Tasks done vs planned and money disbursed vs allocated, for the user's units, as a table (and a
    chart drawn from the same table), CSV or Excel."""
    _reader(request)
    year = _year(request)
    figures = selectors.programme_summary(year=year, units=selectors.programme_units(user=request.user))
    fmt = request.GET.get("dinh-dang")
    if fmt == "csv":
        return summary_csv(figures)
    if fmt == "xlsx":
        return summary_xlsx(figures)
    years = sorted({year, timezone.localdate().year, *selectors.plans_years(user=request.user)}, reverse=True)
    return render(request, "programme/summary.html", {"s": figures, "years": years, "year": year})


@official_required
def task_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    status = request.GET.get("trang-thai", "")
    agency = request.GET.get("co-quan", "").strip()[:100]
    overdue = request.GET.get("qua-han") == "1"
    year = request.GET.get("nam", "")
    year = int(year) if year.isdigit() and len(year) == 4 and 2000 <= int(year) <= 2100 else None
    items = selectors.tasks_of_official(
        user=request.user,
        status=status,
        agency=agency,
        overdue=overdue,
        year=year,
    )
    page = Paginator(items, 30).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "page": page,
        "statuses": TaskStatus.choices,
        "status": status,
        "agency": agency,
        "overdue": overdue,
        "agencies": selectors.agencies_of(selectors.tasks_of_official(user=request.user)),
        "query": query.urlencode(),
        "today": timezone.localdate(),
    }
    return render(request, "programme/task_list.html", context)


@official_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A task, its updates, and the form to report progress."""
    try:
        task = selectors.task_for_official(user=request.user, pk=pk)
    except Task.DoesNotExist:
        raise Http404 from None
    form = TaskUpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update_add(task=task, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The progress report has been recorded."))
            return redirect("programme:task_detail", pk=task.pk)
    context = {
        "task": task,
        "updates": selectors.task_updates(task=task),
        "form": form,
        "overdue": task.is_overdue(),
    }
    return render(request, "programme/task_detail.html", context)


@official_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    try:
        update = selectors.update_for_official(user=request.user, pk=pk)
    except TaskUpdate.DoesNotExist:
        raise Http404 from None
    if not update.evidence_file:
        raise Http404
    return FileResponse(update.evidence_file.open("rb"), as_attachment=True)


@official_required
def project_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    year = _year(request)
    page = Paginator(selectors.projects_of_official(user=request.user, year=year), 30).get_page(
        request.GET.get("trang")
    )
    return render(request, "programme/project_list.html", {"page": page, "year": year})


@official_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        project = selectors.project_for_official(user=request.user, pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None
    form = ProjectYearForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            services.project_year_set(project=project, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("programme:project_detail", pk=project.pk)
    years = list(project.years.order_by("year"))
    for row in years:
        row.rate = round(100 * row.disbursed / row.allocated, 1) if row.allocated else None
    return render(
        request, "programme/project_detail.html", {"project": project, "years": years, "form": form}
    )
