"""Manual criteria scoring in stages (issue #4): self, cross, reconciled, appraised.

The group G1 in 2024 (tests/conftest.py) gets a third member for most tests, Đông Hải (P-D, officer_d),
so that cross-scoring pairs can be something other than "A scores B, B scores A". Its only manual
criterion II.1 is worth 50 points; the covenant's margin is 10 %, i.e. 5 points.
"""

from __future__ import annotations

import io
import itertools
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import (
    TEST_PASSWORD,
    GroupYearFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    UnitFactory,
    UserFactory,
)
from thidua.audit.models import AuditEvent
from thidua.covenants.models import Covenant, Criterion, Result
from thidua.org.models import Role
from thidua.reporting.models import ChangeSource, ResultChange
from thidua.reporting.services import ReportLocked, report_for, report_submit
from thidua.scoring import stages
from thidua.scoring.models import CrossAssignment, ScoreEntry
from thidua.scoring.selectors import scores_of
from thidua.scoring.services import (
    CrossAssignmentError,
    ScoringForbidden,
    ScoringStageError,
    cross_assignments_propose,
    cross_assignments_set,
    cross_score_set,
    score_appraise,
    score_reconcile,
    self_score_set,
)

FIFTY = Decimal(50)
TEN_PCT = Decimal(10)


# ------------------------------------------------------------------------------ helpers and fixtures


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


def ii1(covenant: Covenant) -> Criterion:
    return covenant.criteria.get(code="II.1")


def points_of(unit, covenant) -> Decimal | None:
    return Result.objects.get(criterion=ii1(covenant), unit=unit).points


def score_json() -> dict:
    out = io.StringIO()
    call_command("score", "G1", "2024", "--json", stdout=out)
    return {line["unit"]: line for line in json.loads(out.getvalue())["ranking"]}


@pytest.fixture
def g1(world, g1_covenant):
    """G1 2024 with a third member, Đông Hải (P-D), and its officer."""
    world.d = UnitFactory(code="P-D", name="Huyện Đông Hải", short_name="Đông Hải", parent=world.p)
    MembershipFactory(group_year=world.g1_2024, unit=world.d)
    world.officer_d = UserFactory(username="officer_d")
    RoleAssignmentFactory(user=world.officer_d, role=Role.UNIT_OFFICER, unit=world.d)
    world.covenant = g1_covenant
    return world


@pytest.fixture
def paired(g1):
    """The leader's pairs: Bình Minh scores Ánh Dương, Ánh Dương scores Đông Hải, Đông Hải scores Bình Minh."""
    cross_assignments_set(covenant=g1.covenant, pairs=[(g1.b, g1.a), (g1.a, g1.d), (g1.d, g1.b)],
                          actor=g1.leader_g1_2024)
    return g1


def disputed(w) -> None:
    """Ánh Dương rates itself 48 on II.1, Bình Minh gives it 30: 18 points apart, beyond the 5 allowed."""
    self_score_set(criterion=ii1(w.covenant), unit=w.a, points=Decimal(48), actor=w.officer_a)
    cross_score_set(criterion=ii1(w.covenant), unit=w.a, points=Decimal(30), actor=w.officer_b)


# ------------------------------------------------------------------------------ the score in force (pure)

score = st.decimals(min_value=0, max_value=100, places=2)
maybe = st.none() | score


def in_force(self_=None, cross=None, reconciled=None, appraised=None, max_points=FIFTY, margin_pct=TEN_PCT):
    return stages.score_in_force(self_=self_, cross=cross, reconciled=reconciled, appraised=appraised,
                                 max_points=max_points, margin_pct=margin_pct)


@settings(max_examples=300, deadline=None)
@given(maybe, maybe, maybe, maybe, st.decimals(min_value=0, max_value=100, places=2),
       st.decimals(min_value=0, max_value=100, places=2))
def test_the_score_in_force_is_always_within_zero_and_the_criterions_points(s, c, r, a, max_points, margin):
    points, stage, _ = in_force(s, c, r, a, max_points=max_points, margin_pct=margin)
    if (s, c, r, a) == (None, None, None, None):
        assert (points, stage) == (None, stages.NONE)
    else:
        assert Decimal(0) <= points <= max_points


