"""`thidua history import`: one transaction, create or update by ids, nothing written on error."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from tests.awards.histories import WORKED
from tests.factories import UnitFactory
from thidua.audit.models import AuditEvent
from thidua.awards.eligibility import history_assess
from thidua.awards.historyfile import history_read
from thidua.awards.models import (
    AnnualRating,
    Collective,
    Discipline,
    Initiative,
    LeadingUnit,
    Person,
    TitleOrAward,
)
from thidua.awards.selectors import history_of
from thidua.org.models import LineageEvent, UnitLineage

pytestmark = pytest.mark.django_db

TABLES = (Person, Collective, AnnualRating, TitleOrAward, Initiative, Discipline, LeadingUnit)


def run_import(tmp_path, text: str, name: str = "ho-so.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("history", "import", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def snapshot() -> dict:
    state = {model.__name__: list(model.objects.order_by("pk").values()) for model in TABLES}
    state["AuditEvent"] = AuditEvent.objects.count()
    return state


def test_importing_the_worked_file_creates_every_record_and_one_audit_event(world, tmp_path):
    out = run_import(tmp_path, WORKED)
    assert out.splitlines()[0] == (
        "ho-so.yaml: đã nhập 7 cá nhân (7 mới); 2 tập thể (2 mới); 32 xếp loại (32 mới); "
        "14 danh hiệu, hình thức khen thưởng (14 mới); 2 sáng kiến (2 mới); 1 kỷ luật (1 mới); "
        "1 năm dẫn đầu cụm, khối (1 mới)."
    )
    an = Person.objects.get(external_id="NV001")
    assert (an.unit, an.hired_on, an.birth_year, an.position) == (world.a, dt.date(2010, 3, 1), 1980, "Chuyên viên")
    assert Person.objects.get(external_id="NV007").collective.external_id == "TT02"
    assert Person.objects.get(external_id="NV005").direct_worker
    bk = TitleOrAward.objects.get(person=an, code="BK_TINH")
    assert (bk.year, bk.decision_number, bk.decision_date, bk.deciding_authority) == (
        2019, "123/QĐ-UBND", dt.date(2020, 1, 20), "Chủ tịch UBND tỉnh",
    )  # fmt: skip
    assert bk.kind == "award"
    assert "Nghị định 91/2017/NĐ-CP" in bk.legal_basis  # decided 20/01/2020: the old regime
    used = Initiative.objects.get(external_id="SK-03")
    assert (used.used_by, used.scope, used.recognising_body) == ("BK_TINH", "co_so", "Hội đồng sáng kiến cơ sở")
    assert Initiative.objects.get(external_id="SK-07").used_by is None
    assert LeadingUnit.objects.get().source == "ho-so.yaml"
    [event] = AuditEvent.objects.filter(action="awards.history_imported")
    assert event.data["people"] == {"created": 7, "updated": 0}


def test_the_legal_basis_of_a_record_is_the_one_in_force_for_it(world, tmp_path):
    run_import(tmp_path, WORKED)
    basis = dict(TitleOrAward.objects.filter(person__external_id="NV001", code="CSTDCS").values_list("year", "legal_basis"))
    assert "Nghị định 91/2017/NĐ-CP" in basis[2021] and "Nghị định 91/2017/NĐ-CP" in basis[2023]
    assert "Nghị định 98/2023/NĐ-CP" in basis[2024]


def test_importing_the_same_file_again_changes_and_records_nothing(world, tmp_path):
    run_import(tmp_path, WORKED)
    before = snapshot()
    out = run_import(tmp_path, WORKED)
    assert out.startswith("ho-so.yaml: không có thay đổi")
    assert snapshot() == before


def test_a_second_file_updates_by_ids_and_keeps_what_it_does_not_mention(world, tmp_path):
    run_import(tmp_path, WORKED)
    changed = """\
format: thidua-history/1
people:
  - id: NV001
    name: Nguyễn Văn An
    unit: P-B
    ratings: {2025: HTT, 2026: HTXS}
    awards: [{year: 2019, code: BK_TINH}]
    initiatives: [{id: SK-99, year: 2026, scope: tinh, used_by: null}]
