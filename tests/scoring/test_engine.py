"""The scoring engine against COVENANT_FORMAT.md ("Scoring methods", "Ranking", "--json").

Worked examples for every method, then properties (hypothesis). No database, no Django.
"""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua.scoring.engine import (
    Adjustment,
    ContentRule,
    CriterionRule,
    CriterionScore,
    Result,
    Rules,
    ScoringError,
    UnitScore,
    criterion_rule,
    ranking_to_json,
    score_criterion,
    score_group,
    score_result,
)

D = Decimal


def rule(
    method: str,
    max_points: str | int = 60,
    direction: str = "higher",
    code: str = "I.1",
    content: str = "I",
    **params: object,
) -> CriterionRule:
    """A criterion; numeric params given as str/int become Decimals, `by` stays a word."""
    typed = {k: (v if k == "by" else D(str(v))) for k, v in params.items()}
    return CriterionRule(code, content, D(str(max_points)), method, direction, typed)


def score(crit: CriterionRule, unit: str = "A", **figures: str | int) -> CriterionScore:
    values = {k: D(str(v)) for k, v in figures.items()}
    return score_result(rule=crit, result=Result(unit, crit.code, **values))


def points(crit: CriterionRule, **figures: str | int) -> Decimal:
    return score(crit, **figures).points


# --------------------------------------------------------------------------------------------------
# plan_ratio
# --------------------------------------------------------------------------------------------------

BONUS = rule("plan_ratio", 60, penalty_per_pct=1, bonus_per_pct="0.5", bonus_cap=10)


def test_plan_ratio_adds_capped_bonus_above_plan():
    assert points(BONUS, target=150, actual="178.5") == D("69.50")  # p = 119 → 60 + 9,5
    assert points(BONUS, target=100, actual=200) == D("70.00")  # 50 × 0,5 = 25, capped at 10


def test_plan_ratio_explains_the_bonus_with_vietnamese_numbers():
    result = score(BONUS, target=100, actual="112.88")
    assert result.points == D("66.44")
    assert result.pct == D("112.88")
    assert (
        result.explanation(BONUS) == "Đạt 112,88% kế hoạch → 60 + min(10; 12,88 × 0,5) = 66,44 điểm"
    )


def test_plan_ratio_below_plan_is_proportional_by_default():
    crit = rule("plan_ratio", 60)
    result = score(crit, target=100, actual=95)
    assert result.points == D("57.00")
    assert result.explanation(crit) == "Đạt 95% kế hoạch → max(0; 60 − 5 × 0,6) = 57 điểm"


def test_plan_ratio_gives_no_bonus_by_default_and_exactly_max_at_plan():
    crit = rule("plan_ratio", 60)
    assert points(crit, target=100, actual=150) == D("60.00")
    assert points(crit, target=100, actual=100) == D("60.00")
    assert score(crit, target=100, actual=150).explanation(crit) == "Đạt 150% kế hoạch → 60 điểm"


def test_plan_ratio_never_goes_below_zero():
    assert points(rule("plan_ratio", 60, penalty_per_pct=1), target=100, actual=20) == D("0.00")


def test_plan_ratio_for_lower_is_better_uses_two_minus_the_ratio():
    crit = rule("plan_ratio", 60, direction="lower", bonus_per_pct="0.5", bonus_cap=10)
    under = score(crit, target=100, actual=90)  # 10 % under target → p = 110
    assert under.pct == D("110")
    assert under.points == D("65.00")
    assert points(crit, target=100, actual=105) == D("57.00")  # p = 95
    assert under.explanation(crit) == (
        "Đạt 110% kế hoạch (chỉ tiêu càng thấp càng tốt: p = (2 − 90 / 100) × 100)"
        " → 60 + min(10; 10 × 0,5) = 65 điểm"
    )


def test_plan_ratio_keeps_full_precision_until_the_final_rounding():
    crit = rule("plan_ratio", 10)
    result = score(crit, target=3, actual=2)  # p = 66,666…; 10 × 2/3 = 6,666… → 6,67
    assert result.points == D("6.67")
    assert result.pct is not None and result.pct > D("66.6666666666")
    assert result.explanation(crit) == "Đạt 66,67% kế hoạch → max(0; 10 − 33,33 × 0,1) = 6,67 điểm"


def test_final_points_are_rounded_half_up_not_half_even():
    crit = rule("plan_ratio", 100)
    assert points(crit, target=1000, actual="805.55") == D("80.56")  # 80,555 → 80,56
    assert points(crit, target=1000, actual="805.45") == D("80.55")  # 80,545 → 80,55 (not 80,54)


def test_plan_ratio_with_target_zero_is_an_error_naming_unit_and_criterion():
    with pytest.raises(ScoringError, match=r"KG-HONDAT.*I\.1"):
        score(rule("plan_ratio", 60), unit="KG-HONDAT", target=0, actual=5)


