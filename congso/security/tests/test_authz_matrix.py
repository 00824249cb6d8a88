"""The authorisation matrix: every page and API operation, requested by every persona, against a declared
access table. Generated from the URLconf and the OpenAPI schema, so a new endpoint cannot escape it: a URL
name or API operation without an entry fails ``test_every_url_has_an_entry`` /
``test_every_api_operation_has_an_entry``, naming it.

Each entry says who may use the endpoint; everybody else must be refused (403/404, 401 on the API, or the
sign-in page for anonymous visitors), for GET and for POST, and a refused POST must change nothing. URL
parameters are filled with objects of citizen A at unit X / hamlet H (``authz.url_kwargs``). Every 200 is
searched for private text (``authz.private_markers``: A's dossier, H's households, X's tasks and alerts...)
that the persona may not see. API operations are requested with no token and the tokens of clients A and B;
those of the site's own scripts (``ApiRule.session``) also by every signed-in persona.

To add an app: add a section to ``ACCESS`` (and ``API_ACCESS``) with one entry per URL name / operation,
and a resolver for any new URL parameter name in ``authz.url_kwargs`` / ``authz.api_path_params``.
"""

import dataclasses
import json

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from congso.security.tests import authz
from congso.security.tests.authz import (
    ANON,
    API_A,
    API_ANON,
    API_B,
    CITIZEN_A,
    CITIZEN_B,
    LEADER,
    OFFICIAL_X,
    OFFICIAL_Y,
    PERSONAS,
    TEAM_H,
    TEAM_OTHER,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _world_settings(settings, tmp_path):
    """Uploaded files of the world in a temporary folder; the payment gateway configured, so that its
    callback is refused for a missing signature (401), not for a missing secret (503)."""
    settings.MEDIA_ROOT = tmp_path
    settings.CONGSO_PAYMENT_GATEWAY_SECRETS = {authz.GATEWAY: "bi-mat-cong-thanh-toan-thu-nghiem"}


# Library URL trees with their own access control and tests: django-allauth (sign-in, sign-up, password,
# two-factor; tested in congso/accounts/tests) and the Django admin (is_staff; tested below).
LIBRARY_PREFIXES = ("accounts/", "quan-tri/")


@dataclasses.dataclass(frozen=True)
class Rule:
    allowed: frozenset  # personas who may use it; everybody else is refused
    post: bool = False  # the view changes something on POST (allowed personas POST too, must not fail)
    post_only: bool = False  # GET answers 405 to those allowed
    anonymous_get: bool = False  # anybody may read the page (a form that asks to sign in); POST as above

    def but(self, **changes) -> "Rule":
        return dataclasses.replace(self, **changes)


NOBODY = Rule(frozenset())
EVERYONE = Rule(frozenset(PERSONAS))
SIGNED_IN = Rule(frozenset(PERSONAS) - {ANON})
OWNER_A = Rule(frozenset({CITIZEN_A}))
OFFICIALS = Rule(frozenset({OFFICIAL_X, OFFICIAL_Y, TEAM_H, TEAM_OTHER, LEADER}))
COUNTER_STAFF = Rule(frozenset({OFFICIAL_X, OFFICIAL_Y}))  # one-stop officers
OFFICE_X = Rule(frozenset({OFFICIAL_X, LEADER}))  # the officials whose units include X
LEADERS = Rule(frozenset({LEADER}))
OWNER_A_OR_OFFICE_X = Rule(frozenset({CITIZEN_A, OFFICIAL_X, LEADER}))
# Officials with a commune or province role, not the hamlets' team members: the readers of the programme
# (PROGRAMME_ROLES: leaders and department officers; X's and Y's officials are department officers too) and
# the supervisors of outreach (SUPERVISOR_ROLES).
STAFF = Rule(frozenset({OFFICIAL_X, OFFICIAL_Y, LEADER}))
TEAM_OF_H = Rule(frozenset({TEAM_H}))

ACCESS: dict[str, Rule] = {
    # --- core ---
    "home": EVERYONE,
    "healthz": EVERYONE,
    "set_language": EVERYONE.but(post=True),
    # --- geo ---
    "geo:unit_list": EVERYONE,
    "geo:unit_detail": EVERYONE,
    # --- catalog ---
    "catalog:procedure_list": EVERYONE,
    "catalog:poster": OFFICIALS,
    "catalog:procedure_qr": EVERYONE,
    "catalog:procedure_detail": EVERYONE,
    "catalog:procedure_submit": SIGNED_IN.but(post=True, anonymous_get=True),
    # --- dossiers: citizens ---
    "dossiers:mine": SIGNED_IN,
    "dossiers:check": OWNER_A.but(post=True),
    "dossiers:submit": OWNER_A.but(post=True, post_only=True),
    "dossiers:detail": OWNER_A,
    "dossiers:confirmation": OWNER_A,
    "dossiers:receipt": OWNER_A,
    "dossiers:lookup": EVERYONE,
    # --- dossiers: one-stop office ---
    "dossiers:counter_start": COUNTER_STAFF.but(post=True),
    "dossiers:counter_new": COUNTER_STAFF.but(post=True),
    "dossiers:queue": OFFICIALS,  # scoped lists: each sees only its units' dossiers (private_markers)
    "dossiers:legal_form": OFFICE_X,
    "dossiers:control_slip": OFFICE_X,
    "dossiers:register": OFFICIALS,
    "dossiers:on_time": OFFICIALS,  # figures of the official's own units
    "dossiers:office_detail": OFFICE_X,
    "dossiers:act": OFFICE_X.but(post=True, post_only=True),
    "dossiers:step_done": OFFICE_X.but(post=True, post_only=True),
    "dossiers:consult": OFFICE_X.but(post=True, post_only=True),
    "dossiers:counter_receipt": OFFICE_X,
    # --- audit ---
    "audit:access_log": LEADERS,
    # --- feedback ---
    "feedback:rate": OWNER_A.but(post=True, post_only=True),
    "feedback:dossier_feedback": OWNER_A.but(post=True, post_only=True),
    "feedback:mine": SIGNED_IN,
    "feedback:new": SIGNED_IN.but(post=True),
    "feedback:office_list": OFFICIALS,
    "feedback:office_detail": OFFICE_X,
    "feedback:office_acknowledge": OFFICE_X.but(post=True, post_only=True),
    "feedback:office_publish": OFFICE_X.but(post=True, post_only=True),
    "feedback:published": EVERYONE,
    # --- accounts ---
    "accounts:profile": SIGNED_IN,
    "accounts:data_export": SIGNED_IN.but(post=True, post_only=True),  # each downloads only their own data
    # --- programme (leaders' and departments' pages; objects of unit X) ---
    "programme:summary": STAFF,  # figures of the reader's own units
    "programme:task_list": STAFF,
    "programme:task_detail": OFFICE_X.but(post=True),
    "programme:evidence": OFFICE_X,
    "programme:project_list": STAFF,
    "programme:project_detail": OFFICE_X.but(post=True),
    # --- appointments: citizens ---
    "appointments:resource_list": EVERYONE,
    "appointments:resource_detail": EVERYONE,
    "appointments:book": SIGNED_IN.but(post=True),  # without ?luc= it sends back to the place's slots
    "appointments:mine": SIGNED_IN,
    "appointments:confirmation": OWNER_A,
    "appointments:ticket": EVERYONE,  # the signed link of A's message: masked name and phone
    "appointments:ticket_qr": EVERYONE,
    "appointments:cancel": EVERYONE.but(post=True),  # whoever holds the signed link may cancel
    # --- appointments: staff ---
    "appointments:office_list": OFFICIALS,  # each sees only their units' places
    "appointments:office_new": OFFICIALS.but(post=True),  # a unit among the official's own
    "appointments:office_day": OFFICE_X,
    "appointments:office_edit": OFFICE_X.but(post=True),
    "appointments:office_check_in": OFFICE_X.but(post=True, post_only=True),
    "appointments:office_blackouts": OFFICE_X.but(post=True),
    "appointments:office_blackout_remove": OFFICE_X.but(post=True, post_only=True),
    "appointments:office_no_show": OFFICE_X.but(post=True, post_only=True),
    # --- payments: the applicant and the office ---
    "payments:pay": OWNER_A_OR_OFFICE_X,
    "payments:receipt": OWNER_A_OR_OFFICE_X,
    "payments:verify": EVERYONE,  # the QR on the receipt: a masked name only
    "payments:office_list": OFFICIALS,  # the requests of the official's offices
    "payments:issue": OFFICE_X.but(post=True),
    "payments:counter": OFFICE_X.but(post=True, post_only=True),
    "payments:refund": OFFICE_X.but(post=True, post_only=True),
    "payments:statements": OFFICIALS.but(post=True),  # the statements of the units the official collects for
    "payments:statement": OFFICE_X.but(post=True),
    "payments:to_resolve": OFFICIALS,
    "payments:resolve": OFFICE_X.but(post=True, post_only=True),
    # --- outreach: the team member's app ---
    "outreach:app": OFFICIALS,  # team members get the app, supervisors are sent to their overview
    "outreach:service_worker": EVERYONE,
    "outreach:manifest": EVERYONE,
    "outreach:hamlet": TEAM_OF_H,
    "outreach:visit_new": TEAM_OF_H.but(post=True),
    # --- outreach: supervisors (pages of unit X) ---
    "outreach:overview": STAFF,  # a redirect to the supervisor's own unit
    "outreach:unit": OFFICE_X,
    "outreach:chart": OFFICE_X,
    "outreach:export": OFFICE_X,
    "outreach:conflicts": STAFF,  # those of the supervisor's hamlets
    "outreach:conflict_resolve": OFFICE_X.but(post=True, post_only=True),
    "outreach:duplicates": STAFF,
    "outreach:merge": STAFF.but(post=True, post_only=True),  # of households of the supervisor's hamlets
    "outreach:import": STAFF.but(post=True),  # into the supervisor's own hamlets
    # --- indicators: the operations centre, every figure scoped to the official's units ---
    "indicators:overview": OFFICIALS,
    "indicators:indicator": OFFICIALS,
    "indicators:indicator_data": OFFICIALS,
    "indicators:boundaries": OFFICIALS,
    "indicators:d766": OFFICIALS,
    "indicators:completeness": OFFICIALS,
    "indicators:alerts": OFFICIALS,
    "indicators:alert_action": OFFICE_X.but(post=True, post_only=True),
    "indicators:upload": OFFICIALS.but(post=True),
    "indicators:template": OFFICIALS,  # rows for the official's own units
    "indicators:job": Rule(frozenset({OFFICIAL_X})),  # an import is its uploader's
    # --- api (the HTML/JSON pages of django-ninja; operations are in API_ACCESS) ---
    "api:openapi-json": EVERYONE,
    "api:openapi-view": EVERYONE,
    "api:api-root": NOBODY,  # django-ninja's prefix: 404
}


@dataclasses.dataclass(frozen=True)
class ApiRule:
    allowed: frozenset  # API clients (bearer tokens) who may use it
    session: frozenset | None = None  # signed-in personas who may use it (operations for the site's own JS)


API_PUBLIC = ApiRule(frozenset({API_ANON, API_A, API_B}))
API_CLIENTS = ApiRule(frozenset({API_A, API_B}))
API_SUBMITTER = ApiRule(frozenset({API_A}))
API_NOBODY = ApiRule(frozenset())  # signed by a third party (a payment gateway), never by a bearer token
# The outreach app's operations: the team member's session, no bearer token.
API_TEAM_MEMBERS = ApiRule(frozenset(), session=frozenset({TEAM_H, TEAM_OTHER}))

API_ACCESS: dict[str, ApiRule] = {
    # --- geo ---
    "GET /api/v1/units/communes": API_PUBLIC,
    "GET /api/v1/units/{code}": API_PUBLIC,
    # --- catalog ---
    "GET /api/v1/procedures": API_PUBLIC,
    "GET /api/v1/procedures/{code}": API_PUBLIC,
    # --- dossiers ---
    "POST /api/v1/dossiers": API_CLIENTS,
    "GET /api/v1/dossiers/status": API_PUBLIC,
    "GET /api/v1/dossiers/{code}": API_SUBMITTER,
    # --- payments ---
    "POST /api/v1/payments/callbacks/{name}": API_NOBODY,  # unsigned: 401 (the gateway is configured)
    # --- appointments ---
    "GET /api/v1/appointments/resources": API_PUBLIC,
    "GET /api/v1/appointments/resources/{resource_id}/slots": API_PUBLIC,
    # --- outreach (each member gets only their hamlets' households) ---
    "GET /api/v1/outreach/me": API_TEAM_MEMBERS,
    "GET /api/v1/outreach/households": API_TEAM_MEMBERS,
    "POST /api/v1/outreach/sync": API_TEAM_MEMBERS,
    "POST /api/v1/outreach/households/candidates": ApiRule(frozenset(), session=frozenset({TEAM_H})),  # H's
    "GET /api/v1/outreach/coverage": ApiRule(frozenset(), session=frozenset({OFFICIAL_X, LEADER})),  # of X
    # --- indicators (DHIS2 paths; a client reads and writes only the forms granted to it) ---
    "POST /api/v1/dataValueSets": API_CLIENTS,
    "GET /api/v1/dataValueSets": API_CLIENTS,
}


# --- discovery ------------------------------------------------------------------------------------------


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name, dict(pattern.pattern.converters)


def project_urls():
    """(route, name, parameter names) of every URL congso serves, without the library trees."""
    found = []
    for route, name, kwargs in walk(get_resolver().url_patterns):
        if route.startswith(LIBRARY_PREFIXES):
            continue
        if (
            name is not None
            and name.startswith("api:")
            and route.startswith("api/v1/")
            and name not in ACCESS
        ):
            continue  # API operations are checked against the OpenAPI schema
        found.append((route, name, kwargs))
    return found


def api_operations():
    from congso.api.urls import api

    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method in methods:
            if method.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE"}:
                yield method.upper(), path


def test_every_url_has_an_entry():
    missing = sorted(
        {f"{name or '(unnamed)'}  ({route})" for route, name, _ in project_urls() if name not in ACCESS}
    )
    assert not missing, (
        "URLs without an entry in ACCESS (congso/security/tests/test_authz_matrix.py):\n" + "\n".join(missing)
    )


def test_every_api_operation_has_an_entry():
    missing = sorted(
        f"{method} {path}" for method, path in api_operations() if f"{method} {path}" not in API_ACCESS
    )
    assert not missing, "API operations without an entry in API_ACCESS:\n" + "\n".join(missing)


def test_no_stale_entries():
    names = {name for _, name, _ in walk(get_resolver().url_patterns)}
    operations = {f"{method} {path}" for method, path in api_operations()}
    assert sorted(set(ACCESS) - names) == []
    assert sorted(set(API_ACCESS) - operations) == []


# --- requests -------------------------------------------------------------------------------------------


def fingerprint(world) -> list:
    """What a refused request must not change: row counts of the apps' tables and citizen A's objects."""
    state = []
    labels = ("accounts", "catalog", "dossiers", "feedback", "api", "notifications")
    labels += ("payments", "appointments", "programme", "outreach", "indicators")
    for label in labels:
        for model in apps.get_app_config(label).get_models():
            state.append((model._meta.label, model._default_manager.count()))
    from congso.dossiers.models import Dossier, DossierDraft
    from congso.feedback.models import Feedback

    state.append(list(Dossier.objects.filter(pk__in=[world.dossier.pk, world.api_dossier.pk]).values()))
    state.append(list(DossierDraft.objects.filter(pk=world.draft.pk).values()))
    state.append(list(Feedback.objects.filter(pk=world.feedback.pk).values()))
    for key in ("booking", "fee", "task", "project", "statement_line", "resource"):
        obj = world.objects[key]
        state.append(list(type(obj).objects.filter(pk=obj.pk).values()))
    return state


def outcome(response) -> str:
    status = response.status_code
    if status >= 500:
        return "error"
    if status in {401, 403, 404}:
        return "refused"
    if status in {301, 302, 303} and response["Location"].startswith(
        ("/accounts/login/", reverse("account_login"))
    ):
        return "sign-in"
    if status == 405:
        return "method"
    return "ok"


def readable(response) -> str:
    """The body as text, JSON with its accents written out (so that markers are found in it)."""
    body = response.content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            return json.dumps(json.loads(body), ensure_ascii=False)
        except ValueError:
            return body
    return body


def client_for(world, persona) -> Client:
    client = Client()
    if persona != ANON:
        client.force_login(world.users[persona])
    return client


def url_cases():
    return sorted(ACCESS)


@pytest.mark.parametrize("name", url_cases())
def test_url_access(name):
    rule = ACCESS[name]
    world = authz.build_world()
    routes = {n: (route, kwargs) for route, n, kwargs in walk(get_resolver().url_patterns)}
    _route, kwargs = routes[name]
    url = reverse(name, kwargs=authz.url_kwargs(name, kwargs, world))
    markers = authz.private_markers(world)
    problems = []

    def leaks(persona, response) -> None:
        if response.status_code != 200 or response.streaming:
            return
        body = readable(response)
        shown = [marker for marker, may_see in markers.items() if persona not in may_see and marker in body]
        if shown:
            problems.append(f"GET {url} as {persona} shows {shown}")

    refused = [p for p in PERSONAS if p not in rule.allowed]
    allowed = [p for p in PERSONAS if p in rule.allowed]
    for persona in refused:  # first: they must change nothing
        client = client_for(world, persona)
        before = fingerprint(world)
        response = client.get(url)
        leaks(persona, response)
        got = outcome(response)
        if rule.anonymous_get:
            if got != "ok":
                problems.append(f"GET {url} as {persona}: {got}, expected ok (anybody may read it)")
        elif got not in {"refused", "sign-in", "method"} or (persona == ANON and got == "method"):
            problems.append(f"GET {url} as {persona}: {got}, expected refused")
        got = outcome(client.post(url, {}))
        if got not in {"refused", "sign-in", "method"}:
            problems.append(f"POST {url} as {persona}: {got}, expected refused")
        if fingerprint(world) != before:
            problems.append(f"POST {url} as {persona} changed data")
    for persona in allowed:
        client = client_for(world, persona)
        response = client.get(url)
        leaks(persona, response)
        got = outcome(response)
        expected = {"method"} if rule.post_only else {"ok"}
        if got not in expected:
            problems.append(f"GET {url} as {persona}: {got}, expected {expected}")
        if rule.post:
            got = outcome(client.post(url, {}))
            if got not in {"ok", "refused"}:  # an empty form may be refused for a business reason
                problems.append(f"POST {url} as {persona}: {got}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("operation", sorted(API_ACCESS))
def test_api_access(operation):
    rule = API_ACCESS[operation]
    world = authz.build_world()
    method, path = operation.split(" ", 1)
    url = authz.api_path_params(path, world)
    problems = []
    markers = authz.private_markers(world)
    allowed = set(rule.allowed) | set(rule.session or ())
    personas = list(authz.API_PERSONAS) + ([p for p in PERSONAS if p != ANON] if rule.session else [])
    order = [p for p in personas if p not in allowed] + [p for p in personas if p in allowed]
    for persona in order:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[persona]}"} if persona in world.tokens else {}
        client = client_for(world, persona) if persona in PERSONAS else Client()
        before = fingerprint(world)
        if method == "GET":
            response = client.get(url, **headers)
        else:
            body = json.dumps(authz.api_body(method, path, world))
            response = client.generic(method, url, body, content_type="application/json", **headers)
        status = response.status_code
        if status == 200:
            body = readable(response)
            # A client is checked against the markers meant for API clients (a dossier's code is the public
            # status lookup's own answer); a signed-in persona against all.
            shown = [
                m
                for m, may_see in markers.items()
                if persona not in may_see
                and (persona in PERSONAS or may_see & set(authz.API_PERSONAS))
                and m in body
            ]
            if shown:
                problems.append(f"{method} {url} as {persona} shows {shown}")
        if persona in allowed:
            if (
                status >= 500
                or status in {401, 403}
                or (method == "GET" and status == 404 and "{" not in path)
            ):
                problems.append(f"{method} {url} as {persona}: {status}, expected allowed")
            if method == "GET" and "{" in path and status != 200:
                problems.append(f"{method} {url} as {persona}: {status}, expected 200")
        else:
            if status not in {401, 403, 404}:
                problems.append(f"{method} {url} as {persona}: {status}, expected 401/403/404")
            if fingerprint(world) != before:
                problems.append(f"{method} {url} as {persona} changed data")
    assert not problems, "\n".join(problems)


def test_the_admin_is_for_staff_only():
    world = authz.build_world()
    assert outcome(client_for(world, ANON).get("/quan-tri/")) in {"ok", "sign-in"}
    for persona in (CITIZEN_A, OFFICIAL_X, LEADER):
        response = client_for(world, persona).get("/quan-tri/")
        assert response.status_code == 302 and "/quan-tri/login/" in response["Location"], persona
    for persona in (CITIZEN_B, OFFICIAL_Y, TEAM_H, TEAM_OTHER):
        assert client_for(world, persona).get("/quan-tri/accounts/user/").status_code == 302
