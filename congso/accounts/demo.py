"""Demo accounts, one per role, for `make run`. Never loaded outside the demo."""

from django.conf import settings
from django.db import transaction

from congso.accounts.constants import IdentityLevel, StaffRole
from congso.accounts.models import CitizenProfile, User
from congso.accounts.services import role_grant
from congso.geo.models import AdministrativeUnit

DEMO_PASSWORD = "congso-demo-2026"  # noqa: S105 - printed on purpose: the demo's shared password

# (e-mail, full name, role or None for a citizen, unit code relative to the demo: "province", a commune
# code, or a hamlet code)
DEMO_ACCOUNTS = [
    ("quantri@congso.local", "Quản trị hệ thống", StaffRole.ADMINISTRATOR, "province"),
    ("lanhdao.tinh@congso.local", "Nguyễn Văn Tỉnh", StaffRole.UNIT_LEADER, "province"),
    ("motcua.anxuyen@congso.local", "Trần Thị Mai", StaffRole.ONE_STOP_OFFICER, "32002"),
    ("chuyenmon.anxuyen@congso.local", "Lê Văn Hùng", StaffRole.DEPARTMENT_OFFICER, "32002"),
    ("lanhdao.anxuyen@congso.local", "Phạm Minh Tuấn", StaffRole.UNIT_LEADER, "32002"),
    ("motcua.datmui@congso.local", "Huỳnh Thị Lan", StaffRole.ONE_STOP_OFFICER, "32248"),
    ("tocns.datmui@congso.local", "Võ Văn Tư", StaffRole.TEAM_MEMBER, "32248-01"),
    ("congdan@congso.local", "Nguyễn Thị Hoa", None, "32002"),
]


@transaction.atomic
def demo_accounts_load() -> list[tuple[str, str, str]]:
    """Create the demo accounts if missing; returns (e-mail, role label, unit) for printing."""
    units = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=[a[3] for a in DEMO_ACCOUNTS])}
    units["province"] = AdministrativeUnit.objects.get(code=settings.CONGSO_PROVINCE_CODE)
    rows = []
    for email, full_name, role, unit_code in DEMO_ACCOUNTS:
        unit = units[unit_code]
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
        if role is None:
            CitizenProfile.objects.get_or_create(
                user=user, defaults={"identity_level": IdentityLevel.VNEID_LEVEL_2, "address_unit": unit}
            )
            rows.append((email, str(IdentityLevel.VNEID_LEVEL_2.label), unit.full_name))
            continue
        role_grant(user=user, role=role, unit=unit)
        if role == StaffRole.ADMINISTRATOR and not user.is_superuser:
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        rows.append((email, str(role.label), unit.full_name))
    return rows
