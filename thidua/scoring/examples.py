"""Worked examples of a scoring method for the covenant editor ("a live example of the formula").

Pure: builds a few synthetic results, runs the engine on them and returns the explanations, so
the editor shows exactly what the engine will do with the parameters being typed.
"""

from __future__ import annotations

from decimal import Decimal

from thidua.scoring import engine
from thidua.scoring.methods import MANUAL, PLAN_RATIO, RANK, THRESHOLD, VS_BASELINE

D = Decimal


def _samples(rule: engine.CriterionRule) -> list[engine.Result]:
    """Figures chosen to show each branch of the method: below, at and above the bar."""
    method = rule.method
    if method == PLAN_RATIO:
        return [engine.Result(unit=f"u{i}", criterion=rule.code, target=D(100), actual=a)
                for i, a in enumerate([D(90), D(100), D("112.88")])]
    if method == THRESHOLD:
        bar = rule.params.get("threshold")
        if bar is None:
            return [engine.Result(unit=f"u{i}", criterion=rule.code, target=D(80), actual=a)
                    for i, a in enumerate([D(75), D(86.5)])]
        return [engine.Result(unit=f"u{i}", criterion=rule.code, actual=a) for i, a in enumerate([bar - 5, bar + 5])]
    if method == VS_BASELINE:
        return [engine.Result(unit=f"u{i}", criterion=rule.code, baseline=D(35), actual=a)
                for i, a in enumerate([D(31), D(35), D(40)])]
    if method == RANK:
        by_pct = rule.params.get("by") == "pct_of_plan"
        return [engine.Result(unit=f"u{i}", criterion=rule.code, target=D(100) if by_pct else None, actual=a)
                for i, a in enumerate([D(120), D(100), D(100), D(80)])]
    if method == MANUAL:
        return [engine.Result(unit="u0", criterion=rule.code, points=rule.max_points * D("0.9"))]
    return []


def method_examples(rule: engine.CriterionRule) -> list[str]:
    """Vietnamese explanations of the engine's points on sample figures; an error as one line."""
    results = _samples(rule)
    try:
        scores = engine.score_criterion(rule=rule, units=[r.unit for r in results], results=results)
        return [score.explanation(rule) for score in scores.values()]
    except (engine.ScoringError, ArithmeticError) as exc:
        return [f"Không tính được ví dụ: {exc}"]