@settings(max_examples=200, deadline=None)
@given(maybe, maybe, maybe, score)
def test_an_appraised_score_always_wins_and_leaves_nothing_to_reconcile(s, c, r, a):
    assert in_force(s, c, r, a, max_points=Decimal(100)) == (a, stages.APPRAISED, False)


@settings(max_examples=200, deadline=None)
@given(maybe, maybe, score)
def test_a_reconciled_score_wins_until_the_board_appraises(s, c, r):
    assert in_force(s, c, r, max_points=Decimal(100)) == (r, stages.RECONCILED, False)


@settings(max_examples=200, deadline=None)
@given(score, score)
def test_self_and_cross_within_the_margin_give_the_cross_score(s, c):
    points, stage, needs = in_force(s, c, max_points=Decimal(100))
    if abs(s - c) <= 10:  # 10 % of 100 points
        assert (points, stage, needs) == (c, stages.CROSS, False)
    else:  # waiting for the leader: never more than either side gave
        assert (points, stage, needs) == (min(s, c), stages.PENDING, True)
        assert points <= s and points <= c


def test_the_margin_is_a_share_of_the_criterions_points_and_its_edge_is_within():
    assert in_force(Decimal(45), Decimal(40)) == (Decimal(40), stages.CROSS, False)  # 5 apart: exactly 10 % of 50
    assert in_force(Decimal(45), Decimal("39.99")) == (Decimal("39.99"), stages.PENDING, True)
    assert in_force(Decimal(30), Decimal(48)) == (Decimal(30), stages.PENDING, True)


def test_a_single_score_counts_as_given_and_none_leaves_the_points_alone():
    assert in_force(cross=Decimal(33)) == (Decimal(33), stages.CROSS, False)
    assert in_force(self_=Decimal(44)) == (Decimal(44), stages.SELF, False)
    assert in_force() == (None, stages.NONE, False)


# ------------------------------------------------------------------------------ cross-scoring pairs


def test_a_unit_may_not_cross_score_itself(g1):
    with pytest.raises(CrossAssignmentError) as refused:
        cross_assignments_set(covenant=g1.covenant, pairs=[(g1.a, g1.a), (g1.b, g1.d), (g1.d, g1.b)],
                              actor=g1.leader_g1_2024)
    assert "Ánh Dương không được tự chấm chéo chính mình." in refused.value.problems
    assert not CrossAssignment.objects.exists()


def test_a_unit_may_not_be_cross_scored_twice(g1):
    with pytest.raises(CrossAssignmentError) as refused:
        cross_assignments_set(covenant=g1.covenant, pairs=[(g1.a, g1.b), (g1.d, g1.b), (g1.b, g1.a)],
                              actor=g1.leader_g1_2024)
    problems = refused.value.problems
    assert any("Bình Minh được phân công chấm chéo nhiều lần (bởi Ánh Dương và Đông Hải)" in p for p in problems)
    assert "Chưa có đơn vị chấm chéo cho: Đông Hải." in problems


def test_a_unit_may_not_score_two_units(g1):
    with pytest.raises(CrossAssignmentError) as refused:
        cross_assignments_set(covenant=g1.covenant, pairs=[(g1.a, g1.b), (g1.a, g1.d), (g1.b, g1.a)],
                              actor=g1.leader_g1_2024)
    assert any("Ánh Dương được giao chấm nhiều đơn vị (Bình Minh và Đông Hải)" in p for p in refused.value.problems)


def test_every_member_must_be_cross_scored(g1):
    with pytest.raises(CrossAssignmentError) as refused:
        cross_assignments_set(covenant=g1.covenant, pairs=[(g1.a, g1.b), (g1.b, g1.a)], actor=g1.leader_g1_2024)
    assert "Chưa có đơn vị chấm chéo cho: Đông Hải." in refused.value.problems
    assert "Chưa giao đơn vị để chấm chéo cho: Đông Hải." in refused.value.problems


def test_a_unit_of_another_group_cannot_be_paired(g1):
    with pytest.raises(CrossAssignmentError) as refused:
        cross_assignments_set(covenant=g1.covenant, pairs=[(g1.c, g1.a), (g1.a, g1.d), (g1.d, g1.b), (g1.b, g1.c)],
                              actor=g1.leader_g1_2024)
    assert "Cẩm Giang không phải thành viên của cụm, khối năm nay." in refused.value.problems


