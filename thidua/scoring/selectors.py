"""Scores of group-years: the database read once, the pure engine, the ranking with explanations.

The read is batched: rules, members, adjustments and manual stage scores of any number of group-years
in one query each, then one query per group-year for its results, which the engine consumes as they
come (issue #3 benchmark: a national year of 330 groups × 10 units × 80 criteria).

Manual criteria also say which scoring stage their points come from (issue #4): `GroupScores`
works it out lazily from the stage scores read with the rest, for the ranking's badges and summaries;
`stage_rows` reads one covenant's stages in full for the scoring pages.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404

from thidua.covenants import selectors as covenant_selectors
from thidua.lib.gc import gc_paused
from thidua.covenants.models import Adjustment, Content, Covenant, Criterion, Result
from thidua.org.models import GroupYear, Membership, Unit
from thidua.scoring import engine, stages
from thidua.scoring.methods import MANUAL
from thidua.scoring.models import CrossAssignment, ScoreEntry


@dataclass
class GroupScores:
    """A scored group-year: the ranking plus what pages need to label and explain it."""

    covenant: Covenant
    rules: engine.Rules
    ranking: list[engine.UnitScore]
    labels: dict[str, str]  # unit code → short name
    # (unit code, criterion code) → stage → points, for manual criteria that have stage scores
    stage_points: dict[tuple[str, str], dict[str, Decimal]] = field(default_factory=dict)

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

    @cached_property
    def manual_criteria(self) -> list[str]:
        return [code for code, rule in self.rules.criteria.items() if rule.method == MANUAL]

    @cached_property
    def manual_stages(self) -> dict[str, dict[str, str]]:
        """Unit code → manual criterion code → where its points come from (`stages` constants):
        the stage in force, PENDING while waiting for the leader, ENTERED for points entered with
        the unit's data without any stage score, NONE when there are no points yet."""
        margin = Decimal(self.covenant.cross_margin_pct)
        found: dict[str, dict[str, str]] = {}
        for line in self.ranking:
            per: dict[str, str] = {}
            for code in self.manual_criteria:
                given = self.stage_points.get((line.unit, code))
                if given:
                    per[code] = stage_of(given, max_points=self.rules.criteria[code].max_points, margin_pct=margin)
                else:
                    per[code] = stages.NONE if line.criteria[code].missing else stages.ENTERED
            found[line.unit] = per
        return found

    @cached_property
    def stage_badges(self) -> dict[str, list[tuple[str, str, str]]]:
        """Unit code → (criterion code, stage, badge text) per manual criterion, covenant order."""
        return {unit: [(code, stage, stages.STAGE_LABELS[stage]) for code, stage in per.items()]
                for unit, per in self.manual_stages.items()}

    @cached_property
    def stage_summaries(self) -> dict[str, str]:
        """Unit code → "3 tiêu chí chấm chéo, 1 chờ thống nhất" (empty without manual criteria)."""
        return {unit: stages.stage_summary(Counter(per.values())) for unit, per in self.manual_stages.items()}


def stage_of(given: dict[str, Decimal], *, max_points: Decimal, margin_pct: Decimal) -> str:
    """The stage in force for one result's stage scores (`stages.score_in_force`)."""
    return stages.score_in_force(
        self_=given.get(stages.SELF), cross=given.get(stages.CROSS), reconciled=given.get(stages.RECONCILED),
        appraised=given.get(stages.APPRAISED), max_points=Decimal(max_points), margin_pct=margin_pct,
    )[1]


def covenant_of(group_year: GroupYear) -> Covenant:
    try:
        return Covenant.objects.select_related("group_year__group").get(group_year=group_year)
    except Covenant.DoesNotExist:
        raise Http404(f"{group_year} chưa có giao ước thi đua.") from None


