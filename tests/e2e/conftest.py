"""Browser journeys in real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright."""

from __future__ import annotations

import shutil

import pytest

from tests.factories import TEST_PASSWORD
from tests.two_factor import totp_code, totp_device_for

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # The network is closed here: without these flags Chromium keeps dialling Google's hosts.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


def sign_in(page, base_url: str, username: str, password: str) -> None:
    """The real login form, then, for users who need the second factor (Board officers, council
    members), the code step with the code their authenticator would show (tests/two_factor.py)."""
    from thidua.org.models import User
    from thidua.org.two_factor import needs_verification

    user = User.objects.filter(username=username).first()
    device = totp_device_for(user) if user is not None and needs_verification(user) else None
    page.goto(f"{base_url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    if device is not None:
        page.wait_for_url(f"{base_url}/xac-thuc-hai-buoc/**")
        page.get_by_label("Mã xác thực").fill(totp_code(device))
        page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(f"{base_url}/")


@pytest.fixture
def log_in(live_server):
    """Log a browser page in through the real login form."""

    def _log_in(page, username: str, password: str = TEST_PASSWORD) -> None:
        sign_in(page, live_server.url, username, password)

    return _log_in


@pytest.fixture
def person(browser, browser_context_args, live_server):
    """A logged-in page per actor, each in its own browser context (own cookies): several people
    working at once, as at a conference."""
    pages = {}

    def _person(username: str):
        if username not in pages:
            context = browser.new_context(**browser_context_args)
            page = context.new_page()
            sign_in(page, live_server.url, username, TEST_PASSWORD)
            pages[username] = page
        return pages[username]

    yield _person
    for page in pages.values():
        page.context.close()
