"""Chart data for the web pages: the ranking's totals, % of plan per criterion, a unit's totals by year.

Nothing here scores: the figures come from the `GroupScores` the pages already have (the ranking's
totals) or from the same result rows the scorer reads (`selectors.read_results`, for % of plan).
Each builder returns a `Chart`: `data` is JSON-safe and goes into the page with `json_script` for
thidua/static/thidua/charts.js; `rows` keep the Decimals for the server-rendered fallback tables
(formatted with the `so` / `phan_tram` filters); `summary` is the canvas's aria-label.

Floats appear only in `data`, rounded half-up to 2 decimals ("only for the chart"): the totals are
the same floats `thidua score --json` prints.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Any

from django.utils.translation import gettext as _

from thidua.covenants.models import Covenant
from thidua.lib.numbers import TWO_PLACES, format_number
from thidua.org.models import Membership, Unit
from thidua.scoring.engine import ScoringError
from thidua.scoring.methods import LOWER
from thidua.scoring.selectors import GroupScores, read_results, scores_of

_HUNDRED = Decimal(100)
_PRECISE = Context(prec=50)


def _float(value: Decimal | None) -> float | None:
    """A Decimal as the chart's float: half-up to 2 decimals (adding 0 turns -0 into 0)."""
    if value is None:
        return None
    return float(value.quantize(TWO_PLACES, ROUND_HALF_UP) + 0)


@dataclass
class Chart:
    data: dict[str, Any]
    rows: list[Any] = field(default_factory=list)
    summary: str = ""
    note: str = ""  # shown under the chart (what is left out and why); empty: nothing to say
    columns: list[str] = field(default_factory=list)  # the fallback table's column headings, if any

    def __bool__(self) -> bool:
        return bool(self.rows)


# ------------------------------------------------------------------------------ the ranking's totals


def ranking_chart(scores: GroupScores) -> Chart:
    """Total points by unit in ranking order: the ranking table's figures, nothing recomputed."""
    gy = scores.group_year
    units = [
        {"unit": line.unit, "label": scores.labels.get(line.unit, line.unit), "rank": line.rank,
         "total": _float(line.total), "adjustments": _float(line.adjustments),
         "contents": {code: _float(value) for code, value in line.contents.items()}}
        for line in scores.ranking
    ]
    data = {
        "kind": "ranking", "group": gy.group.code, "year": gy.year, "scale": _float(Decimal(scores.covenant.scale)),
        "contents": [content.code for content in scores.rules.contents], "units": units,
        "text": {"points": _("điểm"), "rank": _("Hạng"), "total": _("Tổng điểm"),
                 "content": _("Nội dung"), "adjustments": _("Thưởng/trừ")},
    }
    parts = [f"{line.rank}. {scores.labels.get(line.unit, line.unit)} {format_number(line.total, places=2)} " + _("điểm")
             for line in scores.ranking]
    summary = _("Biểu đồ cột tổng điểm các đơn vị theo thứ tự xếp hạng") + ": " + "; ".join(parts)
    return Chart(data=data, rows=list(scores.ranking), summary=summary)


# ------------------------------------------------------------------------------ % of plan


@dataclass
class PlanRow:
    """One criterion with a target: its % of plan per unit (ranking order), None where missing."""

    code: str
    title: str
    lower: bool
    values: list[Decimal | None]


