"""The demo covenant of Kiên Giang emulation cluster no. 2 for 2017 reproduces its news article.

Source: shared/seeds/003_bfed78c3b6ebe238.txt ("Tổng kết giao ước thi đua Cụm thi đua số 2 năm
2017", 24/01/2018) and its entry in shared/data/seed_facts.yaml. The file
thidua/demo/covenants/KG-CTD2-2017.yaml is imported through the real reader and importer, and every
figure the article states is recomputed from the stored result rows; the ranking comes from the
scoring engine (COVENANT_FORMAT.md), never from a typed total.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

from thidua.covenants.fileformat import read_covenant
from thidua.covenants.models import Content, Criterion, Result
from thidua.covenants.services import covenant_import
from thidua.org.models import GroupYear, Position
from thidua.scoring.selectors import group_year_scores

DEMO = Path(__file__).resolve().parents[2] / "thidua" / "demo"
COVENANT_FILE = DEMO / "covenants" / "KG-CTD2-2017.yaml"

TAN_HIEP, GIONG_RIENG, HON_DAT, CHAU_THANH, RACH_GIA = (
    "KG-TANHIEP", "KG-GIONGRIENG", "KG-HONDAT", "KG-CHAUTHANH", "KG-RACHGIA",
)  # fmt: skip
UNITS = {TAN_HIEP, GIONG_RIENG, HON_DAT, CHAU_THANH, RACH_GIA}

# The criteria of the demo covenant that carry each indicator of the article.
REVENUE, DISBURSEMENT, JOBS, HAMLETS, HEALTH_INSURANCE = "I.1", "I.2", "I.3", "I.4", "I.5"
CRIME, ACCIDENTS, POLITICAL_ORGANISATIONS = "I.6", "I.7", "II.3"

D = Decimal
HUNDRED = D(100)


def round2(value: Decimal) -> Decimal:
    """Half-up to 2 decimals, as the article's percentages are printed (105,2% = 105,20%)."""
    return value.quantize(D("0.01"), ROUND_HALF_UP)


def pct(actual: Decimal, target: Decimal) -> Decimal:
    return actual / target * HUNDRED


@pytest.fixture
def group_year(db) -> GroupYear:
    doc = read_covenant(COVENANT_FILE.read_text(encoding="utf-8"), filename=COVENANT_FILE.name)
    assert doc.warnings == ()
    covenant_import(doc=doc, filename=COVENANT_FILE.name)
    return GroupYear.objects.get(group__code="KG-CTD2", year=2017)


@pytest.fixture
def rows(group_year):
    """rows(criterion) → {unit code: Result} for one criterion of the stored covenant."""

    def of(criterion: str) -> dict[str, Result]:
        found = Result.objects.filter(
            criterion__covenant__group_year=group_year, criterion__code=criterion
        ).select_related("unit")
        by_unit = {r.unit.code: r for r in found}
        assert set(by_unit) == UNITS
        return by_unit

    return of


@pytest.fixture
def scores(group_year):
    return group_year_scores(group_year=group_year)


# --- The group, its members and the covenant's shape --------------------------------------------


def test_the_members_and_their_names_are_those_of_the_demo_organisation(group_year):
    org = yaml.safe_load((DEMO / "org.yaml").read_text(encoding="utf-8"))
    expected = {u["code"]: (u["name"], u["kind"]) for u in org["units"] if u["code"] in UNITS}
    memberships = group_year.memberships.select_related("unit")
    members = {m.unit.code: (m.unit.name, m.unit.kind) for m in memberships}
    assert members == expected
    assert group_year.group.name == "Cụm thi đua số 2"


def test_tan_hiep_leads_the_cluster_in_2017_with_giong_rieng_as_deputy(group_year):
    positions = {m.unit.code: m.position for m in group_year.memberships.select_related("unit")}
    assert positions[TAN_HIEP] == Position.LEADER
    assert positions[GIONG_RIENG] == Position.DEPUTY
    assert {positions[c] for c in (HON_DAT, CHAU_THANH, RACH_GIA)} == {Position.MEMBER}


