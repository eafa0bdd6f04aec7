"""People, collectives, eligibility and dossiers through the API: the history as recorded, the
engine's answer with its reasons, and scope — a unit officer never reads another unit's people."""

from __future__ import annotations

import pytest

from tests.awards.histories import WORKED
from tests.factories import RoleAssignmentFactory
from thidua.awards import dossiers as dossier_services
from thidua.awards.historyfile import history_read
from thidua.awards.models import Person
from thidua.awards.services import history_import
from thidua.org.models import Role

OTHER_PROVINCE = """\
format: thidua-history/1
people:
  - {id: NV900, name: Cao Thị Quế, unit: Q-C, ratings: {2025: HTT}}
"""


@pytest.fixture
def histories(world, settings, tmp_path):
    """The worked history file (people of P-A and P-B, collectives TT01 and TT02), one person of Q-C,
    and a dossier proposing NV001 for a Bằng khen of the province."""
    settings.MEDIA_ROOT = tmp_path
    for name, text in (("worked.yaml", WORKED), ("q.yaml", OTHER_PROVINCE)):
        history_import(history=history_read(text=text, filename=name), filename=name)
    world.dossier = dossier_services.dossier_create(
        person=Person.objects.get(external_id="NV001"), code="BK_TINH", year=2025, procedure="regular",
        actor=world.officer_a, summary="Hoàn thành xuất sắc nhiệm vụ hai năm liền")
    return world


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


# ------------------------------------------------------------------------------ people


def test_a_unit_officer_lists_only_the_people_of_their_unit(histories, api_as):
    listed = ids(api_as(histories.officer_a).get("/people"))
    assert listed and all(code.startswith("NV00") for code in listed)
    assert "NV007" not in listed  # P-B's
    assert "NV900" not in listed  # province Q's
    assert ids(api_as(histories.officer_b).get("/people")) == ["NV007"]


@pytest.mark.parametrize(("actor", "person", "status"), [
    ("officer_a", "NV001", 200),
    ("head_a", "NV001", 200),
    ("officer_a", "NV007", 404),  # another unit of the same group
    ("officer_b", "NV001", 404),
    ("officer_c", "NV001", 404),  # another province and group
    ("board_p", "NV007", 200),
    ("board_p", "NV900", 404),  # outside the Board's province
    ("national_board", "NV900", 200),
    ("council_g1", "NV001", 200),
    ("leader_g1_2024", "NV007", 200),
    ("reader_g1", "NV001", 404),  # readers read rankings and reports, not people's records
    ("outsider", "NV001", 404),
    ("officer_a", "NV404", 404),
])
def test_a_person_is_read_only_within_scope(histories, api_as, actor, person, status):
    api = api_as(getattr(histories, actor))
    for path in (f"/people/{person}", f"/people/{person}/eligibility"):
        response = api.get(path)
        assert response.status_code == status, path
        if status == 404:
            assert "Không tìm thấy" in response.json()["detail"]


def test_a_person_with_an_id_of_the_full_sixty_characters_is_reachable(histories, api_as):
    long_id = "KG-GIONGRIENG-PHONG-NOI-VU-CAN-BO-" + "9" * 26
    assert len(long_id) == 60
    Person.objects.create(external_id=long_id, name="Lý Văn Dài", unit=Person.objects.get(external_id="NV001").unit)

    response = api_as(histories.officer_a).get(f"/people/{long_id}")

    assert response.status_code == 200 and response.json()["id"] == long_id


def test_a_person_s_history_lists_ratings_titles_awards_initiatives_and_discipline(histories, api_as):
    body = api_as(histories.officer_a).get("/people/NV001").json()
    assert body["name"] == "Nguyễn Văn An" and body["unit"]["code"] == "P-A" and body["birth_year"] == 1980
    assert {"year": 2025, "rating": "HTXS", "rating_label": "Hoàn thành xuất sắc nhiệm vụ"} in body["ratings"]
    assert [(t["code"], t["year"]) for t in body["titles"] if t["code"] == "CSTDCS"][:2] == [("CSTDCS", 2021),
                                                                                          ("CSTDCS", 2023)]
    assert ("BK_TINH", 2019) in [(a["code"], a["year"]) for a in body["awards"]]
    discipline = api_as(histories.officer_a).get("/people/NV005").json()["discipline"]
    assert discipline == [{"year": 2025, "level": "khien_trach", "level_label": "khiển trách"}]


def test_the_people_list_filters_by_unit_and_name_and_pages(histories, api_as):
    api = api_as(histories.board_p)
    assert ids(api.get("/people", unit="P-B")) == ["NV007"]
    assert ids(api.get("/people", q="Bình")) == ["NV002"]
    page = api.get("/people", limit=2, offset=1).json()
    assert page["count"] == 7 and page["limit"] == 2 and len(page["items"]) == 2
    assert api.get("/people", limit=0).status_code == 422


