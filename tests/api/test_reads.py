"""Reads: the covenant as stored, the scores exactly as `thidua score --json`, ballots that hide
their counts until they close."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from tests.factories import RoleAssignmentFactory, UserFactory
from thidua.conference import ballots as ballot_services
from thidua.conference.models import BallotKind
from thidua.org.models import Role


def test_the_scores_are_exactly_the_score_command_s_json(world, g1_covenant, api_as):
    out = io.StringIO()
    call_command("score", "G1", "2024", "--json", stdout=out)
    expected = json.loads(out.getvalue())
    response = api_as(world.reader_g1).get("/groups/G1/2024/scores")
    assert response.status_code == 200
    # Same values and the same JSON types (1000 stays an int, 912.0 a float), in the same order:
    # the very same text.
    assert response.content.decode() == out.getvalue().strip()
    assert json.dumps(response.json()) == json.dumps(expected)
    assert [line["unit"] for line in expected["ranking"]] == ["P-A", "P-B"]


def test_no_covenant_no_scores(world, api_as):
    response = api_as(world.officer_a).get("/groups/G1/2025/scores")
    assert response.status_code == 404 and "giao ước" in response.json()["detail"]


def test_the_covenant_lists_contents_criteria_and_parameters_but_no_unit_s_figures(world, g1_covenant, api_as):
    response = api_as(world.reader_g1).get("/groups/G1/2024/covenant")
    assert response.status_code == 200
    body = response.json()
    assert body["scale"] == "1000" and body["status"] == "draft"
    assert [c["code"] for c in body["contents"]] == ["I", "II"]
    first = body["contents"][0]["criteria"][0]
    assert first["code"] == "I.1" and first["max_points"] == "60" and first["method"] == "plan_ratio"
    assert first["params"] == {"penalty_per_pct": "1", "bonus_per_pct": "0.5", "bonus_cap": "10"}
    assert "112.88" not in response.content.decode() and "results" not in body


def test_ballots_hide_their_counts_until_they_close(world, api_as):
    head_b = UserFactory(username="head_b")
    RoleAssignmentFactory(user=head_b, role=Role.UNIT_HEAD, unit=world.b)
    leader = world.leader_g1_2024
    ballot = ballot_services.ballot_create(group_year=world.g1_2024, kind=BallotKind.ACCLAIM, actor=leader)
    ballot = ballot_services.ballot_open(ballot=ballot, actor=leader)
    first = ballot.options.get(unit=world.a).pk
    for head, unit in ((world.head_a, world.a), (head_b, world.b)):
        ballot_services.ballot_cast(ballot=ballot, cast_by=head, voter_unit=unit, choices=[first])
    api = api_as(world.officer_b)

    while_open = api.get("/groups/G1/2024/ballots")
    assert while_open.status_code == 200
    item = while_open.json()["items"][0]
    assert item["status"] == "open" and item["result"] is None
    assert item["result_note"] == ballot_services.HIDDEN
    assert "votes" not in while_open.content.decode() and "cast" not in json.dumps(item)
    assert {o["unit"] for o in item["options"]} == {"P-A", "P-B"}

    ballot_services.ballot_close(ballot=ballot, actor=leader)
    closed = api.get("/groups/G1/2024/ballots").json()["items"][0]
    assert closed["status"] == "closed" and closed["result_note"] == ""
    result = closed["result"]
    assert (result["electorate"], result["cast"], result["valid"]) == (2, 2, 2)
    assert result["lines"][0] == {"option": first, "label": world.a.name, "unit": "P-A", "votes": 2, "passed": True,
                                  "won": True, "tied": False}
    assert result["lines"][1]["votes"] == 0
    assert result["winners"] == [first] and "Ánh Dương" in result["outcome_statement"]


def test_ballots_of_another_group_are_404(world, api_as):
    assert api_as(world.officer_c).get("/groups/G1/2024/ballots").status_code == 404


def test_the_openapi_document_is_public_vietnamese_and_at_api_openapi_json(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    assert schema["info"]["title"] == "API Thi đua – Khen thưởng" and "Bearer" in schema["info"]["description"]
    assert set(schema["paths"]) == {
        "/api/groups", "/api/groups/{code}/{year}", "/api/groups/{code}/{year}/covenant",
        "/api/groups/{code}/{year}/scores", "/api/groups/{code}/{year}/units/{unit}/results",
        "/api/groups/{code}/{year}/units/{unit}/results/{criterion}", "/api/groups/{code}/{year}/ballots",
        "/api/groups/{code}/{year}/proposals",
        "/api/people", "/api/people/{id}", "/api/people/{id}/eligibility",
        "/api/collectives", "/api/collectives/{id}", "/api/collectives/{id}/eligibility",
        "/api/dossiers", "/api/dossiers/{pk}", "/api/dossiers/{pk}/status",
    }
    assert schema["components"]["securitySchemes"] == {"ApiTokenAuth": {"type": "http", "scheme": "bearer"}}


@pytest.mark.parametrize("path", ["/api/", "/api/khong-co", "/api/groups/"])
def test_unknown_api_addresses_answer_json_404(client, db, path):
    response = client.get(path)
    assert response.status_code == 404 and "openapi.json" in response.json()["detail"]