def test_the_leader_replaces_the_pairs_in_one_audited_change(paired):
    assert sorted(CrossAssignment.objects.values_list("scorer__code", "scored__code")) == [
        ("P-A", "P-D"), ("P-B", "P-A"), ("P-D", "P-B")]
    cross_assignments_set(covenant=paired.covenant, pairs=[(paired.a, paired.b), (paired.b, paired.d), (paired.d, paired.a)],
                          actor=paired.leader_g1_2024)
    assert sorted(CrossAssignment.objects.values_list("scorer__code", "scored__code")) == [
        ("P-A", "P-B"), ("P-B", "P-D"), ("P-D", "P-A")]
    events = AuditEvent.objects.filter(action="cross_assignments.set").order_by("id")
    assert events.count() == 2
    assert events.last().data["before"] == [["P-A", "P-D"], ["P-B", "P-A"], ["P-D", "P-B"]]


def test_only_the_leaders_officers_assign_pairs(g1):
    for actor in (g1.officer_a, g1.council_g1, g1.reader_g1, g1.board_p):
        with pytest.raises(ScoringForbidden):
            cross_assignments_set(covenant=g1.covenant, pairs=[(g1.a, g1.b), (g1.b, g1.d), (g1.d, g1.a)], actor=actor)


def test_a_unit_already_cross_scored_keeps_its_scorer(paired):
    cross_score_set(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(40), actor=paired.officer_b)
    with pytest.raises(CrossAssignmentError) as refused:
        cross_assignments_set(covenant=paired.covenant,
                              pairs=[(paired.a, paired.b), (paired.b, paired.d), (paired.d, paired.a)],
                              actor=paired.leader_g1_2024)
    assert any("Bình Minh đã chấm chéo Ánh Dương" in p for p in refused.value.problems)


def test_without_last_year_each_unit_scores_the_next_by_code(g1):
    proposal = cross_assignments_propose(covenant=g1.covenant)
    assert [(s.code, t.code) for s, t in proposal] == [("P-A", "P-B"), ("P-B", "P-D"), ("P-D", "P-A")]


def test_the_proposal_shifts_the_rotation_so_nobody_scores_last_years_unit_again(g1):
    last = GroupYearFactory(group=g1.g1, year=2023)
    for unit in (g1.a, g1.b, g1.d):
        MembershipFactory(group_year=last, unit=unit)
    covenant_2023 = Covenant.objects.create(group_year=last)
    for scorer, scored in ((g1.a, g1.b), (g1.b, g1.d), (g1.d, g1.a)):
        CrossAssignment.objects.create(covenant=covenant_2023, scorer=scorer, scored=scored)
    proposal = cross_assignments_propose(covenant=g1.covenant)
    assert [(s.code, t.code) for s, t in proposal] == [("P-A", "P-D"), ("P-B", "P-A"), ("P-D", "P-B")]


def test_two_members_can_only_score_each_other_even_if_they_did_last_year():
    assert stages.rotation_propose(members=["B", "A"], last_year=[("A", "B"), ("B", "A")]) == [("A", "B"), ("B", "A")]


def test_when_no_rotation_avoids_last_year_another_derangement_does():
    # Last year A→C, B→D (two ahead), C→B (three ahead), D→A (one ahead): every rotation repeats a pair.
    last = [("A", "C"), ("B", "D"), ("C", "B"), ("D", "A")]
    proposal = stages.rotation_propose(members=["A", "B", "C", "D"], last_year=last)
    assert not set(proposal) & set(last)
    assert stages.pairs_problems(members=["A", "B", "C", "D"], pairs=proposal) == []


def _derangements(members):
    for perm in itertools.permutations(members):
        if all(a != b for a, b in zip(members, perm, strict=True)):
            yield list(zip(members, perm, strict=True))


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=2, max_value=6).flatmap(
    lambda n: st.tuples(st.just([f"U{i}" for i in range(n)]), st.randoms(use_true_random=False))))
def test_the_proposal_is_always_a_derangement_and_avoids_last_year_when_possible(case):
    members, rng = case
    last = rng.choice(list(_derangements(members)))
    if rng.random() < 0.5:  # a member left, another joined: last year only partly overlaps
        members = [*members[1:], "NEW"]
    proposal = stages.rotation_propose(members=members, last_year=last)
    assert stages.pairs_problems(members=members, pairs=proposal) == []
    assert all(scorer != scored for scorer, scored in proposal)
    possible = any(not set(d) & set(last) for d in _derangements(sorted(members)))
    if possible:
        assert not set(proposal) & set(last)


