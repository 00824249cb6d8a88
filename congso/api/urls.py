"""The JSON API, documented at /api/v1/docs. Each app keeps its router in its own ``api.py``."""

from django.http import HttpRequest
from ninja import NinjaAPI

from congso.appointments.api import router as appointments_router
from congso.catalog.api import router as catalog_router
from congso.core.exceptions import ApplicationError
from congso.dossiers.api import router as dossiers_router
from congso.geo.api import router as geo_router
from congso.indicators.api import router as indicators_router
from congso.outreach.api import router as outreach_router
from congso.payments.api import router as payments_router

api = NinjaAPI(title="congso API", version="1", urls_namespace="api")
api.add_router("/units", geo_router)
api.add_router("/procedures", catalog_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/payments", payments_router)
api.add_router("/appointments", appointments_router)
api.add_router("/outreach", outreach_router)
# DHIS2-shaped paths (/dataValueSets, /indicators, ...) sit at the API's root.
api.add_router("", indicators_router)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError):
    return api.create_response(request, {"code": exc.code, "message": exc.message}, status=400)
