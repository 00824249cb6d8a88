"""A NUL character in any URL parameter or query value is answered without a server error. PostgreSQL refuses
NUL in text (SQLite accepts it), so an unfiltered code or search term reaching a query gives a 500 there.

Every page of the matrix is requested once by a persona allowed to read it, with its text path parameters
ending in NUL and every query parameter the views read set to NUL."""

import pytest
from django.db import connection, transaction
from django.urls import get_resolver, reverse

from congso.security.tests import authz
from congso.security.tests.authz import ANON, CITIZEN_A, LEADER, OFFICIAL_X, TEAM_H
from congso.security.tests.test_authz_matrix import ACCESS, client_for, walk

pytestmark = pytest.mark.django_db

# The query parameters the views read (names from their request.GET lookups).
QUERY_NAMES = (
    "q", "xa", "loai", "don-vi", "nam", "ky", "trang-thai", "co-quan", "ket-qua", "ngay", "tu", "luc",
    "trang", "page", "dinh-dang", "xuat", "qua-han", "next", "code", "key", "ma", "so",
)  # fmt: skip
# Who requests each page: the first of these the page allows.
ORDER = (LEADER, OFFICIAL_X, TEAM_H, CITIZEN_A, ANON)

# Was 26 pages of every app on PostgreSQL; congso.core.middleware.RejectNulMiddleware now answers 400 first.
FAILING_ON_POSTGRESQL: set[str] = set()


def test_nul_in_any_parameter_is_not_a_server_error(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = authz.build_world()
    converters = {name: found for _route, name, found in walk(get_resolver().url_patterns)}
    query = dict.fromkeys(QUERY_NAMES, "\0")
    failing = {}
    for name, rule in sorted(ACCESS.items()):
        persona = next((p for p in ORDER if p in rule.allowed), None)
        if persona is None or rule.post_only:
            continue
        kwargs = authz.url_kwargs(name, list(converters[name]), world)
        for key, converter in converters[name].items():
            if type(converter).__name__ in {"StringConverter", "SlugConverter"}:
                kwargs[key] = f"{kwargs[key]}\0"
        url = reverse(name, kwargs=kwargs)
        try:
            with transaction.atomic():  # on PostgreSQL a refused query spoils the transaction: a savepoint
                status = client_for(world, persona).get(url, query).status_code
        except Exception as error:  # the test client re-raises what the view raised (a 500)
            status = f"500 ({type(error).__name__})"
        if not isinstance(status, int) or status >= 500:
            failing[name] = f"GET {url}?<every parameter %00> as {persona}: {status}"
    expected = FAILING_ON_POSTGRESQL if connection.vendor == "postgresql" else set()
    print("\n".join(failing.values()))
    assert set(failing) == expected, "\n".join(failing.values())
