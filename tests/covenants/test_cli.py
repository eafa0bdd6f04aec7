"""`thidua import`, `thidua export` and `thidua score` against COVENANT_FORMAT.md.

The numbers are checked against tests/scoring/reference.py, an independent exact (Fraction)
implementation of the spec's scoring and ranking, and, for the hand-written cases, against points
worked out by hand in the comments.
"""

from __future__ import annotations

import io
import itertools
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.scoring.reference import reference_scores
from thidua.audit.models import AuditEvent
from thidua.covenants.models import (
    Adjustment,
    Amendment,
    Content,
    Covenant,
    Criterion,
    Result,
)
from thidua.covenants.services import covenant_sign
from thidua.org.models import Group, GroupYear, Membership, Unit

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------ helpers


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def import_text(tmp_path, name: str, text: str, **options) -> str:
    return run("import", str(write(tmp_path, name, text)), **options)


def score_json(group: str, year: int) -> dict:
    return json.loads(run("score", group, str(year), "--json"))


def snapshot() -> dict:
    """Everything an import may touch, value by value."""
    tables = [Unit, Group, GroupYear, Membership, Covenant, Content, Criterion, Result, Adjustment, Amendment]
    state = {model.__name__: list(model.objects.order_by("pk").values()) for model in tables}
    state["AuditEvent"] = AuditEvent.objects.count()
    return state


# ------------------------------------------------------------------------------ every method, by hand

EVERY_METHOD = """\
format: thidua-covenant/1
group: {code: HT-CUM, name: Cụm thi đua thử nghiệm, kind: cluster, organiser: UBND tỉnh Thử}
year: 2024
scale: 1000
members:
  - {code: HT-D, name: Huyện Đông, kind: district}
  - {code: HT-C, name: Huyện Cẩm, kind: district}
  - {code: HT-B, name: Huyện Bắc, kind: district}
  - {code: HT-A, name: Huyện An, kind: district}
roles: {leader: HT-A, deputies: [HT-B]}
contents:
  - code: "I"
    title: Kinh tế
    max_points: 245
    criteria:
      - {code: "I.1", title: Thu ngân sách, max_points: 60, direction: higher, method: plan_ratio,
         params: {penalty_per_pct: 1, bonus_per_pct: 0.5, bonus_cap: 10}}
      - {code: "I.2", title: Tỷ lệ hộ nghèo, max_points: 40, measure: "%", direction: lower, method: plan_ratio}
      - {code: "I.3", title: Giá trị sản xuất, max_points: 100, method: plan_ratio}
      - {code: "I.4", title: Tỷ lệ tiêm chủng, max_points: 20, method: threshold,
         params: {threshold: 95, partial: 5}}
      - {code: "I.5", title: Số vụ cháy, max_points: 15, direction: lower, method: threshold}
      - {code: "I.6", title: Vốn đầu tư, max_points: 10, method: plan_ratio}
  - code: "II"
    title: Xã hội
    max_points: 115
    criteria:
      - {code: "II.1", title: Tai nạn giao thông, max_points: 30, direction: lower, method: vs_baseline,
         params: {penalty_per_pct: 2}}
      - {code: "II.2", title: Học sinh đến trường, max_points: 20, direction: higher, method: vs_baseline}
      - {code: "II.3", title: Số ngày chậm báo cáo, max_points: 25, direction: lower, method: rank,
         params: {step: 10, min_points: 10}}
      - {code: "II.4", title: Thu hút đầu tư, max_points: 30, method: rank, params: {by: pct_of_plan, step: 4}}
      - {code: "II.5", title: Chi phí hành chính, max_points: 10, direction: lower, method: rank,
         params: {by: pct_of_plan, step: 2}}
  - code: "III"
    title: Xây dựng Đảng
    max_points: 50
    criteria:
      - {code: "III.1", title: Công tác xây dựng Đảng, max_points: 50, method: manual}
results:
  - {unit: HT-A, criterion: "I.1", target: 150, actual: 178.5}
  - {unit: HT-B, criterion: "I.1", target: 100, actual: 130}
  - {unit: HT-C, criterion: "I.1", target: 200, actual: 180}
  - {unit: HT-D, criterion: "I.1", target: 100, actual: 20}
  - {unit: HT-A, criterion: "I.2", target: 10, actual: 9}
  - {unit: HT-B, criterion: "I.2", target: 10, actual: 12}
  - {unit: HT-C, criterion: "I.2", target: 8, actual: 8.5}
  - {unit: HT-A, criterion: "I.3", target: 100, actual: 80.555}
  - {unit: HT-B, criterion: "I.3", target: 3, actual: 1}
  - {unit: HT-C, criterion: "I.3", target: 200, actual: 161.11}
  - {unit: HT-D, criterion: "I.3", target: 100, actual: 0}
  - {unit: HT-A, criterion: "I.4", actual: 95}
  - {unit: HT-B, criterion: "I.4", actual: 94.99}
  - {unit: HT-C, criterion: "I.4", target: 90, note: chưa báo cáo}
  - {unit: HT-D, criterion: "I.4", actual: 100}
  - {unit: HT-A, criterion: "I.5", target: 3, actual: 3}
  - {unit: HT-B, criterion: "I.5", target: 3, actual: 3.1}
  - {unit: HT-C, criterion: "I.5", target: 0, actual: 0}
  - {unit: HT-D, criterion: "I.5", target: 5, actual: 2}
  - {unit: HT-A, criterion: "I.6", target: 1000, actual: 100.5}
  - {unit: HT-B, criterion: "I.6", target: 100, actual: 100}
  - {unit: HT-A, criterion: "II.1", actual: 31, baseline: 35}
  - {unit: HT-B, criterion: "II.1", actual: 36.75, baseline: 35}
  - {unit: HT-C, criterion: "II.1", actual: 70, baseline: 35}
  - {unit: HT-D, criterion: "II.1", actual: 5, baseline: 0}
  - {unit: HT-A, criterion: "II.2", actual: 90, baseline: 100}
  - {unit: HT-B, criterion: "II.2", actual: 120, baseline: 100}
  - {unit: HT-C, criterion: "II.2", actual: 0, baseline: 0}
  - {unit: HT-D, criterion: "II.2", actual: 99.9, baseline: 100}
  - {unit: HT-A, criterion: "II.3", actual: 3}
  - {unit: HT-B, criterion: "II.3", actual: 1}
  - {unit: HT-C, criterion: "II.3", actual: 3}
  - {unit: HT-D, criterion: "II.3", actual: 7}
  - {unit: HT-A, criterion: "II.4", target: 100, actual: 110}
  - {unit: HT-B, criterion: "II.4", target: 50, actual: 55}
  - {unit: HT-C, criterion: "II.4", target: 200, actual: 240}
  - {unit: HT-A, criterion: "II.5", target: 10, actual: 8}
  - {unit: HT-B, criterion: "II.5", target: 10, actual: 10}
  - {unit: HT-C, criterion: "II.5", target: 4, actual: 5}
  - {unit: HT-D, criterion: "II.5", target: 5, actual: 4}
  - {unit: HT-A, criterion: "III.1", points: 45}
  - {unit: HT-B, criterion: "III.1", points: 50}
  - {unit: HT-C, criterion: "III.1", points: 0}
adjustments:
  - {unit: HT-A, points: 2.5, reason: Tổ chức hội nghị}
  - {unit: HT-C, points: -5, reason: Nộp báo cáo chậm}
  - {unit: HT-A, points: -1, reason: Sai số liệu}
"""

