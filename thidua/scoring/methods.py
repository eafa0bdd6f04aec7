"""The vocabulary of the covenant file (COVENANT_FORMAT.md): methods, their parameters, directions.

Shared by the file reader (which refuses what is not here) and the scoring engine (which applies it).
"""

from __future__ import annotations

PLAN_RATIO = "plan_ratio"
THRESHOLD = "threshold"
VS_BASELINE = "vs_baseline"
RANK = "rank"
MANUAL = "manual"

METHODS = (PLAN_RATIO, THRESHOLD, VS_BASELINE, RANK, MANUAL)

# Allowed parameters per method. Numbers are Decimals; `by` is a word.
METHOD_PARAMS: dict[str, frozenset[str]] = {
    PLAN_RATIO: frozenset({"penalty_per_pct", "bonus_per_pct", "bonus_cap"}),
    THRESHOLD: frozenset({"threshold", "partial"}),
    VS_BASELINE: frozenset({"penalty_per_pct"}),
    RANK: frozenset({"by", "step", "min_points"}),
    MANUAL: frozenset(),
}
REQUIRED_PARAMS: dict[str, frozenset[str]] = {RANK: frozenset({"step"})}
RANK_BY = ("actual", "pct_of_plan")

HIGHER = "higher"
LOWER = "lower"
DIRECTIONS = (HIGHER, LOWER)

AGGREGATES = ("sum", "mean", "none")

# Methods that compute p (percentage of plan) and therefore refuse a target of 0.
def uses_pct_of_plan(method: str, params: dict) -> bool:
    return method == PLAN_RATIO or (method == RANK and params.get("by") == "pct_of_plan")


METHOD_LABELS_VI = {
    PLAN_RATIO: "Theo tỷ lệ % kế hoạch",
    THRESHOLD: "Đạt ngưỡng",
    VS_BASELINE: "So với kỳ trước",
    RANK: "Theo thứ hạng",
    MANUAL: "Chấm điểm (tự chấm, chấm chéo, thẩm định)",
}
DIRECTION_LABELS_VI = {HIGHER: "Càng cao càng tốt", LOWER: "Càng thấp càng tốt"}
AGGREGATE_LABELS_VI = {"sum": "Cộng tổng", "mean": "Bình quân", "none": "Không tổng hợp"}
