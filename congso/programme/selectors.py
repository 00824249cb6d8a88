import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from congso.accounts.selectors import user_units
from congso.geo.models import AdministrativeUnit
from congso.programme.constants import PROGRAMME_ROLES, Pillar, TaskStatus
from congso.programme.models import Plan, Project, ProjectYear, Task, TaskUpdate

FINISHED = [TaskStatus.DONE, TaskStatus.STOPPED]


def programme_units(*, user) -> QuerySet[AdministrativeUnit]:
    """The units whose plan and projects the user may read: leaders' and departments' units, and below."""
    return user_units(user=user, roles=PROGRAMME_ROLES)


def _task_scope(units) -> Q:
    # A task is the issuing unit's (its plan) and the lead unit's.
    return Q(plan__unit__in=units) | Q(lead_unit__in=units)


def _project_scope(units) -> Q:
    return Q(owner_unit__in=units) | Q(plan__unit__in=units)


def overdue_condition(today: datetime.date) -> Q:
    return Q(due_date__lt=today) & ~Q(status__in=FINISHED)


def tasks_of_official(
    *,
    user,
    status: str = "",
    agency: str = "",
    overdue: bool = False,
    year: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Task]:
    """The tasks of the plans of the user's units and the tasks their units lead, filtered."""
    today = today or timezone.localdate()
    items = Task.objects.filter(_task_scope(programme_units(user=user))).select_related("plan", "lead_unit")
    if year:
        items = items.filter(plan__year=year)
    if status in TaskStatus.values:
        items = items.filter(status=status)
    if agency:
        items = items.filter(
            Q(lead_agency_name__icontains=agency) | Q(lead_unit__full_name__icontains=agency)
        )
    if overdue:
        items = items.filter(overdue_condition(today))
    return items.order_by("plan__year", "plan_id", "code")


def task_for_official(*, user, pk: int) -> Task:
    """One task the user may read; ``Task.DoesNotExist`` for any other."""
    return tasks_of_official(user=user).get(pk=pk)


def task_updates(*, task: Task) -> QuerySet[TaskUpdate]:
    return task.updates.select_related("created_by").order_by("-date", "-pk")


def update_for_official(*, user, pk: int) -> TaskUpdate:
    tasks = Task.objects.filter(_task_scope(programme_units(user=user)))
    return TaskUpdate.objects.select_related("task").get(pk=pk, task__in=tasks)


def agencies_of(tasks: QuerySet[Task]) -> list[str]:
    names = set(tasks.exclude(lead_agency_name="").values_list("lead_agency_name", flat=True).distinct())
    names |= set(
        tasks.filter(lead_unit__isnull=False).values_list("lead_unit__full_name", flat=True).distinct()
    )
    return sorted(names)


def projects_of_official(*, user, year: int | None = None) -> QuerySet[Project]:
    """The projects of the user's units, each with ``allocated``, ``committed``, ``disbursed`` of ``year``
    (one query whatever the number of projects)."""
    year = year or timezone.localdate().year
    in_year = Q(years__year=year)
    return (
        Project.objects.filter(_project_scope(programme_units(user=user)))
        .select_related("owner_unit", "plan")
        .annotate(
            allocated=Sum("years__allocated", filter=in_year, default=0),
            committed=Sum("years__committed", filter=in_year, default=0),
            disbursed=Sum("years__disbursed", filter=in_year, default=0),
        )
        .order_by("code")
    )


def project_for_official(*, user, pk: int) -> Project:
    return Project.objects.select_related("owner_unit", "plan").get(
        _project_scope(programme_units(user=user)), pk=pk
    )


def plans_years(*, user) -> list[int]:
    units = programme_units(user=user)
    years = set(
        Plan.objects.filter(Q(unit__in=units) | Q(tasks__lead_unit__in=units)).values_list("year", flat=True)
    )
    years |= set(
        ProjectYear.objects.filter(project__in=Project.objects.filter(_project_scope(units))).values_list(
            "year", flat=True
        )
    )
    return sorted(years, reverse=True)


def _rate(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def programme_summary(*, year: int, units=None, today: datetime.date | None = None) -> dict:
    """The figures the operations centre shows for ``year``: tasks done against those planned by now, and
    money disbursed against money allocated. ``units`` (a queryset or list of units) limits them to the
    plans and projects of those units; None: the whole installation. Four queries.

    ``tasks.due`` counts the tasks due by today (or by 31/12 for a past year); ``tasks.done_of_due`` those of
    them done, so ``tasks.rate`` is "18/20 = 90%"; ``money.rate`` is disbursed / allocated in percent; rates
    are None when there is nothing to divide by.
    """
    today = today or timezone.localdate()
    cut = min(today, datetime.date(year, 12, 31))
    tasks = Task.objects.filter(plan__year=year)
    projects = Project.objects.all()
    if units is not None:
        tasks = tasks.filter(_task_scope(units))
        projects = projects.filter(_project_scope(units))
    due = Q(due_date__lte=cut)
    done = Q(status=TaskStatus.DONE)
    rows = (
        tasks.values("pillar")
        .annotate(
            total=Count("pk"),
            due=Count("pk", filter=due),
            done=Count("pk", filter=done),
            done_of_due=Count("pk", filter=due & done),
            overdue=Count("pk", filter=Q(due_date__lt=cut) & ~Q(status__in=FINISHED)),
        )
        .order_by("pillar")
    )
    labels = dict(Pillar.choices)
    by_pillar = [
        {
            **row,
            "label": str(labels.get(row["pillar"], row["pillar"])),
            "rate": _rate(row["done_of_due"], row["due"]),
        }
        for row in rows
    ]
    totals = {
        key: sum(row[key] for row in by_pillar) for key in ("total", "due", "done", "done_of_due", "overdue")
    }
    money = ProjectYear.objects.filter(project__in=projects.values("pk"), year=year).aggregate(
        allocated=Sum("allocated", default=0),
        committed=Sum("committed", default=0),
        disbursed=Sum("disbursed", default=0),
    )
    active = projects.filter(start_year__lte=year, end_year__gte=year)
    money["approved_total"] = active.aggregate(n=Sum("approved_total", default=0))["n"]
    money["projects"] = active.count()
    money["rate"] = _rate(money["disbursed"], money["allocated"])
    return {
        "year": year,
        "as_of": cut,
        "tasks": {**totals, "rate": _rate(totals["done_of_due"], totals["due"])},
        "by_pillar": by_pillar,
        "money": money,
    }
