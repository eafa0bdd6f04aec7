"""The history file `thidua-history/1`: what it reads, and every error with its file, line and field."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.awards.histories import WORKED
from thidua.awards.historyfile import HistoryFileError, history_read
from thidua.awards.records import Grant, InitiativeRecord

FILENAME = "ho-so-2025.yaml"


def read(text: str):
    return history_read(text=text, filename=FILENAME)


def errors_of(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(HistoryFileError) as caught:
        read(text)
    return [(error.line, error.field, error.message) for error in caught.value.errors]


def test_the_worked_file_reads_into_people_and_collectives_with_every_record():
    history = read(WORKED)
    assert [p.id for p in history.people] == ["NV001", "NV002", "NV003", "NV004", "NV005", "NV006", "NV007"]
    an = history.people[0]
    assert (an.name, an.unit, an.hired, an.birth_year, an.position) == (
        "Nguyễn Văn An", "P-A", dt.date(2010, 3, 1), 1980, "Chuyên viên",
    )  # fmt: skip
    assert an.ratings[2025] == "HTXS" and len(an.ratings) == 7
    assert an.titles[0] == Grant(code="CSTDCS", year=2021, decision="15/QĐ-UBND")
    assert an.awards == (
        Grant(code="BK_TINH", year=2019, decision="123/QĐ-UBND", decision_date=dt.date(2020, 1, 20),
              authority="Chủ tịch UBND tỉnh"),
    )  # fmt: skip
    assert history.people[1].hired == dt.date(2012, 9, 1)  # dd/mm/yyyy is read too
    assert history.people[2].initiatives == (
        InitiativeRecord(id="SK-03", year=2025, scope="co_so", used_by="BK_TINH", recognised_by="Hội đồng sáng kiến cơ sở"),
    )
    assert history.people[6].initiatives[0].used_by is None
    assert history.people[4].direct_worker and history.people[4].discipline[0].level == "khien_trach"
    assert history.people[6].collective == "TT02"
    tt01, tt02 = history.collectives
    assert (tt01.leading_unit, tt01.part_of, tt02.part_of) == ((2025,), "", "Phòng Kế toán")


def test_an_empty_file_a_missing_or_wrong_format_are_refused():
    assert errors_of("") == [(None, "", "tệp rỗng; cần một hồ sơ quá trình dạng thidua-history/1")]
    assert errors_of("people: []\n") == [(1, "format", "thiếu trường format: thidua-history/1")]
    assert errors_of("format: thidua-covenant/1\n") == [
        (1, "format", 'định dạng không được hỗ trợ ("thidua-covenant/1"); cần format: thidua-history/1')
    ]


def test_a_yaml_syntax_error_names_its_line():
    [(line, field, message)] = errors_of("format: thidua-history/1\npeople:\n  - {id: NV1, name: [\n")
    assert line == 4 and field == "" and message.startswith("tệp không phải YAML hợp lệ")


def test_unknown_keys_are_errors_at_every_level():
    text = """\
format: thidua-history/1
units: []
people:
  - id: NV1
    name: A
    unit: P-A
    salary: 10
    titles: [{year: 2024, code: LDTT, note: x}]
collectives:
  - {id: T1, name: B, unit: P-A, hired: 2020-01-01, initiatives: []}
"""
    found = errors_of(text)
    assert [(line, field) for line, field, _ in found] == [
        (2, "units"), (7, "people.salary"), (8, "people.titles.note"),
        (10, "collectives.hired"), (10, "collectives.initiatives"),
    ]  # fmt: skip
    assert found[0][2] == "trường không hợp lệ; các trường được phép: format, people, collectives"


def test_unknown_and_misplaced_codes_are_errors():
    text = """\
format: thidua-history/1
people:
  - id: NV1
    name: A
    unit: P-A
    titles: [{year: 2024, code: LDXS}, {year: 2024, code: BK_TINH}, {year: 2025, code: TTLDXS}]
    awards: [{year: 2024, code: CSTDCS}]
    initiatives: [{id: SK1, year: 2024, scope: co_so, used_by: GIAI_THUONG}]