def plan_chart(scores: GroupScores, *, units: Collection[str] | None = None) -> Chart:
    """% of plan (actual / target × 100) per criterion with a target and per unit.

    Criteria in covenant order, kept when at least one shown unit has a target for them; units in
    ranking order, only those in `units` when given (the page passes the units whose score sheets
    the viewer may open: a criterion's figures are not shown to others). One query: the covenant's
    result rows as the scorer reads them. The Decimal is exact; the chart gets it rounded to 2
    decimals. A lower-is-better criterion is flagged so the chart reads ≤ 100 % as met.
    """
    shown = [line.unit for line in scores.ranking if units is None or line.unit in units]
    wanted = set(shown)
    figures: dict[tuple[str, str], tuple[Decimal | None, Decimal | None]] = {}
    for unit, criterion, target, actual, _baseline, _points in read_results(scores.covenant.pk):
        if unit in wanted:
            figures[(criterion, unit)] = (target, actual)
    titles = {criterion.code: criterion.title for criterion in scores.criteria}
    rows: list[PlanRow] = []
    with localcontext(_PRECISE):
        for content in scores.rules.contents:
            for code in content.criteria:
                pairs = [figures.get((code, unit), (None, None)) for unit in shown]
                if not any(target for target, _actual in pairs):  # no unit has a (non-zero) target
                    continue
                values = [actual / target * _HUNDRED if target and actual is not None else None
                          for target, actual in pairs]
                rule = scores.rules.criteria[code]
                rows.append(PlanRow(code=code, title=titles.get(code, ""), lower=rule.direction == LOWER,
                                    values=values))
    labels = [scores.labels.get(unit, unit) for unit in shown]
    data = {
        "kind": "plan",
        "units": [{"unit": unit, "label": label} for unit, label in zip(shown, labels, strict=True)],
        "criteria": [{"code": row.code, "title": row.title, "lower": row.lower,
                      "values": [_float(value) for value in row.values]} for row in rows],
        "text": {"met": _("Đạt, vượt kế hoạch"), "unmet": _("Chưa đạt kế hoạch"), "missing": _("Thiếu số liệu"),
                 "ofPlan": _("kế hoạch"), "lower": _("càng thấp càng tốt"), "criterion": _("Tiêu chí")},
    }
    summary = (_("Ma trận tỷ lệ % kế hoạch") + f": {len(rows)} " + _("tiêu chí") + f" × {len(shown)} "
               + _("đơn vị") + ". " + _("Số liệu chi tiết trong bảng ngay dưới biểu đồ."))
    note = ""
    if units is not None and len(shown) < len(scores.ranking):
        note = _("Chỉ gồm các đơn vị bạn được xem bảng điểm chi tiết.")
    return Chart(data=data, rows=rows, summary=summary, note=note, columns=labels)


# ------------------------------------------------------------------------------ a unit across years


@dataclass
class HistoryRow:
    year: int
    group_code: str
    group_name: str
    total: Decimal
    rank: int
    members: int
    scale: Decimal


def unit_history_chart(unit: Unit, memberships: Sequence[Membership]) -> Chart:
    """The unit's total points in every year it was a member of a group with a covenant.

    `memberships` are those the page shows, already limited to the group-years the viewer may
    read (`org.selectors.unit_memberships`): nothing else is scored or shown. All covenants are
    scored in one `scores_of` call. One series per group (a unit may change group across years);
    years ascending.
    """
    group_year_ids = {m.group_year_id for m in memberships}
    if not group_year_ids:
        return Chart(data={})
    try:
        scored = scores_of(Covenant.objects.filter(group_year_id__in=group_year_ids))
    except ScoringError as exc:
        return Chart(data={}, note=_("Không vẽ được biểu đồ: ") + str(exc))
    rows: list[HistoryRow] = []
    for membership in memberships:
        scores = scored.get(membership.group_year_id)
        line = next((s for s in scores.ranking if s.unit == unit.code), None) if scores else None
        if line is None:
            continue
        group = membership.group_year.group
        rows.append(HistoryRow(year=membership.group_year.year, group_code=group.code, group_name=group.name,
                               total=line.total, rank=line.rank, members=len(scores.ranking),
                               scale=Decimal(scores.covenant.scale)))
    rows.sort(key=lambda row: (row.year, row.group_code))
    years = sorted({row.year for row in rows})
    series: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = series.setdefault(row.group_code, {
            "group": row.group_code, "name": row.group_name,
            "totals": [None] * len(years), "ranks": [None] * len(years), "members": [None] * len(years),
            "scales": [None] * len(years),
        })
        i = years.index(row.year)
        entry["totals"][i], entry["ranks"][i] = _float(row.total), row.rank
        entry["members"][i], entry["scales"][i] = row.members, _float(row.scale)
    data = {
        "kind": "history", "unit": unit.code, "years": years, "series": list(series.values()),
        "text": {"points": _("điểm"), "rank": _("hạng"), "scale": _("thang điểm"), "total": _("Tổng điểm"),
                 "year": _("Năm")},
    }
    parts = [f"{row.year} {row.group_name}: {format_number(row.total, places=2)} " + _("điểm")
             + f" ({_('hạng')} {row.rank}/{row.members})"
             for row in rows]
    summary = _("Biểu đồ tổng điểm của đơn vị qua các năm") + (": " + "; ".join(parts) if parts else "")
    return Chart(data=data if rows else {}, rows=rows, summary=summary)


__all__ = ["Chart", "HistoryRow", "PlanRow", "plan_chart", "ranking_chart", "unit_history_chart"]
