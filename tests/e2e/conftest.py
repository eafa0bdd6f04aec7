"""Browser journeys in real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright."""

from __future__ import annotations

import shutil

import pytest

from tests.factories import TEST_PASSWORD

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


@pytest.fixture
def log_in(live_server):
    """Log a browser page in through the real login form."""

    def _log_in(page, username: str, password: str = TEST_PASSWORD) -> None:
        page.goto(f"{live_server.url}/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{live_server.url}/")

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
            page.goto(f"{live_server.url}/dang-nhap/")
            page.get_by_label("Tên đăng nhập").fill(username)
            page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_url(f"{live_server.url}/")
            pages[username] = page
        return pages[username]

    yield _person
    for page in pages.values():
        page.context.close()