# Worked out by hand from COVENANT_FORMAT.md (p = % of plan; defaults in brackets).
EVERY_METHOD_POINTS = {
    "HT-A": {
        "I.1": 69.5,   # p 119 → 60 + min(10, 19 × 0,5)
        "I.2": 40.0,   # lower: p = (2 − 0,9) × 100 = 110 → 40 (+ bonus 0, cap 0)
        "I.3": 80.56,  # p 80,555 → 100 − 19,445 × 1 = 80,555 → half up
        "I.4": 20.0,   # 95 ≥ threshold 95
        "I.5": 15.0,   # lower, bar = own target 3: 3 ≤ 3
        "I.6": 1.01,   # p 10,05 → 10 − 89,95 × 0,1 = 1,005 → half up (a float would give 1,00)
        "II.1": 30.0,  # lower: change −11,4 % ≤ 0
        "II.2": 18.0,  # higher: change −10 % → 20 − 10 × 0,2
        "II.3": 15.0,  # lower rank on 3, 1, 3, 7 → B 1, A C 2, D 4; 25 − 10
        "II.4": 26.0,  # p 110, 110, 120 → C 1, A B 2; 30 − 4; D has no result
        "II.5": 10.0,  # lower p: A 120, B 100, C 75, D 120 → A D 1, B 3, C 4
        "III.1": 45.0,
    },
    "HT-B": {
        "I.1": 70.0,   # p 130 → 60 + min(10, 15)
        "I.2": 32.0,   # p 80 → 40 − 20 × 0,4
        "I.3": 33.33,  # p 33,33… → 33,333…
        "I.4": 5.0,    # 94,99 < 95 → partial
        "I.5": 0.0,    # 3,1 > 3
        "I.6": 10.0,
        "II.1": 20.0,  # change +5 % → 30 − 5 × 2
        "II.2": 20.0,
        "II.3": 25.0,
        "II.4": 26.0,
        "II.5": 6.0,   # rank 3 → 10 − 2 × 2
        "III.1": 50.0,
    },
    "HT-C": {
        "I.1": 50.0,   # p 90 → 60 − 10 × 1
        "I.2": 37.5,   # p 93,75 → 40 − 6,25 × 0,4
        "I.3": 80.56,  # 161,11 / 200 → p 80,555
        "I.4": 0.0,    # no actual: missing data
        "I.5": 15.0,   # target 0 is fine for threshold: 0 ≤ 0
        "I.6": 0.0,    # no row
        "II.1": 0.0,   # change +100 % → max(0, 30 − 200)
        "II.2": 20.0,  # baseline 0, actual 0: no worse
        "II.3": 15.0,
        "II.4": 30.0,
        "II.5": 4.0,   # rank 4 → 10 − 3 × 2
        "III.1": 0.0,
    },
    "HT-D": {
        "I.1": 0.0,    # p 20 → max(0, 60 − 80)
        "I.2": 0.0,    # no row
        "I.3": 0.0,    # actual 0
        "I.4": 20.0,
        "I.5": 15.0,
        "I.6": 0.0,
        "II.1": 0.0,   # lower, baseline 0, actual 5 > 0: worse
        "II.2": 19.98,  # change −0,1 % → 20 − 0,1 × 0,2
        "II.3": 10.0,  # rank 4 → 25 − 30 < min_points 10
        "II.4": 0.0,   # no row
        "II.5": 10.0,
        "III.1": 0.0,  # no points: missing
    },
}
EVERY_METHOD_TOTALS = {  # unit: (rank, total, adjustments, contents)
    "HT-A": (1, 371.57, 1.5, {"I": 226.07, "II": 99.0, "III": 45.0}),
    "HT-B": (2, 297.33, 0.0, {"I": 150.33, "II": 97.0, "III": 50.0}),
    "HT-C": (3, 247.06, -5.0, {"I": 183.06, "II": 69.0, "III": 0.0}),
    "HT-D": (4, 74.98, 0.0, {"I": 35.0, "II": 39.98, "III": 0.0}),
}


