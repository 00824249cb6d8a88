"""Demo data for programme, loaded by `manage.py demo_load`. Safe to run again.

A made-up digital-transformation plan of Cà Mau for the current year (its decision number says DEMO), a
handful of tasks in the shape of the province's real plans, a few progress reports, and two investment
projects with their yearly money. Every row is marked demo.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congso.geo.models import AdministrativeUnit
from congso.programme.constants import FundingSource, Pillar, TaskStatus
from congso.programme.models import Plan, Project, ProjectYear, Task, TaskUpdate

DEPARTMENT_STI = "Sở Khoa học và Công nghệ"
DEPARTMENT_HOME = "Văn phòng UBND tỉnh"
POLICE = "Công an tỉnh"

# (code, name, pillar, lead: a department's name or a commune code, due (month, day), percent now)
TASKS = [
    ("CĐS-01", "Nâng cấp Trung tâm giám sát, điều hành thông minh (IOC), kết nối dữ liệu 132 lĩnh vực",
     Pillar.FOUNDATIONS, DEPARTMENT_STI, (6, 30), 100),
    ("CĐS-02", "Cung cấp 100% thủ tục hành chính đủ điều kiện dưới dạng dịch vụ công trực tuyến toàn trình",
     Pillar.GOVERNMENT, DEPARTMENT_HOME, (9, 30), 100),
    ("CĐS-03", "Số hoá hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực tại cấp xã",
     Pillar.GOVERNMENT, "32002", (10, 31), 80),
    ("CĐS-04", "Kích hoạt tài khoản định danh điện tử VNeID mức 2 cho người dân từ 14 tuổi trở lên",
     Pillar.SOCIETY, POLICE, (8, 31), 100),
    ("CĐS-05", "Tổ công nghệ số cộng đồng hướng dẫn hộ gia đình sử dụng thanh toán không dùng tiền mặt",
     Pillar.SOCIETY, "32248", (11, 15), 60),
    ("CĐS-06", "Đưa sản phẩm OCOP và đặc sản Cà Mau lên sàn thương mại điện tử",
     Pillar.ECONOMY, "Sở Công Thương", (12, 15), 45),
    ("CĐS-07", "Triển khai hệ thống bảo đảm an toàn thông tin theo cấp độ cho các hệ thống dùng chung",
     Pillar.FOUNDATIONS, DEPARTMENT_STI, (5, 31), 70),
    ("CĐS-08", "Đào tạo kỹ năng số cho cán bộ, công chức cấp xã sau sắp xếp đơn vị hành chính",
     Pillar.GOVERNMENT, "Sở Nội vụ", (12, 31), 30),
]  # fmt: skip

PROJECTS = [
    ("DA-CDS-01", "Trung tâm dữ liệu tỉnh Cà Mau và nền tảng tích hợp, chia sẻ dữ liệu (LGSP)",
     DEPARTMENT_STI, FundingSource.PROVINCIAL, 120_000_000_000, 0, 2,
     [(0, 40_000_000_000, 35_000_000_000, 0.72)]),
    ("DA-CDS-02", "Hạ tầng mạng và thiết bị cho bộ phận một cửa cấp xã sau sắp xếp",
     DEPARTMENT_HOME, FundingSource.CENTRAL, 48_500_000_000, -1, 1,
     [(-1, 20_000_000_000, 20_000_000_000, 0.95), (0, 18_000_000_000, 12_000_000_000, 0.40)]),
]  # fmt: skip


@transaction.atomic
def load_demo() -> str:
    """The demo plan of this year, its tasks and projects; nothing twice."""
    year = timezone.localdate().year
    province = AdministrativeUnit.objects.get(code=settings.CONGSO_PROVINCE_CODE)
    plan, created = Plan.objects.get_or_create(
        year=year,
        is_demo=True,
        unit=province,
        defaults={
            "name": f"Kế hoạch chuyển đổi số tỉnh Cà Mau năm {year} (dữ liệu mẫu)",
            "decision_number": f"DEMO-01/KH-UBND-{year}",
            "decision_date": datetime.date(year, 1, 15),
        },
    )
    if not created:
        return "demo plan already there"
    communes = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=[t[3] for t in TASKS])}
    today = timezone.localdate()
    for code, name, pillar, lead, (month, day), percent in TASKS:
        due = datetime.date(year, month, day)
        task = Task.objects.create(
            plan=plan,
            code=code,
            name=name,
            pillar=pillar,
            lead_unit=communes.get(lead),
            lead_agency_name="" if lead in communes else lead,
            due_date=due,
        )
        if percent:
            status = TaskStatus.DONE if percent == 100 else TaskStatus.IN_PROGRESS
            on = min(today, due if percent == 100 else today)
            TaskUpdate.objects.create(
                task=task, date=on, percent=percent, status=status, note="Báo cáo tiến độ (dữ liệu mẫu)."
            )
            task.status, task.percent_done, task.last_update_on = status, percent, on
            task.save(update_fields=["status", "percent_done", "last_update_on"])
    for code, name, owner, source, total, start, span, years in PROJECTS:
        project, _ = Project.objects.get_or_create(
            code=code,
            defaults={
                "plan": plan,
                "name": name,
                "owner_unit": province,
                "owner_name": owner,
                "funding_source": source,
                "approved_total": total,
                "decision_number": "DEMO (dữ liệu mẫu)",
                "start_year": year + start,
                "end_year": year + start + span,
                "is_demo": True,
            },
        )
        for offset, allocated, committed, share in years:
            ProjectYear.objects.get_or_create(
                project=project,
                year=year + offset,
                defaults={
                    "allocated": allocated,
                    "committed": committed,
                    "disbursed": int(allocated * share),
                },
            )
    return f"demo plan {year}: {len(TASKS)} tasks, {len(PROJECTS)} projects"
