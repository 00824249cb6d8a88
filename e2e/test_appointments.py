"""A citizen books a counter slot on a phone, gets a ticket whose QR scans to the check-in code, cancels it
through the link (signed out) and the place is free again."""

import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PLACE = "Quầy tiếp nhận — Trung tâm Phục vụ hành chính công phường An Xuyên"


def test_book_then_cancel_through_the_link(page, server_url, screenshot):
    page.goto(server_url + "/accounts/login/")
    page.fill("#id_login", "congdan@congso.local")
    page.fill("#id_password", "congso-demo-2026")
    page.click("main button[type=submit]")
    expect(page.locator("a", has_text="Hồ sơ của tôi")).to_be_visible()

    page.goto(server_url + "/dat-lich/")
    page.fill("#q", "an xuyen")  # without accents
    page.click("main button[type=submit]")
    page.click(f"text={PLACE}")
    expect(page.locator("h1")).to_have_text(PLACE)
    slot = page.locator("a.slot").first
    href = slot.get_attribute("href")
    expect(slot).to_contain_text("3 chỗ")
    screenshot(page, "dat-lich-khung-gio")
    slot.click()

    expect(page.locator("h1")).to_have_text("Đặt lịch hẹn")
    page.fill("#id_phone", "0912345678")
    page.fill("#id_purpose", "Nộp hồ sơ đăng ký khai sinh")
    page.click("main button[type=submit]")

    expect(page.locator("h1")).to_have_text("Bạn đã đặt lịch thành công")
    code = page.locator(".check-in-code").inner_text()
    image = Image.open(io.BytesIO(page.locator(".ticket-qr svg").screenshot()))
    assert [found.text for found in zxingcpp.read_barcodes(image)] == [code]
    screenshot(page, "dat-lich-xac-nhan")
    page.goto(server_url + href.split("/dat/")[0] + "/")
    expect(page.locator(f'a.slot[href="{href}"]')).to_contain_text("2 chỗ")

    # The cancel link, as in the message, works signed out.
    page.goto(server_url + "/dat-lich/cua-toi/")
    page.locator("tr", has_text=code).locator("a").click()
    cancel = page.locator("a.cancel-link").get_attribute("href")
    page.context.clear_cookies()
    page.goto(server_url + cancel)
    expect(page.locator("h1")).to_have_text("Huỷ lịch hẹn")
    page.click("text=Đồng ý huỷ")
    expect(page.locator(".booking-status")).to_have_text("Đã huỷ")

    page.goto(server_url + href.split("/dat/")[0] + "/")
    expect(page.locator(f'a.slot[href="{href}"]')).to_contain_text("3 chỗ")
    assert page.problems == []