def test_the_reference_agrees_with_the_hand_worked_example():
    scores = reference_scores(EVERY_METHOD)
    assert {line["unit"]: line["criteria"] for line in scores["ranking"]} == EVERY_METHOD_POINTS
    assert {
        line["unit"]: (line["rank"], line["total"], line["adjustments"], line["contents"])
        for line in scores["ranking"]
    } == EVERY_METHOD_TOTALS


def test_every_method_in_both_directions_scores_as_worked_out_by_hand(tmp_path):
    import_text(tmp_path, "HT-CUM-2024.yaml", EVERY_METHOD)
    scores = score_json("HT-CUM", 2024)
    assert {line["unit"]: line["criteria"] for line in scores["ranking"]} == EVERY_METHOD_POINTS
    assert [line["unit"] for line in scores["ranking"]] == ["HT-A", "HT-B", "HT-C", "HT-D"]
    assert {
        line["unit"]: (line["rank"], line["total"], line["adjustments"], line["contents"])
        for line in scores["ranking"]
    } == EVERY_METHOD_TOTALS


def test_score_json_of_every_method_equals_the_reference_exactly(tmp_path):
    import_text(tmp_path, "HT-CUM-2024.yaml", EVERY_METHOD)
    assert score_json("HT-CUM", 2024) == reference_scores(EVERY_METHOD)


def test_score_json_keeps_contents_and_criteria_in_covenant_order(tmp_path):
    import_text(tmp_path, "HT-CUM-2024.yaml", EVERY_METHOD)
    line = score_json("HT-CUM", 2024)["ranking"][0]
    assert list(line["contents"]) == ["I", "II", "III"]
    assert list(line["criteria"]) == list(EVERY_METHOD_POINTS["HT-A"])


THIRDS = """\
format: thidua-covenant/1
group: {code: HT-BA, name: Cụm chia ba, kind: cluster}
year: 2024
members:
  - {code: B-A, name: Xã An, kind: commune}
contents:
  - code: "I"
    title: Xã hội
    max_points: 35
    criteria:
      - {code: "I.1", title: Tỷ lệ hộ nghèo, max_points: 15, measure: "%", direction: lower, method: plan_ratio}
      - {code: "I.2", title: Thu ngân sách, max_points: 10, method: plan_ratio, params: {penalty_per_pct: 3}}
      - {code: "I.3", title: Học sinh đến trường, max_points: 10, method: vs_baseline, params: {penalty_per_pct: 0.3}}
results:
  - {unit: B-A, criterion: "I.1", target: 6, actual: 8.05}
  - {unit: B-A, criterion: "I.2", target: 2.4, actual: 2.333}
  - {unit: B-A, criterion: "I.3", baseline: 12, actual: 8.35}
"""


