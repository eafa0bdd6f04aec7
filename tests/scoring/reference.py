"""A yardstick for COVENANT_FORMAT.md ("Scoring methods", "Ranking", "--json"), written from the spec
alone: nothing from thidua, exact Fractions all the way, the spec's formulas read literally.

`reference_scores(text)` takes a `thidua-covenant/1` file and returns the object that
`thidua score GROUP YEAR --json` must print for it.
"""

from __future__ import annotations

import math
from fractions import Fraction

import yaml


class ExactLoader(yaml.SafeLoader):
    """YAML numbers as the exact value of their text: `178.5` → Fraction(357, 2), never a float."""


def _exact(loader: ExactLoader, node: yaml.ScalarNode) -> Fraction:
    return Fraction(node.value.replace("_", ""))


ExactLoader.add_constructor("tag:yaml.org,2002:int", _exact)
ExactLoader.add_constructor("tag:yaml.org,2002:float", _exact)


def round_half_up(x: Fraction) -> Fraction:
    """Two decimals, halves away from zero: 80.555 → 80.56, 1.005 → 1.01."""
    magnitude = Fraction(math.floor(abs(x) * 100 + Fraction(1, 2)), 100)
    return -magnitude if x < 0 else magnitude


def pct_of_plan(direction: str, actual: Fraction, target: Fraction) -> Fraction:
    """p: higher → actual/target × 100; lower → (2 − actual/target) × 100."""
    ratio = actual / target
    return ratio * 100 if direction == "higher" else (2 - ratio) * 100


def unit_points(method: str, mx: Fraction, direction: str, params: dict, row: dict) -> Fraction | None:
    """Points of one unit for a criterion that does not compare units; None = missing data."""
    actual, target, baseline = row.get("actual"), row.get("target"), row.get("baseline")
    if method == "manual":
        return row.get("points")
    if actual is None:
        return None
    if method == "plan_ratio":
        if target is None:
            return None
        p = pct_of_plan(direction, actual, target)
        if p >= 100:
            return mx + min(params.get("bonus_cap", 0), (p - 100) * params.get("bonus_per_pct", 0))
        return max(Fraction(0), mx - (100 - p) * params.get("penalty_per_pct", mx / 100))
    if method == "threshold":
        bar = params.get("threshold", target)
        if bar is None:
            return None
        met = actual >= bar if direction == "higher" else actual <= bar
        return mx if met else params.get("partial", Fraction(0))
    if method == "vs_baseline":
        if baseline is None:
            return None
        if baseline == 0:
            no_worse = actual >= 0 if direction == "higher" else actual <= 0
            return mx if no_worse else Fraction(0)
        change = (actual - baseline) / baseline * 100
        penalty = params.get("penalty_per_pct", mx / 100)
        if direction == "lower":
            return mx if change <= 0 else max(Fraction(0), mx - change * penalty)
        return mx if change >= 0 else max(Fraction(0), mx + change * penalty)
    raise ValueError(f"unknown method {method}")


def criterion_points(criterion: dict, rows: dict[str, dict]) -> dict[str, Fraction]:
    """Unrounded points of every unit that has the data; units left out score 0."""
    method, direction = criterion["method"], criterion.get("direction", "higher")
    mx, params = criterion["max_points"], criterion.get("params") or {}
    if method != "rank":
        found = {unit: unit_points(method, mx, direction, params, row) for unit, row in rows.items()}
        return {unit: points for unit, points in found.items() if points is not None}
    by = params.get("by", "actual")
    goodness = {}  # larger = better
    for unit, row in rows.items():
        actual, target = row.get("actual"), row.get("target")
        if actual is None:
            continue
        if by == "actual":
            goodness[unit] = actual if direction == "higher" else -actual
        elif target is not None:
            goodness[unit] = pct_of_plan(direction, actual, target)  # p already knows the direction
    floor, step = params.get("min_points", Fraction(0)), params["step"]
    return {
        unit: max(floor, mx - sum(1 for other in goodness.values() if other > mine) * step)
        for unit, mine in goodness.items()
    }


def _json_number(x: Fraction) -> float:
    """At most 2 decimals in JSON. Only totals and adjustments can have more (an adjustment of
    0,125); they are shown rounded half-up, while ranking uses the exact total."""
    return float(round_half_up(x))  # float(Fraction) is correctly rounded, like float(Decimal)


def reference_scores(text: str) -> dict:
    doc = yaml.load(text, Loader=ExactLoader)
    units = sorted(str(member["code"]) for member in doc["members"])
    contents = doc["contents"]
    rows: dict[str, dict[str, dict]] = {}
    for row in doc.get("results") or []:
        rows.setdefault(str(row["criterion"]), {})[str(row["unit"])] = row
    criteria = {u: {} for u in units}
    subtotals = {u: {} for u in units}
    for content in contents:
        for unit in units:
            subtotals[unit][str(content["code"])] = Fraction(0)
        for criterion in content.get("criteria") or []:
            code = str(criterion["code"])
            points = criterion_points(criterion, rows.get(code, {}))
            for unit in units:
                rounded = round_half_up(points.get(unit, Fraction(0)))
                criteria[unit][code] = rounded
                subtotals[unit][str(content["code"])] += rounded
    adjustments = {u: Fraction(0) for u in units}
    for adjustment in doc.get("adjustments") or []:
        adjustments[str(adjustment["unit"])] += adjustment["points"]
    totals = {u: sum(subtotals[u].values(), Fraction(0)) + adjustments[u] for u in units}
    key = {u: (totals[u], *subtotals[u].values()) for u in units}  # compared left to right
    order = sorted(units, key=lambda u: ([-x for x in key[u]], u))
    scale = doc.get("scale", Fraction(1000))
    return {
        "group": str(doc["group"]["code"]),
        "year": int(doc["year"]),
        "scale": int(scale) if scale.denominator == 1 else _json_number(scale),
        "ranking": [
            {
                "rank": 1 + sum(1 for other in units if key[other] > key[u]),
                "unit": u,
                "total": _json_number(totals[u]),
                "adjustments": _json_number(adjustments[u]),
                "contents": {code: _json_number(v) for code, v in subtotals[u].items()},
                "criteria": {code: _json_number(v) for code, v in criteria[u].items()},
            }
            for u in order
        ],
    }
