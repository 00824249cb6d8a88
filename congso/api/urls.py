"""The JSON API, documented at /api/v1/docs. Each app keeps its router in its own ``api.py``."""

from django.http import HttpRequest
from ninja import NinjaAPI

from congso.catalog.api import router as catalog_router
from congso.core.exceptions import ApplicationError
from congso.dossiers.api import router as dossiers_router
from congso.geo.api import router as geo_router

api = NinjaAPI(title="congso API", version="1", urls_namespace="api")
api.add_router("/units", geo_router)
api.add_router("/procedures", catalog_router)
api.add_router("/dossiers", dossiers_router)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError):
    return api.create_response(request, {"code": exc.code, "message": exc.message}, status=400)
