from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.accounts.decorators import official_required
from congso.core.exceptions import ApplicationError
from congso.dossiers.models import Dossier
from congso.dossiers.selectors import dossier_for_applicant, offices_for_citizens
from congso.feedback import services
from congso.feedback.constants import FeedbackStatus
from congso.feedback.forms import AnswerForm, FeedbackForm, OfficeFeedbackForm, RatingForm
from congso.feedback.models import Feedback
from congso.feedback.selectors import (
    feedback_for_official,
    feedback_of_author,
    feedback_of_official,
    feedback_published,
)


def _own_dossier_or_404(request, code: str) -> Dossier:
    try:
        return dossier_for_applicant(user=request.user, code=code)
    except Dossier.DoesNotExist:
        raise Http404 from None


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    """The applicant rates their dossier from the panel on the dossier page."""
    dossier = _own_dossier_or_404(request, code)
    form = RatingForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.dossier_rate(dossier=dossier, user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you for your rating."))
    return redirect("dossiers:detail", code=dossier.code)


@login_required
@require_POST
def dossier_feedback(request: HttpRequest, code: str) -> HttpResponse:
    """The applicant files a report or proposal about their dossier."""
    dossier = _own_dossier_or_404(request, code)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.feedback_submit(author=request.user, dossier=dossier, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your feedback has been received. You will be answered here."))
    return redirect("dossiers:detail", code=dossier.code)


@login_required
def office_feedback(request: HttpRequest) -> HttpResponse:
    """A report or proposal about a service centre, not about one dossier."""
    offices = offices_for_citizens()
    form = OfficeFeedbackForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(author=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your feedback has been received. You will be answered here."))
            return redirect("feedback:mine")
    return render(request, "feedback/portal/new.html", {"form": form})


@login_required
def my_feedback(request: HttpRequest) -> HttpResponse:
    page = Paginator(feedback_of_author(user=request.user), 20).get_page(request.GET.get("trang"))
    return render(request, "feedback/portal/mine.html", {"page": page})


@official_required
def office_list(request: HttpRequest) -> HttpResponse:
    """The feedback of the official's units; overdue ones are highlighted."""
    items = feedback_of_official(user=request.user)
    status = request.GET.get("trang-thai", "")
    if status in FeedbackStatus.values:
        items = items.filter(status=status)
    page = Paginator(items, 30).get_page(request.GET.get("trang"))
    context = {"page": page, "statuses": FeedbackStatus.choices, "current": status}
    return render(request, "feedback/office/list.html", context)


def _feedback_or_404(request, pk: int) -> Feedback:
    try:
        return feedback_for_official(user=request.user, pk=pk)
    except Feedback.DoesNotExist:
        raise Http404 from None


@official_required
def office_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One feedback: acknowledge it, or answer it."""
    feedback = _feedback_or_404(request, pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_answer(
                feedback=feedback,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                publish=form.cleaned_data["publish"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The answer has been sent."))
            return redirect("feedback:office_detail", pk=feedback.pk)
    context = {"feedback": feedback, "form": form, "now": timezone.now()}
    return render(request, "feedback/office/detail.html", context)


@official_required
@require_POST
def office_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = _feedback_or_404(request, pk)
    try:
        services.feedback_acknowledge(feedback=feedback, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The feedback has been acknowledged."))
    return redirect("feedback:office_detail", pk=feedback.pk)


@official_required
@require_POST
def office_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Make an answered feedback public, or take it back."""
    feedback = _feedback_or_404(request, pk)
    publish = request.POST.get("publish") == "1"
    try:
        services.feedback_publish(feedback=feedback, actor=request.user, publish=publish)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Published.") if publish else _("No longer public."))
    return redirect("feedback:office_detail", pk=feedback.pk)


def published(request: HttpRequest) -> HttpResponse:
    """Answered reports and proposals made public by the offices (công khai kết quả xử lý), for anyone."""
    page = Paginator(feedback_published(), 20).get_page(request.GET.get("trang"))
    return render(request, "feedback/portal/published.html", {"page": page})
