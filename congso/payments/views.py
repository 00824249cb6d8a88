"""Pages of payments, mounted at /thanh-toan/. The payment page and the receipt work without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.accounts.decorators import official_required
from congso.core.exceptions import ApplicationError
from congso.core.masking import mask_name
from congso.core.qr import qr_svg
from congso.dossiers.models import Dossier
from congso.dossiers.queues import office_dossier
from congso.payments import reconciliation, selectors, services
from congso.payments.constants import NEEDS_REVIEW, FeeRequestStatus, LineOutcome
from congso.payments.forms import IssueForm, ResolveForm, StatementUploadForm
from congso.payments.models import FeeRequest
from congso.payments.receipts import receipt_pdf

PAGE_SIZE = 25


def _fee_or_404(request: HttpRequest, reference: str) -> FeeRequest:
    try:
        return selectors.fee_request_for_viewer(user=request.user, reference=reference.upper())
    except FeeRequest.DoesNotExist:
        raise Http404 from None


# The applicant (and the office)


@login_required
def payment_page(request: HttpRequest, reference: str) -> HttpResponse:
    """The VietQR to scan and, written out, everything to type into a bank app."""
    fee = _fee_or_404(request, reference)
    payload = services.vietqr_payload(fee)
    is_official = fee.dossier.applicant_user_id != request.user.pk
    context = {
        "fee": fee,
        "dossier": fee.dossier,
        "lines": fee.lines.all(),
        "payload": payload,
        "qr": mark_safe(qr_svg(payload, scale=5)),  # noqa: S308 - segno's own SVG
        "is_official": is_official,
        "statuses": FeeRequestStatus,
    }
    return render(request, "payments/portal/pay.html", context)


@login_required
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    fee = _fee_or_404(request, reference)
    if fee.receipt_number is None:
        raise Http404
    if fee.dossier.applicant_user_id != request.user.pk:  # an official reads the payer's name and address
        from congso.audit.services import personal_data_viewed

        personal_data_viewed(user=request.user, dossier=fee.dossier, what="fee_receipt", request=request)
    response = HttpResponse(receipt_pdf(fee), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{fee.reference}.pdf"'
    return response


def receipt_verify(request: HttpRequest, key: str) -> HttpResponse:
    """Public: anybody holding the receipt checks it was issued (no personal data beyond a masked name)."""
    fee = selectors.fee_request_by_verify_key(key=key)
    if fee is None:
        raise Http404
    context = {"fee": fee, "payer": mask_name(fee.dossier.applicant_name)}
    return render(request, "payments/portal/verify.html", context)


# The office


@official_required
def office_list(request: HttpRequest) -> HttpResponse:
    """The office's fee requests, one status at a time; two queries whatever the page."""
    current = request.GET.get("trang-thai", "")
    fees = selectors.fee_requests_for_official(user=request.user)
    if current in FeeRequestStatus.values:
        fees = fees.filter(status=current)
    else:
        current = ""
    page = Paginator(fees, PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {"page": page, "current": current, "statuses": FeeRequestStatus.choices}
    return render(request, "payments/office/list.html", context)


@official_required
def issue(request: HttpRequest, code: str) -> HttpResponse:
    """Confirm the procedure's fee lines (waive or change one with a reason) and send the request."""
    try:
        dossier = office_dossier(user=request.user, code=code)
    except Dossier.DoesNotExist:
        raise Http404 from None
    proposed = services.fee_lines_proposed(dossier)
    form = IssueForm(request.POST or None)
    rows = [
        {
            "index": i,
            "line": line,
            "amount": request.POST.get(f"amount_{i}", line.listed_amount_vnd or ""),
            "reason": request.POST.get(f"reason_{i}", ""),
        }
        for i, line in enumerate(proposed)
    ]
    if request.method == "POST" and form.is_valid():
        try:
            lines = [
                services.LineInput(
                    name=row["line"].name,
                    amount_vnd=_whole(row["amount"]),
                    listed_amount_vnd=row["line"].listed_amount_vnd,
                    fee_item_id=row["line"].fee_item_id,
                    reason=row["reason"],
                )
                for row in rows
            ]
            fee = services.fee_request_issue(
                dossier=dossier, actor=request.user, lines=lines, **form.cleaned_data
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The fee request was sent to the applicant."))
            return redirect("payments:pay", reference=fee.reference)
    open_fee = dossier.fee_requests.filter(status__in=["pending", "failed"]).first()
    context = {"dossier": dossier, "rows": rows, "form": form, "open_fee": open_fee}
    return render(request, "payments/office/issue.html", context)


def _whole(value) -> int:
    try:
        return int(str(value).replace(".", "").replace(",", "").replace(" ", ""))
    except ValueError:
        raise ApplicationError(
            _("An amount is a whole number of đồng, not negative."), code="amount"
        ) from None


@official_required
@require_POST
def counter_payment(request: HttpRequest, reference: str) -> HttpResponse:
    fee = _fee_or_404(request, reference)
    try:
        services.fee_request_pay_at_counter(request=fee, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("The payment was recorded and the receipt issued."))
    return redirect("payments:pay", reference=fee.reference)


@official_required
@require_POST
def refund(request: HttpRequest, reference: str) -> HttpResponse:
    """Record that a paid fee was given back (the transfer itself is made by the unit's bank)."""
    fee = _fee_or_404(request, reference)
    try:
        services.fee_request_refund(request=fee, actor=request.user, reason=request.POST.get("reason", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("The refund was recorded."))
    return redirect("payments:pay", reference=fee.reference)


@official_required
def statements(request: HttpRequest) -> HttpResponse:
    """Upload a bank statement (preview first) and see the previous ones."""
    units = selectors.collecting_units(user=request.user).order_by("level", "code")
    form = StatementUploadForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            statement = reconciliation.statement_preview(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                filename=upload.name,
                content=upload.read(),
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        except PermissionDenied:
            raise Http404 from None
        else:
            return redirect("payments:statement", pk=statement.pk)
    page = Paginator(selectors.statements_for_official(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    to_resolve = selectors.lines_to_resolve(user=request.user).count()
    context = {"form": form, "page": page, "to_resolve": to_resolve, "outcomes": dict(LineOutcome.choices)}
    return render(request, "payments/office/statements.html", context)


@official_required
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview (or the result) of one import; applying it is a POST here."""
    found = get_object_or_404(selectors.statements_for_official(user=request.user), pk=pk)
    if request.method == "POST":
        try:
            reconciliation.statement_apply(statement=found, actor=request.user)
        except PermissionDenied:
            raise Http404 from None
        messages.success(request, _("The statement was applied."))
        return redirect("payments:statement", pk=found.pk)
    lines = found.lines.select_related("request").order_by("row")
    outcome = request.GET.get("ket-qua", "")
    if outcome in LineOutcome.values:
        lines = lines.filter(outcome=outcome)
    page = Paginator(lines, 50).get_page(request.GET.get("trang"))
    summary = [(LineOutcome(key).label, value, key) for key, value in found.summary.items()]
    context = {
        "statement": found,
        "page": page,
        "summary": summary,
        "outcome": outcome,
        "needs_review": NEEDS_REVIEW,
    }
    return render(request, "payments/office/statement.html", context)


@official_required
def to_resolve(request: HttpRequest) -> HttpResponse:
    lines = selectors.lines_to_resolve(user=request.user)
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "payments/office/resolve.html", {"page": page, "form": ResolveForm()})


@official_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    from congso.payments.models import StatementLine

    line = get_object_or_404(
        StatementLine.objects.filter(statement__unit__in=selectors.collecting_units(user=request.user)), pk=pk
    )
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            reconciliation.statement_line_resolve(line=line, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The line was resolved."))
    else:
        messages.error(request, _("Choose what to do with the line."))
    return redirect("payments:to_resolve")
