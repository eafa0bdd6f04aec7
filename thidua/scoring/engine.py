"""The scoring engine: covenant rules + results → criterion points, subtotals, totals, ranking.

Pure Python, no Django, no database: everything is a `Decimal` and the contract is
COVENANT_FORMAT.md ("Scoring methods", "Ranking", "`thidua score --json`"). The numbers must agree
to the cent with any other faithful reading of that contract, so the rules are applied literally:

* arithmetic runs in a 50-digit decimal context, nothing is rounded on the way; only each
  criterion's final points are rounded half-up to 2 decimals ("Scoring methods", first paragraph);
* a content subtotal is the sum of the rounded criterion points, the total is the sum of the
  subtotals plus the adjustments;
* missing data gives 0 points and the flag "thiếu số liệu".

Scoring is hot (a re-score of a whole year touches ~264,000 results), so `score_group` scores a
criterion's column at a time and stores only the rounded points (`_Scores`); a unit's
`CriterionScore` (with p and the trace of the figures used) is built when asked for, and the
Vietnamese explanation only by `CriterionScore.explanation`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from operator import itemgetter
from typing import Any, NamedTuple

from thidua.lib.numbers import format_number, format_percent, to_decimal
from thidua.scoring.methods import (
    HIGHER,
    LOWER,
    MANUAL,
    METHODS,
    PLAN_RATIO,
    RANK,
    RANK_BY,
    THRESHOLD,
    VS_BASELINE,
)

__all__ = [
    "Adjustment",
    "ContentRule",
    "CriterionRule",
    "CriterionScore",
    "Result",
    "Rules",
    "ScoringError",
    "UnitScore",
    "criterion_rule",
    "ranking_to_json",
    "score_criterion",
    "score_group",
    "score_result",
]

# --------------------------------------------------------------------------------------------------
# Decimal set-up
# --------------------------------------------------------------------------------------------------

#: Working context: 50 significant digits so that no realistic figure is rounded before the final
#: half-up rounding of a criterion's points ("nothing is rounded on the way").
SCORING_CONTEXT = Context(
    prec=50,
    rounding=ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

_ZERO = Decimal(0)
_TWO = Decimal(2)
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_ZERO_POINTS = Decimal("0.00")


def _round_points(value: Decimal) -> Decimal:
    """Round final points half-up to 2 decimals: 80,555 → 80,56 (COVENANT_FORMAT.md,
    "Scoring methods")."""
    return value.quantize(_CENT, ROUND_HALF_UP)


# --------------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CriterionRule:
    """One criterion (tiêu chí): `contents[].criteria[]` in COVENANT_FORMAT.md "Shape".

    `params` holds the method's parameters (methods.METHOD_PARAMS): numbers as `Decimal`, `by` as
    a str.
    """

    code: str
    content: str
    max_points: Decimal
    method: str
    direction: str = HIGHER
    params: Mapping[str, Any] = field(default_factory=dict)


_RULE_SETTERS = tuple(
    vars(CriterionRule)[name].__set__
    for name in ("code", "content", "max_points", "method", "direction", "params")
)


def criterion_rule(
    code: str, content: str, max_points: Decimal, method: str, direction: str, params: Mapping[str, Any]
) -> CriterionRule:
    """`CriterionRule(code, content, max_points, method, direction, params)` for bulk reads (a
    national re-score reads 26,400 criteria): the same frozen object, built without the
    dataclass's six `object.__setattr__` calls, which cost half of the read of a rule."""
    rule = object.__new__(CriterionRule)
    set_code, set_content, set_max, set_method, set_direction, set_params = _RULE_SETTERS
    set_code(rule, code)
    set_content(rule, content)
    set_max(rule, max_points)
    set_method(rule, method)
    set_direction(rule, direction)
    set_params(rule, params)
    return rule


@dataclass(frozen=True, slots=True)
class ContentRule:
    """One content (nội dung) of the covenant with its criterion codes in display order."""

    code: str
    max_points: Decimal
    criteria: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rules:
    """The scoring part of a covenant: contents in display order and the criteria by code."""

    contents: tuple[ContentRule, ...]
    criteria: Mapping[str, CriterionRule]


