"""Writes of the manual scoring stages (DOMAIN.md cycle step 4, issue #4).

A manual criterion of a unit gets up to four stage scores (`ScoreEntry`, one per stage):
- self: by the unit's officers and head, while the unit's report is editable (draft, returned);
- cross: by the officers of the member the leader assigned to score this unit (`CrossAssignment`);
- reconciled: by the leader's officers, with a reason, when self and cross differ beyond the margin;
- appraised: by the Board in scope, at any time; it is final (no other stage changes afterwards,
  the Board may still revise its own appraisal).

After every stage change the score in force (`stages.score_in_force`; while waiting for
reconciliation the LOWER of self and cross) is written to `Result.points`, which the engine scores.

Every change runs in one transaction with its audit event and its history: a `ResultChange`
(source "scoring") for the stage score itself (field "points.self", "points.cross", …) and another
for `Result.points` (field "points") whenever the score in force moves. These history rows are not
counted as changes after acceptance: scoring is the normal step after the leader accepted the data,
not an edit that needed a reopening.

Race safety: `Result.points` is written by a conditional UPDATE on the row's version, re-read and
retried on conflict (the score in force is a function of the stage rows, so a retry is always
right); a self score locks the unit's report row by a conditional UPDATE that only matches while it
is editable; replacing the pairs locks the covenant row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from thidua.audit.services import audit_log
from thidua.covenants.fileformat import POINTS_PLACES, precision_problem
from thidua.covenants.models import Covenant, Criterion, Result
from thidua.covenants.selectors import exact
from thidua.lib.numbers import format_number
from thidua.org import policy
from thidua.org.models import GroupYear, Membership, Unit, User
from thidua.reporting.models import EDITABLE, ChangeSource, ResultChange, UnitReport
from thidua.reporting.services import ReportLocked, lock_message, report_for
from thidua.scoring import stages
from thidua.scoring.methods import MANUAL
from thidua.scoring.models import CrossAssignment, ScoreEntry, ScoreStage

_RETRIES = 5


class ScoringStageError(ValueError):
    """A scoring change the rules refuse; the message is for the user, in Vietnamese."""


class ScoringForbidden(ScoringStageError):
    """The actor may see the page but not make this change (views answer 403)."""


class CrossAssignmentError(ScoringStageError):
    """Pairs that are not a derangement of the members; `problems` names the units."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


@dataclass(frozen=True)
class ScoreState:
    """A result after a stage change: the score in force, where it comes from, what is pending."""

    result: Result
    points: Decimal | None
    stage: str
    needs_reconciliation: bool


# ------------------------------------------------------------------------------ helpers


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(exact(Decimal(value)), "f")


def _label(unit: Unit) -> str:
    return unit.label


def _members(group_year: GroupYear) -> dict[str, Unit]:
    return {m.unit.code: m.unit for m in Membership.objects.filter(group_year=group_year).select_related("unit")}


def _require_member(covenant: Covenant, unit: Unit) -> None:
    if not Membership.objects.filter(group_year_id=covenant.group_year_id, unit=unit).exists():
        raise ScoringStageError(f"{_label(unit)} không phải thành viên của {covenant.group_year}.")


def _require_manual(criterion: Criterion) -> None:
    if criterion.method != MANUAL:
        raise ScoringStageError(f"Tiêu chí {criterion.code} được chấm tự động theo số liệu; không chấm tay.")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise ScoringForbidden(message)


def _checked_points(criterion: Criterion, points) -> Decimal:
    """0 ≤ points ≤ the criterion's max, at most four decimals (what the column keeps)."""
    if points is None:
        raise ScoringStageError("Chưa nhập điểm.")
    try:
        value = Decimal(points) if not isinstance(points, Decimal) else points
    except (InvalidOperation, TypeError, ValueError):
        raise ScoringStageError(f"«{points}» không phải là số.") from None
    if not value.is_finite():
        raise ScoringStageError(f"«{points}» không phải là số.")
    maximum = Decimal(criterion.max_points)
    if not Decimal(0) <= value <= maximum:
        raise ScoringStageError(f"Điểm tiêu chí {criterion.code} phải từ 0 đến {format_number(maximum)}.")
    if problem := precision_problem(value, POINTS_PLACES):
        raise ScoringStageError(f"Điểm {problem}.")
    return value


