"""Scores of a group-year: the database read once, the pure engine, the ranking with explanations."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from thidua.covenants import selectors as covenant_selectors
from thidua.covenants.models import Covenant, Criterion
from thidua.org.models import GroupYear
from thidua.scoring import engine


@dataclass
class GroupScores:
    """A scored group-year: the ranking plus what pages need to label and explain it."""

    covenant: Covenant
    rules: engine.Rules
    criteria: list[Criterion]
    ranking: list[engine.UnitScore]
    labels: dict[str, str]  # unit code → short name

    @property
    def group_year(self) -> GroupYear:
        return self.covenant.group_year

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


def group_year_scores(*, group_year: GroupYear) -> GroupScores:
    """Score and rank every member of the group-year from its covenant (COVENANT_FORMAT.md)."""
    covenant = covenant_of(group_year)
    criteria = covenant_selectors.criteria_of(covenant)
    rules = covenant_selectors.covenant_rules(covenant, criteria)
    labels = covenant_selectors.unit_labels(group_year)
    ranking = engine.score_group(
        rules=rules,
        units=sorted(labels),
        results=covenant_selectors.covenant_results(covenant, criteria),
        adjustments=covenant_selectors.covenant_adjustments(covenant),
    )
    return GroupScores(covenant=covenant, rules=rules, criteria=criteria, ranking=ranking, labels=labels)


@dataclass
class SheetRow:
    """One criterion on a unit's score sheet."""

    criterion: Criterion
    result: object  # covenants.models.Result or None
    score: engine.CriterionScore
    explanation: str
    content_start: bool  # first criterion of its content: the template prints the content heading


def score_sheet_rows(*, scores: GroupScores, unit) -> list[SheetRow]:
    from thidua.covenants.models import Result

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
