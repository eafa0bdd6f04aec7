"""A Board officer's first login in real Chromium: password, enrolment with the QR code drawn on the
server under the strict CSP, the recovery codes, then work; the next login asks for a code."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD
from tests.two_factor import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def password_step(page, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_board_officer_enrols_on_first_login_and_types_a_code_the_next_time(world, live_server, browser, browser_context_args):
    base = live_server.url
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.add_init_script(WATCH_CSP)
    password_step(page, base, "board_p")
    page.wait_for_url(f"{base}/xac-thuc-hai-buoc/dang-ky/**")
    qr = page.locator("figure.qr svg")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 100  # drawn at full size: no style blocked by the CSP
    assert page.evaluate("window.__cspViolations") == []
    # Away from the enrolment, every page sends the officer back.
    page.goto(f"{base}/cum-khoi/")
    expect(page.get_by_role("heading", name="Bật xác thực hai bước")).to_be_visible()
    device = TOTPDevice.objects.get(user=world.board_p, confirmed=False)
    page.get_by_label("Mã xác thực").fill(totp_code(device))
    page.get_by_role("button", name="Xác nhận và bật").click()
    expect(page.get_by_role("heading", name="Mã khôi phục")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Đã lưu, tiếp tục").click()
    page.wait_for_url(f"{base}/cum-khoi/")
    context.close()

    again = browser.new_context(**browser_context_args).new_page()
    password_step(again, base, "board_p")
    again.wait_for_url(f"{base}/xac-thuc-hai-buoc/?**")
    again.get_by_label("Mã xác thực").fill("000000")
    again.get_by_role("button", name="Xác nhận").click()
    expect(again.get_by_role("alert")).to_contain_text("Mã không đúng")
    device.refresh_from_db()
    device.throttle_reset()
    again.get_by_label("Mã xác thực").fill(totp_code(device))
    again.get_by_role("button", name="Xác nhận").click()
    again.wait_for_url(f"{base}/")
    expect(again.locator("a.who")).to_be_visible()  # logged in, at work
    again.context.close()
