from django.db import transaction

from congso.accounts.constants import StaffRole
from congso.accounts.models import CitizenProfile, RoleBinding, User
from congso.core.exceptions import ApplicationError
from congso.geo.constants import UnitLevel
from congso.geo.models import AdministrativeUnit

# Which level of unit each role is held in. A team works in a hamlet (or a whole commune); the rest in a
# commune or the province.
ROLE_UNIT_LEVELS = {
    StaffRole.ONE_STOP_OFFICER: {UnitLevel.PROVINCE, UnitLevel.COMMUNE},
    StaffRole.DEPARTMENT_OFFICER: {UnitLevel.PROVINCE, UnitLevel.COMMUNE},
    StaffRole.UNIT_LEADER: {UnitLevel.PROVINCE, UnitLevel.COMMUNE},
    StaffRole.TEAM_MEMBER: {UnitLevel.COMMUNE, UnitLevel.HAMLET},
    StaffRole.ADMINISTRATOR: {UnitLevel.PROVINCE, UnitLevel.COMMUNE},
}


@transaction.atomic
def user_signed_up(*, user: User) -> CitizenProfile:
    """A new account: give it a citizen profile and send the welcome e-mail once the account is saved."""
    from congso.accounts.tasks import send_welcome_email

    profile, _ = CitizenProfile.objects.get_or_create(user=user)
    transaction.on_commit(lambda: send_welcome_email.enqueue(user_id=user.pk))
    return profile


@transaction.atomic
def role_grant(
    *, user: User, role: str, unit: AdministrativeUnit, granted_by: User | None = None
) -> RoleBinding:
    """Bind a staff role to a unit. Idempotent: granting the same role twice returns the existing binding."""
    from django.utils.translation import gettext as _

    if role not in StaffRole.values:
        raise ApplicationError(_("Unknown role."), code="unknown_role")
    if not unit.is_current:
        raise ApplicationError(
            _("This unit no longer exists since the reorganisation."), code="unit_not_current"
        )
    if unit.level not in ROLE_UNIT_LEVELS[StaffRole(role)]:
        raise ApplicationError(
            _("The role “%(role)s” cannot be held in a unit of this level.")
            % {"role": StaffRole(role).label},
            code="role_unit_level",
        )
    binding, created = RoleBinding.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"granted_by": granted_by}
    )
    if created and role == StaffRole.ADMINISTRATOR and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return binding


@transaction.atomic
def role_revoke(*, user: User, role: str, unit: AdministrativeUnit) -> int:
    deleted, _ = RoleBinding.objects.filter(user=user, role=role, unit=unit).delete()
    return deleted


def oidc_identity_level(claims: dict) -> int:
    """The VNeID assurance level of an OpenID Connect sign-in, from its ``acr`` claim.

    ``CONGSO_OIDC_ACR_LEVELS`` maps acr values to levels (1 or 2); an unknown or missing acr is level 0.
    """
    from django.conf import settings

    from congso.accounts.constants import IdentityLevel

    acr = str(claims.get("acr") or "")
    level = settings.CONGSO_OIDC_ACR_LEVELS.get(acr, IdentityLevel.NONE)
    return level if level in IdentityLevel.values else IdentityLevel.NONE


@transaction.atomic
def identity_level_from_oidc(*, user: User, data: dict) -> CitizenProfile:
    """Record the identity level the national identity provider vouched for at this sign-in (the ID token's
    acr; userinfo is the fallback). Each sign-in sets the level afresh: a level-1 sign-in lowers it."""
    from congso.audit.chain import audit_record

    claims = data.get("id_token") or data.get("userinfo") or data
    if "acr" not in claims and isinstance(data.get("userinfo"), dict):
        claims = data["userinfo"]
    level = oidc_identity_level(claims)
    profile, _ = CitizenProfile.objects.select_for_update().get_or_create(user=user)
    if profile.identity_level != level:
        previous = profile.identity_level
        profile.identity_level = level
        profile.save(update_fields=["identity_level", "updated_at"])
        audit_record(
            actor=user, action="identity.level_changed", target=user, data={"from": previous, "to": level}
        )
    return profile


def consent_record(*, user: User, purpose: str, text_version: str, given: bool = True, request=None):
    """Record that ``user`` gave (or withdrew) consent to ``purpose`` as worded in ``text_version``."""
    import ipaddress

    from congso.accounts.models import Consent
    from congso.audit.chain import audit_record
    from congso.core.ratelimit import client_ip

    ip = None
    if request is not None:
        try:
            ip = str(ipaddress.ip_address(client_ip(request)))
        except ValueError:
            ip = None
    row = Consent.objects.create(
        user=user, purpose=purpose, text_version=text_version, given=given, ip_address=ip
    )
    audit_record(
        actor=user,
        action="consent.given" if given else "consent.withdrawn",
        target=user,
        data={"purpose": purpose, "version": text_version},
    )
    return row
