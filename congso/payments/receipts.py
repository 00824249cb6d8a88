"""The e-receipt (biên lai điện tử) of a paid fee request, as PDF, always in Vietnamese."""

from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from congso.core.pdf import render_pdf
from congso.core.qr import qr_svg
from congso.dossiers.receipts import LOCAL_TIME, format_moment, format_vnd
from congso.payments.models import FeeRequest
from congso.payments.references import reference_display
from congso.payments.services import verify_url, vietqr_payload
from congso.payments.words import amount_in_words


def receipt_context(request: FeeRequest) -> dict:
    dossier = request.dossier
    return {
        "fee": request,
        "dossier": dossier,
        "office": dossier.office,
        "unit": request.receipt_unit or dossier.office.unit,
        "lines": list(request.lines.all()),
        "amount": format_vnd(request.amount_vnd),
        "amount_words": amount_in_words(request.amount_vnd),
        "paid_at": format_moment(request.paid_at) if request.paid_at else "",
        "reference": reference_display(request.reference),
        "verify_url": verify_url(request),
        "verify_qr": mark_safe(qr_svg(verify_url(request), scale=2)),  # noqa: S308 - segno's own SVG
        "payment_qr": mark_safe(qr_svg(vietqr_payload(request), scale=2)),  # noqa: S308
        "issued_on": timezone.localtime(request.paid_at or timezone.now(), LOCAL_TIME),
    }


def receipt_pdf(request: FeeRequest) -> bytes:
    """The receipt; only for a paid (or since refunded) request, which has a receipt number."""
    if request.receipt_number is None:
        raise ValueError("no receipt before payment")
    with translation.override("vi"):
        return render_pdf("payments/pdf/receipt.html", receipt_context(request))
