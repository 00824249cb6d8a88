"""The team member's app at /to-cong-nghe/: an installable offline app (static JS, service worker) on top of
plain server-rendered pages that work without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from congso.core.exceptions import ApplicationError
from congso.outreach import selectors, services
from congso.outreach.constants import AdoptionStatus
from congso.outreach.forms import VisitForm
from congso.outreach.models import Household

PAGE_SIZE = 25
SW_VERSION = "1"  # raise to make phones drop the cached shell (asset URLs are hashed in production anyway)


def _member_hamlets(request):
    hamlets = list(selectors.member_hamlets(user=request.user).select_related("parent").order_by("code"))
    if not hamlets:
        raise PermissionDenied
    return hamlets


def app_strings() -> dict:
    """The app's words, translated on the server and handed to the static script as JSON."""
    return {
        "pending": _("Waiting to send"),
        "sync": _("Sync now"),
        "syncing": _("Sending…"),
        "synced": _("Everything is sent"),
        "offline": _("No network: visits are kept on this phone"),
        "online": _("Online"),
        "lastSync": _("Last sync"),
        "search": _("Search by name or house number"),
        "notVisited": _("Not visited yet"),
        "visited": _("Visited"),
        "noHouseholds": _("No household found."),
        "back": _("Back to the list"),
        "save": _("Save the visit"),
        "outcome": _("Outcome"),
        "platforms": _("Platforms the household now uses"),
        "alreadyUsing": _("already using"),
        "persons": _("Persons helped"),
        "present": _("Members present"),
        "note": _("Note"),
        "saved": _("Visit saved. It will be sent when there is network."),
        "houseNumber": _("House no."),
        "toVisit": _("%(count)s households still to visit"),
        "loading": _("Downloading your households…"),
        "failed": _("Not accepted"),
        "members": _("members"),
        "phone": _("Phone"),
        "newHousehold": _("Register a new household"),
        "headName": _("Head of household"),
        "adults": _("Adults"),
        "check": _("Check and register"),
        "maybeDuplicate": _("These households look the same. Is it one of them?"),
        "registerAnyway": _("No, register a new household"),
        "registered": _("Household registered."),
        "nameRequired": _("The head of household's name is required."),
        "installHint": _(
            "On an iPhone, add this app to the home screen (Share → Add to Home Screen): otherwise the phone "
            "deletes the households and unsent visits after 7 days without use."
        ),
    }


@never_cache
@login_required
def app(request: HttpRequest) -> HttpResponse:
    """The app shell. The member's households are not in it: the script downloads them through the API."""
    hamlets = selectors.member_hamlets(user=request.user).select_related("parent").order_by("code")
    if not hamlets.exists():
        if selectors.is_supervisor(user=request.user):
            return redirect("outreach:overview")
        raise PermissionDenied
    return render(request, "outreach/app/app.html", {"hamlets": hamlets, "strings": app_strings()})


@login_required
def hamlet_households(request: HttpRequest, code: str) -> HttpResponse:
    """The households of one of the member's hamlets, those not visited first (also the no-JS list)."""
    hamlet = next((h for h in _member_hamlets(request) if h.code == code), None)
    if hamlet is None:
        raise Http404
    query = request.GET.get("q", "")[:100]
    page = Paginator(selectors.households_in_hamlet(hamlet=hamlet, query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "outreach/app/households.html", {"hamlet": hamlet, "page": page, "query": query})


@login_required
def visit_new(request: HttpRequest, pk) -> HttpResponse:
    try:
        household = selectors.household_for_member(user=request.user, household_id=pk)
    except Household.DoesNotExist:
        raise Http404 from None
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        platforms = dict.fromkeys(data["platforms"], (AdoptionStatus.ADOPTED, data["persons"]))
        platforms.update(dict.fromkeys(data["follow_up"], (AdoptionStatus.FOLLOW_UP, 0)))
        try:
            services.visit_record(
                user=request.user,
                household=household,
                outcome=data["outcome"],
                members_present=data["members_present"],
                note=data["note"],
                platforms=platforms,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Visit to %(name)s saved.") % {"name": household.head_name})
            return redirect("outreach:hamlet", code=household.hamlet.code)
    history = selectors.household_history(household=household)
    using = {
        e.platform.code
        for e in history["platforms"]
        if e.status in (AdoptionStatus.ADOPTED, AdoptionStatus.ALREADY)
    }
    return render(
        request,
        "outreach/app/visit.html",
        {"household": household, "form": form, "history": history, "using": using},
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /to-cong-nghe/ so that its scope is the app."""
    body = render_to_string(
        "outreach/app/sw.js",
        {
            "version": SW_VERSION,
            "assets": [
                static("css/congso.css"),
                static("outreach/outreach.css"),
                static("outreach/app.js"),
                static("vendor/htmx/htmx.min.js"),
                static("js/congso.js"),
                static("outreach/icon.svg"),
            ],
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/to-cong-nghe/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    scope = reverse("outreach:app")
    body = {
        "name": _("Community digital team"),
        "short_name": _("Digital team"),
        "lang": "vi",
        "start_url": scope,
        "scope": scope,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#7a0f12",
        "icons": [{"src": static("outreach/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return JsonResponse(
        body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
