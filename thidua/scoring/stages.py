"""Pure rules of the manual scoring stages (issue #4): no database, no Django.

- `score_in_force`: which of a result's stage scores counts (written to `Result.points`).
- `pairs_problems`: why a set of cross-scoring pairs is not a derangement of the members.
- `rotation_propose`: next year's pairs, avoiding last year's where it can.
- `stage_summary`: "3 tiêu chí chấm chéo, 1 chờ thống nhất" for the ranking.

Stages are the `ScoreStage` values ("self", "cross", "reconciled", "appraised") plus three states a
result can be in without being a stage: PENDING (self and cross too far apart, waiting for the
leader), ENTERED (no stage score, points entered with the unit's data) and NONE (nothing yet).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal

SELF = "self"
CROSS = "cross"
RECONCILED = "reconciled"
APPRAISED = "appraised"
PENDING = "pending"
ENTERED = "entered"  # no stage score, but points entered with the unit's data (form, Excel, file)
NONE = ""

STAGES = (SELF, CROSS, RECONCILED, APPRAISED)

# Badge texts (the ranking, the score sheet, the scoring pages).
STAGE_LABELS = {
    SELF: "Tự chấm",
    CROSS: "Chấm chéo",
    RECONCILED: "Cụm trưởng thống nhất",
    APPRAISED: "Thẩm định",
    PENDING: "Chờ thống nhất",
    ENTERED: "Nhập trực tiếp",
    NONE: "Chưa chấm",
}
# The order of the ranking summary: the final stages first, what needs work last.
SUMMARY_ORDER = (APPRAISED, RECONCILED, CROSS, SELF, ENTERED, PENDING, NONE)

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


def margin_points(*, max_points: Decimal, margin_pct: Decimal) -> Decimal:
    """The largest self–cross difference that needs no reconciliation: margin % of the criterion's
    points (10 % of 50 points = 5 points)."""
    return Decimal(margin_pct) / _HUNDRED * Decimal(max_points)


def beyond_margin(*, self_: Decimal | None, cross: Decimal | None, max_points: Decimal,
                  margin_pct: Decimal) -> bool:
    """True when both scores exist and differ by strictly more than the margin (a difference equal
    to the margin is within it)."""
    if self_ is None or cross is None:
        return False
    return abs(Decimal(self_) - Decimal(cross)) > margin_points(max_points=max_points, margin_pct=margin_pct)


def _clamp(value: Decimal, max_points: Decimal) -> Decimal:
    """Within [0, max]: the services refuse anything outside, this only guards rows written before
    an amendment lowered the criterion's points."""
    return min(max(Decimal(value), _ZERO), Decimal(max_points))


def score_in_force(
    *,
    self_: Decimal | None,
    cross: Decimal | None,
    reconciled: Decimal | None,
    appraised: Decimal | None,
    max_points: Decimal,
    margin_pct: Decimal,
) -> tuple[Decimal | None, str, bool]:
    """The score that counts for one unit × manual criterion, the stage it comes from, and whether
    the leader must reconcile: `(points, stage, needs_reconciliation)`.

    1. the Board's appraised score, when given: it is final (nothing else needs doing);
    2. else the leader's reconciled score;
    3. else, with self and cross both given and within the margin, the cross score (the other
       member's view, checked by the unit's own);
    4. else, with both given but further apart than the margin: PENDING, waiting for the leader;
       meanwhile the LOWER of the two counts. A dispute is never rewarded: a unit cannot gain
       points by over-rating itself, nor lose more than the stricter scorer's view, and the ranking
       never shows more than both parties agree on;
    5. else whichever one exists: cross, else self;
    6. else nothing: `(None, NONE, False)` (the result's points stay as they were entered).

    Points are always within [0, max_points].
    """
    if appraised is not None:
        return _clamp(appraised, max_points), APPRAISED, False
    if reconciled is not None:
        return _clamp(reconciled, max_points), RECONCILED, False
    if self_ is not None and cross is not None:
        if beyond_margin(self_=self_, cross=cross, max_points=max_points, margin_pct=margin_pct):
            return _clamp(min(Decimal(self_), Decimal(cross)), max_points), PENDING, True
        return _clamp(cross, max_points), CROSS, False
    if cross is not None:
        return _clamp(cross, max_points), CROSS, False
    if self_ is not None:
        return _clamp(self_, max_points), SELF, False
    return None, NONE, False


# ------------------------------------------------------------------------------ cross-scoring pairs