def test_plan_ratio_without_actual_or_target_is_missing_data():
    crit = rule("plan_ratio", 60)
    for result in (score(crit, target=100), score(crit, actual=100), score(crit)):
        assert result.missing and result.points == D("0.00") and result.pct is None
    assert score(crit, target=100).explanation(crit).startswith("Thiếu số liệu")
    assert score(crit, target=100).explanation(crit).endswith("→ 0 điểm")


def test_large_figures_are_not_rounded_by_the_decimal_context():
    crit = rule("plan_ratio", 1000, bonus_per_pct=1, bonus_cap=100000)
    # 123456789012345678901234,5 / 100000000000000000000000 × 100 = 123,4567890123456789012345
    result = score(crit, target="100000000000000000000000", actual="123456789012345678901234.5")
    assert result.pct == D("123.4567890123456789012345")
    assert result.points == D("1023.46")


# --------------------------------------------------------------------------------------------------
# threshold
# --------------------------------------------------------------------------------------------------


def test_threshold_gives_max_when_the_bar_is_met_and_explains_it():
    crit = rule("threshold", 20, threshold=81)
    met = score(crit, actual="86.97")
    assert met.points == D("20.00") and not met.missing
    assert met.explanation(crit) == "Thực hiện 86,97 ≥ ngưỡng 81 → đạt, 20 điểm"
    assert points(crit, actual=81) == D("20.00")


def test_threshold_gives_partial_points_or_zero_below_the_bar():
    assert points(rule("threshold", 20, threshold=81), actual=80) == D("0.00")
    crit = rule("threshold", 20, threshold=81, partial=5)
    assert points(crit, actual=80) == D("5.00")
    assert score(crit, actual=80).explanation(crit) == "Thực hiện 80 < ngưỡng 81 → chưa đạt, 5 điểm"


def test_threshold_without_a_threshold_uses_the_units_own_target():
    crit = rule("threshold", 20)
    assert points(crit, target=90, actual=90) == D("20.00")
    assert points(crit, target=90, actual="89.99") == D("0.00")
    assert score(crit, target=90, actual=95).explanation(crit) == (
        "Thực hiện 95 ≥ kế hoạch 90 → đạt, 20 điểm"
    )
    assert score(crit, actual=95).missing  # no bar at all
    assert points(crit, target=0, actual=0) == D("20.00")  # target 0 is fine: no p here


def test_threshold_for_lower_is_better_is_met_at_or_below_the_bar():
    crit = rule("threshold", 20, direction="lower", threshold=5)
    assert points(crit, actual=5) == D("20.00")
    assert points(crit, actual="4.5") == D("20.00")
    assert points(crit, actual="5.01") == D("0.00")
    assert score(crit, actual=6).explanation(crit) == "Thực hiện 6 > ngưỡng 5 → chưa đạt, 0 điểm"


def test_threshold_without_actual_is_missing_data():
    result = score(rule("threshold", 20, threshold=81))
    assert result.missing and result.points == D("0.00")


# --------------------------------------------------------------------------------------------------
# vs_baseline
# --------------------------------------------------------------------------------------------------


def test_vs_baseline_lower_is_full_marks_when_the_figure_fell():
    crit = rule("vs_baseline", 30, direction="lower")
    result = score(crit, actual=31, baseline=35)
    assert result.points == D("30.00")
    assert result.explanation(crit) == "Năm nay 31, kỳ trước 35: giảm 11,43% → đạt, 30 điểm"


def test_vs_baseline_lower_loses_points_per_percent_of_rise():
    crit = rule("vs_baseline", 30, direction="lower")
    # change = 5/35 × 100 = 14,2857…%; 30 − 14,2857… × 0,3 = 25,714… → 25,71
    result = score(crit, actual=40, baseline=35)
    assert result.points == D("25.71")
    assert result.explanation(crit) == (
        "Năm nay 40, kỳ trước 35: tăng 14,29% → max(0; 30 − 14,29 × 0,3) = 25,71 điểm"
    )
    assert (
        points(
            rule("vs_baseline", 30, direction="lower", penalty_per_pct=1), actual=70, baseline=35
        )
        == 0
    )


def test_vs_baseline_higher_loses_points_when_the_figure_fell():
    crit = rule("vs_baseline", 30)
    assert points(crit, actual=31, baseline=35) == D("26.57")  # 30 − 11,428…% × 0,3 = 26,571…
    assert points(crit, actual=40, baseline=35) == D("30.00")
    assert points(crit, actual=35, baseline=35) == D("30.00")
    assert score(crit, actual=35, baseline=35).explanation(crit) == (
        "Năm nay 35, kỳ trước 35: không đổi → đạt, 30 điểm"
    )