def _result_for(criterion: Criterion, unit: Unit) -> Result:
    """The unit's result row for the criterion, created empty when the unit has none yet."""
    result = Result.objects.filter(criterion=criterion, unit=unit).first()
    if result is not None:
        return result
    try:
        with transaction.atomic():
            return Result.objects.create(criterion=criterion, unit=unit)
    except IntegrityError:  # created by someone else a moment ago
        return Result.objects.get(criterion=criterion, unit=unit)


def _entries(result: Result) -> dict[str, ScoreEntry]:
    return {entry.stage: entry for entry in ScoreEntry.objects.filter(result=result).select_related("scorer_unit")}


def _refuse_after_appraisal(entries: dict[str, ScoreEntry], criterion: Criterion, unit: Unit) -> None:
    if ScoreStage.APPRAISED in entries:
        raise ScoringStageError(
            f"Điểm tiêu chí {criterion.code} của {_label(unit)} đã được Ban Thi đua – Khen thưởng thẩm định "
            f"({format_number(exact(entries[ScoreStage.APPRAISED].points))} điểm); đó là điểm cuối cùng, "
            "không chấm lại ở bước này được."
        )


def _points_of(entries: dict[str, ScoreEntry]) -> dict[str, Decimal]:
    return {stage: Decimal(entry.points) for stage, entry in entries.items()}


def _in_force(points: dict[str, Decimal], criterion: Criterion,
              covenant: Covenant) -> tuple[Decimal | None, str, bool]:
    return stages.score_in_force(
        self_=points.get(stages.SELF), cross=points.get(stages.CROSS), reconciled=points.get(stages.RECONCILED),
        appraised=points.get(stages.APPRAISED), max_points=Decimal(criterion.max_points),
        margin_pct=Decimal(covenant.cross_margin_pct),
    )


def _in_force_write(*, result: Result, criterion: Criterion, covenant: Covenant, actor: User | None,
                    reason: str) -> ScoreState:
    """Write the score in force to `Result.points` race-safely (conditional UPDATE on the version;
    on conflict re-read the stage rows and retry) and record the change (source "scoring").

    Not `reporting.services.result_set`: that refuses reports that are no longer editable, and cross
    scores, reconciliation and appraisal come after the unit has submitted."""
    for _ in range(_RETRIES):
        current = Result.objects.get(pk=result.pk)
        points, stage, needs = _in_force(_points_of(_entries(current)), criterion, covenant)
        if points is None or (current.points is not None and Decimal(current.points) == points):
            return ScoreState(result=current, points=points, stage=stage, needs_reconciliation=needs)
        updated = Result.objects.filter(pk=current.pk, version=current.version).update(
            points=points, version=F("version") + 1, updated_at=timezone.now()
        )
        if updated != 1:
            continue  # someone changed the result meanwhile: read again
        why = f"Điểm áp dụng: {stages.STAGE_LABELS[stage]}"
        ResultChange.objects.create(result=current, field="points", old_value=_text(current.points),
                                    new_value=_text(points), actor=actor, source=ChangeSource.SCORING,
                                    reason=(f"{why} – {reason}" if reason else why)[:500])
        current.refresh_from_db()
        return ScoreState(result=current, points=points, stage=stage, needs_reconciliation=needs)
    raise ScoringStageError("Kết quả này vừa được thay đổi nhiều lần liên tiếp; hãy tải lại trang rồi thử lại.")


