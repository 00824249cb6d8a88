"""One dossier through the back office in a real browser: intake, a supplement request and its completion,
processing by a department, approval, return of the result; the citizen sees each step."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CREATE = """
from congso.accounts.models import User
from congso.catalog.models import ProcedureVersion
from congso.dossiers.models import ReceivingOffice
from congso.dossiers.services import Applicant, dossier_submit
citizen = User.objects.get(email="congdan@congso.local")
dossier = dossier_submit(
    version=ProcedureVersion.objects.get(procedure__code="1.001193", number=1),
    office=ReceivingOffice.objects.get(unit__code="32002"),
    channel=2,
    applicant=Applicant(name="Nguyễn Thị Hoa", id_number="096190000123", phone="0912345678"),
    form_data={"child_name": "Nguyễn Văn An"},
    applicant_user=citizen,
    submitted_by=citizen,
)
print(dossier.code)
"""


def sign_in(page, server_url, email):
    page.context.clear_cookies()
    page.goto(server_url + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", "congso-demo-2026")
    page.click("main button[type=submit]")
    expect(
        page.locator("a", has_text="Đăng xuất").or_(page.locator("button", has_text="Đăng xuất"))
    ).to_be_visible()


def move(page, label, **fields):
    details = page.locator("details", has=page.locator("summary", has_text=label))
    details.locator("summary").click()
    for selector, value in fields.items():
        details.locator(selector).fill(value)
    details.locator("button[type=submit]").click()
    expect(page.locator(".message").first).to_contain_text("Đã thực hiện")


def finish_step(page, label, note):
    """Finish one step of the procedure's route (the table of processing steps)."""
    row = page.locator("tr", has=page.locator("td", has_text=label))
    row.locator("textarea").fill(note)
    row.locator("button", has_text="Hoàn thành bước này").click()
    expect(page.locator(".message").first).to_contain_text("Đã thực hiện")
    expect(page.locator("tr", has=page.locator("td", has_text=label))).to_contain_text("đúng hạn")


def test_one_dossier_through_the_back_office(browser, server_url, manage_shell, screenshot):
    code = manage_shell(CREATE).splitlines()[-1]
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()

    sign_in(page, server_url, "motcua.anxuyen@congso.local")  # one-stop officer
    page.goto(server_url + "/can-bo/ho-so/")
    page.click(f"text={code}")
    move(page, "Tiếp nhận hồ sơ")
    move(page, "Chuyển xử lý")

    sign_in(page, server_url, "chuyenmon.anxuyen@congso.local")  # department officer
    page.goto(server_url + f"/can-bo/ho-so/{code}/")
    move(
        page,
        "Yêu cầu bổ sung hồ sơ",
        **{"textarea[name=items]": "Bản sao Giấy chứng sinh", "textarea[name=text]": "Thiếu bản sao"},
    )
    move(page, "Ghi nhận hồ sơ đã bổ sung")
    finish_step(page, "Công chức tư pháp - hộ tịch kiểm tra, ghi sổ", "Đủ điều kiện")

    sign_in(page, server_url, "lanhdao.anxuyen@congso.local")  # the commune's leader signs
    page.goto(server_url + f"/can-bo/ho-so/{code}/")
    finish_step(page, "Chủ tịch UBND xã ký", "Đã ký")
    move(page, "Phê duyệt và ban hành kết quả")

    sign_in(page, server_url, "motcua.anxuyen@congso.local")
    page.goto(server_url + f"/can-bo/ho-so/{code}/")
    move(page, "Trả kết quả")
    expect(page.locator("dd", has_text="Đã trả kết quả")).to_be_visible()
    screenshot(page, "back-office")

    sign_in(page, server_url, "congdan@congso.local")  # the citizen
    page.goto(server_url + f"/ho-so/{code}/")
    history = page.locator("ol.history").inner_text().lower()
    for step in (
        "được tiếp nhận",
        "yêu cầu bổ sung giấy tờ",
        "đang xử lý",
        "hoàn thành bước xử lý",
        "chủ tịch ubnd xã ký",
        "đã xử lý xong",
        "đã trả kết quả",
    ):
        assert step in history, step
    context.close()