def test_vs_baseline_with_zero_baseline_compares_the_actual_with_zero():
    higher = rule("vs_baseline", 30)
    lower = rule("vs_baseline", 30, direction="lower")
    assert points(higher, actual=0, baseline=0) == D("30.00")
    assert points(higher, actual=3, baseline=0) == D("30.00")
    assert points(higher, actual=-1, baseline=0) == D("0.00")
    assert points(lower, actual=0, baseline=0) == D("30.00")
    assert points(lower, actual=-2, baseline=0) == D("30.00")
    assert points(lower, actual=2, baseline=0) == D("0.00")
    assert score(lower, actual=2, baseline=0).explanation(lower) == (
        "Năm nay 2, kỳ trước 0 → chưa đạt (kém hơn 0), 0 điểm"
    )


def test_vs_baseline_without_baseline_or_actual_is_missing_data():
    crit = rule("vs_baseline", 30)
    assert score(crit, actual=31).missing
    assert score(crit, baseline=31).missing
    assert (
        score(crit, actual=31).explanation(crit) == "Thiếu số liệu (chưa có số kỳ trước) → 0 điểm"
    )


# --------------------------------------------------------------------------------------------------
# rank
# --------------------------------------------------------------------------------------------------

UNITS = ("A", "B", "C", "D", "E")


def ranked(crit: CriterionRule, **actuals: str | int | None) -> dict[str, CriterionScore]:
    results = [Result(u, crit.code, actual=D(str(a))) for u, a in actuals.items() if a is not None]
    return score_criterion(rule=crit, units=list(actuals), results=results)


def test_rank_ties_share_the_better_rank_and_skip_the_next():
    crit = rule("rank", 50, step=5)
    scores = ranked(crit, A=10, B=20, C=20, D=5, E=30)
    assert [scores[u].trace[0] for u in "EBCAD"] == [1, 2, 2, 4, 5]
    assert [scores[u].points for u in "EBCAD"] == [D(50), D(45), D(45), D(35), D(30)]
    assert (
        scores["B"].explanation(crit)
        == "Xếp thứ 2/5 theo thực hiện (20) → 50 − (2 − 1) × 5 = 45 điểm"
    )
    assert scores["E"].explanation(crit) == "Xếp thứ 1/5 theo thực hiện (30) → 50 điểm"


def test_rank_points_do_not_fall_below_min_points():
    crit = rule("rank", 50, step=5, min_points=40)
    scores = ranked(crit, A=10, B=20, C=20, D=5, E=30)
    assert [scores[u].points for u in "EBCAD"] == [D(50), D(45), D(45), D(40), D(40)]
    assert scores["D"].explanation(crit) == (
        "Xếp thứ 5/5 theo thực hiện (5) → max(40; 50 − (5 − 1) × 5) = 40 điểm"
    )


def test_rank_for_lower_is_better_puts_the_smallest_actual_first():
    scores = ranked(rule("rank", 50, direction="lower", step=5), A=10, B=20, C=20, D=5, E=30)
    assert [scores[u].trace[0] for u in "DABCE"] == [1, 2, 3, 3, 5]


def test_rank_ignores_units_without_a_result_and_gives_them_zero():
    scores = ranked(rule("rank", 50, step=5), A=10, B=None, C=20)
    assert scores["B"].missing and scores["B"].points == 0
    assert scores["C"].trace[:2] == (1, 2) and scores["A"].trace[:2] == (2, 2)
    assert scores["A"].points == D(45)


def test_rank_by_pct_of_plan_ranks_higher_p_first_whatever_the_direction():
    crit = rule("rank", 50, direction="lower", step=10, by="pct_of_plan")
    results = [
        Result("A", "I.1", target=D(100), actual=D(90)),  # p = 110
        Result("B", "I.1", target=D(50), actual=D(50)),  # p = 100
        Result("C", "I.1", target=D(200), actual=D(180)),  # p = 110
        Result("D", "I.1", actual=D(1)),  # no target: not ranked
    ]
    scores = score_criterion(rule=crit, units=["A", "B", "C", "D"], results=results)
    assert [scores[u].trace[:2] for u in "ACB"] == [(1, 3), (1, 3), (3, 3)]
    assert [scores[u].points for u in "ACBD"] == [D(50), D(50), D(30), D(0)]
    assert scores["A"].pct == D(110) and scores["D"].missing
    with pytest.raises(ScoringError, match=r"B.*I\.1"):
        score_criterion(
            rule=crit, units=["B"], results=[Result("B", "I.1", target=D(0), actual=D(1))]
        )


def test_rank_needs_the_whole_group():
    with pytest.raises(ScoringError):
        score(rule("rank", 50, step=5), actual=1)


# --------------------------------------------------------------------------------------------------
# manual and errors
# --------------------------------------------------------------------------------------------------


