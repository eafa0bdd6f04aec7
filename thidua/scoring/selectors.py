"""Scores of group-years: the database read once, the pure engine, the ranking with explanations.

The read is batched: rules, members and adjustments of any number of group-years in one query each,
then one query per group-year for its results, which the engine consumes as they come (issue #3
benchmark: a national year of 330 groups × 10 units × 80 criteria).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import QuerySet
from django.http import Http404

from thidua.covenants import selectors as covenant_selectors
from thidua.lib.gc import gc_paused
from thidua.covenants.models import Adjustment, Content, Covenant, Criterion, Result
from thidua.org.models import GroupYear, Membership
from thidua.scoring import engine


@dataclass
class GroupScores:
    """A scored group-year: the ranking plus what pages need to label and explain it."""

    covenant: Covenant
    rules: engine.Rules
    ranking: list[engine.UnitScore]
    labels: dict[str, str]  # unit code → short name

    @property
    def group_year(self) -> GroupYear:
        return self.covenant.group_year

    @cached_property
    def criteria(self) -> list[Criterion]:
        """The criteria as model rows (titles, measures), for pages that show them."""
        return covenant_selectors.criteria_of(self.covenant)

    def to_json(self) -> dict:
        gy = self.covenant.group_year
        return engine.ranking_to_json(group=gy.group.code, year=gy.year, scale=self.covenant.scale, ranking=self.ranking)

    def unit(self, code: str) -> engine.UnitScore:
        return next(score for score in self.ranking if score.unit == code)


def covenant_of(group_year: GroupYear) -> Covenant:
    try:
        return Covenant.objects.select_related("group_year__group").get(group_year=group_year)
    except Covenant.DoesNotExist:
        raise Http404(f"{group_year} chưa có giao ước thi đua.") from None


def _rules_by_covenant(ids: list[int]) -> dict[int, engine.Rules]:
    content_codes: dict[int, str] = {}
    contents: dict[int, list[tuple[int, str, Decimal]]] = defaultdict(list)
    for covenant_id, pk, code, max_points in (
        Content.objects.filter(covenant_id__in=ids).order_by("order", "id").values_list("covenant_id", "pk", "code", "max_points")
    ):
        content_codes[pk] = code
        contents[covenant_id].append((pk, code, max_points))
    criteria: dict[int, list[engine.CriterionRule]] = defaultdict(list)
    for covenant_id, code, content_id, max_points, method, direction, params in (
        Criterion.objects.filter(covenant_id__in=ids).order_by("content__order", "order", "id")
        .values_list("covenant_id", "code", "content_id", "max_points", "method", "direction", "params")
    ):
        decimal_params = {k: v if k == "by" else Decimal(v) for k, v in params.items()}
        criteria[covenant_id].append(engine.CriterionRule(code=code, content=content_codes[content_id],
                                                          max_points=max_points, method=method,
                                                          direction=direction, params=decimal_params))
    return {
        covenant_id: engine.Rules(
            contents=tuple(
                engine.ContentRule(code=code, max_points=max_points,
                                   criteria=tuple(c.code for c in criteria[covenant_id] if c.content == code))
                for _, code, max_points in contents[covenant_id]
            ),
            criteria={c.code: c for c in criteria[covenant_id]},
        )
        for covenant_id in ids
    }


def read_results(covenant_id: int) -> list[tuple]:
    """A covenant's result rows as tuples in `engine.Result` field order: the scorer's read, and
    the floor the benchmark compares a full re-score with."""
    return list(
        Result.objects.filter(criterion__covenant_id=covenant_id).values_list(
            "unit__code", "criterion__code", "target", "actual", "baseline", "points"
        )
    )


def scores_of(covenants: QuerySet[Covenant]) -> dict[int, GroupScores]:
    """Score and rank every member of each covenant's group-year (COVENANT_FORMAT.md), keyed by
    group-year id. Four queries for all covenants, plus one per covenant for its results."""
    with gc_paused():
        return _scores_of(covenants)


def _scores_of(covenants: QuerySet[Covenant]) -> dict[int, GroupScores]:
    covenants = list(covenants.select_related("group_year__group"))
    ids = [c.pk for c in covenants]
    rules = _rules_by_covenant(ids)
    labels: dict[int, dict[str, str]] = defaultdict(dict)
    for group_year_id, code, short_name, name in Membership.objects.filter(
        group_year__covenant__in=ids
    ).values_list("group_year_id", "unit__code", "unit__short_name", "unit__name"):
        labels[group_year_id][code] = short_name or name
    adjustments: dict[int, list[engine.Adjustment]] = defaultdict(list)
    for covenant_id, unit, points, reason in Adjustment.objects.filter(covenant_id__in=ids).values_list(
        "covenant_id", "unit__code", "points", "reason"
    ):
        adjustments[covenant_id].append(engine.Adjustment(unit, points, reason))
    # Read everything, then score: interleaving queries with scoring measured ~30 % slower
    # (the database driver and the engine keep evicting each other's data from the CPU caches).
    results = {covenant.pk: read_results(covenant.pk) for covenant in covenants}
    scored = {}
    for covenant in covenants:
        unit_labels = labels[covenant.group_year_id]
        ranking = engine.score_group(rules=rules[covenant.pk], units=sorted(unit_labels),
                                     results=map(engine.Result._make, results.pop(covenant.pk)),
                                     adjustments=adjustments[covenant.pk])
        scored[covenant.group_year_id] = GroupScores(covenant=covenant, rules=rules[covenant.pk], ranking=ranking,
                                                     labels=unit_labels)
    return scored


def group_year_scores(*, group_year: GroupYear) -> GroupScores:
    """The scores of one group-year; 404 when it has no covenant."""
    scored = scores_of(Covenant.objects.filter(group_year=group_year))
    if group_year.pk not in scored:
        raise Http404(f"{group_year} chưa có giao ước thi đua.")
    return scored[group_year.pk]


@dataclass
class SheetRow:
    """One criterion on a unit's score sheet."""

    criterion: Criterion
    result: Result | None
    score: engine.CriterionScore
    explanation: str
    content_start: bool  # first criterion of its content: the template prints the content heading


def score_sheet_rows(*, scores: GroupScores, unit) -> list[SheetRow]:
    unit_score = scores.unit(unit.code)
    results = {r.criterion_id: r for r in Result.objects.filter(criterion__covenant=scores.covenant, unit=unit)}
    rows, previous = [], None
    for criterion in scores.criteria:
        score = unit_score.criteria[criterion.code]
        rule = scores.rules.criteria[criterion.code]
        rows.append(SheetRow(criterion=criterion, result=results.get(criterion.pk), score=score,
                             explanation=score.explanation(rule), content_start=criterion.content_id != previous))
        previous = criterion.content_id
    return rows