# ------------------------------------------------------------------------------ self scores


def test_a_unit_self_scores_its_manual_criterion_while_its_report_is_open(g1):
    state = self_score_set(criterion=ii1(g1.covenant), unit=g1.a, points=Decimal("45.5"), actor=g1.officer_a)
    assert (state.points, state.stage) == (Decimal("45.5"), stages.SELF)
    assert points_of(g1.a, g1.covenant) == Decimal("45.5")
    assert ScoreEntry.objects.get(stage="self").actor == g1.officer_a


def test_a_submitted_report_refuses_self_scores_and_says_why(g1):
    report_submit(report=report_for(covenant=g1.covenant, unit=g1.a), actor=g1.head_a)
    with pytest.raises(ReportLocked, match="Báo cáo đã được gửi ngày .*đang chờ cụm trưởng xem xét"):
        self_score_set(criterion=ii1(g1.covenant), unit=g1.a, points=Decimal(40), actor=g1.officer_a)
    assert not ScoreEntry.objects.exists()
    assert points_of(g1.a, g1.covenant) == Decimal(45)  # as imported


def test_self_scores_stay_within_the_criterions_points_and_manual_criteria(g1):
    with pytest.raises(ScoringStageError, match="phải từ 0 đến 50"):
        self_score_set(criterion=ii1(g1.covenant), unit=g1.a, points=Decimal("50.01"), actor=g1.officer_a)
    with pytest.raises(ScoringStageError, match="phải từ 0 đến 50"):
        self_score_set(criterion=ii1(g1.covenant), unit=g1.a, points=Decimal(-1), actor=g1.officer_a)
    with pytest.raises(ScoringStageError, match="I.1 được chấm tự động"):
        self_score_set(criterion=g1.covenant.criteria.get(code="I.1"), unit=g1.a, points=Decimal(10),
                       actor=g1.officer_a)


def test_only_the_units_own_people_self_score_it(g1):
    with pytest.raises(ScoringForbidden):
        self_score_set(criterion=ii1(g1.covenant), unit=g1.a, points=Decimal(40), actor=g1.officer_b)
    with pytest.raises(ScoringForbidden):
        self_score_set(criterion=ii1(g1.covenant), unit=g1.a, points=Decimal(40), actor=g1.leader_g1_2024)
    self_score_set(criterion=ii1(g1.covenant), unit=g1.a, points=Decimal(40), actor=g1.head_a)


# ------------------------------------------------------------------------------ cross scores


def test_the_assigned_scorer_cross_scores_and_is_recorded(paired):
    state = cross_score_set(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(41), actor=paired.officer_b)
    entry = ScoreEntry.objects.get(stage="cross")
    assert entry.scorer_unit == paired.b and entry.result.unit == paired.a
    assert (state.points, state.stage) == (Decimal(41), stages.CROSS)


def test_nobody_but_the_assigned_scorer_cross_scores(paired):
    # Đông Hải scores Bình Minh: Ánh Dương may not, although Bình Minh scores Ánh Dương.
    with pytest.raises(ScoringForbidden, match="Bình Minh do Đông Hải chấm chéo"):
        cross_score_set(criterion=ii1(paired.covenant), unit=paired.b, points=Decimal(40), actor=paired.officer_a)
    with pytest.raises(ScoringForbidden):  # nor the unit itself
        cross_score_set(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(50), actor=paired.officer_a)
    cross_score_set(criterion=ii1(paired.covenant), unit=paired.b, points=Decimal(40), actor=paired.officer_d)


def test_there_is_no_cross_score_before_the_leader_assigns_pairs(g1):
    with pytest.raises(ScoringStageError, match="chưa phân công đơn vị chấm chéo Ánh Dương"):
        cross_score_set(criterion=ii1(g1.covenant), unit=g1.a, points=Decimal(40), actor=g1.officer_b)


def test_cross_scores_come_after_submission(paired):
    report_submit(report=report_for(covenant=paired.covenant, unit=paired.a), actor=paired.head_a)
    cross_score_set(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(44), actor=paired.officer_b)
    assert points_of(paired.a, paired.covenant) == Decimal(44)