class Result(NamedTuple):
    """One `results[]` row (unit × criterion) of COVENANT_FORMAT.md; any figure may be None.

    A named tuple rather than a dataclass: a national re-score builds ~264,000 of them straight
    from database rows, and a tuple is built several times faster than a frozen dataclass."""

    unit: str
    criterion: str
    target: Decimal | None = None
    actual: Decimal | None = None
    baseline: Decimal | None = None
    points: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One `adjustments[]` row: bonus (+) or penalty (−) points (điểm thưởng / điểm trừ)."""

    unit: str
    points: Decimal
    reason: str = ""


class ScoringError(ValueError):
    """The rules or the figures cannot be scored (target 0 where p is needed, unknown method, …).

    Messages are in Vietnamese and name the unit and the criterion when there is one.
    """


# --------------------------------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------------------------------

# Kinds of missing data, kept as the trace of a missing score (see CriterionScore.explanation).
_NO_RESULT = "result"
_NO_ACTUAL = "actual"
_NO_TARGET = "target"
_NO_BASELINE = "baseline"
_NO_POINTS = "points"

_MISSING_DETAIL_VI = {
    _NO_RESULT: "chưa có kết quả",
    _NO_ACTUAL: "chưa có số thực hiện",
    _NO_TARGET: "chưa có kế hoạch",
    _NO_BASELINE: "chưa có số kỳ trước",
    _NO_POINTS: "chưa có điểm chấm",
}


@dataclass(frozen=True, slots=True)
class CriterionScore:
    """The score of one unit on one criterion.

    `points` is rounded half-up to 2 decimals; `missing` is the "thiếu số liệu" flag; `pct` is p
    (the percentage of plan, full precision) when the method computed it; `trace` holds the figures
    used, in a method-specific order, enough to rebuild the explanation:

    * plan_ratio: (target, actual)
    * threshold: (actual, bar)
    * vs_baseline: (actual, baseline) — the change is recomputed when explaining
    * rank: (rank, number of ranked units, the value ranked on)
    * manual: (points given,)
    * missing: (what is missing,) — one of "result", "actual", "target", "baseline", "points"
    """

    points: Decimal
    missing: bool
    pct: Decimal | None
    trace: tuple[Any, ...]

    def explanation(self, rule: CriterionRule) -> str:
        """How the points were obtained, in Vietnamese with Vietnamese number formats."""
        if self.missing:
            detail = _MISSING_DETAIL_VI.get(self.trace[0] if self.trace else "", "")
            return f"Thiếu số liệu ({detail}) → 0 điểm" if detail else "Thiếu số liệu → 0 điểm"
        explain = _EXPLAINERS.get(rule.method)
        if explain is None:
            raise ScoringError(
                f"Tiêu chí {rule.code}: phương pháp chấm không hợp lệ «{rule.method}»"
            )
        with localcontext(SCORING_CONTEXT):
            return explain(self, rule)


@dataclass(frozen=True, slots=True)
class UnitScore:
    """One line of the ranking ("Ranking" in COVENANT_FORMAT.md).

    `contents` (subtotal per content) and `criteria` follow the covenant's display order.
    `score_group` gives `criteria` as a read-only mapping over the group's stored scores (see
    `_Scores`); any mapping of criterion code → CriterionScore will do.
    """

    rank: int
    unit: str
    total: Decimal
    adjustments: Decimal
    contents: dict[str, Decimal]
    criteria: Mapping[str, CriterionScore]


_new_object = object.__new__
_set_points = vars(CriterionScore)["points"].__set__
_set_missing = vars(CriterionScore)["missing"].__set__
_set_pct = vars(CriterionScore)["pct"].__set__
_set_trace = vars(CriterionScore)["trace"].__set__


def _scored(points: Decimal, pct: Decimal | None, trace: tuple[Any, ...]) -> CriterionScore:
    """A non-missing CriterionScore, built without the frozen dataclass's per-field
    `object.__setattr__` calls (the hot path: once per result). Same object as the constructor's."""
    score = _new_object(CriterionScore)
    _set_points(score, points)
    _set_missing(score, False)
    _set_pct(score, pct)
    _set_trace(score, trace)
    return score


def _missing(kind: str) -> CriterionScore:
    return CriterionScore(_ZERO_POINTS, True, None, (kind,))


# Immutable, so shared by every missing row.
_MISSING_RESULT = _missing(_NO_RESULT)
_MISSING_ACTUAL = _missing(_NO_ACTUAL)
_MISSING_TARGET = _missing(_NO_TARGET)
_MISSING_BASELINE = _missing(_NO_BASELINE)
_MISSING_POINTS = _missing(_NO_POINTS)
_MISSING_SCORES = {
    s.trace[0]: s
    for s in (_MISSING_RESULT, _MISSING_ACTUAL, _MISSING_TARGET, _MISSING_BASELINE, _MISSING_POINTS)
}


# --------------------------------------------------------------------------------------------------
# Per-criterion constants ("compiled" once per call)
# --------------------------------------------------------------------------------------------------


class _Criterion:
    """A criterion's constants with the defaults of COVENANT_FORMAT.md applied, as Decimals.

    Only the fields of the criterion's method matter; the others stay 0. `max_q`, `capped_q` and
    `partial_q` are already rounded to points, so the common "full marks" and "bonus capped"
    outcomes need no arithmetic.
    """

    __slots__ = (
        "bar",
        "bonus",
        "by_pct",
        "cap",
        "capped_q",
        "code",
        "lower",
        "max",
        "max_q",
        "method",
        "min_points",
        "partial_q",
        "penalty",
        "score",
        "step",
    )

    def __init__(self, rule: CriterionRule) -> None:
        self.code = rule.code
        self.method = rule.method
        self.lower = rule.direction == LOWER
        top = rule.max_points
        self.max = top if type(top) is Decimal else to_decimal(top)
        self.max_q = self.max.quantize(_CENT, ROUND_HALF_UP)
        self.penalty = self.bonus = self.cap = _ZERO  # plan_ratio, vs_baseline
        self.capped_q = self.max_q  # plan_ratio: max + bonus_cap, rounded
        self.bar: Decimal | None = None  # threshold
        self.partial_q = _ZERO_POINTS  # threshold
        self.step = self.min_points = _ZERO  # rank
        self.by_pct = False  # rank
        self.score: Callable[[_Criterion, _Scores, int, int], None] = _score_manual


