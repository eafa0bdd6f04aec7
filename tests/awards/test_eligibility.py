"""The eligibility engine on worked histories, rule by rule, then its properties (hypothesis).

No database, no Django: `history_assess` takes plain records and the rule set of the year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.awards.builders import answer, assess, collective, failing, initiative, person, said
from thidua.awards.codes import COLLECTIVE_CODES, DISCIPLINE_LEVELS, PERSON_CODES, RATINGS
from thidua.awards.eligibility import history_assess
from thidua.awards.records import DisciplineRecord, Grant, History, InitiativeRecord, PersonHistory
from thidua.awards.rules import RULE_SETS, rule_set_for, rule_set_override

ND152 = "Nghị định 152/2025/NĐ-CP"
ND98 = "Nghị định 98/2023/NĐ-CP"
ND91 = "Nghị định 91/2017/NĐ-CP"


# --- Lao động tiên tiến (Luật Thi đua, khen thưởng 2022, Điều 24) -----------------------------------


def test_a_person_rated_htt_hired_long_ago_and_never_disciplined_meets_ldtt():
    result = answer(person(good=[2025]), "LDTT", year=2025)
    assert result.eligible
    assert result.basis.startswith("Luật Thi đua, khen thưởng 2022")
    assert ND152 in result.basis


def test_a_rating_below_htt_refuses_ldtt_naming_the_rating_the_year_and_the_article():
    result = answer(person(ratings={2025: "HT"}), "LDTT", year=2025)
    assert not result.eligible
    assert failing(result) == [
        "Không đạt: năm 2025 xếp loại Hoàn thành nhiệm vụ, cần từ Hoàn thành tốt nhiệm vụ trở lên "
        "— Luật Thi đua, khen thưởng 2022, Điều 24 khoản 1."
    ]


def test_a_year_without_a_rating_refuses_ldtt():
    result = answer(person(good=[2024]), "LDTT", year=2025)
    assert not result.eligible
    assert "năm 2025 chưa có xếp loại" in said(result)


@pytest.mark.parametrize(
    ("hired", "eligible"),
    [
        (dt.date(2025, 1, 1), True),
        (dt.date(2025, 7, 1), True),  # 01/07 → 31/12: six full months
        (dt.date(2025, 7, 2), False),
        (dt.date(2025, 12, 1), False),
    ],
)
def test_a_hire_of_under_six_months_before_the_end_of_the_year_refuses_ldtt(hired, eligible):
    result = answer(person(hired=hired, excellent=[2025]), "LDTT", year=2025)
    assert result.eligible is eligible
    if not eligible:
        assert failing(result) == [
            f"Không đạt: tuyển dụng ngày {hired:%d/%m/%Y}, chưa đủ 6 tháng công tác đến ngày 31/12/2025 "
            "(mới tuyển dụng) — Thông tư 15/2025/TT-BNV, kế thừa Thông tư 01/2024/TT-BNV."
        ]


def test_a_person_hired_after_the_year_cannot_meet_ldtt_for_it():
    result = answer(person(hired=dt.date(2026, 2, 1), good=[2025]), "LDTT", year=2025)
    assert not result.eligible
    assert "tuyển dụng ngày 01/02/2026, sau năm 2025" in said(result)


def test_an_unknown_hire_date_is_taken_as_long_service_with_a_note_to_check_it():
    result = answer(person(hired=None, good=[2025]), "LDTT", year=2025)
    assert result.eligible
    assert "Lưu ý: hồ sơ không ghi ngày tuyển dụng; cần kiểm tra thời gian công tác trong năm." in result.reasons


def test_a_discipline_in_the_year_refuses_ldtt_but_one_the_year_before_does_not():
    disciplined = person(good=[2024, 2025], discipline=[(2025, "khien_trach")])
    assert failing(answer(disciplined, "LDTT", year=2025)) == [
        "Không đạt: bị kỷ luật (khiển trách) trong năm 2025 — Thông tư 15/2025/TT-BNV, kế thừa Thông tư 01/2024/TT-BNV."
    ]
    assert answer(disciplined, "LDTT", year=2024).eligible


# --- Chiến sĩ thi đua cơ sở (Điều 23) and the unit quota -----------------------------------------


def test_htxs_without_an_initiative_meets_cstdcs():
    result = answer(person(excellent=[2025]), "CSTDCS", year=2025)
    assert result.eligible
    assert "Đạt: năm 2025 xếp loại Hoàn thành xuất sắc nhiệm vụ — Luật Thi đua, khen thưởng 2022, Điều 23." in result.reasons


def test_htt_with_an_unused_initiative_recognised_in_the_year_meets_cstdcs():
    result = answer(person(good=[2025], initiatives=[initiative("SK-1", 2025)]), "CSTDCS", year=2025)
    assert result.eligible
    assert "có sáng kiến chưa sử dụng được công nhận năm 2025 (SK-1)" in said(result)


def test_an_initiative_already_used_does_not_count_for_cstdcs_and_the_reason_names_it():
    used = person(good=[2025], initiatives=[initiative("SK-1", 2025, used_by="BK_TINH")])
    result = answer(used, "CSTDCS", year=2025)
    assert not result.eligible
    assert failing(result) == [
        "Không đạt: năm 2025 không xếp loại Hoàn thành xuất sắc nhiệm vụ và không có sáng kiến chưa sử dụng "
        "được công nhận trong năm; sáng kiến SK-1 (2025) đã dùng cho Bằng khen cấp bộ, ban, ngành, tỉnh "
        "— Luật Thi đua, khen thưởng 2022, Điều 23."
    ]


def test_an_initiative_of_the_year_before_does_not_count_for_cstdcs():
    result = answer(person(good=[2025], initiatives=[initiative("SK-1", 2024)]), "CSTDCS", year=2025)
    assert not result.eligible


def test_an_initiative_used_by_the_cstdcs_already_recorded_for_the_year_still_backs_it():
    decided = person(good=[2025], cstdcs=[2025], initiatives=[initiative("SK-1", 2025, used_by="CSTDCS")])
    result = answer(decided, "CSTDCS", year=2025)
    assert result.eligible
    assert "Lưu ý: hồ sơ đã ghi nhận Chiến sĩ thi đua cơ sở năm 2025." in result.reasons


def test_cstdcs_needs_the_ldtt_standard_and_says_which_part_is_missing():
    result = answer(person(excellent=[2025], discipline=[(2025, "canh_cao")]), "CSTDCS", year=2025)
    assert not result.eligible
    assert failing(result) == [
        "Không đạt: tiêu chuẩn Lao động tiên tiến, bị kỷ luật (cảnh cáo) trong năm 2025 "
        "— Thông tư 15/2025/TT-BNV, kế thừa Thông tư 01/2024/TT-BNV."
    ]


def _unit(ldtt: int, cstdcs: int, unit: str = "P-A", year: int = 2025) -> list[PersonHistory]:
    """`ldtt` people meeting LDTT in `year` in `unit`, the first `cstdcs` of them also CSTDCS (HTXS)."""
    return [
        person(f"{unit}-{n}", unit=unit, excellent=[year] if n < cstdcs else [], good=[] if n < cstdcs else [year])
        for n in range(ldtt)
    ]


def test_more_cstdcs_than_15_percent_of_the_units_ldtt_is_a_unit_warning_not_a_refusal():
    people = _unit(10, 2)  # 15 % of 10 = 1,5 → at most 1
    assessment = assess(*people, year=2025)
    assert [w.text for w in assessment.warnings] == [
        "Đơn vị P-A: 2 người đạt tiêu chuẩn Chiến sĩ thi đua cơ sở năm 2025, vượt tỷ lệ 15% của 10 người đạt "
        "Lao động tiên tiến (tối đa 1 người) — tỷ lệ do bộ, ngành, tỉnh quy định; mức 15% theo "
        "Nghị định 91/2017/NĐ-CP, Điều 9 khoản 3."
    ]
    fighters = [assessment.result(id=p.id, code="CSTDCS") for p in people[:2]]
    assert all(result.eligible for result in fighters)
    assert all(result.reasons[-1].startswith("Lưu ý: Đơn vị P-A: 2 người") for result in fighters)


def test_within_the_quota_or_in_another_unit_there_is_no_warning():
    assert assess(*_unit(10, 1), year=2025).warnings == ()
    assert assess(*_unit(10, 1), *_unit(7, 1, unit="P-B"), year=2025).warnings == ()


def test_the_quota_is_a_setting_of_the_rule_set():
    rules = rule_set_override(rule_set=rule_set_for(year=2025), settings={"cstdcs.quota_pct": "20"})
    assert assess(*_unit(10, 2), year=2025, rules=rules).warnings == ()


def test_the_old_regime_quota_cites_decree_91():
    warnings = assess(*_unit(10, 2, year=2022), year=2022).warnings
    assert warnings[0].text.endswith("— Nghị định 91/2017/NĐ-CP, Điều 9 khoản 3.")


# --- Chiến sĩ thi đua cấp tỉnh (Điều 22) ----------------------------------------------------------


def test_three_cstdcs_in_a_row_and_a_provincial_initiative_meet_cstd_tinh():
    p = person(excellent=[2025], good=[2023, 2024], cstdcs=[2023, 2024], initiatives=[initiative("SK-T", 2024, "tinh")])
    assert answer(p, "CSTD_TINH", year=2025).eligible


def test_a_gap_in_the_three_cstdcs_years_refuses_cstd_tinh_naming_the_year():
    p = person(excellent=[2025], good=[2023, 2024], cstdcs=[2023], initiatives=[initiative("SK-T", 2024, "toan_quoc")])
    result = answer(p, "CSTD_TINH", year=2025)
    assert failing(result) == [
        "Không đạt: cần Chiến sĩ thi đua cơ sở 3 năm liên tục 2023–2025, thiếu năm 2024 "
        "— Luật Thi đua, khen thưởng 2022, Điều 22."
    ]


def test_cstd_tinh_needs_an_initiative_of_provincial_scope_that_is_unused():
    base = dict(excellent=[2025], good=[2023, 2024], cstdcs=[2023, 2024])
    grassroots = answer(person(**base, initiatives=[initiative("SK-C", 2024, "co_so")]), "CSTD_TINH", year=2025)
    used = answer(person(**base, initiatives=[initiative("SK-T", 2024, "tinh", used_by="CSTDCS")]), "CSTD_TINH", year=2025)
    assert not grassroots.eligible and not used.eligible
    assert "không có sáng kiến chưa sử dụng có phạm vi ảnh hưởng từ cấp bộ, ban, ngành, tỉnh trở lên" in said(grassroots)
    assert "sáng kiến SK-T (2024) đã dùng cho Chiến sĩ thi đua cơ sở" in said(used)


def test_when_the_years_cstdcs_standard_is_missing_the_chain_says_why():
    p = person(ratings={2025: "HT"}, good=[2023, 2024], cstdcs=[2023, 2024], initiatives=[initiative("SK-T", 2024, "tinh")])
    result = answer(p, "CSTD_TINH", year=2025)
    assert "thiếu năm 2025 (năm 2025 chưa đạt tiêu chuẩn Chiến sĩ thi đua cơ sở: tiêu chuẩn Lao động tiên tiến, " in said(result)


# --- Bằng khen cấp bộ, tỉnh (Điều 74 khoản 1 điểm d) --------------------------------------------


def test_cstdcs_this_year_and_last_year_meet_bk_tinh_by_the_first_route():
    result = answer(person(excellent=[2025], good=[2024], cstdcs=[2024]), "BK_TINH", year=2025)
    assert result.eligible
    assert result.reasons[0].startswith("Đạt (cách 1): Chiến sĩ thi đua cơ sở 2 năm liên tục (2024–2025)")


def test_two_htxs_years_with_two_unused_initiatives_meet_bk_tinh_by_the_second_route():
    p = person(excellent=[2024, 2025], initiatives=[initiative("SK-1", 2024), initiative("SK-2", 2025)])
    result = answer(p, "BK_TINH", year=2025)
    assert result.eligible
    assert all(reason.startswith("Đạt (cách 2)") for reason in result.reasons)


def test_a_used_initiative_leaves_bk_tinh_short_and_both_routes_say_what_is_missing():
    p = person(excellent=[2024, 2025], initiatives=[initiative("SK-1", 2024, used_by="CSTDCS"), initiative("SK-2", 2025)])
    result = answer(p, "BK_TINH", year=2025)
    assert not result.eligible
    assert failing(result) == [
        "Không đạt (cách 1): cần Chiến sĩ thi đua cơ sở 2 năm liên tục 2024–2025, thiếu năm 2024 "
        "— Luật Thi đua, khen thưởng 2022, Điều 74 khoản 1 điểm d.",
        "Không đạt (cách 2): chỉ có 1 sáng kiến chưa sử dụng được công nhận trong các năm 2024–2025 (SK-2), "
        "cần 2; sáng kiến SK-1 (2024) đã dùng cho Chiến sĩ thi đua cơ sở "
        "— Luật Thi đua, khen thưởng 2022, Điều 74 khoản 1 điểm d.",
    ]


# --- Bằng khen của Thủ tướng Chính phủ (Điều 73 khoản 1 điểm b) -----------------------------------


def test_bk_ttg_after_a_bk_tinh_with_five_good_years_and_three_cstdcs():
    p = person(good=range(2019, 2025), excellent=[2025], cstdcs=[2021, 2023], awards=[(2019, "BK_TINH")])
    result = answer(p, "BK_TTG", year=2025)
    assert result.eligible
    assert "Đạt: 6 năm liên tục (2020–2025) xếp loại từ Hoàn thành tốt nhiệm vụ trở lên sau năm được tặng " \
        "Bằng khen cấp bộ, ban, ngành, tỉnh (2019), kết thúc năm 2025" in said(result)
    assert "có 3 lần Chiến sĩ thi đua cơ sở trong chuỗi năm 2020–2025 (2021, 2023, 2025)" in said(result)


def test_a_broken_run_refuses_bk_ttg_naming_the_year_that_breaks_it():
    p = person(good=range(2019, 2025), excellent=[2025], ratings={2022: "HT"}, cstdcs=[2021, 2023, 2024],
               awards=[(2018, "BK_TINH")])  # fmt: skip
    result = answer(p, "BK_TTG", year=2025)
    assert not result.eligible
    assert failing(result) == [
        "Không đạt: cần ít nhất 5 năm liên tục xếp loại từ Hoàn thành tốt nhiệm vụ trở lên sau năm được tặng "
        "Bằng khen cấp bộ, ban, ngành, tỉnh (2018), kết thúc năm 2025; chỉ có 3 năm (2023–2025) vì năm 2022 xếp loại "
        "Hoàn thành nhiệm vụ — Luật Thi đua, khen thưởng 2022, Điều 73 khoản 1 điểm b.",
    ]


def test_the_run_counts_only_the_years_after_the_bk_tinh():
    p = person(good=range(2015, 2025), excellent=[2025], cstdcs=[2019, 2020, 2024], awards=[(2022, "BK_TINH")])
    result = answer(p, "BK_TTG", year=2025)
    assert not result.eligible
    assert "chỉ có 3 năm (2023–2025) vì chuỗi tính từ sau năm được tặng Bằng khen cấp bộ, ban, ngành, tỉnh (2022)" in said(result)
    assert "chỉ có 2 lần Chiến sĩ thi đua cơ sở trong chuỗi năm 2023–2025 (2024, 2025), cần 3" in said(result)


def test_the_earliest_bk_tinh_gives_the_longest_run():
    p = person(good=range(2016, 2026), cstdcs=[2018, 2019, 2020], awards=[(2016, "BK_TINH"), (2023, "BK_TINH")])
    assert answer(p, "BK_TTG", year=2025).eligible


def test_a_discipline_inside_the_run_breaks_it_unless_the_setting_says_otherwise():
    p = person(good=range(2019, 2026), cstdcs=[2021, 2023, 2024], awards=[(2019, "BK_TINH")], discipline=[(2022, "khien_trach")])
    assert "vì năm 2022 bị kỷ luật (khiển trách)" in said(answer(p, "BK_TTG", year=2025))
    lenient = rule_set_override(rule_set=rule_set_for(year=2025), settings={"run.discipline_level": None})
    assert answer(p, "BK_TTG", year=2025, rules=lenient).eligible


def test_too_few_cstdcs_in_the_run_refuses_bk_ttg():
    p = person(good=range(2019, 2026), cstdcs=[2021], awards=[(2019, "BK_TINH")])
    assert failing(answer(p, "BK_TTG", year=2025)) == [
        "Không đạt: chỉ có 1 lần Chiến sĩ thi đua cơ sở trong chuỗi năm 2020–2025 (2021), cần 3 "
        "— Luật Thi đua, khen thưởng 2022, Điều 73 khoản 1 điểm b."
    ]


def test_without_a_bk_tinh_decree_152_lets_an_officer_override_when_all_else_is_met():
    p = person(good=range(2019, 2026), cstdcs=[2021, 2022, 2023])
    result = answer(p, "BK_TTG", year=2025)
    assert not result.eligible
    assert result.override_possible
    assert failing(result) == [
        "Không đạt: chưa được tặng Bằng khen cấp bộ, ban, ngành, tỉnh trước năm 2025 "
        "— Luật Thi đua, khen thưởng 2022, Điều 73 khoản 1 điểm b."
    ]
    assert "theo Nghị định 152/2025/NĐ-CP, Điều 4, đây không phải điều kiện bắt buộc" in result.reasons[-1]
    run = next(check for check in result.checks if check.key == "run")
    assert run.met and run.years == (2019, 2020, 2021, 2022, 2023, 2024, 2025)


def test_before_decree_152_a_missing_bk_tinh_offers_no_override():
    p = person(good=range(2017, 2025), cstdcs=[2020, 2021, 2022])
    result = answer(p, "BK_TTG", year=2024)
    assert not result.eligible and not result.override_possible
    assert ND98 in result.basis


def test_a_missing_bk_tinh_and_a_short_run_offer_no_override():
    result = answer(person(good=[2024, 2025], cstdcs=[2024]), "BK_TTG", year=2025)
    assert not result.override_possible


# --- Huân chương Lao động hạng Ba (Điều 44 khoản 1 điểm e) ----------------------------------------


def test_hcld3_after_a_bk_ttg_with_five_good_years_one_htxs_and_three_cstdcs():
    p = person(good=range(2019, 2025), excellent=[2025], cstdcs=[2021, 2023], awards=[(2019, "BK_TTG")])
    result = answer(p, "HCLD3", year=2025)
    assert result.eligible
    assert "có 1 năm xếp loại Hoàn thành xuất sắc nhiệm vụ trong chuỗi năm 2020–2025 (2025)" in said(result)


def test_hcld3_needs_an_htxs_year_inside_the_run():
    p = person(good=range(2019, 2026), excellent=[2018], cstdcs=[2021, 2023, 2024], awards=[(2019, "BK_TTG")])
    assert failing(answer(p, "HCLD3", year=2025)) == [
        "Không đạt: chỉ có 0 năm xếp loại Hoàn thành xuất sắc nhiệm vụ trong chuỗi năm 2020–2025, cần 1 "
        "— Luật Thi đua, khen thưởng 2022, Điều 44 khoản 1 điểm e."
    ]


def test_a_bk_tinh_is_not_the_prerequisite_of_hcld3():
    p = person(good=range(2019, 2025), excellent=[2025], cstdcs=[2021, 2023], awards=[(2019, "BK_TINH")])
    result = answer(p, "HCLD3", year=2025)
    assert "chưa được tặng Bằng khen của Thủ tướng Chính phủ trước năm 2025" in said(result)


# --- Legal basis by year --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "decree", "law"),
    [
        (2019, ND91, "Luật Thi đua, khen thưởng 2003 (sửa đổi, bổ sung 2013)"),
        (2023, ND91, "Luật Thi đua, khen thưởng 2003 (sửa đổi, bổ sung 2013)"),
        (2024, ND98, "Luật Thi đua, khen thưởng 2022"),
        (2025, ND152, "Luật Thi đua, khen thưởng 2022"),
        (2030, ND152, "Luật Thi đua, khen thưởng 2022"),
    ],
)
def test_every_answer_carries_the_legal_basis_in_force_at_the_end_of_the_year(year, decree, law):
    results = assess(person(good=[year]), year=year, collectives=[collective()]).results
    assert {result.basis for result in results} == {rule_set_for(year=year).basis}
    assert decree in results[0].basis and results[0].basis.startswith(law)


def test_old_regime_answers_cite_the_old_law_and_new_ones_the_2022_law():
    p = person(ratings={2022: "HT", 2025: "HT"})
    assert failing(answer(p, "LDTT", year=2022))[0].endswith(
        "— Luật Thi đua, khen thưởng 2003 (sửa đổi, bổ sung 2013), Điều 24; Nghị định 91/2017/NĐ-CP."
    )
    assert failing(answer(p, "LDTT", year=2025))[0].endswith("— Luật Thi đua, khen thưởng 2022, Điều 24 khoản 1.")


def test_titles_granted_under_the_old_regime_count_in_a_new_regime_chain():
    p = person(good=range(2020, 2026), cstdcs=[2021, 2022, 2023], awards=[(2020, "BK_TINH")])
    result = answer(p, "BK_TTG", year=2025)
    assert result.eligible
    assert ND152 in result.basis


# --- Collectives ----------------------------------------------------------------------------------


def _team(*ratings: str, leader_rating: str = "HTXS", **options):
    """A whole-unit collective of P-A in 2025 and one member per rating."""
    members = [person(f"M{n}", ratings={2025: rating}) for n, rating in enumerate(ratings)]
    return members, collective(ratings={2025: leader_rating}, **options)


def test_ttldtt_needs_more_than_half_of_the_members_at_ldtt():
    members, team = _team("HTT", "HTT", "HT")
    assert assess(*members, collectives=[team], year=2025).result(id="TT01", code="TTLDTT").eligible
    members, team = _team("HTT", "HTT", "HT", "HT")
    result = assess(*members, collectives=[team], year=2025).result(id="TT01", code="TTLDTT")
    assert failing(result) == [
        "Không đạt: chỉ 2/4 thành viên (50%) đạt tiêu chuẩn Lao động tiên tiến năm 2025, cần quá 50%; "
        "chưa đạt: M2, M3 — Luật Thi đua, khen thưởng 2022, Điều 28."
    ]


def test_a_member_disciplined_with_a_warning_or_worse_refuses_ttldtt_a_reprimand_does_not():
    members, team = _team("HTT", "HTT", "HTT")
    warned = [replace(members[0], discipline=(DisciplineRecord(year=2025, level="canh_cao"),)), *members[1:]]
    reprimanded = [replace(members[0], discipline=(DisciplineRecord(year=2025, level="khien_trach"),)), *members[1:]]
    result = assess(*warned, collectives=[team], year=2025).result(id="TT01", code="TTLDTT")
    assert "có thành viên bị kỷ luật từ cảnh cáo trở lên trong năm 2025: M0 (cảnh cáo)" in said(result)
    assert not result.eligible
    assert assess(*reprimanded, collectives=[team], year=2025).result(id="TT01", code="TTLDTT").eligible


def test_ttldxs_needs_htxs_everybody_complete_70_percent_ldtt_and_a_cstdcs():
    members, team = _team("HTXS", "HTT", "HTT", "HT")  # 3/4 = 75 % LDTT, M0 is CSTDCS
    assert assess(*members, collectives=[team], year=2025).result(id="TT01", code="TTLDXS").eligible
    members, team = _team("HTXS", "HTT", "HTT", "KHT")
    result = assess(*members, collectives=[team], year=2025).result(id="TT01", code="TTLDXS")
    assert "chỉ 3/4 thành viên (75%) xếp loại từ Hoàn thành nhiệm vụ trở lên năm 2025, cần từ 100% trở lên; chưa đạt: M3" in said(result)
    members, team = _team("HTT", "HTT", "HTT")
    result = assess(*members, collectives=[team], year=2025).result(id="TT01", code="TTLDXS")
    assert failing(result) == [
        "Không đạt: không có thành viên nào đạt Chiến sĩ thi đua cơ sở năm 2025 — Luật Thi đua, khen thưởng 2022, Điều 27."
    ]


def test_a_part_of_a_unit_counts_only_the_people_who_name_it():
    inside = person("A1", good=[2025], collective="TT02")
    outside = [person("A2", ratings={2025: "HT"}), person("A3", ratings={2025: "HT"})]
    part = collective("TT02", part_of="Phòng Kế toán", ratings={2025: "HTT"})
    whole = collective("TT01", ratings={2025: "HTT"})
    assessment = assess(inside, *outside, collectives=[part, whole], year=2025)
    assert assessment.result(id="TT02", code="TTLDTT").eligible  # 1/1
    assert not assessment.result(id="TT01", code="TTLDTT").eligible  # 1/3


def test_flags_need_the_conferences_acclaimed_leading_unit():
    members, team = _team("HTT", leading_unit=[2025])
    assessment = assess(*members, collectives=[team], year=2025)
    assert assessment.result(id="TT01", code="CO_TINH").eligible
    assert assessment.result(id="TT01", code="CO_CP").eligible
    members, team = _team("HTT")
    result = assess(*members, collectives=[team], year=2025).result(id="TT01", code="CO_TINH")
    assert failing(result) == [
        "Không đạt: không có kết quả suy tôn đơn vị dẫn đầu cụm, khối thi đua năm 2025 — Luật Thi đua, khen thưởng 2022, Điều 26."
    ]
    given_by_the_conference = assess(*members, collectives=[team], year=2025, leading_units={("TT01", 2025)})
    assert given_by_the_conference.result(id="TT01", code="CO_TINH").eligible


def test_co_cp_reminds_the_party_organisation_condition_and_warns_above_the_ceiling():
    teams = [collective(f"T{n}", unit=f"U{n}", ratings={2025: "HTXS"}, leading_unit=[2025]) for n in range(6)]
    teams += [collective("T9", unit="U9", ratings={2025: "HTT"}, leading_unit=[2025])]
    assessment = assess(collectives=teams, year=2025)
    result = assessment.result(id="T0", code="CO_CP")
    assert result.eligible
    assert any("tổ chức đảng, đoàn thể trong sạch, vững mạnh" in reason for reason in result.reasons)
    assert [w.text for w in assessment.warnings] == [
        "Năm 2025: 6 tập thể đạt điều kiện Cờ thi đua của Chính phủ, vượt tỷ lệ 20% của 7 đơn vị dẫn đầu cụm, khối "
        "(tối đa 1) — Luật Thi đua, khen thưởng 2022, Điều 25 khoản 1."
    ]


def test_the_json_answer_has_exactly_the_documented_keys():
    assessment = assess(person(good=[2025]), collectives=[collective()], year=2025)
    rows = assessment.to_json()
    assert [(row["id"], row["code"]) for row in rows] == [("NV001", c) for c in PERSON_CODES] + [
        ("TT01", c) for c in COLLECTIVE_CODES
    ]
    assert all(set(row) == {"id", "code", "eligible", "reasons", "basis"} for row in rows)


# --- Properties -----------------------------------------------------------------------------------

YEARS = range(2014, 2027)
ASSESSED = st.sampled_from([2022, 2023, 2024, 2025, 2026])
USES = st.sampled_from([None, None, None, "CSTDCS", "BK_TINH", "CSTD_TINH", "BK_TTG"])


@st.composite
def histories(draw) -> PersonHistory:
    # Mostly good years from some start, so that long runs (and BK_TTG, HCLD3) happen too.
    start = draw(st.sampled_from(YEARS))
    rating = st.sampled_from(["HTT", "HTT", "HTT", "HTXS", "HTXS", "HT", "KHT", None])
    ratings = {year: r for year in YEARS if year >= start and (r := draw(rating)) is not None}
    titles = [Grant(code="CSTDCS", year=y) for y in draw(st.lists(st.sampled_from(YEARS), unique=True, max_size=10))]
    awards = [
        Grant(code=code, year=y)
        for code in ("BK_TINH", "BK_TTG")
        for y in draw(st.lists(st.sampled_from(YEARS[:6]), unique=True, max_size=2))
    ]
    initiatives = [
        InitiativeRecord(id=f"SK{n}", year=draw(st.sampled_from(YEARS)), scope=draw(st.sampled_from(["co_so", "tinh", "toan_quoc"])),
                         used_by=draw(USES))
        for n in range(draw(st.integers(0, 4)))
    ]  # fmt: skip
    discipline = [
        DisciplineRecord(year=draw(st.sampled_from(YEARS)), level=draw(st.sampled_from(DISCIPLINE_LEVELS)))
        for _ in range(draw(st.integers(0, 2)))
    ]
    hired = draw(st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2026, 12, 31))))
    return PersonHistory(
        id="P", name="Người thử", unit="U", hired=hired, ratings=ratings, titles=tuple(titles), awards=tuple(awards),
        initiatives=tuple(initiatives), discipline=tuple(discipline),
    )  # fmt: skip


def _answers(p: PersonHistory, year: int) -> dict[str, bool]:
    return {r.code: r.eligible for r in history_assess(history=History(people=(p,)), year=year).results}


@settings(max_examples=300, deadline=None)
@given(p=histories(), year=ASSESSED)
def test_adding_an_htxs_rating_never_loses_ldtt_for_that_year(p, year):
    before = _answers(p, year)["LDTT"]
    after = _answers(replace(p, ratings={**p.ratings, year: "HTXS"}), year)["LDTT"]
    assert after or not before


@settings(max_examples=300, deadline=None)
@given(p=histories(), year=ASSESSED, data=st.data())
def test_removing_a_discipline_never_loses_any_eligibility(p, year, data):
    if not p.discipline:
        return
    drop = data.draw(st.integers(0, len(p.discipline) - 1))
    lighter = replace(p, discipline=p.discipline[:drop] + p.discipline[drop + 1:])
    before, after = _answers(p, year), _answers(lighter, year)
    assert all(after[code] for code, ok in before.items() if ok)


@settings(max_examples=300, deadline=None)
@given(p=histories(), year=ASSESSED, data=st.data())
def test_using_an_initiative_never_gains_any_eligibility(p, year, data):
    unused = [n for n, i in enumerate(p.initiatives) if i.used_by is None]
    if not unused:
        return
    n = data.draw(st.sampled_from(unused))
    initiatives = list(p.initiatives)
    initiatives[n] = replace(initiatives[n], used_by="GIAY_KHEN")
    before, after = _answers(p, year), _answers(replace(p, initiatives=tuple(initiatives)), year)
    assert all(before[code] for code, ok in after.items() if ok)


@settings(max_examples=400, deadline=None)
@given(p=histories(), year=ASSESSED)
def test_the_chains_hold_their_prerequisites(p, year):
    answers = _answers(p, year)
    awards = {(g.code, g.year) for g in p.awards}
    good = lambda first: all(p.ratings.get(y) in ("HTT", "HTXS") for y in range(first, year + 1))  # noqa: E731
    if answers["BK_TTG"]:
        first_bk = min(y for code, y in awards if code == "BK_TINH" and y < year)
        assert first_bk <= year - 5 and good(year - 4)
    if answers["HCLD3"]:
        first_bk = min(y for code, y in awards if code == "BK_TTG" and y < year)
        assert first_bk <= year - 5 and good(year - 4)
        assert any(p.ratings.get(y) == "HTXS" and good(y) for y in range(first_bk + 1, year + 1))
    if answers["CSTDCS"]:
        assert answers["LDTT"]
    if answers["CSTD_TINH"]:
        assert any(i.year in range(year - 2, year + 1) and i.scope != "co_so" for i in p.initiatives)


_NAMES_A_YEAR = re.compile(r"\b(19|20)\d\d\b")


@settings(max_examples=200, deadline=None)
@given(p=histories(), year=ASSESSED)
def test_every_no_names_a_year_and_cites_the_basis_and_every_answer_carries_it(p, year):
    rule_set = rule_set_for(year=year)
    for result in history_assess(history=History(people=(p,)), year=year).results:
        assert result.basis == rule_set.basis
        if not result.eligible:
            reasons = failing(result)
            assert reasons
            for reason in reasons:
                assert _NAMES_A_YEAR.search(reason), reason
                assert reason.endswith(".") and " — " in reason
                assert any(article in reason for article in rule_set.articles.values()), reason


@settings(max_examples=100, deadline=None)
@given(people=st.lists(histories(), min_size=1, max_size=4), year=ASSESSED, data=st.data())
def test_removing_a_members_discipline_never_loses_a_collective_title(people, year, data):
    people = [replace(p, id=f"P{n}") for n, p in enumerate(people)]
    team = collective("T", unit="U", ratings={year: data.draw(st.sampled_from(RATINGS))}, leading_unit=[year])
    before = history_assess(history=History(people=tuple(people), collectives=(team,)), year=year)
    clean = [replace(p, discipline=()) for p in people]
    after = history_assess(history=History(people=tuple(clean), collectives=(team,)), year=year)
    for code in COLLECTIVE_CODES:
        if before.result(id="T", code=code).eligible:
            assert after.result(id="T", code=code).eligible


def test_the_rule_table_covers_every_year_with_one_rule_set_and_no_gap():
    days = [dt.date(2015, 1, 1) + dt.timedelta(days=n) for n in range(0, 365 * 15, 7)]
    for day in days:
        assert sum(rule_set.in_force_on(day) for rule_set in RULE_SETS) == 1
