from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberRole(models.TextChoices):
    LEADER = "leader", _("team leader")  # tổ trưởng
    DEPUTY = "deputy", _("deputy team leader")  # tổ phó
    MEMBER = "member", _("member")  # thành viên


class PlatformLevel(models.TextChoices):
    HOUSEHOLD = "household", _("household")
    PERSON = "person", _("person")


class VisitOutcome(models.TextChoices):
    MET = "met", _("met the household")  # gặp được hộ
    ABSENT = "absent", _("nobody at home")  # vắng nhà
    REFUSED = "refused", _("refused")  # từ chối
    MOVED = "moved", _("moved away")  # đã chuyển đi


class AdoptionStatus(models.TextChoices):
    ADOPTED = "adopted", _("adopted with the team's help")  # đã cài đặt, sử dụng
    ALREADY = "already", _("already used")  # đã sử dụng từ trước
    DECLINED = "declined", _("declined")  # không đồng ý
    NOT_ELIGIBLE = "not_eligible", _("not eligible")  # không thuộc đối tượng
    FOLLOW_UP = "follow_up", _("follow-up needed")  # cần hỗ trợ thêm


# The statuses meaning "the household uses the platform now".
USING = [AdoptionStatus.ADOPTED, AdoptionStatus.ALREADY]


class EvidenceSource(models.TextChoices):
    SELF_REPORTED = "self_reported", _("self-reported")  # tự khai
    VERIFIED = "verified", _("verified")  # đã xác minh (e.g. VNeID level 2 by the commune police)


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("to resolve")
    APPLIED = "applied", _("applied")
    DISCARDED = "discarded", _("discarded")


# The platform catalogue loaded by the migration and the demo: (code, name, level, has shop details, order).
PLATFORMS = [
    ("VNEID", "Định danh điện tử VNeID", PlatformLevel.PERSON, False, 1),
    ("DVC", "Tài khoản dịch vụ công", PlatformLevel.PERSON, False, 2),
    ("CASHLESS", "Thanh toán không dùng tiền mặt", PlatformLevel.PERSON, False, 3),
    ("EHEALTH", "Y tế số (đặt khám, sổ sức khỏe)", PlatformLevel.PERSON, False, 4),
    ("CITIZENAPP", "Ứng dụng công dân số Cà Mau", PlatformLevel.PERSON, False, 5),
    ("ECOMMERCE", "Bán hàng trên sàn thương mại điện tử", PlatformLevel.HOUSEHOLD, True, 6),
    ("SMARTPHONE", "Điện thoại thông minh", PlatformLevel.HOUSEHOLD, False, 7),
    ("INTERNET", "Internet tại nhà", PlatformLevel.HOUSEHOLD, False, 8),
]

# Roles that supervise the teams of the units they are bound to (and below).
SUPERVISOR_ROLES = ["unit_leader", "one_stop_officer", "department_officer", "administrator"]
MEMBER_ROLES = ["team_member"]

# Metric codes of the roll-up (read by the operations centre).
HH_REGISTERED = "OUTREACH_HH_REGISTERED"
HH_OFFICIAL = "OUTREACH_HH_OFFICIAL"
HH_VISITED = "OUTREACH_HH_VISITED"
HH_DIGITAL = "OUTREACH_HH_DIGITAL"
VISITS = "OUTREACH_VISITS"
ADOPT_PREFIX = "OUTREACH_ADOPT_"
