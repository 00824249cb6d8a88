"""The indicators JSON API (DHIS2-shaped paths at the API's root); config wiring in congso/api/urls.py."""

import json

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from congso.api.auth import token_auth
from congso.core.exceptions import ApplicationError
from congso.indicators import services
from congso.indicators.constants import ImportStrategy
from congso.indicators.models import FormGrant

router = Router(tags=["indicators"])
MAX_BODY = 50 * 1024 * 1024


def _allowed_forms(request: HttpRequest) -> set[int]:
    client = getattr(request, "api_client", None)
    if client is None:
        return set()
    return set(FormGrant.objects.filter(client=client).values_list("form_id", flat=True))


@router.post("/dataValueSets", auth=token_auth, summary="Import data values (DHIS2 dataValueSets)")
def data_value_sets(
    request: HttpRequest,
    dryRun: bool = False,
    importStrategy: str = ImportStrategy.CREATE_AND_UPDATE,
):
    """DHIS2 ``dataValueSets`` as JSON (``application/json``) or CSV (``text/csv``; columns dataelement,
    period, orgunit, categoryoptioncombo, attroptioncombo, value, storedby, lastupdated, comment, followup),
    with codes as identifiers. The token may write only the elements of the forms granted to its client.
    Returns DHIS2's import summary; every conflict is explained in Vietnamese."""
    if len(request.body) > MAX_BODY:
        raise ApplicationError(_("The import is too large (more than 50 MB): split it."), code="too_large")
    content_type = request.content_type or ""
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApplicationError(_("The import must be encoded in UTF-8."), code="bad_encoding") from None
    if "csv" in content_type:
        rows = services.rows_from_csv(text)
    else:
        try:
            payload = json.loads(text)
        except ValueError:
            raise ApplicationError(_("The document is not valid JSON."), code="bad_document") from None
        rows = services.rows_from_json(payload)
    client = request.api_client
    return services.data_values_import(
        rows=rows,
        strategy=str(importStrategy).upper(),
        dry_run=dryRun,
        allowed_forms=_allowed_forms(request),
        source=f"api:{client.name}"[:60],
        stored_by=client.name,
    )


@router.get("/dataValueSets", auth=token_auth, summary="Export data values (DHIS2 dataValueSets)")
def data_value_sets_export(request: HttpRequest, dataSet: str, period: str, orgUnit: str):
    """The values of one form, period and unit in DHIS2's JSON shape; only the forms granted to the client."""
    from congso.indicators import periods
    from congso.indicators.models import DataValue

    key = periods.parse(period).key
    values = (
        DataValue.objects.filter(
            element__form__code=dataSet, element__form_id__in=_allowed_forms(request), period=key,
            unit__code=orgUnit,
        )
        .select_related("element")
        .order_by("element__code", "option")
    )  # fmt: skip
    return {
        "dataSet": dataSet, "period": key, "orgUnit": orgUnit,
        "dataValues": [
            {"dataElement": v.element.code, "period": key, "orgUnit": orgUnit,
             "categoryOptionCombo": v.option, "value": f"{v.value:g}", "storedBy": v.stored_by,
             "comment": v.comment, "lastUpdated": v.updated_at.isoformat()}
            for v in values
        ],
    }  # fmt: skip
