"""The ranking page and a unit's score sheet: the engine's numbers, Vietnamese formats, scope."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


def test_the_ranking_shows_totals_and_content_subtotals_in_vietnamese_format(client, world, g1_covenant):
    login(client, world.officer_a)
    page = client.get(reverse("ranking", args=("G1", 2024))).content.decode()
    first, second = page.index('data-unit="P-A"'), page.index('data-unit="P-B"')
    assert first < second
    assert "141,44" in page and "79,04" in page and "96,44" in page


def test_every_score_cell_opens_its_explanation(client, world, g1_covenant):
    login(client, world.officer_a)
    page = client.get(reverse("score_sheet", args=("G1", 2024, "P-A"))).content.decode()
    assert "Đạt 112,88% kế hoạch → 60 + min(10; 12,88 × 0,5) = 66,44 điểm" in page
    assert page.count("<details") == 3


def test_missing_data_is_flagged_on_the_score_sheet(client, world, g1_covenant):
    login(client, world.officer_b)
    page = client.get(reverse("score_sheet", args=("G1", 2024, "P-B"))).content.decode()
    assert "Thiếu số liệu" in page and "flag-missing" in page


@pytest.mark.parametrize(
    ("actor", "unit", "status"),
    [
        ("officer_a", "P-A", 200),
        ("officer_a", "P-B", 404),  # another unit's sheet
        ("leader_g1_2024", "P-B", 200),
        ("board_p", "P-B", 200),
        ("officer_c", "P-A", 404),  # another group altogether
        ("reader_g1", "P-A", 404),  # a reader sees the ranking, not a unit's figures (as the API)
        ("council_g1", "P-B", 200),
        ("outsider", "P-A", 404),
    ],
)
def test_score_sheets_follow_the_access_policy(client, world, g1_covenant, actor, unit, status):
    login(client, getattr(world, actor))
    assert client.get(reverse("score_sheet", args=("G1", 2024, unit))).status_code == status


@pytest.mark.parametrize(("actor", "linked"), [
    ("officer_a", {"P-A"}), ("leader_g1_2024", {"P-A", "P-B"}), ("council_g1", {"P-A", "P-B"}), ("reader_g1", set()),
])
def test_the_ranking_links_only_the_score_sheets_the_viewer_may_open(client, world, g1_covenant, actor, linked):
    login(client, getattr(world, actor))
    page = client.get(reverse("ranking", args=("G1", 2024))).content.decode()
    for unit in ("P-A", "P-B"):
        assert (reverse("score_sheet", args=("G1", 2024, unit)) in page) == (unit in linked), unit


@pytest.mark.parametrize(("actor", "status"), [("officer_a", 200), ("officer_c", 404), ("outsider", 404)])
def test_the_ranking_follows_the_access_policy(client, world, g1_covenant, actor, status):
    login(client, getattr(world, actor))
    assert client.get(reverse("ranking", args=("G1", 2024))).status_code == status


def test_a_group_year_without_a_covenant_has_no_ranking(client, world):
    login(client, world.officer_a)
    assert client.get(reverse("ranking", args=("G1", 2024))).status_code == 404
