"""A unit officer and a Board officer log in and each sees what their role allows."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_unit_officer_sees_their_group_but_not_another_units_page(world, live_server, page, log_in):
    log_in(page, "officer_a")
    page.goto(f"{live_server.url}/cum-khoi/?nam=2024")
    expect(page.get_by_role("link", name="Cụm thi đua số 1")).to_be_visible()
    expect(page.get_by_role("link", name="Cụm thi đua số 2")).to_have_count(0)

    page.get_by_role("link", name="Cụm thi đua số 1").click()
    expect(page.locator("#leader")).to_have_text("Huyện Ánh Dương")
    expect(page.locator("#deputies")).to_have_text("Huyện Bình Minh")

    response = page.goto(f"{live_server.url}/don-vi/P-B/")
    assert response.status == 404


def test_a_board_officer_sees_every_group_they_organise(world, live_server, page, log_in):
    log_in(page, "national_board")
    page.goto(f"{live_server.url}/cum-khoi/?nam=2024")
    expect(page.get_by_role("link", name="Cụm thi đua số 1")).to_be_visible()
    expect(page.get_by_role("link", name="Cụm thi đua số 2")).to_be_visible()
    response = page.goto(f"{live_server.url}/don-vi/P-B/")
    assert response.status == 200
    expect(page.get_by_role("heading", name="Huyện Bình Minh")).to_be_visible()


def test_the_language_switch_turns_the_page_to_english(world, live_server, page, log_in):
    log_in(page, "officer_a")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