"""
    assert errors_of(text) == [
        (6, "people.titles.code", 'mã danh hiệu, hình thức khen thưởng không hợp lệ ("LDXS"); các mã: LDTT, CSTDCS, CSTD_TINH, CSTD_TQ'),
        (6, "people.titles.code", "Bằng khen cấp bộ, ban, ngành, tỉnh (BK_TINH) ghi trong awards (hình thức khen thưởng)"),
        (6, "people.titles.code", "Tập thể lao động xuất sắc (TTLDXS) không xét tặng cho cá nhân"),
        (7, "people.awards.code", "Chiến sĩ thi đua cơ sở (CSTDCS) ghi trong titles (danh hiệu thi đua)"),
        (8, "people.initiatives.used_by", 'mã danh hiệu, hình thức khen thưởng không hợp lệ ("GIAI_THUONG"); các mã: '
         "LDTT, CSTDCS, CSTD_TINH, CSTD_TQ, GIAY_KHEN, BK_TINH, BK_TTG, HCLD3, HCLD2, HCLD1, HCDL3, HCDL2, HCDL1, "
         "HCHCM, HCSV, AHLD, BMVNAH, HCKC1, HCKC2, HCKC3, HUYCKC1, HUYCKC2"),
    ]


def test_bad_ratings_years_scopes_levels_and_dates_name_their_field():
    text = """\
format: thidua-history/1
people:
  - id: NV1
    name: A
    unit: P-A
    hired: 31/02/2020
    ratings:
      2023: XS
      "năm 2024": HTT
      2025: HTT
      2025: HTXS
    initiatives: [{id: SK1, year: 24, scope: huyen}]
    discipline: [{year: 2025, level: nhac_nho}]
"""
    assert errors_of(text) == [
        (6, "people.hired", 'ngày không hợp lệ: "31/02/2020"; viết dạng YYYY-MM-DD (2015-03-01) hoặc dd/mm/yyyy'),
        (8, "people.ratings.2023", 'xếp loại không hợp lệ ("XS"); chọn một trong: HTXS, HTT, HT, KHT'),
        (9, "people.ratings.năm 2024", 'năm phải là một số nguyên có 4 chữ số, không phải "năm 2024"'),
        (11, "people.ratings.2025", "năm 2025 bị lặp (đã có ở dòng 10)"),
        (12, "people.initiatives.year", 'năm phải là một số nguyên có 4 chữ số, không phải "24"'),
        (12, "people.initiatives.scope", 'phạm vi ảnh hưởng không hợp lệ ("huyen"); chọn một trong: co_so, tinh, toan_quoc'),
        (13, "people.discipline.level", 'hình thức kỷ luật không hợp lệ ("nhac_nho"); chọn một trong: '
         "khien_trach, canh_cao, ha_bac_luong, giang_chuc, cach_chuc, buoc_thoi_viec"),
    ]


def test_missing_fields_duplicates_and_dangling_references_are_errors():
    text = """\
format: thidua-history/1
people:
  - id: NV1
    name: A
    collective: TT9
    titles: [{year: 2024, code: LDTT}, {year: 2024, code: LDTT}]
    initiatives: [{id: SK1, year: 2024, scope: co_so}, {id: SK1, year: 2025, scope: co_so}]
  - id: T1
    name: B
    unit: P-A
collectives:
  - {id: T1, name: C, unit: P-A, leading_unit: [2025, 2025]}
"""
    assert errors_of(text) == [
        (3, "people.unit", "thiếu trường bắt buộc"),
        (5, "people.collective", 'tập thể "TT9" không có trong danh sách collectives của tệp'),
        (6, "people.titles", "Lao động tiên tiến năm 2024 bị lặp (đã có ở dòng 6)"),
        (7, "people.initiatives.id", 'sáng kiến "SK1" bị lặp (đã có ở dòng 7)'),
        (8, "people.id", 'mã "T1" bị trùng (đã dùng cho một tập thể ở dòng 12)'),
        (12, "collectives.leading_unit", "năm 2025 bị lặp"),
    ]


def test_every_error_prints_the_file_the_line_and_the_field():
    with pytest.raises(HistoryFileError) as caught:
        read("format: thidua-history/1\npeople:\n  - {id: NV1, name: A, unit: P-A, ratings: {2025: tot}}\n")
    assert str(caught.value) == (
        'ho-so-2025.yaml, dòng 3, trường "people.ratings.2025": xếp loại không hợp lệ ("tot"); '
        "chọn một trong: HTXS, HTT, HT, KHT"
    )


def test_ids_are_read_as_written_and_null_used_by_means_unused():
    history = read(
        "format: thidua-history/1\npeople:\n"
        "  - {id: 007, name: A, unit: P-A, initiatives: [{id: 01, year: 2024, scope: tinh, used_by: ~}]}\n"
    )
    assert history.people[0].id == "007"
    assert history.people[0].initiatives[0] == InitiativeRecord(id="01", year=2024, scope="tinh")