def _rules_by_covenant(ids: list[int]) -> dict[int, engine.Rules]:
    """The scoring rules of each covenant, two queries for all of them.

    Criteria's `max_points` and `params` are read as text and converted here (Decimal of the
    text; JSON with numbers as Decimal): the same values as the model fields give, without
    Django's per-row converters, which cost more than the rest of the rules for a national year.
    """
    contents: dict[int, list[tuple[str, Decimal, list[str]]]] = defaultdict(list)
    content_codes: dict[int, tuple[str, list[str]]] = {}  # content pk → (code, its criteria codes)
    for covenant_id, pk, code, max_points in (
        Content.objects.filter(covenant_id__in=ids).order_by("order", "id").values_list("covenant_id", "pk", "code", "max_points")
    ):
        codes: list[str] = []
        content_codes[pk] = (code, codes)
        contents[covenant_id].append((code, max_points, codes))
    criteria: dict[int, dict[str, engine.CriterionRule]] = defaultdict(dict)
    for covenant_id, code, content_id, max_points, method, direction, params in (
        Criterion.objects.filter(covenant_id__in=ids).order_by("content__order", "order", "id")
        .values_list("covenant_id", "code", "content_id", Cast("max_points", TextField()), "method", "direction",
                     Cast("params", TextField()))
    ):
        content_code, codes = content_codes[content_id]
        codes.append(code)
        criteria[covenant_id][code] = engine.criterion_rule(
            code, content_code, Decimal(max_points), method, direction, _decimal_params(params)
        )
    return {
        covenant_id: engine.Rules(
            contents=tuple(engine.ContentRule(code=code, max_points=max_points, criteria=tuple(codes))
                           for code, max_points, codes in contents[covenant_id]),
            criteria=criteria[covenant_id],
        )
        for covenant_id in ids
    }


_JSON = json.JSONDecoder()