def test_the_covenant_has_the_three_contents_of_the_article_adding_up_to_1000_points(group_year):
    contents = list(Content.objects.filter(covenant__group_year=group_year).order_by("order"))
    assert [(c.code, c.title) for c in contents] == [
        ("I", "Thi đua thực hiện nhiệm vụ phát triển kinh tế - xã hội, "
              "đảm bảo quốc phòng - an ninh"),
        ("II", "Thi đua thực hiện chủ trương của Đảng, chính sách pháp luật của Nhà nước "
               "và xây dựng hệ thống chính trị"),
        ("III", "Thi đua thực hiện công tác thi đua, khen thưởng"),
    ]  # fmt: skip
    assert contents[2].max_points == 100
    assert sum(c.max_points for c in contents) == group_year.covenant.scale == 1000
    for content in contents:
        assert sum(c.max_points for c in content.criteria.all()) == content.max_points


def test_content_two_has_exactly_four_criteria(group_year):
    criteria = Criterion.objects.filter(covenant__group_year=group_year, content__code="II")
    assert criteria.count() == 4


def test_every_unit_has_a_result_with_a_note_for_every_criterion(group_year):
    criteria = Criterion.objects.filter(covenant__group_year=group_year).count()
    results = Result.objects.filter(criterion__covenant__group_year=group_year)
    assert results.count() == criteria * len(UNITS)
    assert all(r.note and r.note.strip() for r in results)


def test_rows_with_figures_from_the_article_cite_it_and_the_others_are_illustrative(group_year):
    cited = {
        (REVENUE, CHAU_THANH): "vượt 26,6%", (REVENUE, TAN_HIEP): "vượt 19%",
        (REVENUE, GIONG_RIENG): "vượt 9%",
        (JOBS, RACH_GIA): "vượt 19%", (JOBS, CHAU_THANH): "vượt 5%",
        (HAMLETS, TAN_HIEP): "vượt 12%", (HAMLETS, RACH_GIA): "vượt 6,10%",
        (HEALTH_INSURANCE, RACH_GIA): "86,97%", (HEALTH_INSURANCE, GIONG_RIENG): "85,02%",
        (HEALTH_INSURANCE, HON_DAT): "81,72%",
    }  # fmt: skip
    results = Result.objects.filter(criterion__covenant__group_year=group_year)
    for r in results.select_related("criterion", "unit"):
        where = (r.criterion.code, r.unit.code)
        quoted = cited.get(where)
        if quoted:
            assert r.note.startswith("Theo báo cáo:") and quoted in r.note, where
        else:
            assert r.note == "Số liệu minh họa", where


def test_no_unit_is_missing_data_anywhere(scores):
    assert not [
        (line.unit, code)
        for line in scores.ranking
        for code, score in line.criteria.items()
        if score.missing
    ]


# --- Content I: the figures of the article -------------------------------------------------------


def test_budget_revenue_totals_925_128_billion_dong_at_105_2_percent_of_plan(rows):
    revenue = rows(REVENUE).values()
    total_actual = sum(r.actual for r in revenue)
    total_target = sum(r.target for r in revenue)
    assert total_actual == D("925.128")
    assert round2(pct(total_actual, total_target)) == D("105.20")


def test_all_five_units_met_their_budget_revenue_plan(rows):
    assert all(r.actual >= r.target for r in rows(REVENUE).values())


def test_chau_thanh_tan_hiep_and_giong_rieng_exceeded_revenue_most_by_26_6_19_and_9_percent(rows):
    revenue = rows(REVENUE)
    assert pct(revenue[CHAU_THANH].actual, revenue[CHAU_THANH].target) == D("126.6")
    assert pct(revenue[TAN_HIEP].actual, revenue[TAN_HIEP].target) == D("119")
    assert pct(revenue[GIONG_RIENG].actual, revenue[GIONG_RIENG].target) == D("109")
    by_excess = sorted(
        revenue, key=lambda unit: pct(revenue[unit].actual, revenue[unit].target), reverse=True
    )
    assert by_excess[:3] == [CHAU_THANH, TAN_HIEP, GIONG_RIENG]
    for unit in (HON_DAT, RACH_GIA):
        assert D(100) <= pct(revenue[unit].actual, revenue[unit].target) < D(109)


def test_four_of_five_units_disbursed_at_least_90_percent_of_public_investment(rows):
    assert sum(r.actual >= 90 for r in rows(DISBURSEMENT).values()) == 4


def test_jobs_were_found_for_18596_people_at_107_49_percent_of_plan(rows):
    jobs = rows(JOBS).values()
    total_actual = sum(r.actual for r in jobs)
    assert total_actual == 18596
    assert all(r.actual == r.actual.to_integral_value() for r in jobs)
    assert round2(pct(total_actual, sum(r.target for r in jobs))) == D("107.49")


