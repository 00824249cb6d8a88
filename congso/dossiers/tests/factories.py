"""Shared builders for dossier tests: a structured procedure, an office, a submission."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from congso.catalog.models import DossierComponent, FeeItem, Procedure, ProcedureVersion, ProcessingTime
from congso.dossiers import services
from congso.dossiers.models import ReceivingOffice
from congso.geo.models import AdministrativeUnit

VN = ZoneInfo("Asia/Ho_Chi_Minh")

SCHEMA = [
    {"name": "applicant_name", "type": "text", "label": "Họ, chữ đệm, tên người yêu cầu", "max_length": 100},
    {"name": "applicant_id", "type": "citizen_id", "label": "Số định danh cá nhân"},
    {"name": "applicant_phone", "type": "phone", "label": "Số điện thoại"},
    {"name": "child_name", "type": "text", "label": "Họ, chữ đệm, tên của trẻ"},
    {"name": "proof", "type": "upload", "label": "Giấy chứng sinh", "component": 1},
]


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=VN)


def make_version(code="1.001193", name="Thủ tục đăng ký khai sinh", *, days=3, unit="working_days"):
    procedure = Procedure.objects.create(code=code, name=name, field="Hộ tịch", at_commune=True)
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, form_schema=SCHEMA, is_structured=True
    )
    DossierComponent.objects.create(version=version, position=1, name="Giấy chứng sinh", originals=1)
    for channel in (1, 2):
        ProcessingTime.objects.create(version=version, channel=channel, value=Decimal(days), unit=unit)
    FeeItem.objects.create(version=version, name="Lệ phí", amount_vnd=0)
    return version


def make_office(unit_code="32248", code="000.00.64.H12") -> ReceivingOffice:
    unit = AdministrativeUnit.objects.get(code=unit_code)
    return ReceivingOffice.objects.create(unit=unit, code=code, name=f"Trung tâm {unit.full_name}")


def submit(version, office, *, channel=1, when=None, **kwargs):
    return services.dossier_submit(
        version=version,
        office=office,
        channel=channel,
        applicant=services.Applicant(name="Nguyễn Thị Hoa", id_number="096190000123", phone="0912345678"),
        form_data={"child_name": "Nguyễn Văn An"},
        at=when,
        **kwargs,
    )
