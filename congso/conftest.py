"""Shared fixtures. The national unit list is loaded once per test session (each test rolls back its own
changes); personas are built on it."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from congso.accounts.constants import StaffRole
from congso.accounts.models import User
from congso.accounts.services import role_grant
from congso.geo.models import AdministrativeUnit
from congso.geo.services import communes_load_camau, hamlets_generate_demo, units_load_national

PASSWORD = "mat-khau-thu-nghiem-2026"


def load_units() -> None:
    units_load_national()
    communes_load_camau()
    hamlets_generate_demo(province_code="96")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_units()


@pytest.fixture
def committing_db(transactional_db, django_db_blocker):
    """Real commits, for code that manages its own connection (the task worker). The flush after each such
    test empties every table (pytest-django runs these tests last), so each one loads the units it needs."""
    from congso.geo.models import AdministrativeUnit

    with django_db_blocker.unblock():
        if not AdministrativeUnit.objects.exists():
            load_units()
    yield


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _vietnamese():
    """Each test starts in Vietnamese: a request in English leaves English active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def unit(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


def make_user(email: str, **extra) -> User:
    return User.objects.create_user(email, PASSWORD, **extra)


@pytest.fixture
def citizen(db):
    return make_user("citizen.a@example.vn", full_name="Nguyễn Văn A")


@pytest.fixture
def official(db):
    """A one-stop officer of Phường An Xuyên (32002)."""
    user = make_user("official@example.vn", full_name="Trần Thị B")
    role_grant(user=user, role=StaffRole.ONE_STOP_OFFICER, unit=unit("32002"))
    return user


@pytest.fixture
def leader(db):
    """A leader of the province of Cà Mau."""
    user = make_user("leader@example.vn", full_name="Lê Văn C")
    role_grant(user=user, role=StaffRole.UNIT_LEADER, unit=unit("96"))
    return user


@pytest.fixture
def team_member(db):
    """A community digital team member of the first hamlet of Xã Đất Mũi."""
    user = make_user("team@example.vn", full_name="Võ Văn D")
    role_grant(user=user, role=StaffRole.TEAM_MEMBER, unit=unit("32248-01"))
    return user
