from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PortalLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the visitor chose another language with the switch (a cookie).

    The browser's Accept-Language is ignored on purpose: many phones in Vietnam are set to English while their
    owners read Vietnamese, and a citizen should never land on a public-service page they cannot read.
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


class RejectNulMiddleware:
    """A NUL character in the path, a query parameter, a urlencoded form or a JSON body is answered 400 before
    any view runs. No real input contains one, and PostgreSQL refuses NUL in text: a code or a search term
    carrying it to a query was a 500 on 26 pages (congso/security/tests/test_nul_parameters.py). Multipart
    forms are left to Django's forms, whose text fields refuse NUL themselves."""

    JSON_NUL = (b"\\u0000", b"\x00")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            from django.http import HttpResponseBadRequest, JsonResponse
            from django.template import loader
            from django.utils.translation import gettext as _

            message = _("The request contains a character that is not allowed.")
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "nul_character", "message": message}, status=400)
            html = loader.get_template("400.html").render({"LANGUAGE_CODE": "vi", "message": message})
            return HttpResponseBadRequest(html)
        return self.get_response(request)

    def _has_nul(self, request) -> bool:
        if "\x00" in request.path:
            return True
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
        content_type = request.content_type or ""
        if request.method in ("POST", "PUT", "PATCH"):
            if content_type == "application/x-www-form-urlencoded":
                return any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.POST.lists())
            if content_type.endswith("json"):
                return any(marker in request.body for marker in self.JSON_NUL)
        return False
