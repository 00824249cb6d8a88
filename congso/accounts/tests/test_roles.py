import pytest
from django.urls import reverse

from congso.accounts.constants import StaffRole
from congso.accounts.models import RoleBinding
from congso.accounts.selectors import user_has_role, user_units
from congso.accounts.services import role_grant, role_revoke
from congso.conftest import make_user, unit
from congso.core.exceptions import ApplicationError
from congso.geo.constants import UnitLevel
from congso.geo.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


def test_official_sees_their_commune_and_its_hamlets_only(official):
    units = user_units(user=official)
    codes = set(units.values_list("code", flat=True))
    hamlets = set(AdministrativeUnit.objects.filter(parent__code="32002").values_list("code", flat=True))
    assert codes == {"32002"} | hamlets
    assert "32248" not in codes


def test_province_leader_sees_every_commune_of_the_province_and_no_other(leader):
    units = user_units(user=leader, roles=[StaffRole.UNIT_LEADER])
    assert units.filter(level=UnitLevel.COMMUNE).count() == 64
    assert not units.filter(parent__code="01").exists()  # Hà Nội
    assert (
        units.filter(level=UnitLevel.HAMLET).count()
        == AdministrativeUnit.objects.filter(level=UnitLevel.HAMLET, parent__parent__code="96").count()
    )


def test_team_member_sees_only_their_hamlet(team_member):
    assert list(user_units(user=team_member).values_list("code", flat=True)) == ["32248-01"]
    assert user_has_role(user=team_member, role=StaffRole.TEAM_MEMBER, unit=unit("32248-01"))
    assert not user_has_role(user=team_member, role=StaffRole.TEAM_MEMBER, unit=unit("32248-02"))
    assert not user_has_role(user=team_member, role=StaffRole.ONE_STOP_OFFICER)


def test_roles_filter_the_scope(official):
    role_grant(user=official, role=StaffRole.UNIT_LEADER, unit=unit("32248"))
    assert user_units(user=official, roles=[StaffRole.ONE_STOP_OFFICER]).filter(code="32248").count() == 0
    assert user_units(user=official).filter(code="32248").count() == 1


def test_citizen_and_anonymous_have_no_units(citizen):
    from django.contrib.auth.models import AnonymousUser

    assert not user_units(user=citizen).exists()
    assert not user_units(user=AnonymousUser()).exists()
    assert not citizen.is_official


def test_grant_is_idempotent_and_revocable(official):
    again = role_grant(user=official, role=StaffRole.ONE_STOP_OFFICER, unit=unit("32002"))
    assert RoleBinding.objects.filter(user=official).count() == 1
    assert again.role == StaffRole.ONE_STOP_OFFICER
    assert official.is_official
    assert role_revoke(user=official, role=StaffRole.ONE_STOP_OFFICER, unit=unit("32002")) == 1
    assert not user_units(user=official).exists()


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (StaffRole.ONE_STOP_OFFICER, "32248-01"),  # a hamlet has no one-stop desk
        (StaffRole.TEAM_MEMBER, "96"),  # a team works in a hamlet or a commune, not the province
    ],
)
def test_grant_refuses_a_unit_of_the_wrong_level(role, code):
    user = make_user("x@example.vn")
    with pytest.raises(ApplicationError) as excinfo:
        role_grant(user=user, role=role, unit=unit(code))
    assert excinfo.value.code == "role_unit_level"
    assert "không thể" in excinfo.value.message
    assert not RoleBinding.objects.filter(user=user).exists()


def test_grant_refuses_a_former_unit_and_an_unknown_role():
    user = make_user("y@example.vn")
    former = AdministrativeUnit.objects.filter(effective_to__isnull=False).first()
    with pytest.raises(ApplicationError) as excinfo:
        role_grant(user=user, role=StaffRole.ONE_STOP_OFFICER, unit=former)
    assert excinfo.value.code == "unit_not_current"
    with pytest.raises(ApplicationError):
        role_grant(user=user, role="mayor", unit=unit("96"))


def test_administrator_role_opens_the_admin_site(client):
    user = make_user("admin@example.vn")
    role_grant(user=user, role=StaffRole.ADMINISTRATOR, unit=unit("96"))
    user.refresh_from_db()
    assert user.is_staff


def test_profile_lists_roles(client, official):
    client.force_login(official)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert "Cán bộ một cửa — Phường An Xuyên, Tỉnh Cà Mau" in body
    assert "xác thực hai yếu tố" in body
