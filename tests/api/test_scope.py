"""Scope: a token acts with exactly its user's scope — another unit, group or year is 404;
seeing but not being allowed to change is 403."""

from __future__ import annotations

import pytest

from tests.conftest import G1_2024_COVENANT
from tests.factories import RoleAssignmentFactory, UserFactory
from thidua.conference.models import AwardForm, AwardProposal
from thidua.covenants.fileformat import read_covenant
from thidua.covenants.services import covenant_import
from thidua.org.models import Role

VALUE = {"field": "actual", "value": "113", "previous": "112.88"}


@pytest.fixture
def g1_2025_covenant(g1_covenant):
    text = G1_2024_COVENANT.replace("year: 2024", "year: 2025")
    covenant_import(doc=read_covenant(text, filename="g1-2025.yaml"), filename="g1-2025.yaml")


def codes(response) -> list[tuple[str, int]]:
    return [(item["code"], item["year"]) for item in response.json()["items"]]


@pytest.mark.parametrize(("actor", "expected"), [
    ("national_board", [("G1", 2024), ("G1", 2025), ("G2", 2024)]),
    ("board_p", [("G1", 2024), ("G1", 2025)]),
    ("officer_a", [("G1", 2024), ("G1", 2025)]),
    ("officer_c", [("G2", 2024)]),
    ("reader_g1", [("G1", 2024), ("G1", 2025)]),
    ("outsider", []),
])
def test_the_group_list_holds_exactly_the_group_years_in_scope(world, api_as, actor, expected):
    response = api_as(getattr(world, actor)).get("/groups")
    assert response.status_code == 200
    assert codes(response) == expected
    assert response.json()["count"] == len(expected)


def test_the_group_list_filters_by_year_and_pages(world, api_as):
    api = api_as(world.national_board)
    assert codes(api.get("/groups", year=2025)) == [("G1", 2025)]
    page = api.get("/groups", limit=1, offset=1).json()
    assert page["count"] == 3 and page["limit"] == 1 and page["offset"] == 1 and len(page["items"]) == 1
    assert api.get("/groups", limit=0).status_code == 422
    assert api.get("/groups", year="hai nghìn").status_code == 422


def test_a_group_year_shows_members_leader_and_deputies(world, api_as):
    body = api_as(world.officer_a).get("/groups/G1/2024").json()
    assert [(m["code"], m["position"]) for m in body["members"]] == [("P-A", "leader"), ("P-B", "deputy")]
    assert body["leader"]["code"] == "P-A" and [d["code"] for d in body["deputies"]] == ["P-B"]
    assert body["organiser_unit"] == "P" and body["has_covenant"] is False


@pytest.mark.parametrize("path", ["/groups/G2/2024", "/groups/G2/2024/covenant", "/groups/G2/2024/scores",
                                  "/groups/G2/2024/ballots", "/groups/G2/2024/units/Q-C/results",
                                  "/groups/G9/2024"])
def test_another_group_is_404_with_a_vietnamese_message(world, api_as, path):
    response = api_as(world.officer_a).get(path)
    assert response.status_code == 404
    assert "Không tìm thấy" in response.json()["detail"]


RESULTS = "/groups/G1/{year}/units/{unit}/results"


@pytest.mark.parametrize(("actor", "unit", "status"), [
    ("officer_a", "P-A", 200),
    ("head_a", "P-A", 200),
    ("officer_a", "P-B", 404),  # another unit of the same group
    ("officer_b", "P-A", 404),
    ("officer_c", "P-A", 404),  # another group altogether
    ("officer_a", "Q-C", 404),  # not a member of G1
    ("leader_g1_2024", "P-B", 200),
    ("council_g1", "P-B", 200),
    ("board_p", "P-B", 200),
    ("reader_g1", "P-A", 404),  # readers never see a unit's figures before publication
    ("outsider", "P-A", 404),
])
def test_a_unit_s_results_are_private_to_those_who_may_see_its_report(world, g1_covenant, api_as, actor, unit,
                                                                       status):
    assert api_as(getattr(world, actor)).get(RESULTS.format(year=2024, unit=unit)).status_code == status


@pytest.mark.parametrize(("actor", "unit", "status"), [
    ("officer_a", "P-A", 200),
    ("officer_a", "P-B", 404),  # another unit: not even its figures are visible
    ("officer_b", "P-A", 404),
    ("officer_c", "P-A", 404),  # another group
    ("reader_g1", "P-A", 403),  # read-only
    ("board_p", "P-A", 403),
    ("council_g1", "P-A", 403),
    ("leader_g1_2024", "P-B", 403),
    ("outsider", "P-A", 404),
])
def test_only_the_unit_s_officers_write_its_results(world, g1_covenant, api_as, actor, unit, status):
    body = dict(VALUE, previous="112.88" if unit == "P-A" else "140")
    response = api_as(getattr(world, actor)).put(RESULTS.format(year=2024, unit=unit) + "/I.1", body)
    assert response.status_code == status, response.content
    if status in (403, 404):
        assert response.json()["detail"]


def test_another_group_s_results_cannot_be_written(world, g1_covenant, api_as):
    response = api_as(world.officer_c).put(RESULTS.format(year=2024, unit="P-A") + "/I.1", VALUE)
    assert response.status_code == 404
    response = api_as(world.officer_a).put("/groups/G2/2024/units/Q-C/results/I.1", VALUE)
    assert response.status_code == 404


def test_a_token_bound_to_one_year_sees_nothing_of_another_year(world, g1_2025_covenant, api_as):
    officer_2024 = UserFactory(username="officer_a_2024")
    RoleAssignmentFactory(user=officer_2024, role=Role.UNIT_OFFICER, unit=world.a, year=2024)
    api, all_years = api_as(officer_2024), api_as(world.officer_a)
    assert all_years.get(RESULTS.format(year=2025, unit="P-A")).status_code == 200
    assert api.get(RESULTS.format(year=2024, unit="P-A")).status_code == 200
    assert api.get(RESULTS.format(year=2025, unit="P-A")).status_code == 404
    assert api.get("/groups/G1/2025/scores").status_code == 404
    assert api.put(RESULTS.format(year=2025, unit="P-A") + "/I.1", VALUE).status_code == 404
    assert codes(api.get("/groups")) == [("G1", 2024)]


@pytest.mark.parametrize(("actor", "status"), [
    ("leader_g1_2024", 200), ("board_p", 200), ("national_board", 200),
    ("officer_a", 403), ("reader_g1", 403), ("council_g1", 403), ("officer_c", 404), ("outsider", 404),
])
def test_award_proposals_are_for_the_conference_s_organisers(world, api_as, actor, status):
    AwardProposal.objects.create(group_year=world.g1_2024, unit=world.a, form=AwardForm.FLAG_PROVINCE, rank=1,
                                 total="141.44", basis="Xếp thứ nhất")
    response = api_as(getattr(world, actor)).get("/groups/G1/2024/proposals")
    assert response.status_code == status
    if status == 200:
        item = response.json()["items"][0]
        assert item["unit"]["code"] == "P-A" and item["total"] == "141.44" and item["form"] == "co_tinh"
    else:
        assert response.json()["detail"]
