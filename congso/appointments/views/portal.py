"""Citizens' pages: find a place, see its free slots, book, the ticket with its QR, cancel by link."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from congso.appointments import selectors, services
from congso.appointments.constants import MAX_ACTIVE_BOOKINGS, ResourceKind
from congso.appointments.forms import BookingForm, commune_choices
from congso.appointments.models import Booking, Resource
from congso.appointments.slots import days_with_slots, last_bookable_day, today
from congso.catalog.models import Procedure
from congso.core.exceptions import ApplicationError
from congso.core.masking import mask_name, mask_phone
from congso.core.qr import qr_png, qr_svg

DAYS_PER_PAGE = 7
SLOT_PARAM_FORMAT = "%Y%m%d%H%M"


def resource_list(request: HttpRequest) -> HttpResponse:
    """Counters and health stations, searchable without accents, by kind and commune."""
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("loai", "")
    kind = kind if kind in ResourceKind.values else ""
    unit_code = request.GET.get("xa", "")[:20]
    items = selectors.resources_for_citizens(query=query, kind=kind, unit_code=unit_code)
    page = Paginator(items, 20).get_page(request.GET.get("trang"))
    context = {
        "page": page,
        "query": query,
        "kind": kind,
        "unit_code": unit_code,
        "kinds": ResourceKind.choices,
        "communes": commune_choices(selectors.communes_with_resources()),
    }
    return render(request, "appointments/portal/resource_list.html", context)


def _resource_or_404(pk: int) -> Resource:
    try:
        return selectors.resource_for_citizens(pk=pk)
    except Resource.DoesNotExist:
        raise Http404 from None


def _start_day(request, resource: Resource) -> datetime.date:
    first, last = today(), last_bookable_day(resource)
    try:
        day = datetime.date.fromisoformat(request.GET.get("tu", ""))
    except ValueError:
        return first
    return min(max(day, first), last)


def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The free slots of one week, each a link to the booking form."""
    resource = _resource_or_404(pk)
    start = _start_day(request, resource)
    last = last_bookable_day(resource)
    days = days_with_slots(resource=resource, start=start, days=min(DAYS_PER_PAGE, (last - start).days + 1))
    step = datetime.timedelta(days=DAYS_PER_PAGE)
    context = {
        "resource": resource,
        "days": days,
        "previous": start - step if start > today() else None,
        "next": start + step if start + step <= last else None,
        "last": last,
        "slot_format": "YmdHi",
    }
    return render(request, "appointments/portal/resource_detail.html", context)


def _slot_from(request) -> datetime.datetime | None:
    try:
        naive = datetime.datetime.strptime(request.GET.get("luc", ""), SLOT_PARAM_FORMAT)
    except ValueError:
        return None
    return timezone.make_aware(naive, timezone.get_current_timezone())


@login_required
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """Book the slot named in ``?luc=YYYYMMDDHHMM``: name, phone, purpose, optionally a dossier."""
    resource = _resource_or_404(pk)
    starts_at = _slot_from(request)
    if starts_at is None:
        messages.error(request, _("Choose one of the slots shown."))
        return redirect("appointments:resource_detail", pk=resource.pk)
    dossiers = selectors.dossiers_for_booking(user=request.user)
    initial = {"name": request.user.full_name, "phone": getattr(request.user, "phone", "")}
    form = BookingForm(request.POST or None, dossiers=dossiers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        procedure = None
        if code := data["procedure_code"].strip():
            procedure = Procedure.objects.filter(code=code).first()
            if procedure is None:
                form.add_error("procedure_code", _("No procedure has this code."))
        if form.is_valid():
            try:
                booking = services.booking_create(
                    resource=resource,
                    user=request.user,
                    starts_at=starts_at,
                    name=data["name"],
                    phone=data["phone"],
                    purpose=data["purpose"],
                    dossier=data["dossier"],
                    procedure=procedure,
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            except PermissionDenied:
                form.add_error("dossier", _("Choose one of your own dossiers."))
            else:
                messages.success(request, _("Your appointment is booked."))
                return redirect("appointments:confirmation", pk=booking.pk)
    context = {"resource": resource, "starts_at": starts_at, "form": form, "max_active": MAX_ACTIVE_BOOKINGS}
    return render(request, "appointments/portal/book.html", context)


def _qr(booking: Booking) -> str:
    # segno's SVG: generated markup without scripts or style attributes, safe to put in the page.
    return mark_safe(qr_svg(booking.check_in_code, scale=6))  # noqa: S308


@login_required
def confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        booking = selectors.booking_for_user(user=request.user, pk=pk)
    except Booking.DoesNotExist:
        raise Http404 from None
    context = {"booking": booking, "qr": _qr(booking), "ticket_url": services.ticket_url(booking)}
    context["cancel_path"] = _cancel_path(booking)
    return render(request, "appointments/portal/confirmation.html", context)


def _cancel_path(booking: Booking) -> str:
    from django.urls import reverse

    return reverse("appointments:cancel", args=[services.cancel_token(booking)])


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.bookings_of_user(user=request.user), 20).get_page(request.GET.get("trang"))
    return render(request, "appointments/portal/mine.html", {"page": page, "now": timezone.now()})


def _booking_by_token(token: str) -> Booking:
    booking = services.booking_from_token(token)
    if booking is None:
        raise Http404
    return booking


def ticket(request: HttpRequest, token: str) -> HttpResponse:
    """The appointment as the link in the message shows it: no sign-in, personal data masked."""
    booking = _booking_by_token(token)
    context = {
        "booking": booking,
        "qr": _qr(booking),
        "masked_name": mask_name(booking.name),
        "masked_phone": mask_phone(booking.phone),
        "token": token,
    }
    return render(request, "appointments/portal/ticket.html", context)


def ticket_qr(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_by_token(token)
    response = HttpResponse(qr_png(booking.check_in_code), content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (mail scanners follow links), POST cancels and frees the place."""
    booking = _booking_by_token(token)
    error = ""
    if request.method == "POST":
        try:
            services.booking_cancel(booking=booking)
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, _("Your appointment has been cancelled. The place is free for others."))
            return redirect("appointments:ticket", token=token)
    context = {"booking": booking, "token": token, "error": error, "masked_name": mask_name(booking.name)}
    return render(request, "appointments/portal/cancel.html", context, status=400 if error else 200)