def pairs_problems(*, members: Sequence[str], pairs: Sequence[tuple[str, str]],
                   labels: Mapping[str, str] | None = None) -> list[str]:
    """Why `pairs` (scorer, scored) is not a valid assignment of `members`: every member scored by
    exactly one other member, each member scoring exactly one, nobody scoring itself. Messages in
    Vietnamese name the units (by `labels`, else by code); empty when the pairs are valid."""
    labels = labels or {}

    def name(code: str) -> str:
        return labels.get(code, code)

    member_set = set(members)
    problems: list[str] = []
    if len(member_set) < 2:
        return ["Cụm, khối có dưới hai thành viên nên không phân công chấm chéo được."]
    strangers = sorted({code for pair in pairs for code in pair if code not in member_set})
    for code in strangers:
        problems.append(f"{name(code)} không phải thành viên của cụm, khối năm nay.")
    for scorer, scored in pairs:
        if scorer == scored:
            problems.append(f"{name(scorer)} không được tự chấm chéo chính mình.")
    scorers_of: dict[str, list[str]] = {}
    scored_by: dict[str, list[str]] = {}
    for scorer, scored in pairs:
        scorers_of.setdefault(scored, []).append(scorer)
        scored_by.setdefault(scorer, []).append(scored)
    for scored in sorted(scorers_of):
        if len(scorers_of[scored]) > 1:
            who = " và ".join(name(c) for c in scorers_of[scored])
            problems.append(f"{name(scored)} được phân công chấm chéo nhiều lần (bởi {who}); mỗi đơn vị chỉ "
                            "được một đơn vị khác chấm.")
    for scorer in sorted(scored_by):
        if len(scored_by[scorer]) > 1:
            whom = " và ".join(name(c) for c in scored_by[scorer])
            problems.append(f"{name(scorer)} được giao chấm nhiều đơn vị ({whom}); mỗi đơn vị chỉ chấm một "
                            "đơn vị khác.")
    unscored = [code for code in sorted(member_set) if code not in scorers_of]
    if unscored:
        problems.append("Chưa có đơn vị chấm chéo cho: " + ", ".join(name(c) for c in unscored) + ".")
    idle = [code for code in sorted(member_set) if code not in scored_by]
    if idle:
        problems.append("Chưa giao đơn vị để chấm chéo cho: " + ", ".join(name(c) for c in idle) + ".")
    return problems


def _rotation(members: Sequence[str], shift: int) -> list[tuple[str, str]]:
    n = len(members)
    return [(members[i], members[(i + shift) % n]) for i in range(n)]


def _matching_avoiding(members: Sequence[str],
                       forbidden: Collection[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """A derangement of `members` that uses none of `forbidden`, or None when there is none
    (a perfect bipartite matching scorer → scored, Kuhn's augmenting paths; candidates are tried in
    rotation order so the answer is stable and close to "each unit scores the next")."""
    n = len(members)
    candidates = [
        [j for j in ((i + k) % n for k in range(1, n)) if (members[i], members[j]) not in forbidden]
        for i in range(n)
    ]
    scorer_of: list[int | None] = [None] * n  # scored index → scorer index

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if scorer_of[j] is None or augment(scorer_of[j], seen):
                scorer_of[j] = i
                return True
        return False

    for i in range(n):
        if not augment(i, set()):
            return None
    pairs = {members[scorer_of[j]]: members[j] for j in range(n)}  # type: ignore[index]
    return [(scorer, pairs[scorer]) for scorer in members]


def rotation_propose(*, members: Collection[str],
                     last_year: Collection[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """Cross-scoring pairs (scorer, scored) for `members` (unit codes).

    Members are sorted by code. Without last year's pairs each unit scores the next (the last scores
    the first). With them, the first rotation (score the next, the one after, …) that repeats none of
    last year's pairs; if no rotation can, any derangement that repeats none; if none exists (two
    members, or last year blocks every choice), the rotation with the fewest repeats.
    Never pairs a unit with itself; fewer than two members get no pairs.
    """
    ordered = sorted(set(members))
    n = len(ordered)
    if n < 2:
        return []
    last = set(last_year)
    best: tuple[int, list[tuple[str, str]]] | None = None
    for shift in range(1, n):
        pairs = _rotation(ordered, shift)
        repeats = sum(pair in last for pair in pairs)
        if repeats == 0:
            return pairs
        if best is None or repeats < best[0]:
            best = (repeats, pairs)
    matched = _matching_avoiding(ordered, last)
    if matched is not None:
        return matched
    assert best is not None
    return best[1]


# ------------------------------------------------------------------------------ summaries


def stage_summary(counts: Mapping[str, int]) -> str:
    """"3 tiêu chí chấm chéo, 1 chờ thống nhất": how many manual criteria of a unit are at each
    stage, final stages first; empty without manual criteria."""
    parts = []
    for stage in SUMMARY_ORDER:
        count = counts.get(stage, 0)
        if count:
            label = STAGE_LABELS[stage]
            label = label[0].lower() + label[1:]
            parts.append(f"{count} tiêu chí {label}" if not parts else f"{count} {label}")
    return ", ".join(parts)
