from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congso.core.text import fold
from congso.geo.constants import UNIT_TYPE_PREFIX, UnitLevel, UnitType


class AdministrativeUnitQuerySet(models.QuerySet):
    def current(self):
        """Units in force today (the 2025 units and the hamlets), not the ones merged away."""
        return self.filter(effective_to__isnull=True)

    def communes(self):
        return self.filter(level=UnitLevel.COMMUNE)


class AdministrativeUnit(models.Model):
    """A province, commune or hamlet, current or former (đơn vị hành chính).

    Provinces and communes carry the official code of Decision 19/2025/QĐ-TTg. Hamlets have no national code:
    the province keeps its own, here ``<commune code>-<NN>``. Former units (before 1 July 2025) often have no
    code in our sources; they keep their name and the old district they belonged to, and are linked to the
    units that replaced them through :class:`UnitSuccession`.
    """

    code = models.CharField(_("code"), max_length=20, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=120, help_text=_("Without the type word, e.g. “Đất Mũi”."))
    full_name = models.CharField(_("full name"), max_length=160)
    search_key = models.CharField(_("search key"), max_length=160, editable=False, db_index=True)
    unit_type = models.CharField(_("unit type"), max_length=12, choices=UnitType.choices)
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    former_district = models.CharField(
        _("former district"),
        max_length=120,
        blank=True,
        help_text=_("For units abolished in 2025: the district (huyện, thị xã, thành phố) they belonged to."),
    )
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    headquarters = models.CharField(_("headquarters"), max_length=255, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    centroid_lat = models.DecimalField(
        _("centre latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    centroid_lon = models.DecimalField(
        _("centre longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Generated for the demo, not real.")
    )
    source = models.CharField(_("source"), max_length=255, blank=True)

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="geo_unit_code_unique"),
            models.UniqueConstraint(
                fields=["name", "unit_type", "former_district"],
                condition=Q(code=""),
                name="geo_uncoded_unit_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        if not self.full_name:
            self.full_name = f"{UNIT_TYPE_PREFIX[UnitType(self.unit_type)]} {self.name}"
        self.search_key = fold(self.full_name)
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.effective_to is None


class UnitSuccession(models.Model):
    """One link of the 2025 reform (or a later change): ``predecessor`` was merged, wholly or partly, into
    ``successor`` on ``effective_on``."""

    predecessor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("former unit"),
        on_delete=models.CASCADE,
        related_name="successions",
    )
    successor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("new unit"), on_delete=models.CASCADE, related_name="predecessions"
    )
    effective_on = models.DateField(_("effective on"))
    note = models.CharField(_("note"), max_length=255, blank=True, help_text=_("e.g. “phần còn lại”."))
    is_partial = models.BooleanField(_("only part of the former unit"), default=False)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="geo_succession_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
