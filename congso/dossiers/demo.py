"""Demo receiving offices: one service centre per commune of the province, and the province's own."""

from django.conf import settings
from django.db import transaction

from congso.dossiers.models import ReceivingOffice
from congso.geo.constants import UnitLevel
from congso.geo.models import AdministrativeUnit

# Electronic identifier codes (QCVN 102:2016) follow <level codes>.<province letter code>; "H12" for Cà Mau is
# an inference to confirm (ONE-STOP.md). Real installations set each office's code in the admin.
DEMO_PROVINCE_SUFFIX = "H12"


def centre_name(unit: AdministrativeUnit) -> str:
    """ "Trung tâm Phục vụ hành chính công xã Đất Mũi": the type word in lower case after "công"."""
    type_word, _, rest = unit.full_name.partition(" ")
    return f"Trung tâm Phục vụ hành chính công {type_word.lower()} {rest}"


@transaction.atomic
def offices_load_demo() -> int:
    province = AdministrativeUnit.objects.get(code=settings.CONGSO_PROVINCE_CODE, level=UnitLevel.PROVINCE)
    communes = list(AdministrativeUnit.objects.current().communes().filter(parent=province).order_by("code"))
    have = set(ReceivingOffice.objects.values_list("unit_id", flat=True))
    created = 0
    for index, unit in enumerate([province, *communes]):
        if unit.pk in have:
            continue
        ReceivingOffice.objects.create(
            unit=unit,
            code=f"000.00.{index:02d}.{DEMO_PROVINCE_SUFFIX}",
            name=centre_name(unit),
            address=unit.headquarters,
        )
        created += 1
    return created