def test_manual_takes_the_points_given():
    crit = rule("manual", 50)
    assert points(crit, points=45) == D("45.00")
    assert points(crit, points="44.555") == D("44.56")
    assert score(crit, points=45).explanation(crit) == "Điểm chấm: 45"
    assert score(crit, points=45) == CriterionScore(D("45.00"), False, None, (D(45),))


def test_manual_without_points_is_missing_data():
    crit = rule("manual", 50)
    result = score(crit, actual=45)
    assert result.missing and result.points == 0
    assert result.explanation(crit) == "Thiếu số liệu (chưa có điểm chấm) → 0 điểm"


def test_unknown_method_is_an_error():
    with pytest.raises(ScoringError, match="I.1"):
        score(rule("lucky_draw", 50), actual=1)


def test_missing_result_explains_itself():
    crit = rule("manual", 50)
    assert score_result(rule=crit, result=None).explanation(crit) == (
        "Thiếu số liệu (chưa có kết quả) → 0 điểm"
    )


# --------------------------------------------------------------------------------------------------
# score_group and the ranking of units
# --------------------------------------------------------------------------------------------------


def two_content_rules() -> Rules:
    criteria = {
        "I.1": rule("manual", 60, code="I.1", content="I"),
        "I.2": rule("manual", 40, code="I.2", content="I"),
        "II.1": rule("manual", 50, code="II.1", content="II"),
    }
    return Rules(
        (ContentRule("I", D(100), ("I.1", "I.2")), ContentRule("II", D(50), ("II.1",))), criteria
    )


def manual_results(unit: str, i1: str, i2: str, ii1: str) -> list[Result]:
    return [
        Result(unit, "I.1", points=D(i1)),
        Result(unit, "I.2", points=D(i2)),
        Result(unit, "II.1", points=D(ii1)),
    ]


def test_total_is_the_sum_of_rounded_criterion_points_plus_adjustments():
    rules = two_content_rules()
    results = manual_results("A", "10.005", "10.005", "1")  # each rounds to 10,01
    [line] = score_group(
        rules=rules, units=["A"], results=results, adjustments=[Adjustment("A", D(-5), "Nộp chậm")]
    )
    assert line.contents == {"I": D("20.02"), "II": D("1.00")}
    assert line.adjustments == D(-5)
    assert line.total == D("16.02")
    assert list(line.criteria) == ["I.1", "I.2", "II.1"]


def test_equal_totals_are_ordered_by_first_then_second_content():
    rules = Rules(
        (
            ContentRule("I", D(100), ("I.1",)),
            ContentRule("II", D(100), ("II.1",)),
            ContentRule("III", D(100), ("III.1",)),
        ),
        {
            "I.1": rule("manual", 100, code="I.1", content="I"),
            "II.1": rule("manual", 100, code="II.1", content="II"),
            "III.1": rule("manual", 100, code="III.1", content="III"),
        },
    )

    def unit(code: str, a: int, b: int, c: int) -> list[Result]:
        return [
            Result(code, "I.1", points=D(a)),
            Result(code, "II.1", points=D(b)),
            Result(code, "III.1", points=D(c)),
        ]

    results = (
        unit("A", 30, 30, 30) + unit("B", 40, 20, 30) + unit("C", 30, 40, 20) + unit("D", 99, 0, 0)
    )
    ranking = score_group(rules=rules, units=["A", "B", "C", "D"], results=results)
    # D 99; then A, B, C all 90: B leads on I (40), C beats A on II (40 > 30).
    assert [(s.rank, s.unit) for s in ranking] == [(1, "D"), (2, "B"), (3, "C"), (4, "A")]


def test_units_still_equal_share_a_rank_and_are_listed_by_code():
    rules = two_content_rules()
    results = (
        manual_results("KG-TANHIEP", "50", "30", "40")
        + manual_results("KG-GIONGRIENG", "50", "30", "40")
        + manual_results("KG-ANBIEN", "60", "40", "50")
        + manual_results("KG-HONDAT", "50", "30", "40")
    )
    units = ["KG-TANHIEP", "KG-GIONGRIENG", "KG-ANBIEN", "KG-HONDAT"]
    ranking = score_group(rules=rules, units=units, results=results)
    assert [(s.rank, s.unit) for s in ranking] == [
        (1, "KG-ANBIEN"),
        (2, "KG-GIONGRIENG"),
        (2, "KG-HONDAT"),
        (2, "KG-TANHIEP"),
    ]


def test_adjustments_can_change_the_order():
    rules = two_content_rules()
    results = manual_results("A", "50", "30", "40") + manual_results("B", "49", "30", "40")
    ranking = score_group(
        rules=rules, units=["A", "B"], results=results, adjustments=[Adjustment("A", D(-2))]
    )
    assert [(s.rank, s.unit, s.total) for s in ranking] == [
        (1, "B", D("119.00")),
        (2, "A", D("118.00")),
    ]