def test_points_that_are_exactly_half_a_hundredth_round_up_even_when_p_is_a_repeating_decimal(tmp_path):
    # I.1: p = (2 − 8,05/6) × 100 = 65,8333… → 15 − 34,1666… × 0,15 = 9,875 → 9,88
    # I.2: p = 2,333/2,4 × 100 = 97,2083… → 10 − 2,7916… × 3 = 1,625 → 1,63
    # I.3: change = (8,35 − 12)/12 × 100 = −30,4166… → 10 − 30,4166… × 0,3 = 0,875 → 0,88
    import_text(tmp_path, "HT-BA-2024.yaml", THIRDS)
    scores = score_json("HT-BA", 2024)
    assert scores["ranking"][0]["criteria"] == {"I.1": 9.88, "I.2": 1.63, "I.3": 0.88}
    assert scores == reference_scores(THIRDS)


def test_the_reference_rounds_half_a_hundredth_up_when_p_is_a_repeating_decimal():
    assert reference_scores(THIRDS)["ranking"][0]["criteria"] == {"I.1": 9.88, "I.2": 1.63, "I.3": 0.88}


FINE_FIGURES = """\
format: thidua-covenant/1
group: {code: HT-MIN, name: Cụm số lẻ, kind: cluster}
year: 2024
members:
  - {code: M-A, name: Xã An, kind: commune}
contents:
  - code: "I"
    title: Kinh tế
    max_points: 150
    criteria:
      - {code: "I.1", title: Giá trị sản xuất, max_points: 100, method: plan_ratio}
      - {code: "I.2", title: Đánh giá chung, max_points: 50, method: manual}
results:
  - {unit: M-A, criterion: "I.1", target: 100, actual: 80.5549999}
  - {unit: M-A, criterion: "I.2", points: 40.12499}
"""


def test_a_figure_finer_than_the_database_keeps_is_refused_or_scored_exactly(tmp_path):
    # Exact: 80,5549999 → 80,55 and 40,12499 → 40,12. Kept to 6 (4) decimals they become 80,555 and
    # 40,1250, which round to 80,56 and 40,13. Refusing the file (naming the field) is fine too.
    try:
        import_text(tmp_path, "HT-MIN-2024.yaml", FINE_FIGURES)
    except CommandError as refused:
        assert "HT-MIN-2024.yaml" in str(refused) and "dòng" in str(refused)
        return
    assert score_json("HT-MIN", 2024) == reference_scores(FINE_FIGURES)


# ------------------------------------------------------------------------------ ties

TIES = """\
format: thidua-covenant/1
group: {code: HT-HOA, name: Khối thi đua hòa điểm, kind: block}
year: 2024
scale: 300
members:
  - {code: T-F, name: Sở Phú, kind: department}
  - {code: T-E, name: Sở Êm, kind: department}
  - {code: T-D, name: Sở Đức, kind: department}
  - {code: T-C, name: Sở Cao, kind: department}
  - {code: T-B, name: Sở Bình, kind: department}
  - {code: T-A, name: Sở An, kind: department}
contents:
  - code: "I"
    title: Nội dung một
    max_points: 100
    criteria: [{code: "I.1", title: Một, max_points: 100, method: manual}]
  - code: "II"
    title: Nội dung hai
    max_points: 100
    criteria: [{code: "II.1", title: Hai, max_points: 100, method: manual}]
  - code: "III"
    title: Nội dung ba
    max_points: 100
    criteria: [{code: "III.1", title: Ba, max_points: 100, method: manual}]
results:
  - {unit: T-F, criterion: "I.1", points: 10}
  - {unit: T-F, criterion: "II.1", points: 10}
  - {unit: T-F, criterion: "III.1", points: 90}
  - {unit: T-E, criterion: "I.1", points: 55}
  - {unit: T-E, criterion: "II.1", points: 20}
  - {unit: T-E, criterion: "III.1", points: 20}
  - {unit: T-D, criterion: "I.1", points: 50}
  - {unit: T-D, criterion: "II.1", points: 40}
  - {unit: T-D, criterion: "III.1", points: 10}
  - {unit: T-C, criterion: "I.1", points: 50}
  - {unit: T-C, criterion: "II.1", points: 40}
  - {unit: T-C, criterion: "III.1", points: 10}
  - {unit: T-B, criterion: "I.1", points: 60}
  - {unit: T-B, criterion: "II.1", points: 20}
  - {unit: T-B, criterion: "III.1", points: 20}
  - {unit: T-A, criterion: "I.1", points: 50}
  - {unit: T-A, criterion: "II.1", points: 30}
  - {unit: T-A, criterion: "III.1", points: 20}
adjustments:
  - {unit: T-E, points: 5, reason: Sáng kiến}
"""


