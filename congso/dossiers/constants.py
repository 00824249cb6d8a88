from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    """Internal states. Each maps to exactly one status code of the national portal (``NATIONAL_CODE``)."""

    SUBMITTED = "submitted", _("submitted online, awaiting acceptance")  # Mới đăng ký
    RECEIVED = "received", _("accepted")  # Được tiếp nhận
    REFUSED = "refused", _("refused at intake")  # Không được tiếp nhận
    PROCESSING = "processing", _("being processed")  # Đang xử lý
    SUPPLEMENT_REQUESTED = "supplement", _("supplement requested")  # Yêu cầu bổ sung giấy tờ
    FEES_DUE = "fees_due", _("fees due")  # Yêu cầu thực hiện nghĩa vụ tài chính
    WITHDRAWN = "withdrawn", _("withdrawn by the applicant")  # Công dân yêu cầu rút hồ sơ
    STOPPED = "stopped", _("processing stopped")  # Dừng xử lý
    RESULT_READY = "result_ready", _("result ready")  # Đã xử lý xong
    RETURNED = "returned", _("result delivered")  # Đã trả kết quả


# TrangThaiHoSo of the national public-service portal (DVCQG).
NATIONAL_CODE = {
    DossierStatus.SUBMITTED: 1,
    DossierStatus.RECEIVED: 2,
    DossierStatus.REFUSED: 3,
    DossierStatus.PROCESSING: 4,
    DossierStatus.SUPPLEMENT_REQUESTED: 5,
    DossierStatus.FEES_DUE: 6,
    DossierStatus.WITHDRAWN: 7,
    DossierStatus.STOPPED: 8,
    DossierStatus.RESULT_READY: 9,
    DossierStatus.RETURNED: 10,
}

# What a visitor without an account may see: only whether the dossier is finished (ONE-STOP.md).
FINISHED = {DossierStatus.RESULT_READY, DossierStatus.RETURNED}
CLOSED = {DossierStatus.RETURNED, DossierStatus.REFUSED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED}


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("person")
    ORGANISATION = "organisation", _("organisation")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    RECEIVED = "received", _("received at the counter")
    STATUS_CHANGED = "status", _("status changed")
    NOTE = "note", _("note")


# Unambiguous characters for the short lookup key printed on the receipt (no 0/O, 1/I/L).
LOOKUP_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LOOKUP_KEY_LENGTH = 6
