import pytest
from django.core.management import call_command

from congso.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from congso.accounts.models import RoleBinding, User
from congso.geo.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


def test_demo_load_twice_duplicates_nothing(capsys):
    call_command("demo_load")
    counts = (User.objects.count(), RoleBinding.objects.count(), AdministrativeUnit.objects.count())
    call_command("demo_load")
    assert (User.objects.count(), RoleBinding.objects.count(), AdministrativeUnit.objects.count()) == counts
    assert User.objects.filter(email__in=[a[0] for a in DEMO_ACCOUNTS]).count() == len(DEMO_ACCOUNTS)
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    assert "motcua.anxuyen@congso.local" in out


def test_there_is_a_demo_account_for_every_role():
    from congso.accounts.constants import StaffRole

    assert {a[2] for a in DEMO_ACCOUNTS if a[2]} == set(StaffRole)
    call_command("demo_load")
    team = User.objects.get(email="tocns.datmui@congso.local")
    assert team.check_password(DEMO_PASSWORD)
    assert team.role_bindings.get().unit.code == "32248-01"