def test_equal_totals_are_broken_by_first_then_second_content_and_still_equal_units_share_a_rank(tmp_path):
    # Totals: F 110; B, E (95 + 5), C, D, A all 100. Among the 100s: content I puts B (60) before
    # E (55) before A, C, D (50); content II puts C, D (40) before A (30); C and D are equal
    # everywhere: shared rank 4, listed by code, and the next rank is 6.
    import_text(tmp_path, "HT-HOA-2024.yaml", TIES)
    scores = score_json("HT-HOA", 2024)
    assert [(line["rank"], line["unit"], line["total"]) for line in scores["ranking"]] == [
        (1, "T-F", 110.0),
        (2, "T-B", 100.0),
        (3, "T-E", 100.0),
        (4, "T-C", 100.0),
        (4, "T-D", 100.0),
        (6, "T-A", 100.0),
    ]
    assert scores == reference_scores(TIES)


RANK_TIES = """\
format: thidua-covenant/1
group: {code: HT-HANG, name: Cụm xếp hạng, kind: cluster}
year: 2024
members:
  - {code: R-F, name: Xã Phú, kind: commune}
  - {code: R-E, name: Xã Êm, kind: commune}
  - {code: R-D, name: Xã Đức, kind: commune}
  - {code: R-C, name: Xã Cao, kind: commune}
  - {code: R-B, name: Xã Bình, kind: commune}
  - {code: R-A, name: Xã An, kind: commune}
contents:
  - code: "I"
    title: Xếp hạng
    max_points: 100
    criteria: [{code: "I.1", title: Sản lượng, max_points: 100, method: rank, params: {step: 30, min_points: 5}}]
results:
  - {unit: R-E, criterion: "I.1", actual: 9}
  - {unit: R-D, criterion: "I.1", actual: 9}
  - {unit: R-C, criterion: "I.1", actual: 8}
  - {unit: R-F, criterion: "I.1", actual: 7}
  - {unit: R-B, criterion: "I.1", actual: 6.5}
  - {unit: R-A, criterion: "I.1", target: 10}
"""


def test_rank_method_ties_share_the_better_rank_and_skip_the_next(tmp_path):
    import_text(tmp_path, "HT-HANG-2024.yaml", RANK_TIES)
    scores = score_json("HT-HANG", 2024)
    points = {line["unit"]: line["criteria"]["I.1"] for line in scores["ranking"]}
    # 9, 9 → rank 1 (100); 8 → rank 3 (40); 7 → rank 4 (10); 6,5 → rank 5 (max(5, −20)); no actual → 0
    assert points == {"R-E": 100.0, "R-D": 100.0, "R-C": 40.0, "R-F": 10.0, "R-B": 5.0, "R-A": 0.0}
    assert [(line["rank"], line["unit"]) for line in scores["ranking"]] == [
        (1, "R-D"), (1, "R-E"), (3, "R-C"), (4, "R-F"), (5, "R-B"), (6, "R-A"),
    ]
    assert scores == reference_scores(RANK_TIES)


# ------------------------------------------------------------------------------ random covenants
#
# Figures are written as plain decimal text. Targets and baselines are either "terminating"
# (2^i · 5^j, scaled: every quotient of the spec is a finite decimal) or any (3, 6, 7, 12, 2,4 …:
# repeating quotients, where points exactly at a half-hundredth must still round up).

_examples = itertools.count(1)


def _num(n: int, places: int) -> str:
    return f"{Decimal(n).scaleb(-places):f}"


def _times(figure: str, ratio: int) -> str:
    """figure × ratio %, exactly (a figure near the plan)."""
    return f"{(Decimal(figure) * ratio / 100).normalize():f}"


terminating = st.builds(
    lambda i, j, k: _num(2**i * 5**j, k), st.integers(0, 5), st.integers(0, 4), st.integers(0, 2)
)
any_positive = st.one_of(
    st.sampled_from(["3", "6", "7", "9", "12", "2.4", "150", "0.3"]),
    st.builds(_num, st.integers(1, 50_000), st.integers(0, 2)),
)
numbers = st.one_of(
    st.sampled_from(["0", "1", "5", "10", "100", "80.555", "-2"]),
    st.builds(_num, st.integers(-1000, 200_000), st.integers(0, 3)),
)
rates = st.builds(_num, st.integers(0, 300), st.sampled_from([2, 2, 3]))  # 0–3 points per %
max_points = st.one_of(
    st.sampled_from(["10", "15", "20", "30", "45", "60", "100"]),
    st.builds(_num, st.integers(1, 20_000), st.just(2)),
)


def _up_to(limit: str, places: int):
    return st.builds(_num, st.integers(0, int(Decimal(limit).scaleb(places))), st.just(places))