# ------------------------------------------------------------------------------ reconciliation and appraisal


def test_beyond_the_margin_the_lower_score_counts_until_the_leader_reconciles_with_a_reason(paired):
    disputed(paired)
    assert points_of(paired.a, paired.covenant) == Decimal(30)
    with pytest.raises(ScoringStageError, match="phải ghi rõ lý do"):
        score_reconcile(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(40), reason="  ",
                        actor=paired.leader_g1_2024)
    state = score_reconcile(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(40),
                            reason="Đã đối chiếu minh chứng nghị quyết chi bộ", actor=paired.leader_g1_2024)
    assert (state.points, state.stage) == (Decimal(40), stages.RECONCILED)
    assert points_of(paired.a, paired.covenant) == Decimal(40)


def test_within_the_margin_or_without_both_scores_there_is_nothing_to_reconcile(paired):
    self_score_set(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(45), actor=paired.officer_a)
    with pytest.raises(ScoringStageError, match="chưa có điểm chấm chéo"):
        score_reconcile(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(42), reason="x",
                        actor=paired.leader_g1_2024)
    cross_score_set(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(40), actor=paired.officer_b)
    assert points_of(paired.a, paired.covenant) == Decimal(40)  # within 5 points: the cross score
    with pytest.raises(ScoringStageError, match="không quá 5 điểm; không cần thống nhất"):
        score_reconcile(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(42), reason="x",
                        actor=paired.leader_g1_2024)


def test_only_the_leader_reconciles(paired):
    disputed(paired)
    for actor in (paired.officer_a, paired.officer_b, paired.council_g1, paired.board_p):
        with pytest.raises(ScoringForbidden):
            score_reconcile(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(40), reason="lý do",
                            actor=actor)


def test_the_appraised_score_wins_and_is_final(paired):
    disputed(paired)
    score_reconcile(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(40), reason="Thống nhất tại hội nghị",
                    actor=paired.leader_g1_2024)
    state = score_appraise(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal("42.5"), actor=paired.board_p)
    assert (state.points, state.stage) == (Decimal("42.5"), stages.APPRAISED)
    with pytest.raises(ScoringStageError, match="đã được Ban Thi đua – Khen thưởng thẩm định"):
        cross_score_set(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(50), actor=paired.officer_b)
    with pytest.raises(ScoringStageError, match="thẩm định"):
        score_reconcile(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(50), reason="lại",
                        actor=paired.leader_g1_2024)
    assert points_of(paired.a, paired.covenant) == Decimal("42.5")


def test_the_board_may_appraise_at_any_time_but_nobody_else(g1):
    for actor in (g1.leader_g1_2024, g1.officer_a, g1.council_g1, g1.reader_g1):
        with pytest.raises(ScoringForbidden):
            score_appraise(criterion=ii1(g1.covenant), unit=g1.b, points=Decimal(30), actor=actor)
    score_appraise(criterion=ii1(g1.covenant), unit=g1.b, points=Decimal(30), actor=g1.national_board)
    assert points_of(g1.b, g1.covenant) == Decimal(30)  # Bình Minh had no II.1 result at all before


def test_result_points_follow_every_stage_and_the_score_command_reflects_the_final_score(paired):
    assert score_json()["P-A"]["criteria"]["II.1"] == 45.0  # as imported
    disputed(paired)
    assert score_json()["P-A"]["criteria"]["II.1"] == 30.0  # waiting: the lower of 48 and 30
    score_reconcile(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(40), reason="Đối chiếu minh chứng",
                    actor=paired.leader_g1_2024)
    assert score_json()["P-A"]["criteria"]["II.1"] == 40.0
    score_appraise(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal("42.5"), actor=paired.board_p)
    final = score_json()["P-A"]
    assert final["criteria"]["II.1"] == 42.5
    assert final["total"] == pytest.approx(141.44 - 45 + 42.5)


