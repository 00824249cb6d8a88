from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congso.accounts.constants import StaffRole

# Who reads the plan and reports progress: leaders and the departments that carry the tasks.
PROGRAMME_ROLES = [StaffRole.UNIT_LEADER, StaffRole.DEPARTMENT_OFFICER, StaffRole.ADMINISTRATOR]
NOTE_MAX_LENGTH = 2000
EVIDENCE_KINDS = ("pdf", "jpeg", "png", "docx", "xlsx")
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


class Pillar(models.TextChoices):
    FOUNDATIONS = "foundations", _("digital foundations")  # nền tảng: hạ tầng, dữ liệu, an toàn thông tin
    GOVERNMENT = "government", _("digital government")  # chính quyền số
    ECONOMY = "economy", _("digital economy")  # kinh tế số
    SOCIETY = "society", _("digital society")  # xã hội số


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("task status", "not started")  # chưa triển khai
    IN_PROGRESS = "in_progress", pgettext_lazy("task status", "in progress")  # đang triển khai
    DONE = "done", pgettext_lazy("task status", "done")  # hoàn thành
    STOPPED = "stopped", pgettext_lazy("task status", "stopped")  # tạm dừng / không thực hiện


class FundingSource(models.TextChoices):
    CENTRAL = "central", _("central budget")  # ngân sách trung ương
    PROVINCIAL = "provincial", _("provincial budget")  # ngân sách tỉnh
    COMMUNE = "commune", _("commune budget")  # ngân sách xã
    ODA = "oda", _("ODA and foreign loans")  # vốn ODA, vay ưu đãi
    OTHER = "other", _("other lawful sources")  # nguồn hợp pháp khác (xã hội hoá)
