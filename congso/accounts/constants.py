from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    ONE_STOP_OFFICER = "one_stop_officer", _("one-stop officer")  # cán bộ một cửa
    DEPARTMENT_OFFICER = "department_officer", _("department officer")  # cán bộ chuyên môn
    UNIT_LEADER = "unit_leader", _("unit leader")  # lãnh đạo đơn vị
    TEAM_MEMBER = "team_member", _("community digital team member")  # thành viên tổ công nghệ số cộng đồng
    ADMINISTRATOR = "administrator", _("administrator")  # quản trị hệ thống


# The roles that work on dossiers at an office (receive, process, approve): not team members or admins.
OFFICE_ROLES = (StaffRole.ONE_STOP_OFFICER, StaffRole.DEPARTMENT_OFFICER, StaffRole.UNIT_LEADER)


class IdentityLevel(models.IntegerChoices):
    # Electronic identification (VNeID) assurance: level 2 is verified in person with the chip ID card.
    NONE = 0, _("not identified")
    VNEID_LEVEL_1 = 1, _("VNeID level 1")
    VNEID_LEVEL_2 = 2, _("VNeID level 2")
