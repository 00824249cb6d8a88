import pytest

from congso.accounts.constants import StaffRole
from congso.accounts.services import role_grant
from congso.conftest import make_user, unit
from congso.dossiers.tests.factories import make_office, make_version, submit


@pytest.fixture
def office(db):
    """The service centre of An Xuyên (32002), the official's commune."""
    return make_office("32002", "000.00.26.H12")


@pytest.fixture
def dossier(citizen, office):
    """An online dossier of the citizen's account at An Xuyên."""
    return submit(make_version(), office, channel=2, applicant_user=citizen)


@pytest.fixture
def other_official(db):
    """A one-stop officer of Đất Mũi (32248), another commune."""
    user = make_user("other.official@example.vn")
    role_grant(user=user, role=StaffRole.ONE_STOP_OFFICER, unit=unit("32248"))
    return user