@st.composite
def criterion_spec(draw, code: str) -> dict:
    method = draw(st.sampled_from(["plan_ratio", "threshold", "vs_baseline", "rank", "manual"]))
    top = draw(max_points)
    params: dict[str, str] = {}

    def maybe(key, strategy):
        if draw(st.booleans()):
            params[key] = draw(strategy)

    if method == "plan_ratio":
        maybe("penalty_per_pct", rates)
        maybe("bonus_per_pct", rates)
        maybe("bonus_cap", _up_to("30", 2))
    elif method == "threshold":
        maybe("threshold", numbers)
        maybe("partial", _up_to(top, 2))
    elif method == "vs_baseline":
        maybe("penalty_per_pct", rates)
    elif method == "rank":
        maybe("by", st.sampled_from(["actual", "pct_of_plan"]))
        params["step"] = draw(st.one_of(st.sampled_from(["0", "1", "5"]), _up_to("30", 2)))
        maybe("min_points", _up_to(top, 2))
    direction = draw(st.sampled_from(["higher", "lower", None]))
    return {"code": code, "max_points": top, "direction": direction, "method": method, "params": params}


@st.composite
def result_row(draw, criterion: dict, plans) -> dict:
    """One unit's figures for a criterion; any of them may be missing."""
    method, params = criterion["method"], criterion["params"]
    if method == "manual":
        places = draw(st.sampled_from([0, 2, 3]))
        return {"points": draw(_up_to(criterion["max_points"], places))} if draw(st.integers(0, 4)) else {}
    row: dict[str, str] = {}
    needs_p = method == "plan_ratio" or (method == "rank" and params.get("by") == "pct_of_plan")
    target = draw(plans if needs_p else st.one_of(plans, numbers.filter(lambda n: not n.startswith("-"))))
    baseline = draw(st.sampled_from(["0", "-", "", "", "", ""]))  # 0, negative or positive
    if baseline != "0":
        baseline += draw(plans)
    reference = target if method != "vs_baseline" else baseline.lstrip("-")
    kind = draw(st.integers(0, 5))
    if kind <= 3:  # near the plan (or the baseline)
        actual = _times(reference, draw(st.integers(0, 250)))
    else:
        actual = draw(st.sampled_from([reference, "0"]) if kind == 4 else numbers)
    for key, value, chance in (("target", target, 6), ("actual", actual, 7), ("baseline", baseline, 6)):
        if draw(st.integers(0, 7)) < chance:
            row[key] = value
    return row


@st.composite
def covenants(draw, plans) -> tuple[str, str]:
    """A small random covenant (2–6 units, 1–3 contents of 1–4 criteria) as YAML text."""
    n = next(_examples)
    group = f"HX{n}"
    units = [f"HX{n}-{chr(ord('A') + i)}" for i in range(draw(st.integers(2, 6)))]
    lines = [
        "format: thidua-covenant/1",
        f"group: {{code: {group}, name: Cụm ngẫu nhiên {n}, kind: cluster}}",
        "year: 2023",
        f"scale: {draw(st.sampled_from(['1000', '100', '987.5']))}",
        "members:",
        *[f"  - {{code: {u}, name: Đơn vị {u}, kind: commune}}" for u in draw(st.permutations(units))],
        "contents:",
    ]
    results = []
    for code in ["I", "II", "III"][: draw(st.integers(1, 3))]:
        criteria = [draw(criterion_spec(f"{code}.{k}")) for k in range(1, draw(st.integers(1, 4)) + 1)]
        total = sum(Decimal(c["max_points"]) for c in criteria)
        lines += [f'  - code: "{code}"', f"    title: Nội dung {code}", f"    max_points: {total:f}", "    criteria:"]
        for c in criteria:
            fields = [f'code: "{c["code"]}"', f"title: Tiêu chí {c['code']}", f"max_points: {c['max_points']}"]
            if c["direction"]:
                fields.append(f"direction: {c['direction']}")
            fields.append(f"method: {c['method']}")
            if c["params"]:
                fields.append("params: {" + ", ".join(f"{k}: {v}" for k, v in c["params"].items()) + "}")
            lines.append("      - {" + ", ".join(fields) + "}")
            for unit in units:
                if draw(st.integers(0, 5)):  # sometimes no row at all
                    cells = "".join(f", {k}: {v}" for k, v in draw(result_row(c, plans)).items())
                    results.append(f'  - {{unit: {unit}, criterion: "{c["code"]}"{cells}}}')
    if results:
        lines += ["results:", *draw(st.permutations(results))]
    adjustments = draw(st.lists(st.tuples(st.sampled_from(units), st.integers(-2000, 2000)), max_size=3))
    if adjustments:
        lines.append("adjustments:")
        lines += [f"  - {{unit: {u}, points: {_num(p, 2)}, reason: Lý do}}" for u, p in adjustments]
    return group, "\n".join(lines) + "\n"


@settings(
    max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=covenants(st.one_of(terminating, any_positive)))