def _stage_put(*, covenant: Covenant, criterion: Criterion, unit: Unit, result: Result, stage: str,
               points: Decimal, actor: User | None, reason: str = "", scorer_unit: Unit | None = None) -> ScoreState:
    """Set one stage score, record its history and audit event, then the score in force."""
    old = ScoreEntry.objects.filter(result=result, stage=stage).first()
    old_points = Decimal(old.points) if old else None
    values = {"points": points, "actor": actor, "reason": reason, "scorer_unit": scorer_unit}
    if old is None:
        try:
            with transaction.atomic():
                entry = ScoreEntry.objects.create(result=result, stage=stage, **values)
        except IntegrityError:  # the same stage saved a moment ago by someone else: update it
            entry = ScoreEntry.objects.get(result=result, stage=stage)
            old_points = Decimal(entry.points)
            ScoreEntry.objects.filter(pk=entry.pk).update(at=timezone.now(), **values)
    else:
        entry = old
        ScoreEntry.objects.filter(pk=entry.pk).update(at=timezone.now(), **values)
    entry.refresh_from_db()
    label = stages.STAGE_LABELS[stage]
    by = f"{label} ({_label(scorer_unit)})" if scorer_unit else label
    ResultChange.objects.create(result=result, field=f"points.{stage}", old_value=_text(old_points),
                                new_value=_text(points), actor=actor, source=ChangeSource.SCORING,
                                reason=(f"{by} – {reason}" if reason else by)[:500])
    state = _in_force_write(result=result, criterion=criterion, covenant=covenant, actor=actor, reason=by)
    audit_log(
        action=f"score.{stage}", actor=actor, target=entry,
        summary=f"{unit.code} {criterion.code} {label}: {format_number(exact(points))}",
        data={"unit": unit.code, "criterion": criterion.code, "stage": stage, "points": _text(points),
              "old": _text(old_points), "reason": reason, "scorer_unit": scorer_unit.code if scorer_unit else "",
              "in_force": _text(state.points), "in_force_stage": state.stage},
    )
    return state


def _lock_editable_report(*, covenant: Covenant, unit: Unit) -> None:
    """The unit's report must be editable; a conditional UPDATE that only matches while it is
    holds the row for the rest of the transaction, so a submission waits for the self score."""
    report = report_for(covenant=covenant, unit=unit)
    if UnitReport.objects.filter(pk=report.pk, status__in=EDITABLE).update(status=F("status")) != 1:
        report.refresh_from_db()
        raise ReportLocked(lock_message(report))


# ------------------------------------------------------------------------------ cross-scoring pairs


def _last_year_pairs(covenant: Covenant) -> list[tuple[str, str]]:
    gy = covenant.group_year
    return list(
        CrossAssignment.objects.filter(covenant__group_year__group_id=gy.group_id,
                                       covenant__group_year__year=gy.year - 1)
        .values_list("scorer__code", "scored__code")
    )


def cross_assignments_last_year(*, covenant: Covenant) -> list[tuple[str, str]]:
    """Last year's pairs of the same group as (scorer code, scored code), for the leader's page."""
    return sorted(_last_year_pairs(covenant))


def cross_assignments_propose(*, covenant: Covenant) -> list[tuple[Unit, Unit]]:
    """Pairs (scorer, scored) for the covenant's members, proposed from last year's pairs of the same
    group: the first rotation of the members sorted by code (each scores the next) that repeats none
    of last year's pairs, else any derangement that repeats none, else the rotation with the fewest
    repeats (`stages.rotation_propose`). Never a unit with itself."""
    members = _members(covenant.group_year)
    pairs = stages.rotation_propose(members=list(members), last_year=_last_year_pairs(covenant))
    return [(members[scorer], members[scored]) for scorer, scored in pairs]


def cross_assignments_of(*, covenant: Covenant) -> list[CrossAssignment]:
    return list(covenant.cross_assignments.select_related("scorer", "scored").order_by("scored__code"))


