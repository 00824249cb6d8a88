"""The field layout of the national public-service portal (DVCQG). The only module that knows it.

The official specification is not public: names follow ONE-STOP.md ("Sync with the national portal"). Each
function returns the whole JSON body of one call, ``{"service": ..., "data": [record]}``. Dates are
``yyyyMMddHHmmss`` in Vietnam time (Asia/Ho_Chi_Minh); an unknown date is ``null``.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import translation

from congso.dossiers.constants import NATIONAL_CODE, ApplicantKind, DossierStatus, EventKind
from congso.dossiers.models import Dossier, DossierEvent

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"

DOSSIER_SERVICE = "DongBoHoSoMC"
PROGRESS_SERVICE = "CapNhatTienDoHoSoMC"
# Path of each service under CONGSO_DVCQG_URL.
PATHS = {DOSSIER_SERVICE: "/DongBoHoSoMC", PROGRESS_SERVICE: "/CapNhatTienDoHoSoMC"}

# LoaiDoiTuong: who the applicant is.
APPLICANT_KIND = {ApplicantKind.PERSON: 1, ApplicantKind.ORGANISATION: 2}


def national_date(value: datetime.datetime | None) -> str | None:
    """``yyyyMMddHHmmss`` in Vietnam time, whatever the zone of ``value``; None stays None."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime: the national date needs a time zone")
    return value.astimezone(VIETNAM).strftime(DATE_FORMAT)


def national_status(status: str) -> int:
    return NATIONAL_CODE[DossierStatus(status)]


def dossier_payload(dossier: Dossier) -> dict:
    """The body of ``DongBoHoSoMC``: the dossier as it stands now."""
    with translation.override("vi"):
        procedure = dossier.procedure
        record = {
            "MaHoSo": dossier.code,
            "MaTTHC": procedure.code,
            "TenTTHC": procedure.name,
            "MaLinhVuc": procedure.field,
            "KenhThucHien": int(dossier.channel),
            "ChuHoSo": dossier.applicant_name,
            "LoaiDoiTuong": APPLICANT_KIND.get(dossier.applicant_kind, 1),
            "DinhDanhCHS": dossier.applicant_id_number,
            "NgayNopHoSo": national_date(dossier.submitted_at),
            "NgayTiepNhan": national_date(dossier.received_at),
            "NgayHenTra": national_date(dossier.due_at),
            "NgayKetThucXuLy": national_date(dossier.processing_ended_at),
            "NgayTra": national_date(dossier.returned_at),
            "TrangThaiHoSo": national_status(dossier.status),
            "DonViXuLy": dossier.office.name,
            "TaiLieuNop": _documents(dossier),
            "DanhSachLePhi": _fees(dossier),
            "DanhSachHoSoBoSung": _supplements(dossier),
            "DanhSachGiayToKetQua": _results(dossier),
        }
    return {"service": DOSSIER_SERVICE, "data": [record]}


def progress_payload(event: DossierEvent) -> dict:
    """The body of ``CapNhatTienDoHoSoMC``: one processing step of the dossier."""
    dossier = event.dossier
    status = event.status_to or dossier.status
    with translation.override("vi"):
        step = {
            "NguoiXuLy": _person(event.actor),
            "ChucDanh": _title(event),
            "ThoiDiemXuLy": national_date(event.at),
            "PhongBanXuLy": event.unit.name if event.unit_id else dossier.office.name,
            "NoiDungXuLy": " — ".join(part for part in (str(event.get_kind_display()), event.note) if part),
            "TrangThai": national_status(status),
            "NgayBatDau": national_date(event.at),
            "NgayKetThucTheoQuyDinh": national_date(event.step_due_at),
        }
    record = {"MaHoSo": dossier.code, "TrangThaiHoSo": national_status(status), "QuaTrinhXuLy": [step]}
    return {"service": PROGRESS_SERVICE, "data": [record]}


def _person(user) -> str:
    if user is None:
        return ""
    return user.full_name or user.email


def _title(event: DossierEvent) -> str:
    """The actor's role in the unit of the step (cán bộ một cửa, lãnh đạo đơn vị …); "" for the applicant."""
    if event.actor_id is None:
        return ""
    bindings = event.actor.role_bindings.all()
    binding = next((b for b in bindings if b.unit_id == event.unit_id), None) or next(iter(bindings), None)
    return str(binding.get_role_display()) if binding else ""


def _documents(dossier: Dossier) -> list[dict]:
    # No file address: the files stay on congso; the portal gets what identifies them.
    return [
        {
            "TenTepDinhKem": document.label,
            "MaThanhPhanHoSo": document.component_id,
            "LoaiTep": document.content_type,
            "KichThuoc": document.size,
            "MaBam": document.sha256,
        }
        for document in dossier.documents.all()
        if document.pk != dossier.result_document_id
    ]


def _fees(dossier: Dossier) -> list[dict]:
    return [
        {
            "TenPhiLePhi": fee.name,
            "MucPhi": fee.amount_vnd,
            "KenhThucHien": fee.channel,
        }
        for fee in dossier.version.fees.all()
        if fee.channel in (None, dossier.channel)
    ]


def _supplements(dossier: Dossier) -> list[dict]:
    events = list(
        dossier.events.filter(kind__in=[EventKind.SUPPLEMENT_REQUESTED, EventKind.SUPPLEMENTED]).order_by(
            "at", "id"
        )
    )
    requests: list[dict] = []
    for event in events:
        if event.kind == EventKind.SUPPLEMENT_REQUESTED:
            requests.append(
                {
                    "NgayYeuCauBoSung": national_date(event.at),
                    "NoiDungYeuCauBoSung": event.data.get("reason", event.note),
                    "DanhSachGiayToYeuCau": list(event.data.get("items", [])),
                    "NgayHenBoSung": national_date(event.step_due_at),
                    "NgayTiepNhanBoSung": None,
                }
            )
        elif requests and requests[-1]["NgayTiepNhanBoSung"] is None:
            requests[-1]["NgayTiepNhanBoSung"] = national_date(event.at)
    return requests


def _results(dossier: Dossier) -> list[dict]:
    document = dossier.result_document
    if document is None:
        return []
    return [
        {
            "TenGiayTo": document.label,
            "LoaiTep": document.content_type,
            "MaBam": document.sha256,
            "KetQua": dossier.outcome,
        }
    ]
