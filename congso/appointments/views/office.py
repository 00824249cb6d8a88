"""Staff pages: the day's list (printable), check-in by code, no-shows, resources and closed days."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.accounts.decorators import official_required
from congso.accounts.selectors import user_units
from congso.appointments import selectors, services
from congso.appointments.constants import STAFF_ROLES
from congso.appointments.forms import BlackoutForm, CheckInForm, ResourceForm
from congso.appointments.models import Blackout, Booking, Resource
from congso.core.exceptions import ApplicationError
from congso.core.masking import mask_phone


def _resource_or_404(request, pk: int) -> Resource:
    try:
        return selectors.resource_for_official(user=request.user, pk=pk)
    except Resource.DoesNotExist:
        raise Http404 from None


@official_required
def resource_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.resources_of_official(user=request.user), 30).get_page(
        request.GET.get("trang")
    )
    return render(request, "appointments/office/resource_list.html", {"page": page})


def _day(request) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        return timezone.localdate()


@official_required
def day_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Everybody booked on one day, by time: check in, mark no-shows, print."""
    resource = _resource_or_404(request, pk)
    day = _day(request)
    bookings = list(selectors.bookings_of_day(resource=resource, day=day))
    for booking in bookings:
        booking.masked_phone = mask_phone(booking.phone)
    context = {
        "resource": resource,
        "day": day,
        "bookings": bookings,
        "previous": day - datetime.timedelta(days=1),
        "next": day + datetime.timedelta(days=1),
        "is_today": day == timezone.localdate(),
        "form": CheckInForm(),
        "now": timezone.now(),
    }
    return render(request, "appointments/office/day.html", context)


@official_required
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource_or_404(request, pk)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            booking = services.booking_check_in(
                resource=resource, actor=request.user, code=form.cleaned_data["code"]
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s checked in (%(time)s).")
                % {"name": booking.name, "time": timezone.localtime(booking.starts_at).strftime("%H:%M")},
            )
    else:
        messages.error(request, _("Enter the check-in code."))
    return redirect("appointments:office_day", pk=resource.pk)


@official_required
@require_POST
def no_show(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        booking = selectors.booking_for_official(user=request.user, pk=pk)
    except Booking.DoesNotExist:
        raise Http404 from None
    try:
        services.booking_mark_no_show(booking=booking, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Marked as not come."))
    day = timezone.localdate(booking.starts_at).isoformat()
    return redirect(f"{_day_url(booking.resource_id)}?ngay={day}")


def _day_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("appointments:office_day", args=[pk])


@official_required
def resource_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    resource = _resource_or_404(request, pk) if pk is not None else None
    units = user_units(user=request.user, roles=STAFF_ROLES)
    form = ResourceForm(request.POST or None, instance=resource, units=units)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
        try:
            # form.instance already carries the posted values; the service checks and saves them.
            saved = services.resource_save(
                actor=request.user,
                resource=Resource.objects.get(pk=resource.pk) if resource else None,
                unit=form.cleaned_data["unit"],
                **fields,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("appointments:office_day", pk=saved.pk)
    return render(request, "appointments/office/resource_form.html", {"form": form, "resource": resource})


@official_required
def blackouts(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource_or_404(request, pk)
    form = BlackoutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.blackout_add(resource=resource, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The day is closed; its appointments were cancelled and their holders told.")
            )
            return redirect("appointments:office_blackouts", pk=resource.pk)
    days = resource.blackouts.filter(date__gte=timezone.localdate()).order_by("date")[:100]
    return render(
        request, "appointments/office/blackouts.html", {"resource": resource, "form": form, "blackouts": days}
    )


@official_required
@require_POST
def blackout_remove(request: HttpRequest, pk: int) -> HttpResponse:
    blackout = (
        Blackout.objects.select_related("resource")
        .filter(pk=pk, resource__in=selectors.resources_of_official(user=request.user).values("pk"))
        .first()
    )
    if blackout is None:
        raise Http404
    services.blackout_remove(blackout=blackout, actor=request.user)
    messages.success(request, _("The day is open again."))
    return redirect("appointments:office_blackouts", pk=blackout.resource_id)
