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
    # One per transition of the back office (congso.dossiers.workflow.TRANSITIONS).
    ACCEPTED = "accepted", _("accepted, receipt issued")  # Mẫu 01
    REFUSED_AT_INTAKE = "refused_intake", _("refused at intake")  # Mẫu 03
    SUPPLEMENT_REQUESTED = "supplement_asked", _("supplement requested")  # Mẫu 02
    SUPPLEMENTED = "supplemented", _("supplement received")
    ASSIGNED = "assigned", _("officer assigned")  # phân công cán bộ thụ lý
    PROCESSING_STARTED = "processing", _("sent for processing")
    FEES_REQUESTED = "fees_requested", _("fees requested")
    FEES_PAID = "fees_paid", _("fees paid")
    EXTENDED = "extended", _("apology and new date")  # Mẫu 04
    STOPPED = "stopped", _("processing stopped")  # Mẫu 05
    WITHDRAWN = "withdrawn", _("withdrawn by the applicant")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused after appraisal")
    RETURNED = "returned", _("result delivered")
    FORWARDED = "forwarded", _("forwarded to the competent office")  # chuyển cơ quan có thẩm quyền
    STEP_DONE = "step_done", _("processing step done")
    CONSULT_ASKED = "consult_asked", _("opinion requested")  # xin ý kiến cơ quan liên quan
    CONSULT_ANSWERED = "consult_answered", _("opinion received")


class StepKind(models.TextChoices):
    PROCESS = "process", _("processing step")  # a step of the procedure version's route
    CONSULT = "consult", _("consultation")  # xin ý kiến: another body answers by a deadline


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")  # a later stage of the route
    ACTIVE = "active", _("in progress")
    DONE = "done", _("done")


class DossierOutcome(models.TextChoices):
    """What processing decided. A refusal after appraisal is a result too (a reasoned answer, Mẫu 03): the
    dossier becomes "result ready" (national code 9) and the refusal is delivered like any result."""

    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class ResultDelivery(models.TextChoices):
    IN_PERSON = "in_person", _("in person")  # trực tiếp
    ONLINE = "online", _("online")  # trực tuyến
    POST = "post", _("by post")  # bưu chính công ích


# Unambiguous characters for the short lookup key printed on the receipt (no 0/O, 1/I/L).
LOOKUP_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LOOKUP_KEY_LENGTH = 6