@transaction.atomic
def cross_assignments_set(*, covenant: Covenant, pairs: Sequence[tuple[Unit, Unit]],
                          actor: User) -> list[CrossAssignment]:
    """Replace the covenant's cross-scoring pairs (scorer, scored), by the leader's officers.

    The pairs must be a derangement of the members: every member scored by exactly one other
    member, each scoring exactly one, nobody itself. A unit already cross-scored keeps its scorer
    (its cross scores would otherwise come from a unit no longer assigned). All in one transaction,
    audited; unchanged pairs change nothing."""
    group_year = covenant.group_year
    _require(policy.can_review_reports(actor, group_year),
             "Chỉ cán bộ đơn vị cụm trưởng, khối trưởng năm nay được phân công chấm chéo.")
    Covenant.objects.select_for_update().filter(pk=covenant.pk).first()  # one replacement at a time
    members = _members(group_year)
    labels = {code: _label(unit) for code, unit in members.items()}
    for scorer, scored in pairs:
        labels.setdefault(scorer.code, _label(scorer))
        labels.setdefault(scored.code, _label(scored))
    wanted = [(scorer.code, scored.code) for scorer, scored in pairs]
    problems = stages.pairs_problems(members=list(members), pairs=wanted, labels=labels)
    scored_by = dict(
        ScoreEntry.objects.filter(result__criterion__covenant=covenant, stage=ScoreStage.CROSS)
        .values_list("result__unit__code", "scorer_unit__code")
    )
    for scorer, scored in wanted:
        previous = scored_by.get(scored)
        if previous and previous != scorer:
            problems.append(f"{labels.get(previous, previous)} đã chấm chéo {labels.get(scored, scored)} nên không "
                            f"đổi được đơn vị chấm chéo của {labels.get(scored, scored)}.")
    if problems:
        raise CrossAssignmentError(problems)
    before = sorted(covenant.cross_assignments.values_list("scorer__code", "scored__code"))
    if before == sorted(wanted):
        return cross_assignments_of(covenant=covenant)
    covenant.cross_assignments.all().delete()
    try:
        with transaction.atomic():
            CrossAssignment.objects.bulk_create(
                [CrossAssignment(covenant=covenant, scorer=members[s], scored=members[t]) for s, t in wanted]
            )
    except IntegrityError:
        raise ScoringStageError("Phân công chấm chéo vừa được người khác thay đổi; hãy tải lại trang.") from None
    audit_log(action="cross_assignments.set", actor=actor, target=covenant,
              summary="; ".join(f"{labels[s]} chấm {labels[t]}" for s, t in sorted(wanted)),
              data={"pairs": [list(p) for p in sorted(wanted)], "before": [list(p) for p in before]})
    return cross_assignments_of(covenant=covenant)


def cross_assignment_for_scored(*, covenant: Covenant, scored: Unit) -> CrossAssignment | None:
    return CrossAssignment.objects.filter(covenant=covenant, scored=scored).select_related("scorer", "scored").first()


def cross_assignment_for_scorer(*, covenant: Covenant, scorer: Unit) -> CrossAssignment | None:
    return CrossAssignment.objects.filter(covenant=covenant, scorer=scorer).select_related("scorer", "scored").first()


# ------------------------------------------------------------------------------ the four stages


@transaction.atomic
def self_score_set(*, criterion: Criterion, unit: Unit, points: Decimal, actor: User) -> ScoreState:
    """The unit's own score on a manual criterion, by its officers or head, while its report is
    editable (else `ReportLocked` with the reason and who can reopen)."""
    covenant = criterion.covenant
    _require_manual(criterion)
    _require_member(covenant, unit)
    _require(policy.can_enter_unit_data(actor, unit),
             f"Chỉ cán bộ, thủ trưởng {_label(unit)} được tự chấm điểm.")
    value = _checked_points(criterion, points)
    _lock_editable_report(covenant=covenant, unit=unit)
    result = _result_for(criterion, unit)
    _refuse_after_appraisal(_entries(result), criterion, unit)
    return _stage_put(covenant=covenant, criterion=criterion, unit=unit, result=result, stage=ScoreStage.SELF,
                      points=value, actor=actor)