def test_any_imported_covenant_scores_exactly_as_the_reference_and_survives_an_export_round_trip(tmp_path, case):
    group, text = case
    import_text(tmp_path, f"{group}.yaml", text)
    scores = score_json(group, 2023)
    assert scores == reference_scores(text), text
    first, second = tmp_path / f"{group}-1.yaml", tmp_path / f"{group}-2.yaml"
    run("export", group, "2023", "-o", str(first))
    run("import", str(first))
    run("export", group, "2023", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert score_json(group, 2023) == scores


# ------------------------------------------------------------------------------ the readable table


def test_the_readable_table_lists_every_unit_with_vietnamese_numbers(tmp_path):
    import_text(tmp_path, "HT-CUM-2024.yaml", EVERY_METHOD)
    table = run("score", "HT-CUM", "2024")
    header = next(line for line in table.splitlines() if "Hạng" in line)
    assert "Tổng điểm" in header
    for name in ("Huyện An", "Huyện Bắc", "Huyện Cẩm", "Huyện Đông"):
        assert name in table
    for total in ("371,57", "297,33", "247,06", "74,98", "226,07", "-5,00", "1,50"):
        assert total in table
    assert "371.57" not in table
    rows = table.splitlines()
    assert rows.index(next(r for r in rows if "Huyện An" in r)) < rows.index(next(r for r in rows if "Huyện Đông" in r))


# ------------------------------------------------------------------------------ export round trip


def test_export_then_import_then_export_again_is_byte_identical_and_scores_do_not_move(tmp_path):
    import_text(tmp_path, "HT-CUM-2024.yaml", EVERY_METHOD)
    before = score_json("HT-CUM", 2024)
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    run("export", "HT-CUM", "2024", "-o", str(first))
    run("import", str(first))
    run("export", "HT-CUM", "2024", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert score_json("HT-CUM", 2024) == before
    assert reference_scores(first.read_text(encoding="utf-8")) == before


def test_export_to_stdout_is_the_same_text_as_export_to_a_file(tmp_path):
    import_text(tmp_path, "HT-HOA-2024.yaml", TIES)
    out = tmp_path / "out.yaml"
    run("export", "HT-HOA", "2024", "-o", str(out))
    assert run("export", "HT-HOA", "2024") == out.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ refused files

GOOD = """\
format: thidua-covenant/1
group: {code: HT-LOI, name: Cụm kiểm tra lỗi, kind: cluster}
year: 2024
members:
  - {code: L-A, name: Xã An, kind: commune}
  - {code: L-B, name: Xã Bình, kind: commune}
contents:
  - code: "I"
    title: Kinh tế
    max_points: 100
    criteria:
      - code: "I.1"
        title: Thu ngân sách
        max_points: 60
        method: plan_ratio
      - code: "I.2"
        title: Đánh giá chung
        max_points: 40
        method: manual
results:
  - {unit: L-A, criterion: "I.1", target: 100, actual: 90}
  - {unit: L-B, criterion: "I.1", target: 100, actual: 110}
  - {unit: L-A, criterion: "I.2", points: 30}
adjustments:
  - {unit: L-B, points: -2, reason: Chậm báo cáo}
"""
GOOD_RESULT_LINE = 21  # the line of `- {unit: L-A, criterion: "I.1", ...}`
assert GOOD.splitlines()[GOOD_RESULT_LINE - 1].startswith('  - {unit: L-A, criterion: "I.1"')

_ROW = '  - {unit: L-A, criterion: "I.1", target: 100, actual: 90}'


def _bad_row(row: str) -> str:
    """GOOD with its first result row replaced, and other figures changed so a partial write shows."""
    return GOOD.replace(_ROW, row).replace("actual: 110", "actual: 120").replace("points: 30", "points: 35")


BAD_FILES = {
    "unknown key": (_bad_row('  - {unit: L-A, criterion: "I.1", tagret: 100, actual: 90}'), GOOD_RESULT_LINE, "tagret"),
    "unknown member code": (_bad_row('  - {unit: L-X, criterion: "I.1", target: 100, actual: 90}'), GOOD_RESULT_LINE, "unit"),
    "criterion not defined": (_bad_row('  - {unit: L-A, criterion: "I.9", target: 100, actual: 90}'), GOOD_RESULT_LINE, "criterion"),
    "negative target": (_bad_row('  - {unit: L-A, criterion: "I.1", target: -100, actual: 90}'), GOOD_RESULT_LINE, "target"),
    "points above max_points": (_bad_row('  - {unit: L-A, criterion: "I.2", points: 40.01}'), GOOD_RESULT_LINE, "points"),
    "points on a non-manual criterion": (_bad_row('  - {unit: L-A, criterion: "I.1", points: 10}'), GOOD_RESULT_LINE, "points"),
    "target 0 with plan_ratio": (_bad_row('  - {unit: L-A, criterion: "I.1", target: 0, actual: 90}'), GOOD_RESULT_LINE, "target"),
    "missing required field": (
        _bad_row(_ROW).replace("        title: Thu ngân sách\n", ""), 12, "title",
    ),  # the criterion row I.1 starts on line 12
    "not YAML at all": ("format: thidua-covenant/1\ngroup: {code: HT-LOI, name: [Cụm\n\tkiểm tra: }: lỗi\n", None, None),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=lambda case: case.replace(" ", "-"))
def test_a_malformed_file_is_refused_naming_file_line_and_field_and_changes_nothing(tmp_path, case):
    text, line, field = BAD_FILES[case]
    import_text(tmp_path, "HT-LOI-2024.yaml", GOOD)
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        import_text(tmp_path, "loi-nhap.yaml", text)
    message = str(refused.value)
    assert "loi-nhap.yaml" in message
    assert "không có thay đổi nào được ghi" in message
    if line is None:
        assert "dòng " in message and "YAML" in message
    else:
        assert f"loi-nhap.yaml, dòng {line}, trường \"{field}\"" in message
    assert snapshot() == before


def test_the_good_file_of_the_refusal_tests_imports_and_scores(tmp_path):
    import_text(tmp_path, "HT-LOI-2024.yaml", GOOD)
    assert score_json("HT-LOI", 2024) == reference_scores(GOOD)


SIGNED_CHANGE = (
    GOOD.replace("        max_points: 60\n", "        max_points: 65\n")  # a criterion changes
    .replace("actual: 110", "actual: 120")  # and results change too
)


def test_a_file_that_changes_the_criteria_of_a_signed_covenant_is_refused_and_changes_nothing(tmp_path):
    import_text(tmp_path, "HT-LOI-2024.yaml", GOOD)
    covenant_sign(covenant=Covenant.objects.get(group_year__group__code="HT-LOI", group_year__year=2024))
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        import_text(tmp_path, "sua-doi.yaml", SIGNED_CHANGE)
    assert "đã ký kết" in str(refused.value)
    assert "sua-doi.yaml" in str(refused.value)
    assert snapshot() == before


def test_the_same_change_with_an_amendment_reason_is_applied_and_recorded(tmp_path):
    import_text(tmp_path, "HT-LOI-2024.yaml", GOOD)
    covenant = Covenant.objects.get(group_year__group__code="HT-LOI", group_year__year=2024)
    covenant_sign(covenant=covenant)
    import_text(tmp_path, "sua-doi.yaml", SIGNED_CHANGE, amend="lý do")
    amendment = Amendment.objects.get(covenant=covenant)
    assert amendment.reason == "lý do"
    assert "I.1" in amendment.summary
    assert Criterion.objects.get(covenant=covenant, code="I.1").max_points == Decimal(65)
    assert score_json("HT-LOI", 2024) == reference_scores(SIGNED_CHANGE)


def test_results_alone_may_still_be_imported_into_a_signed_covenant(tmp_path):
    import_text(tmp_path, "HT-LOI-2024.yaml", GOOD)
    covenant = Covenant.objects.get(group_year__group__code="HT-LOI", group_year__year=2024)
    covenant_sign(covenant=covenant)
    newer = GOOD.replace("actual: 110", "actual: 120")
    import_text(tmp_path, "so-lieu.yaml", newer)
    assert not Amendment.objects.exists()
    assert score_json("HT-LOI", 2024) == reference_scores(newer)


# ------------------------------------------------------------------------------ several files at once


def test_several_files_with_a_malformed_one_write_nothing_from_any(tmp_path):
    before = snapshot()
    a = write(tmp_path, "a.yaml", EVERY_METHOD)
    b = write(tmp_path, "b.yaml", BAD_FILES["unknown member code"][0])
    with pytest.raises(CommandError) as refused:
        run("import", str(a), str(b))
    assert "b.yaml" in str(refused.value)
    assert snapshot() == before
    assert not Group.objects.filter(code="HT-CUM").exists()


def test_several_files_where_a_later_one_is_refused_on_import_write_nothing_from_the_earlier(tmp_path):
    import_text(tmp_path, "HT-LOI-2024.yaml", GOOD)
    covenant_sign(covenant=Covenant.objects.get(group_year__group__code="HT-LOI", group_year__year=2024))
    before = snapshot()
    a = write(tmp_path, "a.yaml", EVERY_METHOD)  # valid, new group: imported first …
    b = write(tmp_path, "b.yaml", SIGNED_CHANGE)  # … then b changes a signed covenant
    with pytest.raises(CommandError) as refused:
        run("import", str(a), str(b))
    assert "đã ký kết" in str(refused.value)
    assert snapshot() == before
    assert not Group.objects.filter(code="HT-CUM").exists()


def test_several_good_files_are_all_imported(tmp_path):
    a = write(tmp_path, "a.yaml", EVERY_METHOD)
    b = write(tmp_path, "b.yaml", TIES)
    out = run("import", str(a), str(b))
    assert "a.yaml" in out and "b.yaml" in out
    assert score_json("HT-CUM", 2024) == reference_scores(EVERY_METHOD)
    assert score_json("HT-HOA", 2024) == reference_scores(TIES)
