"""The catalogue in a real browser: search as people type, the procedure page, the e-form, page weight."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# A citizen page on 3G: everything it loads, compressed, stays under this.
PAGE_BUDGET_BYTES = 60_000


def test_search_without_accents_finds_birth_registration(page, server_url, screenshot):
    page.goto(server_url + "/thu-tuc/")
    page.fill("#q", "dang ky khai sinh")
    expect(page).to_have_url(re.compile(r"q=dang"))  # htmx swapped the results in and updated the address
    expect(page.locator(".result-count")).to_have_text("13 thủ tục")
    first = page.locator(".procedure-list li a").first
    expect(first).to_have_text("Thủ tục đăng ký khai sinh")
    screenshot(page, "thu-tuc")
    first.click()
    expect(page.locator("h1")).to_have_text("Thủ tục đăng ký khai sinh")
    assert "Giấy chứng sinh" in page.content()
    page.click("text=Nộp hồ sơ trực tuyến")
    expect(page.locator("legend", has_text="Người yêu cầu")).to_be_visible()  # part 1 of the e-form
    expect(page.locator("label", has_text="Họ, chữ đệm, tên của trẻ")).to_be_attached()  # a later part
    screenshot(page, "nop-ho-so")
    assert page.problems == []


def test_search_works_without_javascript(browser, server_url):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.goto(server_url + "/")
    page.fill("#hero-q", "khai snh")
    page.click(".hero-search button")
    expect(page.locator(".procedure-list li a").first).to_have_text("Thủ tục đăng ký khai sinh")
    context.close()


def test_citizen_pages_are_light(browser, server_url):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    sizes = {}
    page.on("requestfinished", lambda req: sizes.__setitem__(req.url, req.sizes()["responseBodySize"]))
    for path in ("/", "/thu-tuc/?q=khai+sinh", "/thu-tuc/1.001193/"):
        sizes.clear()
        page.goto(server_url + path, wait_until="networkidle")
        total = sum(sizes.values())
        assert total < PAGE_BUDGET_BYTES, (path, total, sizes)
    context.close()