def test_every_stage_change_is_audited_and_in_the_results_history(paired):
    disputed(paired)
    score_reconcile(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(40), reason="Đối chiếu minh chứng",
                    actor=paired.leader_g1_2024)
    score_appraise(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal("42.5"), actor=paired.board_p)
    events = AuditEvent.objects.filter(action__startswith="score.").order_by("id")
    actions = list(events.values_list("action", "actor__username"))
    assert actions == [("score.self", "officer_a"), ("score.cross", "officer_b"),
                       ("score.reconciled", "leader_g1_2024"), ("score.appraised", "board_p")]
    history = ResultChange.objects.filter(result__unit=paired.a, result__criterion__code="II.1").order_by("id")
    assert all(change.source == ChangeSource.SCORING for change in history)
    assert [(c.field, c.old_value, c.new_value) for c in history] == [
        ("points.self", "", "48"), ("points", "45", "48"),
        ("points.cross", "", "30"), ("points", "48", "30"),
        ("points.reconciled", "", "40"), ("points", "30", "40"),
        ("points.appraised", "", "42.5"), ("points", "40", "42.5"),
    ]
    assert "Đối chiếu minh chứng" in history.get(field="points.reconciled").reason
    assert history.get(field="points.cross").reason == "Chấm chéo (Bình Minh)"


def test_a_concurrent_change_of_the_result_is_read_again_not_overwritten(g1, monkeypatch):
    """Someone saves the result's note between the scorer's read and write: the conditional UPDATE
    on the version misses, the score in force is worked out again and written over the new row."""
    from thidua.scoring import services

    real, calls = services._entries, []

    def racing(result):
        calls.append(result.pk)
        if len(calls) == 2:  # inside the write of the score in force, after its read of the row
            Result.objects.filter(pk=result.pk).update(version=F("version") + 1, note="sửa đồng thời")
        return real(result)

    monkeypatch.setattr(services, "_entries", racing)
    self_score_set(criterion=ii1(g1.covenant), unit=g1.a, points=Decimal(40), actor=g1.officer_a)
    result = Result.objects.get(criterion=ii1(g1.covenant), unit=g1.a)
    assert (result.points, result.note) == (Decimal(40), "sửa đồng thời")
    assert len(calls) == 3  # read, conflict, read again
    assert ResultChange.objects.filter(field="points").count() == 1


def test_scoring_pages_need_a_covenant(client, world):
    login(client, world.leader_g1_2024)
    assert client.get(reverse("stages_pairs", args=("G1", 2024))).status_code == 404


def test_a_refused_change_leaves_no_trace(paired):
    with pytest.raises(ScoringStageError):
        score_reconcile(criterion=ii1(paired.covenant), unit=paired.a, points=Decimal(40), reason="",
                        actor=paired.leader_g1_2024)
    assert not AuditEvent.objects.filter(action__startswith="score.").exists()
    assert not ResultChange.objects.exists()


# ------------------------------------------------------------------------------ the ranking shows the stages


def test_the_ranking_says_where_each_units_manual_points_come_from(client, paired):
    disputed(paired)
    self_score_set(criterion=ii1(paired.covenant), unit=paired.b, points=Decimal(35), actor=paired.officer_b)
    login(client, paired.officer_a)
    page = client.get(reverse("ranking", args=("G1", 2024))).content.decode()
    row_a = page[page.index('data-unit="P-A"'):page.index("</tr>", page.index('data-unit="P-A"'))]
    row_b = page[page.index('data-unit="P-B"'):page.index("</tr>", page.index('data-unit="P-B"'))]
    assert "1 tiêu chí chờ thống nhất" in row_a and 'data-stage="pending"' in row_a
    assert "1 tiêu chí tự chấm" in row_b
    assert "1 tiêu chí chưa chấm" in page  # Đông Hải has no II.1 yet


def test_the_score_sheet_names_the_stage_of_a_manual_criterion(client, paired):
    disputed(paired)
    login(client, paired.officer_a)
    page = client.get(reverse("score_sheet", args=("G1", 2024, "P-A"))).content.decode()
    assert "Điểm chấm: 30 (Chờ thống nhất: tạm tính điểm thấp hơn giữa tự chấm và chấm chéo)" in page


def test_imported_points_without_stage_scores_are_shown_as_entered(g1):
    scores = scores_of(Covenant.objects.filter(pk=g1.covenant.pk))[g1.g1_2024.pk]
    assert scores.manual_stages["P-A"] == {"II.1": stages.ENTERED}
    assert scores.stage_summaries["P-A"] == "1 tiêu chí nhập trực tiếp"