def test_a_unit_without_any_result_still_appears_with_zero_and_missing_everywhere():
    rules = two_content_rules()
    ranking = score_group(rules=rules, units=["A", "Z"], results=manual_results("A", "1", "1", "1"))
    last = ranking[-1]
    assert (last.rank, last.unit, last.total) == (2, "Z", D(0))
    assert all(s.missing and s.points == 0 for s in last.criteria.values())
    assert last.contents == {"I": D(0), "II": D(0)}


def test_results_for_strangers_unknown_criteria_or_twice_are_errors():
    rules = two_content_rules()
    with pytest.raises(ScoringError, match="X"):
        score_group(rules=rules, units=["A"], results=[Result("X", "I.1", points=D(1))])
    with pytest.raises(ScoringError, match="IX.9"):
        score_group(rules=rules, units=["A"], results=[Result("A", "IX.9", points=D(1))])
    with pytest.raises(ScoringError, match="I.1"):
        score_group(rules=rules, units=["A"], results=[Result("A", "I.1", points=D(1))] * 2)
    with pytest.raises(ScoringError, match="X"):
        score_group(rules=rules, units=["A"], results=[], adjustments=[Adjustment("X", D(1))])


def test_score_group_mixes_methods_and_ranks_within_the_group():
    criteria = {
        "I.1": rule(
            "plan_ratio", 60, code="I.1", penalty_per_pct=1, bonus_per_pct="0.5", bonus_cap=10
        ),
        "I.2": rule("rank", 40, code="I.2", step=10),
        "I.3": rule("vs_baseline", 30, code="I.3", direction="lower"),
    }
    rules = Rules((ContentRule("I", D(130), ("I.1", "I.2", "I.3")),), criteria)
    results = [
        Result("A", "I.1", target=D(150), actual=D("178.5")),  # 69,5
        Result("A", "I.2", actual=D(3)),  # rank 2 → 30
        Result("A", "I.3", actual=D(31), baseline=D(35)),  # 30
        Result("B", "I.1", target=D(100), actual=D(95)),  # 55
        Result("B", "I.2", actual=D(7)),  # rank 1 → 40
    ]
    ranking = score_group(rules=rules, units=["A", "B"], results=results)
    assert [(s.unit, s.total) for s in ranking] == [("A", D("129.50")), ("B", D("95.00"))]
    assert ranking[1].criteria["I.3"].missing


# --------------------------------------------------------------------------------------------------
# ranking_to_json
# --------------------------------------------------------------------------------------------------


def test_ranking_to_json_has_the_shape_of_the_spec_with_two_decimal_floats():
    ranking = [
        UnitScore(
            1,
            "KG-GIONGRIENG",
            D("912.00"),
            D("0"),
            {"I": D("540.00"), "II": D("190.00"), "III": D("182.00")},
            {
                "I.1": CriterionScore(D("62.50"), False, None, ()),
                "I.2": CriterionScore(D("40.00"), False, None, ()),
            },
        ),
        UnitScore(
            2,
            "KG-TANHIEP",
            D("911.43"),
            D("-5.00"),
            {"I": D("539.43"), "II": D("190.00"), "III": D("187.00")},
            {
                "I.1": CriterionScore(D("61.43"), False, None, ()),
                "I.2": CriterionScore(D("0.00"), True, None, ("actual",)),
            },
        ),
    ]
    data = ranking_to_json(group="KG-CTD2", year=2017, scale=D(1000), ranking=ranking)
    assert data == {
        "group": "KG-CTD2",
        "year": 2017,
        "scale": 1000,
        "ranking": [
            {
                "rank": 1,
                "unit": "KG-GIONGRIENG",
                "total": 912.0,
                "adjustments": 0.0,
                "contents": {"I": 540.0, "II": 190.0, "III": 182.0},
                "criteria": {"I.1": 62.5, "I.2": 40.0},
            },
            {
                "rank": 2,
                "unit": "KG-TANHIEP",
                "total": 911.43,
                "adjustments": -5.0,
                "contents": {"I": 539.43, "II": 190.0, "III": 187.0},
                "criteria": {"I.1": 61.43, "I.2": 0.0},
            },
        ],
    }
    assert list(data) == ["group", "year", "scale", "ranking"]
    assert list(data["ranking"][0]["contents"]) == ["I", "II", "III"]
    assert isinstance(data["scale"], int) and isinstance(data["ranking"][1]["total"], float)


