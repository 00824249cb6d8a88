"""Smoke test in a real browser: the home page and the commune list, in Vietnamese, with no CSP violation."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_home_page(page, server_url, screenshot):
    response = page.goto(server_url + "/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").inner_text() == "Dịch vụ công của Tỉnh Cà Mau"
    assert "Cổng cung cấp những gì" in page.content()
    # The skip link is the first stop of the keyboard and leads to the main content.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Bỏ qua, đến nội dung chính"
    assert screenshot(page, "home").stat().st_size > 10_000
    assert page.problems == []


def test_commune_list_and_search(page, server_url, screenshot):
    page.goto(server_url + "/don-vi/")
    assert page.locator("h1").inner_text() == "Xã, phường của Tỉnh Cà Mau"
    assert page.locator("table.data-table tbody tr").count() == 64
    screenshot(page, "don-vi")
    # Typing without accents filters the list through htmx, without reloading the page.
    page.fill("#unit-q", "dat mui")
    expect(page.locator("table.data-table tbody tr")).to_have_count(1)
    assert page.locator("table.data-table tbody tr").inner_text().startswith("32248")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["dat mui"]  # the address can be shared
    page.click("text=Xã Đất Mũi")
    assert page.locator("h1").inner_text() == "Xã Đất Mũi"
    assert page.problems == []


def test_language_switch(page, server_url):
    page.goto(server_url + "/")
    page.select_option("#lang-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.locator("h1").inner_text() == "Public services of Tỉnh Cà Mau"
    assert page.problems == []
