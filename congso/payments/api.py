"""The payments JSON API; config wiring in congso/api/urls.py.

``POST /api/v1/payments/callbacks/<gateway>``: a payment gateway's signed callback (see gateway.py). 200 for
an accepted callback, also when it was already handled (the gateway may stop retrying); 401 for a bad
signature or a timestamp outside ±5 minutes; 503 while the gateway has no secret configured.
"""

from django.http import HttpRequest, JsonResponse
from ninja import Router

from congso.payments import gateway
from congso.payments.reconciliation import CallbackRefused, callback_handle

router = Router(tags=["payments"])


@router.post("/callbacks/{name}", include_in_schema=True, summary="Payment gateway callback")
def callback(request: HttpRequest, name: str):
    try:
        outcome = callback_handle(
            gateway=name[:40],
            timestamp=request.headers.get(gateway.TIMESTAMP_HEADER, ""),
            signature=request.headers.get(gateway.SIGNATURE_HEADER, ""),
            body=request.body,
        )
    except CallbackRefused as refused:
        return JsonResponse({"ok": False, "error": refused.message}, status=refused.status)
    return JsonResponse({"ok": True, "outcome": outcome})
