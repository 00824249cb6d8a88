"""Builders for payments tests: a dossier of commune 32002 (the `official` persona's) with fees, being
processed, and its unit's collecting account."""

import datetime

from django.utils import timezone

from congso.catalog.models import FeeItem
from congso.dossiers import transitions
from congso.dossiers.models import ReceivingOffice
from congso.dossiers.tests.factories import make_office, make_version, submit
from congso.geo.models import AdministrativeUnit
from congso.payments import services
from congso.payments.models import CollectingAccount

UNIT = "32002"  # Phường An Xuyên: the `official` persona's commune
OTHER_UNIT = "32248"


def make_account(unit_code: str = UNIT) -> CollectingAccount:
    unit = AdministrativeUnit.objects.get(code=unit_code)
    return CollectingAccount.objects.get_or_create(
        unit=unit,
        defaults={
            "bank_bin": "970405",
            "bank_name": "Agribank",
            "account_number": f"9999{unit_code}",
            "account_name": "UBND PHUONG AN XUYEN",
        },
    )[0]


def office_of(unit_code: str = UNIT) -> ReceivingOffice:
    office = ReceivingOffice.objects.filter(unit__code=unit_code).first()
    return office or make_office(unit_code=unit_code, code=f"000.00.{unit_code}.H12")


_versions = {}


def fee_version(code="1.000001"):
    version = make_version(code=code, name="Cấp bản sao trích lục hộ tịch")
    version.fees.all().delete()
    FeeItem.objects.create(
        version=version,
        position=1,
        name="Lệ phí cấp bản sao",
        amount_vnd=8000,
        exemptions="Miễn cho hộ nghèo",
    )
    FeeItem.objects.create(version=version, position=2, name="Phí thẩm định", amount_vnd=50000)
    FeeItem.objects.create(
        version=version, position=3, name="Phí dịch vụ bưu chính", amount_vnd=20000, channel=3
    )  # by post only: not proposed for a counter dossier
    return version


def processing_dossier(staff, *, unit_code: str = UNIT, applicant_user=None, version=None, accept=True):
    """A counter dossier, accepted and sent for processing by ``staff``."""
    version = version or fee_version(code=f"1.{timezone.now().microsecond:06d}")
    dossier = submit(version, office_of(unit_code), channel=1, applicant_user=applicant_user)
    if dossier.status == "submitted":
        transitions.dossier_accept(dossier=dossier, actor=staff)
    if accept:
        transitions.dossier_start_processing(dossier=dossier, actor=staff)
    dossier.refresh_from_db()
    return dossier


def issue(dossier, staff, **kwargs):
    make_account(dossier.office.unit.code)
    return services.fee_request_issue(
        dossier=dossier, actor=staff, lines=services.fee_lines_proposed(dossier), **kwargs
    )


def an_hour_ago() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=1)