@transaction.atomic
def cross_score_set(*, criterion: Criterion, unit: Unit, points: Decimal, actor: User) -> ScoreState:
    """The cross score of `unit` on a manual criterion, by the officers of the member the leader
    assigned to score it (recorded as the scorer unit). Nobody cross-scores their own unit."""
    covenant = criterion.covenant
    _require_manual(criterion)
    _require_member(covenant, unit)
    assignment = (CrossAssignment.objects.select_for_update().filter(covenant=covenant, scored=unit)
                  .select_related("scorer").first())
    if assignment is None:
        raise ScoringStageError(f"Cụm trưởng chưa phân công đơn vị chấm chéo {_label(unit)}.")
    scorer = assignment.scorer
    _require(policy.can_enter_unit_data(actor, scorer),
             f"{_label(unit)} do {_label(scorer)} chấm chéo; chỉ cán bộ {_label(scorer)} được nhập điểm này.")
    _require(not policy.can_enter_unit_data(actor, unit),
             f"Bạn là cán bộ của chính {_label(unit)} nên không chấm chéo đơn vị này được.")
    value = _checked_points(criterion, points)
    result = _result_for(criterion, unit)
    _refuse_after_appraisal(_entries(result), criterion, unit)
    return _stage_put(covenant=covenant, criterion=criterion, unit=unit, result=result, stage=ScoreStage.CROSS,
                      points=value, actor=actor, scorer_unit=scorer)


@transaction.atomic
def score_reconcile(*, criterion: Criterion, unit: Unit, points: Decimal, reason: str, actor: User) -> ScoreState:
    """The leader's reconciled score where self and cross differ beyond the covenant's margin, with
    a mandatory reason. Without both scores, or within the margin, there is nothing to reconcile."""
    covenant = criterion.covenant
    _require_manual(criterion)
    _require_member(covenant, unit)
    _require(policy.can_review_reports(actor, covenant.group_year),
             "Chỉ cán bộ đơn vị cụm trưởng, khối trưởng năm nay được thống nhất điểm.")
    value = _checked_points(criterion, points)
    reason = (reason or "").strip()
    if not reason:
        raise ScoringStageError("Thống nhất điểm phải ghi rõ lý do.")
    result = _result_for(criterion, unit)
    entries = _entries(result)
    _refuse_after_appraisal(entries, criterion, unit)
    if ScoreStage.SELF not in entries or ScoreStage.CROSS not in entries:
        missing = "tự chấm" if ScoreStage.SELF not in entries else "chấm chéo"
        raise ScoringStageError(f"{_label(unit)} chưa có điểm {missing} tiêu chí {criterion.code}; "
                                "chưa có gì để thống nhất.")
    self_, cross = Decimal(entries[ScoreStage.SELF].points), Decimal(entries[ScoreStage.CROSS].points)
    maximum, margin_pct = Decimal(criterion.max_points), Decimal(covenant.cross_margin_pct)
    if not stages.beyond_margin(self_=self_, cross=cross, max_points=maximum, margin_pct=margin_pct):
        margin = stages.margin_points(max_points=maximum, margin_pct=margin_pct)
        raise ScoringStageError(
            f"Điểm tự chấm ({format_number(exact(self_))}) và chấm chéo ({format_number(exact(cross))}) tiêu chí "
            f"{criterion.code} của {_label(unit)} chênh lệch không quá {format_number(exact(margin))} điểm; "
            "không cần thống nhất."
        )
    return _stage_put(covenant=covenant, criterion=criterion, unit=unit, result=result,
                      stage=ScoreStage.RECONCILED, points=value, actor=actor, reason=reason)


@transaction.atomic
def score_appraise(*, criterion: Criterion, unit: Unit, points: Decimal, actor: User, reason: str = "") -> ScoreState:
    """The Board's appraised score, at any stage; it is final (the Board may revise it)."""
    covenant = criterion.covenant
    _require_manual(criterion)
    _require_member(covenant, unit)
    _require(policy.can_reopen_reports(actor, covenant.group_year),
             "Chỉ Ban Thi đua – Khen thưởng phụ trách cụm, khối được thẩm định điểm.")
    value = _checked_points(criterion, points)
    result = _result_for(criterion, unit)
    return _stage_put(covenant=covenant, criterion=criterion, unit=unit, result=result,
                      stage=ScoreStage.APPRAISED, points=value, actor=actor, reason=(reason or "").strip())
