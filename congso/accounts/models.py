from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from congso.accounts.constants import IdentityLevel, StaffRole
from congso.core.models import TimeStampedModel

citizen_id_validator = RegexValidator(r"^\d{12}$", _("A citizen ID number has exactly 12 digits."))
phone_validator = RegexValidator(r"^0\d{9}$", _("A phone number has 10 digits and starts with 0."))


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """Everyone who signs in: citizens, officials, team members, leaders. Signs in with an e-mail address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone number"), max_length=10, blank=True, validators=[phone_validator])

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.rsplit(" ", 1)[-1] if self.full_name else self.email

    @property
    def is_official(self) -> bool:
        """Works for the state in some role (and so must use two-factor authentication)."""
        return self.is_staff or self.role_bindings.exists()


class RoleBinding(TimeStampedModel):
    """A staff role held in one administrative unit: "one-stop officer of Xã Đất Mũi".

    Permissions are scoped by these bindings: an official sees the dossiers of the units bound here (and, for
    a province-level binding, of the communes below it); a team member sees the households of their hamlets.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_bindings"
    )
    role = models.CharField(_("role"), max_length=32, choices=StaffRole.choices)
    unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="role_bindings",
    )
    granted_by = models.ForeignKey(
        User, verbose_name=_("granted by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("role binding")
        verbose_name_plural = _("role bindings")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="accounts_binding_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class CitizenProfile(TimeStampedModel):
    """What a citizen tells us about themselves, and how surely we know who they are."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="citizen"
    )
    identity_level = models.PositiveSmallIntegerField(
        _("identity level"), choices=IdentityLevel.choices, default=IdentityLevel.NONE
    )
    citizen_id = models.CharField(
        _("citizen ID number"), max_length=12, blank=True, validators=[citizen_id_validator]
    )  # số định danh cá nhân (CCCD)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    address_unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("commune or hamlet of residence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id"], condition=~models.Q(citizen_id=""), name="accounts_citizen_id_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


class Consent(models.Model):
    """A person's consent to the processing of their personal data (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15):
    what they agreed to (``purpose`` and the version of the text shown), when, and from where. Kept as long as
    the account; a withdrawal is a new row with ``given=False``."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=32)
    text_version = models.CharField(_("version of the text"), max_length=16)
    given = models.BooleanField(_("given"), default=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.purpose} {self.text_version} {self.given}"
