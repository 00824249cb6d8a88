from django.db import models
from django.utils.translation import gettext_lazy as _

from congso.dossiers.constants import DossierStatus


class RatingLevel(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")  # hài lòng
    ACCEPTABLE = "acceptable", _("acceptable")  # chấp nhận được
    NOT_SATISFIED = "not_satisfied", _("not satisfied")  # không hài lòng


class FeedbackKind(models.TextChoices):
    REPORT = "report", _("report")  # phản ánh
    PROPOSAL = "proposal", _("proposal")  # kiến nghị


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("received")  # đã tiếp nhận
    ACKNOWLEDGED = "acknowledged", _("acknowledged")  # đã xác nhận, đang xử lý
    ANSWERED = "answered", _("answered")  # đã trả lời
    PUBLISHED = "published", _("published")  # đã công khai


# A dossier can be rated once its result exists (ONE-STOP.md, "Citizen evaluation").
RATEABLE = {DossierStatus.RESULT_READY, DossierStatus.RETURNED}
# Deadlines in working days from receipt (ONE-STOP.md): acknowledge 2, handle 15.
ACKNOWLEDGE_WITHIN_DAYS = 2
ANSWER_WITHIN_DAYS = 15
RATING_COMMENT_MAX_LENGTH = 1000
FEEDBACK_TEXT_MAX_LENGTH = 4000
ANSWER_MAX_LENGTH = 8000
OPEN = [FeedbackStatus.RECEIVED, FeedbackStatus.ACKNOWLEDGED]
