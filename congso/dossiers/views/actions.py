"""The officer's buttons on a dossier: one POST per move of the workflow, each calling its service."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.accounts.decorators import official_required
from congso.catalog.eform import UPLOAD_MAX_BYTES
from congso.core.exceptions import ApplicationError
from congso.core.uploads import clean_upload
from congso.dossiers import steps, transitions, workflow
from congso.dossiers.constants import StepKind
from congso.dossiers.models import Dossier, ProcessingStep, ReceivingOffice
from congso.dossiers.queues import office_dossier
from congso.dossiers.services import PreparedDocument

# Moves an officer makes from the dossier page ("withdraw" is the applicant's, "assign" has its own form).
OFFICE_MOVES = [
    "accept", "forward", "refuse_at_intake", "request_supplement", "supplement_received", "start_processing",
    "request_fees", "fees_paid", "extend", "stop", "approve", "refuse_after_appraisal", "return_result",
]  # fmt: skip


def _text(request) -> str:
    return request.POST.get("text", "").strip()[:2000]


def _result(request) -> PreparedDocument | None:
    uploaded = request.FILES.get("result")
    if not uploaded:
        return None
    content, checked = clean_upload(uploaded, allowed=("pdf",), max_bytes=UPLOAD_MAX_BYTES)
    return PreparedDocument(
        label=_("Electronic result"),
        content=content,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        page_count=checked.pages,
    )


def _new_due_at(request) -> datetime.datetime:
    value = parse_datetime(request.POST.get("new_due_at", ""))
    if value is None:
        raise ApplicationError(_("Enter the new date and time."), code="new_due_at")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _call(name: str, request, dossier):
    actor = request.user
    text = _text(request)
    match name:
        case "refuse_at_intake" | "refuse_after_appraisal":
            extra = {"result": _result(request)} if name == "refuse_after_appraisal" else {}
            return getattr(transitions, f"dossier_{name}")(
                dossier=dossier, actor=actor, reasons=text, **extra
            )
        case "request_supplement":
            items = [line for line in request.POST.get("items", "").splitlines() if line.strip()]
            return transitions.dossier_request_supplement(
                dossier=dossier, actor=actor, items=items, reason=text
            )
        case "extend":
            return transitions.dossier_extend(
                dossier=dossier, actor=actor, new_due_at=_new_due_at(request), reason=text
            )
        case "forward":
            office = ReceivingOffice.objects.filter(pk=_int(request.POST.get("office"))).first()
            if office is None:
                raise ApplicationError(_("Choose the office to send the dossier to."), code="office")
            return transitions.dossier_forward(dossier=dossier, actor=actor, office=office, reason=text)
        case "stop":
            return transitions.dossier_stop(dossier=dossier, actor=actor, reason=text)
        case "approve":
            return transitions.dossier_approve(
                dossier=dossier, actor=actor, note=text, result=_result(request)
            )
        case "return_result":
            method = request.POST.get("method", "")
            return transitions.dossier_return_result(dossier=dossier, actor=actor, method=method, note=text)
        case _:
            return getattr(transitions, f"dossier_{name}")(dossier=dossier, actor=actor, note=text)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@official_required
@require_POST
def act(request: HttpRequest, code: str, name: str) -> HttpResponse:
    if name not in OFFICE_MOVES:
        raise Http404
    try:
        dossier = office_dossier(user=request.user, code=code)
    except Dossier.DoesNotExist:
        raise Http404 from None
    if not transitions.may_act(user=request.user, dossier=dossier, transition=name):
        raise PermissionDenied
    try:
        _call(name, request, dossier)
    except ApplicationError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: %(move)s.") % {"move": workflow.transition(name).label})
    return redirect("dossiers:office_detail", code=dossier.code)


@official_required
@require_POST
def step_done(request: HttpRequest, code: str, step_id: int) -> HttpResponse:
    """Finish a step of the route, or record a consultation's answer."""
    dossier = _dossier_or_404(request, code)
    step = (
        ProcessingStep.objects.filter(dossier=dossier, pk=step_id).select_related("dossier__office").first()
    )
    if step is None:
        raise Http404
    if not steps.may_complete(user=request.user, step=step):
        raise PermissionDenied
    try:
        if step.kind == StepKind.CONSULT:
            steps.consult_answer(step=step, actor=request.user, answer=_text(request))
        else:
            steps.step_complete(step=step, actor=request.user, note=_text(request))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": step.label})
    return redirect("dossiers:office_detail", code=dossier.code)


@official_required
@require_POST
def consult(request: HttpRequest, code: str) -> HttpResponse:
    """Ask another body's opinion, due in a number of working days."""
    dossier = _dossier_or_404(request, code)
    try:
        steps.dossier_consult(
            dossier=dossier,
            actor=request.user,
            body=request.POST.get("body", "")[:255],
            question=_text(request),
            days=_int(request.POST.get("days")) or 0,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The consultation is recorded."))
    return redirect("dossiers:office_detail", code=dossier.code)


def _dossier_or_404(request, code: str) -> Dossier:
    try:
        return office_dossier(user=request.user, code=code)
    except Dossier.DoesNotExist:
        raise Http404 from None