def test_ranking_to_json_follows_score_group_order():
    rules = two_content_rules()
    results = manual_results("A", "1", "2", "3") + manual_results("B", "10", "20", "30")
    data = ranking_to_json(
        group="G",
        year=2025,
        scale=D(1000),
        ranking=score_group(rules=rules, units=["A", "B"], results=results),
    )
    assert [(u["rank"], u["unit"], u["total"]) for u in data["ranking"]] == [
        (1, "B", 60.0),
        (2, "A", 6.0),
    ]
    assert list(data["ranking"][0]["criteria"]) == ["I.1", "I.2", "II.1"]


# --------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------


def money(low: str, high: str, places: int = 2) -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=D(low), max_value=D(high), places=places, allow_nan=False, allow_infinity=False
    )


DIRECTIONS = st.sampled_from(["higher", "lower"])
MAX_POINTS = money("1", "200", 1)


@st.composite
def monotone_criteria(draw: st.DrawFn) -> CriterionRule:
    method = draw(st.sampled_from(["plan_ratio", "threshold", "vs_baseline"]))
    max_points = draw(MAX_POINTS)
    direction = draw(DIRECTIONS)
    params: dict[str, object] = {}
    if method == "plan_ratio":
        for name in ("penalty_per_pct", "bonus_per_pct", "bonus_cap"):
            if draw(st.booleans()):
                params[name] = draw(money("0", "20", 2))
    elif method == "threshold":
        if draw(st.booleans()):
            params["threshold"] = draw(money("0", "1000", 2))
        if draw(st.booleans()):
            params["partial"] = draw(money("0", str(max_points), 2))
    elif draw(st.booleans()):
        params["penalty_per_pct"] = draw(money("0", "20", 2))
    return CriterionRule("I.1", "I", max_points, method, direction, params)


@settings(max_examples=200, deadline=None)
@given(
    crit=monotone_criteria(),
    target=money("0.01", "1000"),
    baseline=money("0", "1000"),
    actuals=st.tuples(money("-100", "3000"), money("-100", "3000")).map(sorted),
)
def test_a_larger_actual_never_scores_worse_in_the_criterions_direction(
    crit, target, baseline, actuals
):
    small, large = (
        score_result(
            rule=crit, result=Result("A", "I.1", target=target, actual=a, baseline=baseline)
        )
        for a in actuals
    )
    if crit.direction == "higher":
        assert small.points <= large.points
    else:
        assert small.points >= large.points


@st.composite
def groups(draw: st.DrawFn) -> tuple[Rules, list[str], list[Result], list[Adjustment]]:
    n_contents = draw(st.integers(1, 3))
    contents: list[ContentRule] = []
    criteria: dict[str, CriterionRule] = {}
    for c in range(n_contents):
        codes = []
        for k in range(draw(st.integers(1, 3))):
            code = f"{c + 1}.{k + 1}"
            method = draw(
                st.sampled_from(["plan_ratio", "threshold", "vs_baseline", "rank", "manual"])
            )
            params: dict[str, object] = {}
            if method == "rank":
                params = {
                    "step": draw(money("0", "10", 1)),
                    "by": draw(st.sampled_from(["actual", "pct_of_plan"])),
                }
            elif method == "plan_ratio":
                params = {"bonus_per_pct": D("0.5"), "bonus_cap": D(5)}
            criteria[code] = CriterionRule(
                code, str(c), draw(MAX_POINTS), method, draw(DIRECTIONS), params
            )
            codes.append(code)
        contents.append(ContentRule(str(c), D(100), tuple(codes)))
    # Few distinct values so that ties happen.
    units = [f"U{i}" for i in range(draw(st.integers(1, 6)))]
    small = st.sampled_from([None, D(0), D("0.5"), D(1), D(2), D("3.335")])
    results = []
    for unit in units:
        for code in criteria:
            if draw(st.integers(0, 5)) == 0:
                continue
            target = draw(st.sampled_from([None, D(1), D(2), D(3)]))
            results.append(Result(unit, code, target, draw(small), draw(small), draw(small)))
    adjustments = [
        Adjustment(draw(st.sampled_from(units)), draw(money("-5", "5", 2)))
        for _ in range(draw(st.integers(0, 3)))
    ]
    return Rules(tuple(contents), criteria), units, results, adjustments


@settings(max_examples=200, deadline=None)
@given(group=groups())
def test_totals_add_up_and_ranks_follow_the_tie_rules(group):
    rules, units, results, adjustments = group
    ranking = score_group(rules=rules, units=units, results=results, adjustments=adjustments)
    assert sorted(s.unit for s in ranking) == sorted(units)
    for s in ranking:
        expected_adjustments = sum((a.points for a in adjustments if a.unit == s.unit), D(0))
        assert s.adjustments == expected_adjustments
        for content in rules.contents:
            assert s.contents[content.code] == sum(s.criteria[c].points for c in content.criteria)
        assert s.total == sum(c.points for c in s.criteria.values()) + expected_adjustments
        assert all(c.points == c.points.quantize(D("0.01")) for c in s.criteria.values())

    def key(s: UnitScore) -> tuple[Decimal, ...]:
        return (s.total, *s.contents.values())

    for s in ranking:
        assert s.rank == 1 + sum(1 for o in ranking if key(o) > key(s))
    for before, after in itertools.pairwise(ranking):
        assert before.rank <= after.rank
        assert key(before) >= key(after)
        if key(before) == key(after):
            assert before.rank == after.rank and before.unit < after.unit