# ------------------------------------------------------------------------------ eligibility


def test_eligibility_gives_the_engine_s_answer_with_reasons_and_legal_basis(histories, api_as):
    body = api_as(histories.officer_a).get("/people/NV001/eligibility", year=2025).json()
    assert body["year"] == 2025 and "152/2025" in body["basis"]
    result = {r["code"]: r for r in body["results"]}
    assert result["BK_TTG"]["eligible"] is True and result["BK_TINH"]["eligible"] is True
    assert all(reason.startswith(("Đạt", "Lưu ý")) for reason in result["BK_TTG"]["reasons"])
    assert result["BK_TTG"]["checks"] and all(check["article"] for check in result["BK_TTG"]["checks"])


def test_a_missing_condition_is_named_with_its_year(histories, api_as):
    body = api_as(histories.officer_a).get("/people/NV005/eligibility", year=2025).json()
    ldtt = next(r for r in body["results"] if r["code"] == "LDTT")
    assert ldtt["eligible"] is False
    assert any("Không đạt" in reason and "2025" in reason for reason in ldtt["reasons"])


def test_an_old_year_is_assessed_under_the_old_decree(histories, api_as):
    body = api_as(histories.officer_a).get("/people/NV002/eligibility", year=2022).json()
    assert "91/2017" in body["basis"]
    assert next(r for r in body["results"] if r["code"] == "LDTT")["eligible"] is False  # rated HT in 2022


def test_collectives_and_their_eligibility_follow_the_same_scope(histories, api_as):
    assert ids(api_as(histories.officer_a).get("/collectives")) == ["TT01"]
    detail = api_as(histories.officer_a).get("/collectives/TT01").json()
    assert detail["leading_unit_years"] == [2025] and detail["part_of"] == ""
    body = api_as(histories.officer_a).get("/collectives/TT01/eligibility", year=2025).json()
    result = {r["code"]: r["eligible"] for r in body["results"]}
    assert result["CO_TINH"] is True and result["TTLDXS"] is False
    assert api_as(histories.officer_a).get("/collectives/TT02").status_code == 404  # P-B's
    assert api_as(histories.officer_c).get("/collectives/TT01/eligibility").status_code == 404


# ------------------------------------------------------------------------------ dossiers


@pytest.mark.parametrize(("actor", "status"), [
    ("officer_a", 200), ("head_a", 200), ("board_p", 200), ("national_board", 200), ("council_g1", 200),
    ("leader_g1_2024", 200), ("officer_b", 404), ("officer_c", 404), ("reader_g1", 404), ("outsider", 404),
])
def test_a_dossier_is_read_within_the_proposing_unit_s_scope(histories, api_as, actor, status):
    api = api_as(getattr(histories, actor))
    pk = histories.dossier.pk
    assert api.get(f"/dossiers/{pk}").status_code == status
    assert api.get(f"/dossiers/{pk}/status").status_code == status
    assert (ids(api.get("/dossiers")) == [pk]) == (status == 200)


def test_a_dossier_shows_its_step_status_and_history(histories, api_as):
    api = api_as(histories.officer_a)
    body = api.get(f"/dossiers/{histories.dossier.pk}").json()
    assert body["code"] == "BK_TINH" and body["subject"] == "person" and body["subject_id"] == "NV001"
    assert body["status"] == "draft" and body["step_name"] and body["unit"]["code"] == "P-A"
    assert [step["action"] for step in body["history"]] == ["create"]
    assert body["decision"] is None and body["summary"] == "Hoàn thành xuất sắc nhiệm vụ hai năm liền"
    status = api.get(f"/dossiers/{histories.dossier.pk}/status").json()
    assert status["pending"] is True and status["step"] == body["step"]
    assert ids(api.get("/dossiers", status="decided")) == []
    assert ids(api.get("/dossiers", year=2025)) == [histories.dossier.pk]


def test_a_reader_assignment_beside_a_unit_role_does_not_widen_people_or_dossiers(histories, api_as):
    """officer_b also reads every group: still only P-B's people, and no dossier of P-A."""
    RoleAssignmentFactory(user=histories.officer_b, role=Role.READER)
    api = api_as(histories.officer_b)
    assert ids(api.get("/people")) == ["NV007"]
    assert api.get("/people/NV001").status_code == 404
    assert ids(api.get("/dossiers")) == []
    assert api.get(f"/dossiers/{histories.dossier.pk}").status_code == 404