def test_scores_of_reads_the_stages_in_one_extra_query_for_any_number_of_covenants(paired):
    disputed(paired)
    covenants = Covenant.objects.all()
    with CaptureQueriesContext(connection) as queries:
        scored = scores_of(covenants)
        summaries = {gy: s.stage_summaries for gy, s in scored.items()}
    # covenants, contents, criteria, members, adjustments, stage scores + one per covenant for results
    assert len(queries) == 6 + covenants.count()
    assert summaries[paired.g1_2024.pk]["P-A"] == "1 tiêu chí chờ thống nhất"


# ------------------------------------------------------------------------------ the pages


def test_the_leader_sees_a_proposal_and_saves_the_pairs(client, g1):
    login(client, g1.leader_g1_2024)
    url = reverse("stages_pairs", args=("G1", 2024))
    page = client.get(url).content.decode()
    assert 'id="proposed"' in page and "Chưa có phân công" in page
    response = client.post(url, {"scorer-P-A": "P-B", "scorer-P-B": "P-D", "scorer-P-D": "P-A"})
    assert response.status_code == 302
    assert sorted(CrossAssignment.objects.values_list("scorer__code", "scored__code")) == [
        ("P-A", "P-D"), ("P-B", "P-A"), ("P-D", "P-B")]
    page = client.get(url).content.decode()
    assert "Đã lưu phân công chấm chéo." in page and 'id="proposed"' not in page