@settings(max_examples=100, deadline=None)
@given(group=groups())
def test_every_score_can_explain_itself(group):
    rules, units, results, _ = group
    for s in score_group(rules=rules, units=units, results=results):
        for code, criterion_score in s.criteria.items():
            text = criterion_score.explanation(rules.criteria[code])
            assert text and "điểm" in text.lower() or text.startswith("Điểm chấm")


def reference_points(crit: CriterionRule, r: Result) -> Decimal | None:
    """COVENANT_FORMAT.md's table read literally, in exact fractions; None means missing data."""
    F = Fraction
    top = F(crit.max_points)
    par = {k: F(v) for k, v in crit.params.items()}
    lower = crit.direction == "lower"
    if r.actual is None:
        return None
    actual = F(r.actual)
    if crit.method == "plan_ratio":
        if r.target is None:
            return None
        ratio = actual / F(r.target)
        p = (2 - ratio) * 100 if lower else ratio * 100
        if p >= 100:
            raw = top + min(par.get("bonus_cap", F(0)), (p - 100) * par.get("bonus_per_pct", F(0)))
        else:
            raw = max(F(0), top - (100 - p) * par.get("penalty_per_pct", top / 100))
    elif crit.method == "threshold":
        bar = par.get("threshold", None if r.target is None else F(r.target))
        if bar is None:
            return None
        meets = actual <= bar if lower else actual >= bar
        raw = top if meets else par.get("partial", F(0))
    else:  # vs_baseline
        if r.baseline is None:
            return None
        baseline = F(r.baseline)
        penalty = par.get("penalty_per_pct", top / 100)
        if baseline == 0:
            raw = top if (actual <= 0 if lower else actual >= 0) else F(0)
        else:
            change = (actual - baseline) / baseline * 100
            if lower:
                raw = top if change <= 0 else max(F(0), top - change * penalty)
            else:
                raw = top if change >= 0 else max(F(0), top + change * penalty)
    cents = raw * 100
    rounded = math.floor(cents + F(1, 2)) if cents >= 0 else -math.floor(-cents + F(1, 2))
    return Decimal(rounded) / 100


@settings(max_examples=300, deadline=None)
@given(
    crit=monotone_criteria(),
    target=st.one_of(st.none(), money("0", "500", 3)),
    actual=st.one_of(st.none(), money("-500", "1500", 3)),
    baseline=st.one_of(st.none(), money("-500", "500", 3)),
)
def test_points_agree_to_the_cent_with_an_exact_fraction_reading_of_the_spec(
    crit, target, actual, baseline
):
    result = Result("A", "I.1", target=target, actual=actual, baseline=baseline)
    if crit.method == "plan_ratio" and actual is not None and target == 0:
        with pytest.raises(ScoringError):
            score_result(rule=crit, result=result)
        return
    expected = reference_points(crit, result)
    got = score_result(rule=crit, result=result)
    if expected is None:
        assert got.missing and got.points == 0
    else:
        assert not got.missing and got.points == expected


@settings(max_examples=200, deadline=None)
@given(
    direction=DIRECTIONS,
    step=money("0", "10", 1),
    min_points=money("0", "20", 0),
    actuals=st.lists(
        st.one_of(st.none(), st.sampled_from([D(-1), D(0), D("1.5"), D(2), D(7)])), max_size=8
    ),
)
def test_rank_is_one_plus_the_number_of_strictly_better_units(direction, step, min_points, actuals):
    crit = rule("rank", 50, direction=direction, step=step, min_points=min_points)
    units = [f"U{i}" for i in range(len(actuals))]
    results = [Result(u, "I.1", actual=a) for u, a in zip(units, actuals) if a is not None]
    scores = score_criterion(rule=crit, units=units, results=results)
    values = [a for a in actuals if a is not None]
    for unit, actual in zip(units, actuals):
        if actual is None:
            assert scores[unit].missing and scores[unit].points == 0
            continue
        better = sum(1 for v in values if (v < actual if direction == "lower" else v > actual))
        assert scores[unit].trace[:2] == (1 + better, len(values))
        assert scores[unit].points == max(min_points, 50 - better * step).quantize(D("0.01"))


