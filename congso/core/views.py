import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from congso.geo.selectors import commune_count


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"commune_count": commune_count()})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run`'s wait loop: answers only when the database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, f"{status}.html", status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _error(request, 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _error(request, 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _error(request, 404)


@requires_csrf_token
def server_error(request):
    # No request context: the database, a context processor or a middleware may be what failed.
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        # The database is restarting or unreachable: a temporary state the client may retry (503), not a bug.
        response = HttpResponse(loader.get_template("503.html").render({"LANGUAGE_CODE": "vi"}), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("500.html").render({"LANGUAGE_CODE": "vi"}), status=500)
