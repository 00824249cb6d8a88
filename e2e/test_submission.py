"""A citizen goes from the catalogue to a receipt whose barcode and QR decode, in a real browser."""

import re
import unicodedata

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def png_file(tmp_path):
    path = tmp_path / "giay-chung-sinh.png"
    Image.new("RGB", (300, 200), (240, 240, 240)).save(path)
    return path


def test_from_the_catalogue_to_a_receipt_that_scans(page, server_url, tmp_path, screenshot):
    page.goto(server_url + "/accounts/login/")
    page.fill("#id_login", "congdan@congso.local")
    page.fill("#id_password", "congso-demo-2026")
    page.click("main button[type=submit]")
    expect(page.locator("a", has_text="Hồ sơ của tôi")).to_be_visible()

    page.goto(server_url + "/thu-tuc/1.001193/")
    page.click("text=Nộp hồ sơ trực tuyến")
    page.select_option("#id_office", label="Trung tâm Phục vụ hành chính công xã Đất Mũi")
    page.fill("#id_applicant_id", "096190000123")
    page.fill("#id_applicant_phone", "0912345678")
    page.select_option("#id_applicant_address_0", "32248")
    page.select_option("#id_applicant_address_1", "32248-01")
    page.fill("#id_applicant_address_2", "Số 5, kênh Xẻo Mắm")
    page.select_option("#id_relationship", "me")
    # On a phone the e-form shows one part at a time.
    expect(page.locator(".step-progress")).to_have_text("Phần 1/4")
    expect(page.locator("#id_child_name")).to_be_hidden()
    expect(page.locator("button", has_text="Tiếp tục")).to_be_hidden()
    page.click("text=Phần tiếp theo")
    expect(page.locator(".step-progress")).to_have_text("Phần 2/4")
    page.fill("#id_child_name", "Nguyễn Văn An")
    page.fill("#id_child_birth_date", "2026-11-20")
    page.select_option("#id_child_sex", "nam")
    page.fill("#id_child_ethnicity", "Kinh")
    page.fill("#id_child_birth_place", "Trạm Y tế xã Đất Mũi")
    page.click("text=Phần tiếp theo")
    page.fill("#id_mother_name", "Nguyễn Thị Hoa")
    page.click("text=Phần tiếp theo")
    expect(page.locator(".step-progress")).to_have_text("Phần 4/4")
    page.set_input_files("#id_birth_certificate", str(png_file(tmp_path)))
    page.click("text=Tiếp tục")

    expect(page.locator("h1")).to_have_text("Kiểm tra thông tin")
    assert "Nguyễn Văn An" in page.content()
    assert "20/11/2026" in page.content()
    screenshot(page, "kiem-tra")
    page.click("text=Nộp hồ sơ")

    expect(page.locator("h1")).to_have_text("Hồ sơ của bạn đã được nộp")
    code = page.locator("strong.code").first.inner_text()
    key = page.locator("strong.code").nth(1).inner_text()
    assert re.fullmatch(r"000\.00\.\d{2}\.H12-\d{6}-\d{4}", code)
    screenshot(page, "da-nop")
    receipt = page.request.get(
        server_url + page.locator("text=Tải giấy tiếp nhận (PDF)").get_attribute("href")
    )
    assert receipt.headers["content-type"] == "application/pdf"

    document = pdfium.PdfDocument(receipt.body())
    text = unicodedata.normalize("NFC", document[0].get_textpage().get_text_range())
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Thủ tục đăng ký khai sinh" in text
    image = document[0].render(scale=4).to_pil()
    found = {b.format.name: b.text for b in zxingcpp.read_barcodes(image)}
    assert found["Code128"] == code
    assert found["QRCode"].endswith(f"/tra-cuu/?ma={code}&khoa={key}")
    assert page.problems == []

    # The QR leads to the public lookup, which shows the status and nothing personal.
    page.goto(server_url + f"/tra-cuu/?ma={code}&khoa={key}")
    expect(page.locator(".lookup-result")).to_contain_text("Mới đăng ký, chờ tiếp nhận")
    assert "Nguyễn Thị Hoa" not in page.locator("main").inner_text()
    document.close()
