"""The operations centre in a real browser: the pillars against targets, an indicator's chart and commune map
(no tile server), drill-down to a commune and its hamlets; no CSP violation or failed request."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def sign_in(page, server_url, email):
    page.context.clear_cookies()
    page.goto(server_url + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", "congso-demo-2026")
    page.click("main button[type=submit]")
    expect(
        page.locator("a", has_text="Đăng xuất").or_(page.locator("button", has_text="Đăng xuất"))
    ).to_be_visible()


def test_leader_reads_the_operations_centre(browser, server_url, screenshot):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}"))
    sign_in(page, server_url, "lanhdao.tinh@congso.local")

    page.goto(server_url + "/ioc/")
    for pillar in ("Chính quyền số", "Kinh tế số", "Xã hội số"):
        expect(page.locator("h2", has_text=pillar)).to_be_visible()
    expect(page.locator(".rag").first).to_be_visible()  # the status in words, beside its colour
    screenshot(page, "ioc-overview")

    page.click("text=Tỷ lệ hộ gia đình sử dụng nền tảng số")
    expect(page.locator("h1")).to_contain_text("Tỷ lệ hộ gia đình sử dụng nền tảng số")
    expect(page.locator("[data-chart] canvas").first).to_be_visible()
    expect(page.locator("[data-map] path.leaflet-interactive")).to_have_count(64)
    expect(page.locator(".leaflet-tile")).to_have_count(0)  # closed networks: no tile server
    screenshot(page, "ioc-indicator-province")

    page.locator("table a", has_text="Đất Mũi").first.click()
    expect(page.locator("h1")).to_contain_text("Đất Mũi")
    expect(page.locator("table").last).to_contain_text("Ấp")
    page.locator("summary", has_text="Xem dạng bảng").click()
    expect(page.locator("details table")).to_be_visible()
    screenshot(page, "ioc-indicator-commune")

    page.goto(server_url + "/ioc/chi-so-766/")
    expect(page.locator(".notice")).to_contain_text("Ước tính của congso")
    page.goto(server_url + "/ioc/bao-cao/")
    expect(page.locator("h1")).to_contain_text("Tình hình báo cáo")
    assert problems == []
    context.close()


def test_citizen_is_refused(page, server_url):
    sign_in(page, server_url, "congdan@congso.local")
    response = page.goto(server_url + "/ioc/")
    assert response.status == 403