@pytest.mark.parametrize(
    ("rule_args", "figures", "expected"),
    [
        # p = (2 − 8,05/6) × 100 = 65,8333…: 15 − 34,1666… × 0,15 = 9,875 exactly → 9,88
        ({"max_points": "15", "method": "plan_ratio", "direction": "lower"}, {"target": "6", "actual": "8.05"}, "9.88"),
        # p = 2,333/2,4 × 100 = 97,2083…: 10 − 2,7916… × 3 = 1,625 → 1,63
        ({"max_points": "10", "method": "plan_ratio", "params": {"penalty_per_pct": "3"}}, {"target": "2.4", "actual": "2.333"}, "1.63"),
        # p = 100,333…: 10 + 0,333… × 0,015 = 10,005 → 10,01
        ({"max_points": "10", "method": "plan_ratio", "params": {"bonus_per_pct": "0.015", "bonus_cap": "1"}}, {"target": "3", "actual": "3.01"}, "10.01"),
        # change = −30,4166…%: 10 − 30,4166… × 0,3 = 0,875 → 0,88
        ({"max_points": "10", "method": "vs_baseline", "params": {"penalty_per_pct": "0.3"}}, {"baseline": "12", "actual": "8.35"}, "0.88"),
    ],
)
def test_points_exactly_at_a_half_hundredth_round_up_even_when_a_quotient_repeats(rule_args, figures, expected):
    params = {k: Decimal(v) for k, v in rule_args.pop("params", {}).items()}
    crit = CriterionRule(code="X", content="I", params=params, **{**rule_args, "max_points": Decimal(rule_args["max_points"])})
    result = Result(unit="A", criterion="X", **{k: Decimal(v) for k, v in figures.items()})
    assert score_criterion(rule=crit, units=["A"], results=[result])["A"].points == Decimal(expected)


# --------------------------------------------------------------------------------------------------
# The stored scores of score_group (one column per criterion, CriterionScores built when asked for)
# --------------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(group=groups())
def test_every_cell_of_a_group_is_the_score_of_its_criterion_alone(group):
    """score_group lays a whole covenant out flat (cell j·n + i); scoring one criterion at a time
    lays out a single column: both must give the same CriterionScore, p and trace included, and
    the criteria of a line come in covenant order."""
    rules, units, results, _ = group
    ranking = score_group(rules=rules, units=units, results=results)
    alone = {
        code: score_criterion(rule=rules.criteria[code], units=units, results=results)
        for content in rules.contents
        for code in content.criteria
    }
    order = [code for content in rules.contents for code in content.criteria]
    for line in ranking:
        assert list(line.criteria) == order and len(line.criteria) == len(order)
        assert dict(line.criteria) == {code: alone[code][line.unit] for code in order}


@settings(max_examples=200, deadline=None)
@given(group=groups())
def test_group_points_agree_to_the_cent_with_an_exact_fraction_reading_of_the_spec(group):
    rules, units, results, _ = group
    by_cell = {(r.unit, r.criterion): r for r in results}
    for line in score_group(rules=rules, units=units, results=results):
        for code, got in line.criteria.items():
            crit = rules.criteria[code]
            result = by_cell.get((line.unit, code))
            if crit.method in ("rank", "manual") or (
                crit.method == "plan_ratio" and result is not None and result.target is not None
                and result.target == 0
            ):
                continue  # rank: see the rank tests; manual: the points given; target 0 raises
            expected = None if result is None else reference_points(crit, result)
            if expected is None:
                assert got.missing and got.points == 0
            else:
                assert not got.missing and got.points == expected


def test_score_group_takes_database_rows_as_plain_tuples():
    rules = Rules(
        (ContentRule("I", D(100), ("I.1", "I.2")),),
        {"I.1": rule("plan_ratio", 60, code="I.1", bonus_per_pct="0.5", bonus_cap=10),
         "I.2": rule("manual", 40, code="I.2")},
    )
    rows = [("A", "I.1", D(150), D("178.5"), None, None), ("A", "I.2", None, None, None, D(45))]
    named = [Result(*row) for row in rows]
    [from_tuples] = score_group(rules=rules, units=["A"], results=rows)
    [from_results] = score_group(rules=rules, units=["A"], results=named)
    assert from_tuples.total == from_results.total == D("114.50")  # 60 + min(10; 19 × 0,5) + 45
    assert dict(from_tuples.criteria) == dict(from_results.criteria)
    assert from_tuples.criteria["I.1"].pct == D(119) and from_tuples.criteria["I.1"].trace == (D(150), D("178.5"))


def test_criterion_rule_builds_the_same_frozen_rule_as_the_constructor():
    import dataclasses

    fast = criterion_rule("I.1", "I", D(60), "plan_ratio", "lower", {"bonus_cap": D(10)})
    assert fast == CriterionRule("I.1", "I", D(60), "plan_ratio", "lower", {"bonus_cap": D(10)})
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.max_points = D(1)  # type: ignore[misc]