def _number(rule: CriterionRule, name: str, default: Decimal) -> Decimal:
    """A numeric parameter, or its default when absent."""
    value = rule.params.get(name)
    if value is None:
        return default
    if type(value) is Decimal:
        return value
    return _optional_number(rule, name)


def _optional_number(rule: CriterionRule, name: str) -> Decimal | None:
    value = rule.params.get(name)
    if value is None or type(value) is Decimal:
        return value
    try:
        return to_decimal(value)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise ScoringError(
            f"Tiêu chí {rule.code}: tham số {name} không phải là số ({value!r})"
        ) from exc


def _plan_ratio_params(
    rule: CriterionRule, max_points: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    """(penalty_per_pct, bonus_per_pct, bonus_cap) with the defaults of the `plan_ratio` row:
    penalty max_points / 100, bonus 0, cap 0."""
    return (
        _number(rule, "penalty_per_pct", max_points / _HUNDRED),
        _number(rule, "bonus_per_pct", _ZERO),
        _number(rule, "bonus_cap", _ZERO),
    )


def _vs_baseline_penalty(rule: CriterionRule, max_points: Decimal) -> Decimal:
    """penalty_per_pct of the `vs_baseline` row, default max_points / 100."""
    return _number(rule, "penalty_per_pct", max_points / _HUNDRED)


def _rank_params(rule: CriterionRule) -> tuple[Decimal, Decimal, bool]:
    """(step, min_points, by_pct) of the `rank` row: `step` required, min_points 0, by `actual`."""
    step = _optional_number(rule, "step")
    if step is None:
        raise ScoringError(f"Tiêu chí {rule.code}: phương pháp xếp hạng thiếu tham số step")
    by = rule.params.get("by") or "actual"
    if by not in RANK_BY:
        raise ScoringError(f"Tiêu chí {rule.code}: tham số by không hợp lệ «{by}»")
    return step, _number(rule, "min_points", _ZERO), by == "pct_of_plan"


def _compile(rule: CriterionRule) -> _Criterion:
    """Validate a rule and precompute its constants (defaults from "Scoring methods")."""
    method = rule.method
    if method not in METHODS:
        raise ScoringError(f"Tiêu chí {rule.code}: phương pháp chấm không hợp lệ «{method}»")
    if rule.direction not in (HIGHER, LOWER):
        raise ScoringError(f"Tiêu chí {rule.code}: chiều đánh giá không hợp lệ «{rule.direction}»")
    c = _Criterion(rule)
    if method == PLAN_RATIO:
        c.penalty, c.bonus, c.cap = _plan_ratio_params(rule, c.max)
        c.capped_q = (c.max + c.cap).quantize(_CENT, ROUND_HALF_UP)
        c.score = _score_plan_ratio
    elif method == THRESHOLD:
        c.bar = _optional_number(rule, "threshold")
        c.partial_q = _number(rule, "partial", _ZERO).quantize(_CENT, ROUND_HALF_UP)
        c.score = _score_threshold
    elif method == VS_BASELINE:
        c.penalty = _vs_baseline_penalty(rule, c.max)
        c.score = _score_vs_baseline
    elif method == RANK:
        c.step, c.min_points, c.by_pct = _rank_params(rule)
        c.score = _score_rank
    else:
        c.score = _score_manual
    return c



# --------------------------------------------------------------------------------------------------
# The scores of a run, stored flat
# --------------------------------------------------------------------------------------------------


class _Scores:
    """Every criterion score of one scoring run, one criterion after another (cell k = j·n + i for
    criterion j and unit i of n): the rounded points in a flat list, missing data and ranks in
    dicts keyed by k, and the result rows the points came from.

    Why not one CriterionScore per cell: a national re-score has 264,000 cells, and that many
    objects (with their trace tuples) cost more to build, and for Python's cyclic garbage
    collector to walk once scoring ends, than the arithmetic itself. A CriterionScore is built
    only when one is asked for (`score`): the trace and p come from the stored row, with the same
    formulas as the scoring, so it is the object the methods would have built.
    """

    __slots__ = ("compiled", "counts", "missing", "n", "points", "ranks", "rows", "slots")

    def __init__(
        self, compiled: list[_Criterion], slots: dict[str, int], n: int, rows: list[Any]
    ) -> None:
        self.compiled = compiled
        self.slots = slots  # criterion code → position j
        self.n = n
        self.rows = rows  # rows[j·n + i]: the result row (Result or a tuple in its order) or None
        self.points: list[Decimal] = []
        self.missing: dict[int, str] = {}  # k → what is missing (_NO_* kinds)
        self.ranks: dict[int, int] = {}  # k → rank, for `rank` criteria
        self.counts: dict[int, int] = {}  # j → number of ranked units, for `rank` criteria
        for j, c in enumerate(compiled):
            c.score(c, self, j * n, j * n + n)

    def score(self, j: int, i: int) -> CriterionScore:
        """The CriterionScore of criterion j for unit i."""
        k = j * self.n + i
        kind = self.missing.get(k)
        if kind is not None:
            return _MISSING_SCORES[kind]
        c, r, points = self.compiled[j], self.rows[k], self.points[k]
        method = c.method
        if method == PLAN_RATIO:
            with localcontext(SCORING_CONTEXT):
                return _scored(points, _pct_value(c, r[2], r[3]), (r[2], r[3]))
        if method == THRESHOLD:
            return _scored(points, None, (r[3], r[2] if c.bar is None else c.bar))
        if method == VS_BASELINE:
            return _scored(points, None, (r[3], r[4]))
        if method == RANK:
            if c.by_pct:
                with localcontext(SCORING_CONTEXT):
                    p = _pct_value(c, r[2], r[3])
                return _scored(points, p, (self.ranks[k], self.counts[j], p))
            return _scored(points, None, (self.ranks[k], self.counts[j], r[3]))
        return _scored(points, None, (r[5],))


class _UnitCriteria(Mapping[str, CriterionScore]):
    """`UnitScore.criteria` of `score_group`: criterion code → CriterionScore, covenant order,
    each score built from the stored run when asked for."""

    __slots__ = ("_i", "_scores")

    def __init__(self, scores: _Scores, i: int) -> None:
        self._scores = scores
        self._i = i

    def __getitem__(self, code: str) -> CriterionScore:
        return self._scores.score(self._scores.slots[code], self._i)

    def __iter__(self) -> Iterator[str]:
        return iter(self._scores.slots)

    def __len__(self) -> int:
        return len(self._scores.slots)

    def __repr__(self) -> str:
        return repr(dict(self))


# --------------------------------------------------------------------------------------------------
# The methods (COVENANT_FORMAT.md, "Scoring methods" table), a criterion's column at a time
# --------------------------------------------------------------------------------------------------
#
# Each scores the cells start … end − 1 of one criterion: it appends their rounded points to
# `s.points` and records missing data in `s.missing`. Rows are read by position (unit, criterion,
# target, actual, baseline, points: `Result`'s order), so database rows serve as they come.


def _zero_target(c: _Criterion, unit: str) -> ScoringError:
    return ScoringError(
        f"Đơn vị {unit}, tiêu chí {c.code}: kế hoạch bằng 0, không tính được tỷ lệ % kế hoạch"
    )


def _pct_value(c: _Criterion, target: Decimal, actual: Decimal) -> Decimal:
    """p: `actual / target × 100` (higher) or `(2 − actual / target) × 100` (lower); the caller
    has checked that both are given and the target is not 0."""
    if c.lower:
        return (_TWO - actual / target) * _HUNDRED
    return actual / target * _HUNDRED


def _score_plan_ratio(c: _Criterion, s: _Scores, start: int, end: int) -> None:
    """`plan_ratio`: p ≥ 100 → max + min(bonus_cap, (p − 100) × bonus_per_pct);
    else max(0, max − (100 − p) × penalty_per_pct). Missing actual or target: 0, flagged;
    target 0 is an error.

    Exactness: with p = 100·a/t (higher) the points are (max·t ± 100·k·(a − t)) / t, so they are
    computed with that single division last. Products of the file's figures are exact in the
    50-digit context; a result that is exactly x.xx5 is then exactly representable and rounds up,
    where dividing first (p with 50 repeating digits) would leave x.xx4999… and round down.
    p itself is not needed for the points: `_Scores.score` computes it when asked.
    """
    rows, missing, append = s.rows, s.missing, s.points.append
    lower, bonus, cap, penalty, top, top_q, capped_q = (
        c.lower, c.bonus, c.cap, c.penalty, c.max, c.max_q, c.capped_q
    )
    for k in range(start, end):
        r = rows[k]
        if r is None:
            missing[k] = _NO_RESULT
            append(_ZERO_POINTS)
            continue
        target, actual = r[2], r[3]
        if actual is None or target is None:
            missing[k] = _NO_ACTUAL if actual is None else _NO_TARGET
            append(_ZERO_POINTS)
            continue
        if not target:
            raise _zero_target(c, r[0])
        # p − 100 = 100·(a − t)/t for higher, 100·(t − a)/t for lower: `scaled` / t.
        scaled = ((target - actual) if lower else (actual - target)) * _HUNDRED
        if (scaled >= _ZERO) if target > _ZERO else (scaled <= _ZERO):  # p ≥ 100
            extra = scaled * bonus  # (p − 100) × bonus = extra / t
            if not extra:
                append(top_q)  # at plan, or no bonus
                continue
            if cap * target <= extra:
                append(capped_q)  # bonus capped: max + bonus_cap
                continue
            raw = (top * target + extra) / target
        else:
            raw = (top * target + scaled * penalty) / target  # max − (100 − p) × penalty
            if raw < _ZERO:
                raw = _ZERO
        append(raw.quantize(_CENT, ROUND_HALF_UP))


def _score_threshold(c: _Criterion, s: _Scores, start: int, end: int) -> None:
    """`threshold`: max if the unit meets the bar (params.threshold, else its own target), else
    params.partial (default 0); meeting is actual ≥ bar (higher) or actual ≤ bar (lower)."""
    rows, missing, append = s.rows, s.missing, s.points.append
    lower, bar, top_q, partial_q = c.lower, c.bar, c.max_q, c.partial_q
    for k in range(start, end):
        r = rows[k]
        if r is None:
            missing[k] = _NO_RESULT
            append(_ZERO_POINTS)
            continue
        actual = r[3]
        unit_bar = r[2] if bar is None else bar
        if actual is None or unit_bar is None:
            missing[k] = _NO_ACTUAL if actual is None else _NO_TARGET
            append(_ZERO_POINTS)
        elif (actual <= unit_bar) if lower else (actual >= unit_bar):
            append(top_q)
        else:
            append(partial_q)


def _baseline_change(actual: Decimal, baseline: Decimal) -> Decimal:
    """`change = (actual − baseline) / baseline × 100` (vs_baseline), full precision."""
    return (actual - baseline) / baseline * _HUNDRED


def _score_vs_baseline(c: _Criterion, s: _Scores, start: int, end: int) -> None:
    """`vs_baseline`: change = (actual − baseline) / baseline × 100; lower: max if change ≤ 0 else
    max(0, max − change × penalty); higher: max if change ≥ 0 else max(0, max + change × penalty).
    Baseline 0: max if actual is no worse than 0 in the criterion's direction, else 0.

    The sign of `change` is read without dividing (it is the sign of actual − baseline, flipped when
    the baseline is negative); the division is done only when a penalty applies, last (see
    _score_plan_ratio on why). The explanation recomputes `change` with `_baseline_change`.
    """
    rows, missing, append = s.rows, s.missing, s.points.append
    lower, penalty, top, top_q = c.lower, c.penalty, c.max, c.max_q
    for k in range(start, end):
        r = rows[k]
        if r is None:
            missing[k] = _NO_RESULT
            append(_ZERO_POINTS)
            continue
        actual, baseline = r[3], r[4]
        if actual is None or baseline is None:
            missing[k] = _NO_ACTUAL if actual is None else _NO_BASELINE
            append(_ZERO_POINTS)
            continue
        if not baseline:
            ok = actual <= _ZERO if lower else actual >= _ZERO
            append(top_q if ok else _ZERO_POINTS)
            continue
        difference = actual - baseline
        # change ≥ 0 ⇔ difference and baseline do not have opposite signs (difference 0 → change 0).
        if not difference or ((difference > _ZERO) == (baseline > _ZERO)) is not lower:
            append(top_q)
            continue
        # max ∓ change × penalty with change = 100·difference / baseline: one division, last.
        scaled = difference * _HUNDRED * penalty
        if lower:
            raw = (top * baseline - scaled) / baseline
        else:
            raw = (top * baseline + scaled) / baseline
        if raw < _ZERO:
            raw = _ZERO
        append(raw.quantize(_CENT, ROUND_HALF_UP))


def _score_manual(c: _Criterion, s: _Scores, start: int, end: int) -> None:
    """`manual`: the points given in the result (self, cross or appraised score)."""
    rows, missing, append = s.rows, s.missing, s.points.append
    for k in range(start, end):
        r = rows[k]
        points = None if r is None else r[5]
        if points is None:
            missing[k] = _NO_RESULT if r is None else _NO_POINTS
            append(_ZERO_POINTS)
        else:
            append(points.quantize(_CENT, ROUND_HALF_UP))


def _score_rank(c: _Criterion, s: _Scores, start: int, end: int) -> None:
    """`rank`: the units with a result are ranked on `by` (actual, or p for pct_of_plan) best first
    in the criterion's direction (p already includes it: higher p is better); equal values share
    the better rank and the next is skipped (1, 2, 2, 4).
    Points = max(min_points, max − (rank − 1) × step). Units without a result get 0 (missing)."""
    rows, missing = s.rows, s.missing
    ranked: list[tuple[Decimal, int]] = []
    by_pct = c.by_pct
    for k in range(start, end):
        r = rows[k]
        if r is None:
            missing[k] = _NO_RESULT
            continue
        actual = r[3]
        if actual is None:
            missing[k] = _NO_ACTUAL
        elif not by_pct:
            ranked.append((actual, k))
        elif r[2] is None:
            missing[k] = _NO_TARGET
        elif not r[2]:
            raise _zero_target(c, r[0])
        else:
            ranked.append((_pct_value(c, r[2], actual), k))
    # Best first: larger value, except `actual` of a lower-is-better criterion.
    ranked.sort(key=_first, reverse=by_pct or not c.lower)
    column = [_ZERO_POINTS] * (end - start)
    max_points, step, min_points, ranks = c.max, c.step, c.min_points, s.ranks
    rank = 0
    previous: Decimal | None = None
    for position, (value, k) in enumerate(ranked, start=1):
        if value != previous:
            rank = position
            previous = value
        raw = max_points - (rank - 1) * step
        if raw < min_points:
            raw = min_points
        column[k - start] = raw.quantize(_CENT, ROUND_HALF_UP)
        ranks[k] = rank
    s.counts[start // s.n if s.n else 0] = len(ranked)
    s.points += column


_first = itemgetter(0)  # the value of a (value, cell) pair


# --------------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------------


def score_result(*, rule: CriterionRule, result: Result | None) -> CriterionScore:
    """Score one unit on one criterion whose method does not depend on the other units.

    `rank` needs the whole group: use `score_criterion` (or `score_group`) for it.
    """
    with localcontext(SCORING_CONTEXT):
        c = _compile(rule)
        if c.method == RANK:
            raise ScoringError(
                f"Tiêu chí {rule.code}: phương pháp xếp hạng cần kết quả của cả cụm, khối"
            )
        if result is None:
            return _MISSING_RESULT
        return _Scores([c], {rule.code: 0}, 1, [result]).score(0, 0)


def score_criterion(
    *, rule: CriterionRule, units: Sequence[str], results: Iterable[Result]
) -> dict[str, CriterionScore]:
    """Score every unit of a group on one criterion (any method), keyed by unit in `units` order.

    Results for other criteria are ignored; a result for a unit not in `units` or a second result
    for the same unit is an error.
    """
    with localcontext(SCORING_CONTEXT):
        c = _compile(rule)
        index = _unit_index(units)
        rows: list[Result | None] = [None] * len(units)
        for r in results:
            if r[1] != rule.code:
                continue
            i = index.get(r[0])
            if i is None:
                raise _unknown_unit(r[0], r[1])
            if rows[i] is not None:
                raise _duplicate(r)
            rows[i] = r
        scores = _Scores([c], {rule.code: 0}, len(units), rows)
        return {unit: scores.score(0, i) for i, unit in enumerate(units)}


def score_group(
    *,
    rules: Rules,
    units: Sequence[str],
    results: Iterable[Result | tuple],
    adjustments: Iterable[Adjustment] = (),
) -> list[UnitScore]:
    """Score and rank the units of one group-year (COVENANT_FORMAT.md "Scoring methods", "Ranking").

    `results` are `Result`s or plain tuples in the same field order (database rows as they come).
    Every unit of `units` appears, even without any result (0 points, missing everywhere). Results
    for a criterion that belongs to no content are ignored; a result or adjustment for a unit not in
    `units`, a result for an unknown criterion, or two results for the same unit × criterion raise
    ScoringError. Returned in ranking order (see `_rank_units`).
    """
    with localcontext(SCORING_CONTEXT):
        compiled, slots, content_slices = _compile_rules(rules)
        index = _unit_index(units)
        n = len(units)
        scores = _Scores(compiled, slots, n, _place_results(rules, slots, index, results))
        adjusted = _sum_adjustments(index, adjustments)
        content_codes = [content.code for content in rules.contents]
        points = scores.points
        lines = []
        for i, unit in enumerate(units):
            # A content's subtotal is the sum of its rounded criterion points (cells j·n + i of
            # its criteria j), the total their sum plus the adjustments ("Scoring methods").
            subtotals = [sum(points[a * n + i : b * n : n], _ZERO_POINTS) for a, b in content_slices]
            contents = dict(zip(content_codes, subtotals, strict=True))
            total = sum(subtotals, _ZERO_POINTS) + adjusted[i]
            lines.append((total, contents, unit, i))
        return _rank_units(lines, scores, adjusted)


def _place_results(
    rules: Rules, slots: Mapping[str, int], index: Mapping[str, int], results: Iterable[Any]
) -> list[Any]:
    """The results laid out flat, cell j·n + i for criterion position j and unit position i
    (None: no result).

    The loop is the hot path of a re-score: plain subscripts, errors sorted out after a KeyError.
    """
    n = len(index)
    offsets = {code: j * n for code, j in slots.items()}
    rows: list[Any] = [None] * (len(slots) * n)
    for r in results:
        try:
            k = offsets[r[1]] + index[r[0]]
        except KeyError:
            if r[1] not in slots:
                if r[1] in rules.criteria:
                    continue  # defined but in no content: not scored
                raise ScoringError(
                    f"Đơn vị {r[0]}: tiêu chí {r[1]} không có trong giao ước"
                ) from None
            raise _unknown_unit(r[0], r[1]) from None
        if rows[k] is not None:
            raise _duplicate(r)
        rows[k] = r
    return rows


def _compile_rules(
    rules: Rules,
) -> tuple[list[_Criterion], dict[str, int], list[tuple[int, int]]]:
    """The scored criteria in covenant order, their positions by code, and each content's slice."""
    compiled: list[_Criterion] = []
    slots: dict[str, int] = {}
    slices: list[tuple[int, int]] = []
    for content in rules.contents:
        start = len(compiled)
        for code in content.criteria:
            rule = rules.criteria.get(code)
            if rule is None:
                raise ScoringError(
                    f"Nội dung {content.code}: tiêu chí {code} không được định nghĩa"
                )
            if code in slots:
                raise ScoringError(f"Tiêu chí {code} xuất hiện hai lần trong giao ước")
            slots[code] = len(compiled)
            compiled.append(_compile(rule))
        slices.append((start, len(compiled)))
    return compiled, slots, slices


def _unit_index(units: Sequence[str]) -> dict[str, int]:
    index = {unit: i for i, unit in enumerate(units)}
    if len(index) != len(units):
        raise ScoringError("Danh sách đơn vị có mã trùng nhau")
    return index


def _unknown_unit(unit: str, criterion: str) -> ScoringError:
    return ScoringError(f"Đơn vị {unit} (tiêu chí {criterion}) không thuộc cụm, khối thi đua")


def _duplicate(r: Result | tuple) -> ScoringError:
    return ScoringError(f"Đơn vị {r[0]}, tiêu chí {r[1]}: có hai dòng kết quả")


def _sum_adjustments(index: Mapping[str, int], adjustments: Iterable[Adjustment]) -> list[Decimal]:
    """Each unit's adjustments added up (exactly, no rounding)."""
    sums = [_ZERO_POINTS] * len(index)
    for adjustment in adjustments:
        i = index.get(adjustment.unit)
        if i is None:
            raise ScoringError(
                f"Điểm thưởng/trừ cho đơn vị {adjustment.unit} không thuộc cụm, khối thi đua"
            )
        sums[i] += to_decimal(adjustment.points)
    return sums


def _rank_units(
    lines: list[tuple[Decimal, dict[str, Decimal], str, int]], scores: _Scores, adjusted: list[Decimal]
) -> list[UnitScore]:
    """Order of COVENANT_FORMAT.md "Ranking": total desc, then the first content's subtotal desc,
    then the second's, …; units still equal share the better rank (1, 2, 2, 4), listed by code.
    `lines` are (total, subtotals by content, unit code, unit position)."""
    keyed = sorted(
        (((-total, *(-v for v in contents.values())), unit, total, contents, i)
         for total, contents, unit, i in lines),
        key=_key_and_code,
    )
    ranking: list[UnitScore] = []
    previous: tuple[Decimal, ...] | None = None
    rank = 0
    for position, (key, unit, total, contents, i) in enumerate(keyed, start=1):
        if key != previous:
            rank = position
            previous = key
        ranking.append(UnitScore(rank, unit, total, adjusted[i], contents, _UnitCriteria(scores, i)))
    return ranking


def _key_and_code(item: tuple[Any, ...]) -> tuple[tuple[Decimal, ...], str]:
    return item[0], item[1]


def _json_number(value: Decimal) -> float:
    """A JSON number with at most 2 decimals: the float of the half-up 2-decimal Decimal
    (adding 0 turns a negative zero into 0.0)."""
    return float(value.quantize(_CENT, ROUND_HALF_UP) + _ZERO)


def ranking_to_json(
    *, group: str, year: int, scale: Decimal, ranking: list[UnitScore]
) -> dict[str, Any]:
    """The object printed by `thidua score GROUP YEAR --json` (COVENANT_FORMAT.md).

    Scores are floats of the 2-decimal Decimals (912.0, 911.43); `scale` is an int when integral;
    contents and criteria keep covenant order.
    """
    scale_decimal = to_decimal(scale)
    scale_json: int | float = (
        int(scale_decimal)
        if scale_decimal == scale_decimal.to_integral_value()
        else _json_number(scale_decimal)
    )
    with localcontext(SCORING_CONTEXT):
        return {
            "group": group,
            "year": year,
            "scale": scale_json,
            "ranking": [
                {
                    "rank": line.rank,
                    "unit": line.unit,
                    "total": _json_number(line.total),
                    "adjustments": _json_number(line.adjustments),
                    "contents": {code: _json_number(v) for code, v in line.contents.items()},
                    "criteria": {code: _json_number(s.points) for code, s in line.criteria.items()},
                }
                for line in ranking
            ],
        }


# --------------------------------------------------------------------------------------------------
# Explanations (built only on demand)
# --------------------------------------------------------------------------------------------------


def _num(value: Decimal) -> str:
    """A figure as given: `86,97`, `18.596` (no rounding, trailing zeros dropped)."""
    return format_number(value)


def _num2(value: Decimal) -> str:
    """A computed figure or points: at most 2 decimals, half-up (`12,88`, `66,44`, `57`)."""
    return format_number(value, max_places=2)


_LOWER_NOTE = "chỉ tiêu càng thấp càng tốt"


def _explain_plan_ratio(s: CriterionScore, rule: CriterionRule) -> str:
    """E.g. "Đạt 112,88% kế hoạch → 60 + min(10; 12,88 × 0,5) = 66,44 điểm"."""
    target, actual = s.trace
    p = s.pct
    assert p is not None
    max_points = to_decimal(rule.max_points)
    penalty, bonus, cap = _plan_ratio_params(rule, max_points)
    head = f"Đạt {format_percent(p)} kế hoạch"
    if rule.direction == LOWER:
        head += f" ({_LOWER_NOTE}: p = (2 − {_num(actual)} / {_num(target)}) × 100)"
    if p >= _HUNDRED:
        if bonus == _ZERO or cap == _ZERO or p == _HUNDRED:
            return f"{head} → {_num2(s.points)} điểm"
        return (
            f"{head} → {_num(max_points)} + min({_num(cap)}; {_num2(p - _HUNDRED)} × {_num(bonus)})"
            f" = {_num2(s.points)} điểm"
        )
    return (
        f"{head} → max(0; {_num(max_points)} − {_num2(_HUNDRED - p)} × {_num(penalty)})"
        f" = {_num2(s.points)} điểm"
    )


def _explain_threshold(s: CriterionScore, rule: CriterionRule) -> str:
    """E.g. "Thực hiện 86,97 ≥ ngưỡng 81 → đạt, 20 điểm",
    "Thực hiện 70 < ngưỡng 81 → chưa đạt, 0 điểm"."""
    actual, bar = s.trace
    lower = rule.direction == LOWER
    meets = actual <= bar if lower else actual >= bar
    if meets:
        sign = "≤" if lower else "≥"
    else:
        sign = ">" if lower else "<"
    bar_name = "ngưỡng" if rule.params.get("threshold") is not None else "kế hoạch"
    verdict = "đạt" if meets else "chưa đạt"
    comparison = f"Thực hiện {_num(actual)} {sign} {bar_name} {_num(bar)}"
    return f"{comparison} → {verdict}, {_num2(s.points)} điểm"


def _explain_vs_baseline(s: CriterionScore, rule: CriterionRule) -> str:
    """E.g. "Năm nay 31, kỳ trước 35: giảm 11,43% → đạt, 30 điểm"."""
    actual, baseline = s.trace
    lower = rule.direction == LOWER
    head = f"Năm nay {_num(actual)}, kỳ trước {_num(baseline)}"
    if not baseline:
        ok = actual <= _ZERO if lower else actual >= _ZERO
        if ok:
            return f"{head} → đạt (không kém hơn 0), {_num2(s.points)} điểm"
        return f"{head} → chưa đạt (kém hơn 0), {_num2(s.points)} điểm"
    difference = actual - baseline
    change = _baseline_change(actual, baseline)
    if difference == _ZERO:
        movement = "không đổi"
    else:
        movement = f"{'tăng' if difference > _ZERO else 'giảm'} {format_percent(abs(change))}"
    ok = change <= _ZERO if lower else change >= _ZERO
    if ok:
        return f"{head}: {movement} → đạt, {_num2(s.points)} điểm"
    max_points = to_decimal(rule.max_points)
    penalty = _vs_baseline_penalty(rule, max_points)
    return (
        f"{head}: {movement} → max(0; {_num(max_points)} − {_num2(abs(change))} × {_num(penalty)})"
        f" = {_num2(s.points)} điểm"
    )


def _explain_rank(s: CriterionScore, rule: CriterionRule) -> str:
    """E.g. "Xếp thứ 2/5 theo thực hiện → 50 − (2 − 1) × 5 = 45 điểm"."""
    rank, count, value = s.trace
    step, min_points, by_pct = _rank_params(rule)
    max_points = to_decimal(rule.max_points)
    if by_pct:
        basis = f"theo % kế hoạch ({format_percent(value)})"
    else:
        basis = f"theo thực hiện ({_num(value)})"
        if rule.direction == LOWER:
            basis += f", {_LOWER_NOTE}"
    head = f"Xếp thứ {rank}/{count} {basis}"
    if rank == 1:
        formula = _num(max_points)
    else:
        formula = f"{_num(max_points)} − ({rank} − 1) × {_num(step)}"
        if max_points - (rank - 1) * step < min_points:
            formula = f"max({_num(min_points)}; {formula})"
    if formula == _num2(s.points):
        return f"{head} → {formula} điểm"
    return f"{head} → {formula} = {_num2(s.points)} điểm"


def _explain_manual(s: CriterionScore, rule: CriterionRule) -> str:
    """E.g. "Điểm chấm: 45"."""
    return f"Điểm chấm: {_num2(s.points)}"


_EXPLAINERS: dict[str, Callable[[CriterionScore, CriterionRule], str]] = {
    PLAN_RATIO: _explain_plan_ratio,
    THRESHOLD: _explain_threshold,
    VS_BASELINE: _explain_vs_baseline,
    RANK: _explain_rank,
    MANUAL: _explain_manual,
}
