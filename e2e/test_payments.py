"""Fees in a real browser on a phone, without JavaScript: the citizen sees the VietQR of a fee request (read
back from the screenshot and checked), the officer imports a bank statement carrying its reference, applies
it, and the citizen then downloads the e-receipt."""

import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from congso.payments.vietqr import parse_payload

pytestmark = pytest.mark.browser

CREATE = """
from congso.accounts.models import User
from congso.catalog.models import FeeItem, ProcedureVersion
from congso.dossiers import transitions
from congso.dossiers.models import ReceivingOffice
from congso.dossiers.services import Applicant, dossier_submit
from congso.payments import services
citizen = User.objects.get(email="congdan@congso.local")
officer = User.objects.get(email="motcua.anxuyen@congso.local")
version = ProcedureVersion.objects.get(procedure__code="1.001193", number=1)
FeeItem.objects.create(version=version, position=99, name="Lệ phí cấp bản sao trích lục", amount_vnd=8000)
dossier = dossier_submit(
    version=version, office=ReceivingOffice.objects.get(unit__code="32002"), channel=2,
    applicant=Applicant(name="Nguyễn Thị Hoa", id_number="096190000123", phone="0912345678"),
    form_data={"child_name": "Nguyễn Văn An"}, applicant_user=citizen, submitted_by=citizen,
)
transitions.dossier_accept(dossier=dossier, actor=officer)
transitions.dossier_start_processing(dossier=dossier, actor=officer)
fee = services.fee_request_issue(dossier=dossier, actor=officer, lines=services.fee_lines_proposed(dossier))
print(fee.reference, fee.amount_vnd)
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


def test_pay_by_vietqr_then_statement_import_issues_the_receipt(
    browser, server_url, manage_shell, screenshot
):
    reference, amount = manage_shell(CREATE).splitlines()[-1].split()
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844},
                                  java_script_enabled=False)  # fmt: skip
    page = context.new_page()

    sign_in(page, server_url, "congdan@congso.local")
    page.goto(f"{server_url}/thanh-toan/{reference}/")
    expect(page.locator("h1")).to_have_text("Nộp phí, lệ phí")
    expect(page.locator("main")).to_contain_text(reference)
    expect(page.locator("main")).to_contain_text("TAI KHOAN DEMO")
    qr = page.locator(".vietqr svg")
    expect(qr).to_be_visible()
    screenshot(page, "payments-qr-phone")
    image = Image.open(io.BytesIO(qr.screenshot()))
    [code] = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    payload = parse_payload(code.text)
    assert (payload.amount_vnd, payload.purpose) == (int(amount), reference)

    sign_in(page, server_url, "motcua.anxuyen@congso.local")
    page.goto(f"{server_url}/thanh-toan/can-bo/sao-ke/")
    statement = f"Ngày;Số tiền;Nội dung;Mã giao dịch\n26/11/2026;{amount};CK {reference.lower()} le phi;FT1\n"
    page.set_input_files("#id_file", files=[
        {"name": "sao-ke.csv", "mimeType": "text/csv", "buffer": statement.encode()}
    ])  # fmt: skip
    page.click("main form button[type=submit]")
    expect(page.locator("main")).to_contain_text("Khớp: 1")
    screenshot(page, "payments-statement-preview")
    page.click("text=Ghi nhận sao kê")
    expect(page.locator(".message").first).to_contain_text("Đã ghi nhận sao kê")

    sign_in(page, server_url, "congdan@congso.local")
    page.goto(f"{server_url}/thanh-toan/{reference}/")
    expect(page.locator("main")).to_contain_text("Đã nộp")
    link = page.locator("a", has_text="Tải biên lai điện tử")
    response = page.request.get(server_url + link.get_attribute("href"))
    assert response.status == 200 and response.body()[:4] == b"%PDF"
    screenshot(page, "payments-paid-phone")
    context.close()
