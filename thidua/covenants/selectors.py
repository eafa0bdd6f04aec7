"""Reads of a covenant: as a covenant file document, and as the engine's rules and results.

One query per table, whatever the size: a national year holds ~264,000 results.
"""

from __future__ import annotations

from decimal import Decimal

from thidua.covenants.fileformat import (
    AdjustmentDoc,
    ContentDoc,
    CovenantDoc,
    CriterionDoc,
    GroupDoc,
    MemberDoc,
    ResultDoc,
    RolesDoc,
)
from thidua.covenants.models import Covenant, Criterion, Result
from thidua.lib.collation import vi_sort_key
from thidua.org.models import GroupYear, Membership, Position
from thidua.scoring import engine


def exact(value: Decimal | None) -> Decimal | None:
    """A stored figure without the padding of its column (925.128000 → 925.128)."""
    if value is None:
        return None
    normal = Decimal(value).normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


def members_of(group_year: GroupYear) -> list[Membership]:
    """Members in covenant order: leader, deputies, then the others by code."""
    order = {Position.LEADER: 0, Position.DEPUTY: 1, Position.MEMBER: 2}
    members = list(group_year.memberships.select_related("unit"))
    return sorted(members, key=lambda m: (order[m.position], m.unit.code))


def criteria_of(covenant: Covenant) -> list[Criterion]:
    return list(covenant.criteria.select_related("content").order_by("content__order", "order", "id"))


def covenant_doc(*, covenant: Covenant) -> CovenantDoc:
    """The covenant as the file `thidua export` writes (COVENANT_FORMAT.md "Shape")."""
    group_year = covenant.group_year
    group = group_year.group
    members = members_of(group_year)
    criteria = criteria_of(covenant)
    by_content: dict[int, list[CriterionDoc]] = {}
    for c in criteria:
        by_content.setdefault(c.content_id, []).append(
            CriterionDoc(code=c.code, title=c.title, max_points=exact(c.max_points), measure=c.measure,
                         direction=c.direction, aggregate=c.aggregate, method=c.method,
                         params={k: v if k == "by" else exact(Decimal(v)) for k, v in c.params.items()})
        )
    contents = tuple(
        ContentDoc(code=content.code, title=content.title, max_points=exact(content.max_points),
                   criteria=tuple(by_content.get(content.pk, ())))
        for content in covenant.contents.all()
    )
    criterion_order = {c.pk: i for i, c in enumerate(criteria)}
    results = sorted(
        Result.objects.filter(criterion__covenant=covenant).select_related("unit"),
        key=lambda r: (r.unit.code, criterion_order[r.criterion_id]),
    )
    code_of = {c.pk: c.code for c in criteria}
    return CovenantDoc(
        group=GroupDoc(code=group.code, name=group.name, kind=group.kind, organiser=group.organiser),
        year=group_year.year,
        scale=exact(covenant.scale),
        members=tuple(MemberDoc(code=m.unit.code, name=m.unit.name, kind=m.unit.kind) for m in members),
        roles=RolesDoc(
            leader=next((m.unit.code for m in members if m.position == Position.LEADER), None),
            deputies=tuple(m.unit.code for m in members if m.position == Position.DEPUTY),
        ),
        contents=contents,
        results=tuple(
            ResultDoc(unit=r.unit.code, criterion=code_of[r.criterion_id], target=exact(r.target),
                      actual=exact(r.actual), baseline=exact(r.baseline), points=exact(r.points), note=r.note)
            for r in results
        ),
        adjustments=tuple(
            AdjustmentDoc(unit=a.unit.code, points=exact(a.points), reason=a.reason)
            for a in covenant.adjustments.select_related("unit")
        ),
    )


def covenant_rules(covenant: Covenant, criteria: list[Criterion] | None = None) -> engine.Rules:
    """The scoring part of a covenant as the engine's plain values."""
    criteria = criteria if criteria is not None else criteria_of(covenant)
    rules = {
        c.code: engine.CriterionRule(code=c.code, content=c.content.code, max_points=Decimal(c.max_points),
                                     method=c.method, direction=c.direction, params=c.decimal_params)
        for c in criteria
    }
    contents = tuple(
        engine.ContentRule(code=content.code, max_points=Decimal(content.max_points),
                           criteria=tuple(c.code for c in criteria if c.content_id == content.pk))
        for content in covenant.contents.all()
    )
    return engine.Rules(contents=contents, criteria=rules)


def covenant_results(covenant: Covenant, criteria: list[Criterion]) -> list[engine.Result]:
    """Every result row of the covenant as the engine's values, in one query."""
    code_of = {c.pk: c.code for c in criteria}
    rows = Result.objects.filter(criterion__covenant=covenant).values_list(
        "unit__code", "criterion_id", "target", "actual", "baseline", "points"
    )
    return [
        engine.Result(unit=unit, criterion=code_of[criterion_id], target=target, actual=actual,
                      baseline=baseline, points=points)
        for unit, criterion_id, target, actual, baseline, points in rows
    ]


def covenant_adjustments(covenant: Covenant) -> list[engine.Adjustment]:
    return [
        engine.Adjustment(unit=unit, points=points, reason=reason)
        for unit, points, reason in covenant.adjustments.values_list("unit__code", "points", "reason")
    ]


def unit_labels(group_year: GroupYear) -> dict[str, str]:
    return {m.unit.code: m.unit.label for m in group_year.memberships.select_related("unit")}


def sorted_unit_codes(group_year: GroupYear) -> list[str]:
    codes = unit_labels(group_year)
    return sorted(codes, key=lambda code: vi_sort_key(codes[code]))
