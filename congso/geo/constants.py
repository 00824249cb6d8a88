import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

# The two-tier local government took effect on this day (Resolution 202/2025/QH15, Decision 19/2025/QĐ-TTg).
REFORM_DATE = datetime.date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = datetime.date(2025, 6, 30)


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("province")
    COMMUNE = "commune", _("commune")
    HAMLET = "hamlet", _("hamlet")


class UnitType(models.TextChoices):
    # Province level
    PROVINCE = "tinh", _("province (tỉnh)")
    CITY = "thanh_pho", _("centrally governed city (thành phố)")
    # Commune level
    COMMUNE = "xa", _("commune (xã)")
    WARD = "phuong", _("ward (phường)")
    SPECIAL_ZONE = "dac_khu", _("special zone (đặc khu)")
    TOWNSHIP = "thi_tran", _("township (thị trấn, before 2025)")
    # Below the commune: the province's own list
    HAMLET = "ap", _("hamlet (ấp)")
    NEIGHBOURHOOD = "khom", _("neighbourhood (khóm)")


UNIT_TYPE_LEVEL = {
    UnitType.PROVINCE: UnitLevel.PROVINCE,
    UnitType.CITY: UnitLevel.PROVINCE,
    UnitType.COMMUNE: UnitLevel.COMMUNE,
    UnitType.WARD: UnitLevel.COMMUNE,
    UnitType.SPECIAL_ZONE: UnitLevel.COMMUNE,
    UnitType.TOWNSHIP: UnitLevel.COMMUNE,
    UnitType.HAMLET: UnitLevel.HAMLET,
    UnitType.NEIGHBOURHOOD: UnitLevel.HAMLET,
}

# The Vietnamese word that prefixes a unit's name ("Xã Đất Mũi"), used to split and rebuild full names.
UNIT_TYPE_PREFIX = {
    UnitType.PROVINCE: "Tỉnh",
    UnitType.CITY: "Thành phố",
    UnitType.COMMUNE: "Xã",
    UnitType.WARD: "Phường",
    UnitType.SPECIAL_ZONE: "Đặc khu",
    UnitType.TOWNSHIP: "Thị trấn",
    UnitType.HAMLET: "Ấp",
    UnitType.NEIGHBOURHOOD: "Khóm",
}
