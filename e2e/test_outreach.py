"""The community digital team's app in a real browser (issue 7's "done when"): the demo team member opens
/to-cong-nghe/, the app downloads the hamlet's households, the network goes away, a visit is recorded and
waits (pending 1), the network returns, the visit goes up by itself (pending 0) and the supervisor's coverage
figure for the hamlet moves."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HAMLET = "32248-01"
MEMBER = "tocns.datmui@congso.local"
LEADER = "lanhdao.tinh@congso.local"
# Officials (team members included) must pass two-factor authentication: each demo account gets a known
# authenticator secret here, and the test types the current code.
SECRETS = {MEMBER: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", LEADER: "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"}
SETUP = """
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from congso.accounts.models import User
for email, secret in {secrets!r}.items():
    user = User.objects.get(email=email)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
"""


def current_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def sign_in(page, server_url, email):
    page.goto(server_url + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", "congso-demo-2026")
    page.click("main button[type=submit]")
    page.wait_for_url("**/2fa/authenticate/**")
    page.fill("#id_code", current_code(SECRETS[email]))
    page.click("main button[type=submit]")
    expect(page.locator("button", has_text="Đăng xuất")).to_be_visible()


def digital_households(page, server_url) -> int:
    """The supervisor's page: households of the hamlet with at least one platform."""
    page.goto(server_url + "/to-cong-nghe/giam-sat/don-vi/32248/")
    return int(page.locator(f"#coverage-table tr[data-code='{HAMLET}'] td").nth(3).inner_text())


def test_a_visit_recorded_offline_is_synced_when_the_network_returns(
    browser, server_url, manage_shell, screenshot
):
    manage_shell(SETUP.format(secrets=SECRETS))
    leader_context = browser.new_context(locale="vi-VN")
    leader = leader_context.new_page()
    sign_in(leader, server_url, LEADER)
    before = digital_households(leader, server_url)

    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    sign_in(page, server_url, MEMBER)

    page.goto(server_url + "/to-cong-nghe/")
    expect(page.locator("#outreach-app")).to_be_visible()
    expect(page.locator("#outreach-nojs")).to_be_hidden()
    to_visit = page.locator("button.household-item.to-visit")
    expect(to_visit.first).to_be_visible()  # the households were downloaded
    expect(page.locator("#pending-count")).to_have_text("0")
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    household_id = to_visit.first.get_attribute("data-id")

    context.set_offline(True)
    expect(page.locator("#net-state")).to_contain_text("Không có mạng")
    to_visit.first.click()
    page.check("#visit-form input[name=platform][value=VNEID]")
    page.check("#visit-form input[name=platform][value=CASHLESS]")
    page.click("#visit-form button[type=submit]")
    expect(page.locator("#pending-count")).to_have_text("1")
    expect(page.locator(f"button.household-item[data-id='{household_id}']")).to_contain_text("Chờ gửi")
    screenshot(page, "outreach-offline")

    context.set_offline(False)
    expect(page.locator("#pending-count")).to_have_text("0", timeout=15000)
    expect(page.locator("#sync-message")).to_contain_text("Đã gửi hết")
    expect(page.locator(f"button.household-item[data-id='{household_id}']")).not_to_contain_text("Chờ gửi")
    screenshot(page, "outreach-synced")

    # A new household: registered once; the second time the app offers the one already there.
    for _attempt in range(2):
        page.click("#new-household")
        page.fill("#h-number", "999")
        page.fill("#h-name", "Nguyễn Văn Thử")
        page.click("#household-form button[type=submit]")
    expect(page.locator("#candidates")).to_contain_text("Nguyễn Văn Thử")
    page.click("text=← Về danh sách")
    expect(page.locator("#pending-count")).to_have_text("0", timeout=15000)
    expect(page.locator("button.household-item", has_text="Nguyễn Văn Thử")).to_have_count(1)

    # With no network at all the app still opens: the shell comes from the service worker's cache and the
    # households from the phone's storage.
    context.set_offline(True)
    page.reload()
    expect(page.locator("#outreach-app")).to_be_visible()
    expect(page.locator(f"button.household-item[data-id='{household_id}']")).to_be_visible()
    context.set_offline(False)

    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert digital_households(leader, server_url) == before + 1
    expect(leader.locator("#coverage-chart canvas")).to_be_visible()  # the chart drew from its JSON
    screenshot(leader, "outreach-supervisor")
    context.close()
    leader_context.close()
