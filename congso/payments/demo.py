"""Demo data for payments, loaded by `manage.py demo_load`. Safe to run again.

Demo collecting accounts for the province of Cà Mau and each of its communes. They are NOT real accounts:
``is_demo`` is set, the account name says so, and a real installation replaces them in the admin.
"""

from django.conf import settings
from django.db import transaction

from congso.geo.constants import UnitLevel
from congso.geo.models import AdministrativeUnit
from congso.payments.models import CollectingAccount

DEMO_BANK_BIN = "970405"  # a BIN of NAPAS's list, so banking apps parse the code; the account is invented
DEMO_BANK_NAME = "Ngân hàng thử nghiệm (DEMO)"
DEMO_ACCOUNT_NAME = "TAI KHOAN DEMO - KHONG CHUYEN TIEN"


@transaction.atomic
def accounts_load_demo() -> int:
    province = AdministrativeUnit.objects.filter(
        code=settings.CONGSO_PROVINCE_CODE, level=UnitLevel.PROVINCE
    ).first()
    if province is None:
        return 0
    communes = list(AdministrativeUnit.objects.current().communes().filter(parent=province))
    have = set(CollectingAccount.objects.values_list("unit_id", flat=True))
    accounts = [
        CollectingAccount(
            unit=unit,
            bank_bin=DEMO_BANK_BIN,
            bank_name=DEMO_BANK_NAME,
            account_number=f"9999{unit.code.replace('-', '')}"[:19],
            account_name=DEMO_ACCOUNT_NAME,
            is_demo=True,
        )
        for unit in [province, *communes]
        if unit.pk not in have
    ]
    CollectingAccount.objects.bulk_create(accounts)
    return len(accounts)


def load_demo() -> str:
    """Create the demo rows that are missing; return a one-line summary for the console."""
    return f"{accounts_load_demo()} demo collecting accounts (not real bank accounts)"