"""
    out = run_import(tmp_path, changed, name="bo-sung.yaml")
    assert out.splitlines()[0] == (
        "bo-sung.yaml: đã nhập 1 cá nhân (1 cập nhật); 0 tập thể thay đổi; 2 xếp loại (1 mới, 1 cập nhật); "
        "0 danh hiệu, hình thức khen thưởng thay đổi; 1 sáng kiến (1 mới); 0 kỷ luật thay đổi; "
        "0 năm dẫn đầu cụm, khối thay đổi."
    )
    an = Person.objects.get(external_id="NV001")
    assert an.unit == world.b
    assert an.hired_on == dt.date(2010, 3, 1)  # a key the file leaves out keeps the stored value
    assert an.position == "Chuyên viên" and an.birth_year == 1980
    assert dict(an.ratings.values_list("year", "rating"))[2024] == "HTXS"  # kept
    bk = TitleOrAward.objects.get(person=an, code="BK_TINH")
    assert bk.decision_number == "123/QĐ-UBND"  # a file without the decision does not erase it
    assert Person.objects.count() == 7


def test_an_explicit_null_clears_an_optional_field(world, tmp_path):
    run_import(tmp_path, WORKED)
    run_import(tmp_path, "format: thidua-history/1\npeople:\n  - {id: NV001, name: Nguyễn Văn An, unit: P-A, hired: null, position: ''}\n")
    an = Person.objects.get(external_id="NV001")
    assert (an.hired_on, an.position, an.birth_year) == (None, "", 1980)


def test_an_unknown_unit_names_the_file_line_and_field_and_writes_nothing(world, tmp_path):
    run_import(tmp_path, WORKED)
    before = snapshot()
    text = WORKED.replace("    unit: P-B\n    collective: TT02", "    unit: P-X\n    collective: TT02")
    with pytest.raises(CommandError) as caught:
        run_import(tmp_path, text, name="sai.yaml")
    message = str(caught.value)
    assert "không có thay đổi nào được ghi" in message
    line = text.splitlines().index("    unit: P-X") + 1
    assert f'sai.yaml, dòng {line}, trường "people.unit": đơn vị "P-X" không có trong hệ thống' in message
    assert snapshot() == before


def test_a_file_with_errors_writes_nothing(world, tmp_path):
    with pytest.raises(CommandError) as caught:
        run_import(tmp_path, WORKED.replace("2025: HTXS}\n    titles:\n      - {year: 2021", "2025: XS}\n    titles:\n      - {year: 2021"))
    assert 'ho-so.yaml, dòng 10, trường "people.ratings.2025": xếp loại không hợp lệ ("XS")' in str(caught.value)
    assert snapshot() == {**{model.__name__: [] for model in TABLES}, "AuditEvent": 0}


def test_a_failure_half_way_rolls_everything_back(world, tmp_path, monkeypatch):
    from thidua.awards import services

    def broken(*args, **kwargs):
        raise RuntimeError("hỏng giữa chừng")

    monkeypatch.setattr(services, "audit_log", broken)
    with pytest.raises(RuntimeError):
        run_import(tmp_path, WORKED)
    assert snapshot() == {**{model.__name__: [] for model in TABLES}, "AuditEvent": 0}


def test_a_person_of_an_abolished_district_keeps_it_and_the_summary_says_what_it_became(world, tmp_path):
    world.a.valid_to = dt.date(2025, 6, 30)
    world.a.save()
    commune = UnitFactory(code="P-X1", name="Xã Ánh Dương", kind="commune", parent=world.p)
    UnitLineage.objects.create(predecessor=world.a, successor=commune, event=LineageEvent.MERGE, effective_on=dt.date(2025, 7, 1))
    out = run_import(tmp_path, WORKED)
    assert Person.objects.get(external_id="NV001").unit == world.a
    assert (
        "  Lưu ý: 7 cá nhân, tập thể thuộc Huyện Ánh Dương (P-A), đơn vị đã kết thúc hoạt động từ sau ngày "
        "30/06/2025, nay là Xã Ánh Dương: giữ nguyên đơn vị như đã ghi nhận."
    ) in out.splitlines()


def test_the_database_gives_back_the_history_of_the_file_and_the_same_answers(world, tmp_path, django_assert_max_num_queries):
    run_import(tmp_path, WORKED)
    from_file = history_read(text=WORKED, filename="ho-so.yaml")
    with django_assert_max_num_queries(12):
        from_db = history_of()
    by_id = {p.id: p for p in from_db.people}
    for person in from_file.people:
        stored = by_id[person.id]
        assert stored.ratings == person.ratings
        assert {(g.code, g.year, g.decision) for g in stored.titles + stored.awards} == {
            (g.code, g.year, g.decision) for g in person.titles + person.awards
        }
        assert set(stored.initiatives) == set(person.initiatives)
        assert set(stored.discipline) == set(person.discipline)
        assert (stored.unit, stored.hired, stored.collective) == (person.unit, person.hired, person.collective)
    for year in (2022, 2024, 2025):
        file_answers = {(r.id, r.code): (r.eligible, r.reasons) for r in history_assess(history=from_file, year=year).results}
        db_answers = {(r.id, r.code): (r.eligible, r.reasons) for r in history_assess(history=from_db, year=year).results}
        assert db_answers == file_answers