def test_all_five_units_met_their_jobs_plan(rows):
    assert all(r.actual >= r.target for r in rows(JOBS).values())


def test_rach_gia_and_chau_thanh_exceeded_the_jobs_plan_most_by_19_and_5_percent(rows):
    jobs = rows(JOBS)
    assert pct(jobs[RACH_GIA].actual, jobs[RACH_GIA].target) == D("119")
    assert pct(jobs[CHAU_THANH].actual, jobs[CHAU_THANH].target) == D("105")
    for unit in (TAN_HIEP, GIONG_RIENG, HON_DAT):
        assert D(100) <= pct(jobs[unit].actual, jobs[unit].target) < D(105)


def test_three_of_five_units_met_their_cultural_hamlet_target(rows):
    assert sum(r.actual >= r.target for r in rows(HAMLETS).values()) == 3


def test_tan_hiep_and_rach_gia_exceeded_the_hamlet_target_most_by_12_and_6_10_percent(rows):
    hamlets = rows(HAMLETS)
    assert pct(hamlets[TAN_HIEP].actual, hamlets[TAN_HIEP].target) == D("112")
    assert pct(hamlets[RACH_GIA].actual, hamlets[RACH_GIA].target) == D("106.1")
    for unit in (GIONG_RIENG, HON_DAT, CHAU_THANH):
        assert pct(hamlets[unit].actual, hamlets[unit].target) < D("106.1")


def test_rach_gia_giong_rieng_and_hon_dat_insure_86_97_85_02_and_81_72_percent_of_households(rows):
    insured = rows(HEALTH_INSURANCE)
    assert insured[RACH_GIA].actual == D("86.97")
    assert insured[GIONG_RIENG].actual == D("85.02")
    assert insured[HON_DAT].actual == D("81.72")


def test_three_of_five_units_have_more_than_81_percent_of_households_insured(rows):
    insured = rows(HEALTH_INSURANCE)
    above = {unit for unit, r in insured.items() if r.actual > 81}
    assert above == {RACH_GIA, GIONG_RIENG, HON_DAT}


def test_the_cluster_averages_82_percent_of_households_insured(rows):
    insured = rows(HEALTH_INSURANCE).values()
    assert sum(r.actual for r in insured) / len(insured) == D("82.00")


def test_every_unit_reduced_criminal_offences_compared_with_2016(rows):
    assert all(r.actual < r.baseline for r in rows(CRIME).values())


def test_no_unit_had_more_traffic_accidents_than_in_2016(rows):
    assert all(r.actual <= r.baseline for r in rows(ACCIDENTS).values())


# --- Contents II and III -------------------------------------------------------------------------


def test_political_and_social_organisations_are_rated_good_or_better_in_all_units(rows, scores):
    assert all(r.actual >= 100 for r in rows(POLITICAL_ORGANISATIONS).values())
    assert {line.criteria[POLITICAL_ORGANISATIONS].points for line in scores.ranking} == {D(50)}


def test_all_five_units_score_above_70_of_100_in_emulation_and_commendation(group_year, scores):
    manual = Result.objects.filter(
        criterion__covenant__group_year=group_year, criterion__content__code="III"
    ).select_related("unit")
    for unit in UNITS:
        assert sum(r.points for r in manual if r.unit.code == unit) > 70
    assert all(line.contents["III"] > 70 for line in scores.ranking)


# --- The ranking ---------------------------------------------------------------------------------


def test_giong_rieng_leads_with_912_points_and_tan_hiep_is_second_with_911_43(scores):
    first, second, *others = scores.ranking
    assert (first.rank, first.unit, first.total) == (1, GIONG_RIENG, D("912.00"))
    assert (second.rank, second.unit, second.total) == (2, TAN_HIEP, D("911.43"))
    assert {line.unit for line in others} == {HON_DAT, CHAU_THANH, RACH_GIA}
    assert all(line.total < D("911.43") for line in others)


def test_the_totals_are_computed_without_adjustments(scores):
    for line in scores.ranking:
        assert line.adjustments == 0
        assert line.total == sum(line.contents.values())


def test_the_json_ranking_prints_912_and_911_43(scores):
    ranking = scores.to_json()["ranking"]
    assert [(line["unit"], line["total"]) for line in ranking[:2]] == [
        (GIONG_RIENG, 912.0),
        (TAN_HIEP, 911.43),
    ]