def _decimal_params(text: str) -> dict[str, Decimal | str]:
    """A criterion's params column (JSON text) as the engine wants it: numbers as Decimal, `by` as
    a word (`Criterion.decimal_params`). Most criteria have none: "{}" needs no parsing."""
    if text == "{}":
        return {}
    return {k: v if k == "by" else Decimal(v) for k, v in _JSON.raw_decode(text)[0].items()}


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
    group-year id. Five queries for all covenants (the fifth: manual stage scores), plus one per
    covenant for its results."""
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
    stage_points: dict[int, dict[tuple[str, str], dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    # Stage scores matter for manual criteria only (`GroupScores.manual_stages`); saying so lets
    # SQLite look for them under a sixth of the results (a national year: 0,05 → 0,025 s).
    for covenant_id, unit, criterion, stage, points in ScoreEntry.objects.filter(
        result__criterion__covenant_id__in=ids, result__criterion__method=MANUAL
    ).values_list("result__criterion__covenant_id", "result__unit__code", "result__criterion__code", "stage",
                  "points"):
        stage_points[covenant_id][(unit, criterion)][stage] = points
    # Read everything, then score: interleaving queries with scoring measured ~30 % slower
    # (the database driver and the engine keep evicting each other's data from the CPU caches).
    results = {covenant.pk: read_results(covenant.pk) for covenant in covenants}
    scored = {}
    for covenant in covenants:
        unit_labels = labels[covenant.group_year_id]
        ranking = engine.score_group(rules=rules[covenant.pk], units=sorted(unit_labels),
                                     results=results.pop(covenant.pk),
                                     adjustments=adjustments[covenant.pk])
        scored[covenant.group_year_id] = GroupScores(covenant=covenant, rules=rules[covenant.pk], ranking=ranking,
                                                     labels=unit_labels, stage_points=dict(stage_points[covenant.pk]))
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
    stage: str = ""  # manual criteria: where the points come from (`stages` constants)

    @property
    def stage_label(self) -> str:
        return stages.STAGE_LABELS[self.stage] if self.criterion.method == MANUAL else ""


def score_sheet_rows(*, scores: GroupScores, unit) -> list[SheetRow]:
    unit_score = scores.unit(unit.code)
    results = {r.criterion_id: r for r in Result.objects.filter(criterion__covenant=scores.covenant, unit=unit)}
    unit_stages = scores.manual_stages.get(unit.code, {})
    rows, previous = [], None
    for criterion in scores.criteria:
        score = unit_score.criteria[criterion.code]
        rule = scores.rules.criteria[criterion.code]
        explanation, stage = score.explanation(rule), unit_stages.get(criterion.code, "")
        if criterion.method == MANUAL:  # say which scoring stage the points come from
            note = stages.STAGE_LABELS[stage]
            if stage == stages.PENDING:
                note += ": tạm tính điểm thấp hơn giữa tự chấm và chấm chéo"
            explanation = f"{explanation} ({note})"
        rows.append(SheetRow(criterion=criterion, result=results.get(criterion.pk), score=score,
                             explanation=explanation, content_start=criterion.content_id != previous, stage=stage))
        previous = criterion.content_id
    return rows


# ------------------------------------------------------------------------------ manual scoring stages


@dataclass
class StageRow:
    """One unit × manual criterion on the scoring pages: every stage score and the one in force."""

    unit: Unit
    criterion: Criterion
    result: Result | None
    entries: dict[str, ScoreEntry]
    points: Decimal | None  # the score in force by the rules (None: no stage score)
    stage: str
    needs_reconciliation: bool
    beyond_margin: bool
    margin: Decimal  # in points

    def _points(self, stage: str) -> Decimal | None:
        entry = self.entries.get(stage)
        return None if entry is None else Decimal(entry.points)

    @property
    def self_(self) -> Decimal | None:
        return self._points(stages.SELF)

    @property
    def cross(self) -> Decimal | None:
        return self._points(stages.CROSS)

    @property
    def reconciled(self) -> Decimal | None:
        return self._points(stages.RECONCILED)

    @property
    def appraised(self) -> Decimal | None:
        return self._points(stages.APPRAISED)

    @property
    def difference(self) -> Decimal | None:
        if self.self_ is None or self.cross is None:
            return None
        return abs(self.self_ - self.cross)

    @property
    def badge(self) -> str:
        """The stage to show: as `GroupScores.manual_stages`."""
        if self.stage:
            return self.stage
        points = self.result.points if self.result else None
        return stages.NONE if points is None else stages.ENTERED

    @property
    def badge_label(self) -> str:
        return stages.STAGE_LABELS[self.badge]


def manual_criteria_of(covenant: Covenant) -> list[Criterion]:
    return list(covenant.criteria.filter(method=MANUAL).select_related("content")
                .order_by("content__order", "order", "id"))


def stage_rows(*, covenant: Covenant, units: list[Unit] | None = None) -> list[StageRow]:
    """Every member (or `units`) × manual criterion with its stage scores, unit by unit in code
    order, criteria in covenant order. Four queries whatever the size."""
    criteria = manual_criteria_of(covenant)
    if units is None:
        memberships = Membership.objects.filter(group_year_id=covenant.group_year_id).select_related("unit")
        units = [m.unit for m in memberships]
    units = sorted(units, key=lambda u: u.code)
    unit_ids = [u.pk for u in units]
    results = {(r.unit_id, r.criterion_id): r
               for r in Result.objects.filter(criterion__in=criteria, unit_id__in=unit_ids)}
    entries: dict[int, dict[str, ScoreEntry]] = defaultdict(dict)
    for entry in ScoreEntry.objects.filter(result__in=list(results.values())).select_related("scorer_unit", "actor"):
        entries[entry.result_id][entry.stage] = entry
    margin_pct = Decimal(covenant.cross_margin_pct)
    rows = []
    for unit in units:
        for criterion in criteria:
            result = results.get((unit.pk, criterion.pk))
            given = entries.get(result.pk, {}) if result else {}
            points = {stage: Decimal(e.points) for stage, e in given.items()}
            maximum = Decimal(criterion.max_points)
            in_force, stage, needs = stages.score_in_force(
                self_=points.get(stages.SELF), cross=points.get(stages.CROSS),
                reconciled=points.get(stages.RECONCILED), appraised=points.get(stages.APPRAISED),
                max_points=maximum, margin_pct=margin_pct,
            )
            rows.append(StageRow(
                unit=unit, criterion=criterion, result=result, entries=given, points=in_force, stage=stage,
                needs_reconciliation=needs,
                beyond_margin=stages.beyond_margin(self_=points.get(stages.SELF), cross=points.get(stages.CROSS),
                                                   max_points=maximum, margin_pct=margin_pct),
                margin=stages.margin_points(max_points=maximum, margin_pct=margin_pct),
            ))
    return rows


def cross_pairs_of(covenant: Covenant) -> dict[str, str]:
    """Scored unit code → scorer unit code."""
    return dict(CrossAssignment.objects.filter(covenant=covenant).values_list("scored__code", "scorer__code"))