def test_the_pairs_page_names_the_units_of_a_refused_assignment(client, g1):
    login(client, g1.leader_g1_2024)
    response = client.post(reverse("stages_pairs", args=("G1", 2024)),
                           {"scorer-P-A": "P-A", "scorer-P-B": "P-D", "scorer-P-D": "P-B"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ánh Dương không được tự chấm chéo chính mình." in page
    assert not CrossAssignment.objects.exists()


def test_an_officer_self_scores_and_cross_scores_on_the_units_page(client, paired):
    login(client, paired.officer_b)
    url = reverse("stages_unit", args=("G1", 2024, "P-B"))
    page = client.get(url).content.decode()
    assert "Chấm chéo: Huyện Ánh Dương" in page
    assert client.post(url, {"stage": "cross", "unit": "P-A", "criterion": "II.1", "points": "40,5"}).status_code == 302
    assert client.post(url, {"stage": "self", "unit": "P-B", "criterion": "II.1", "points": "38"}).status_code == 302
    assert points_of(paired.a, paired.covenant) == Decimal("40.5")
    assert points_of(paired.b, paired.covenant) == Decimal(38)
    page = client.get(url).content.decode()
    assert "Đã lưu điểm tự chấm tiêu chí II.1: 38 điểm." in page


def test_the_units_page_shows_why_self_scores_are_closed_and_refuses_numbers_it_cannot_read(client, paired):
    report_submit(report=report_for(covenant=paired.covenant, unit=paired.a), actor=paired.head_a)
    login(client, paired.officer_a)
    url = reverse("stages_unit", args=("G1", 2024, "P-A"))
    page = client.get(url).content.decode()
    assert 'id="locked"' in page and "đang chờ cụm trưởng xem xét" in page
    page = client.post(url, {"stage": "self", "unit": "P-A", "criterion": "II.1", "points": "40"}).content.decode()
    assert "Báo cáo đã được gửi" in page
    page = client.post(url, {"stage": "cross", "unit": "P-D", "criterion": "II.1", "points": "bốn mươi"}).content.decode()
    assert "«bốn mươi» không phải là số" in page


def test_the_unit_page_cannot_be_used_to_cross_score_another_unit(client, paired):
    login(client, paired.officer_a)  # Ánh Dương scores Đông Hải, not Bình Minh
    url = reverse("stages_unit", args=("G1", 2024, "P-A"))
    response = client.post(url, {"stage": "cross", "unit": "P-B", "criterion": "II.1", "points": "40"})
    assert response.status_code == 404
    assert not ScoreEntry.objects.exists()


def test_the_leader_reconciles_on_the_list_and_a_reason_is_required(client, paired):
    disputed(paired)
    login(client, paired.leader_g1_2024)
    url = reverse("stages_reconcile", args=("G1", 2024))
    page = client.get(url).content.decode()
    assert 'id="pending"' in page and 'data-unit="P-A" data-criterion="II.1"' in page and ">18<" in page
    page = client.post(url, {"unit": "P-A", "criterion": "II.1", "points": "40", "reason": ""}).content.decode()
    assert "Thống nhất điểm phải ghi rõ lý do." in page
    response = client.post(url, {"unit": "P-A", "criterion": "II.1", "points": "40", "reason": "Đối chiếu minh chứng"})
    assert response.status_code == 302
    assert points_of(paired.a, paired.covenant) == Decimal(40)
    page = client.get(url).content.decode()
    assert 'id="nothing-pending"' in page and 'id="done"' in page


def test_the_board_appraises_on_its_form(client, paired):
    disputed(paired)
    login(client, paired.board_p)
    url = reverse("stages_appraise", args=("G1", 2024))
    page = client.get(url).content.decode()
    assert 'id="unit-P-A"' in page and 'id="unit-P-D"' in page
    assert client.post(url, {"unit": "P-A", "criterion": "II.1", "points": "42,5", "reason": ""}).status_code == 302
    assert points_of(paired.a, paired.covenant) == Decimal("42.5")
    assert "Thẩm định" in client.get(url).content.decode()


def test_the_overview_shows_each_user_their_own_scoring_work(client, paired):
    login(client, paired.officer_a)
    page = client.get(reverse("stages_index", args=("G1", 2024))).content.decode()
    assert reverse("stages_unit", args=("G1", 2024, "P-A")) in page
    assert reverse("stages_pairs", args=("G1", 2024)) not in page
    assert 'data-unit="P-B"' not in page  # another unit's progress is not shown to a unit officer
    login(client, paired.reader_g1)
    page = client.get(reverse("stages_index", args=("G1", 2024))).content.decode()
    assert "Bạn không có việc chấm điểm nào" in page


LEADER_PAGES = ("stages_pairs", "stages_reconcile")


@pytest.mark.parametrize("page", LEADER_PAGES)
@pytest.mark.parametrize(
    ("actor", "status"),
    [("leader_g1_2024", 200), ("officer_a", 403), ("reader_g1", 403), ("council_g1", 403), ("board_p", 403),
     ("officer_c", 404), ("outsider", 404)],
)
def test_the_leaders_pages_follow_the_access_policy(client, g1, page, actor, status):
    login(client, getattr(g1, actor))
    assert client.get(reverse(page, args=("G1", 2024))).status_code == status
    if status != 200:  # a form posted by someone who may not use the page is refused the same way
        assert client.post(reverse(page, args=("G1", 2024)), {}).status_code == status


@pytest.mark.parametrize(
    ("actor", "status"),
    [("board_p", 200), ("national_board", 200), ("leader_g1_2024", 403), ("reader_g1", 403), ("council_g1", 403),
     ("officer_a", 403), ("officer_c", 404), ("outsider", 404)],
)
def test_the_appraisal_page_follows_the_access_policy(client, g1, actor, status):
    login(client, getattr(g1, actor))
    assert client.get(reverse("stages_appraise", args=("G1", 2024))).status_code == status


@pytest.mark.parametrize(
    ("actor", "unit", "status"),
    [("officer_a", "P-A", 200), ("head_a", "P-A", 200), ("officer_b", "P-A", 404), ("leader_g1_2024", "P-B", 403),
     ("reader_g1", "P-A", 403), ("council_g1", "P-A", 403), ("officer_c", "P-A", 404), ("outsider", "P-A", 404),
     ("officer_c", "Q-C", 404)],  # Cẩm Giang's own officer: not a member of G1
)
def test_a_units_scoring_page_follows_the_access_policy(client, g1, actor, unit, status):
    login(client, getattr(g1, actor))
    assert client.get(reverse("stages_unit", args=("G1", 2024, unit))).status_code == status


def test_a_post_to_the_leaders_pages_by_a_unit_officer_changes_nothing(client, paired):
    disputed(paired)
    login(client, paired.officer_a)
    response = client.post(reverse("stages_reconcile", args=("G1", 2024)),
                           {"unit": "P-A", "criterion": "II.1", "points": "50", "reason": "tự thống nhất"})
    assert response.status_code == 403
    assert not ScoreEntry.objects.filter(stage="reconciled").exists()

