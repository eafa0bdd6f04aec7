"""The sentences of the year-end report, written from figures (pure: no database, no Django).

Each function takes plain dataclasses of per-unit figures and returns Vietnamese text in the register
of the cluster reports the seeds quote ("Tổng thu ngân sách trên địa bàn 5 địa phương đạt 925,128 tỷ
đồng đạt 105,2% kế hoạch, có 5/5 đơn vị thu đạt và vượt chỉ tiêu giao, một số đơn vị thu vượt cao như
huyện Châu Thành vượt 26,6%…"). Units are named by their short name (`Unit.label`: "Châu Thành").

Rules (the issue and COVENANT_FORMAT.md):

- Percent of plan of a unit: actual / target × 100; "vượt x%" is that minus 100, for units strictly
  above plan. For `direction: lower` a unit meets its plan at actual ≤ target, and the best units are
  "thấp hơn chỉ tiêu x%" with x = 100 − actual / target × 100.
- The group's percent of plan for `aggregate: sum` is Σ actual / Σ target × 100 over the units that
  have both. Percentages are rounded half-up to at most two decimals, trailing zeros dropped
  (105,2%; 112,88%; `format_percent`). Totals are shown exactly (925,128; 18.596); means with at most
  two decimals.
- A unit without a figure is never counted as meeting or missing a plan: the sentence counts the
  units that have the figures and names the others ("chưa có số liệu của Hòn Đất"). A target of 0
  gives no percentage (nothing is divided by zero); the unit still meets its plan when its actual
  is not worse than 0. Without any target a sum criterion gets just its total.
- Which sentence a criterion gets: `vs_baseline` → the comparison with last year; `threshold` with a
  fixed bar → "k/n đơn vị đạt từ <ngưỡng> trở lên" (and the mean when `aggregate: mean`); otherwise
  by `aggregate`: `sum` → the total, `mean` → the average and the units above and below plan;
  `none` → how many units met their plan when there are targets, else nothing (manual criteria are
  reported through their points).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from thidua.lib.collation import vi_sort_key
from thidua.lib.numbers import format_number, format_percent, round_half_up

HUNDRED = Decimal(100)
HIGHER, LOWER = "higher", "lower"
TOP_UNITS = 3  # "một số đơn vị vượt cao như …": at most three

__all__ = [
    "CriterionFigures",
    "UnitFigures",
    "UnitPoints",
    "attainment_sentence",
    "baseline_sentence",
    "content_points_sentence",
    "criterion_sentence",
    "excess_pct",
    "join_vi",
    "lower_first",
    "mean_sentence",
    "pct_of_plan",
    "sum_sentence",
    "threshold_sentence",
    "value_with_measure",
]


@dataclass(frozen=True)
class UnitFigures:
    """One unit's figures for one criterion (None: not entered)."""

    label: str
    target: Decimal | None = None
    actual: Decimal | None = None
    baseline: Decimal | None = None
    code: str = ""  # the unit's code, for callers that match rows (labels may repeat across provinces)


@dataclass(frozen=True)
class CriterionFigures:
    """A criterion as the sentences need it, with every member unit's figures (covenant order)."""

    code: str
    title: str
    measure: str = ""
    direction: str = HIGHER
    aggregate: str = "none"
    method: str = "plan_ratio"
    threshold: Decimal | None = None  # params.threshold of a `threshold` criterion
    units: tuple[UnitFigures, ...] = ()


@dataclass(frozen=True)
class UnitPoints:
    """A unit's points for one content (already rounded by the scoring engine)."""

    label: str
    points: Decimal


# ------------------------------------------------------------------------------ small helpers


def join_vi(items: Iterable[str]) -> str:
    """"A", "A và B", "A, B và C"."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} và {items[-1]}"


_KEEP_CAPITAL = ("Đảng", "Nhà nước", "Nhân dân", "Chính phủ", "Quốc hội", "Mặt trận", "Hội đồng nhân dân")


def lower_first(text: str) -> str:
    """The title inside a sentence: "Thu ngân sách" → "thu ngân sách"; acronyms ("BHYT", "UBND")
    and proper nouns ("Đảng", "Nhà nước") keep their capital."""
    text = text.strip()
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return text
    if text.startswith(_KEEP_CAPITAL):
        return text
    return text[:1].lower() + text[1:]


def value_with_measure(value: Decimal, measure: str, *, max_places: int | None = None) -> str:
    """"925,128 tỷ đồng", "82%", "18.596 lượt người", "12" (no measure)."""
    number = format_number(value, max_places=max_places)
    measure = (measure or "").strip()
    if not measure:
        return number
    if measure == "%":
        return f"{number}%"
    return f"{number} {measure}"


def pct_of_plan(actual: Decimal, target: Decimal) -> Decimal | None:
    """actual / target × 100, unrounded; None for a target of 0."""
    if not target:
        return None
    return Decimal(actual) / Decimal(target) * HUNDRED


def excess_pct(actual: Decimal, target: Decimal) -> Decimal | None:
    """How far above plan, in % of plan: actual / target × 100 − 100 (26,6 for 75,96 of 60)."""
    pct = pct_of_plan(actual, target)
    return None if pct is None else pct - HUNDRED


def _pct(value: Decimal) -> str:
    return format_percent(value)


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _meets(actual: Decimal, bar: Decimal, direction: str) -> bool:
    return actual <= bar if direction == LOWER else actual >= bar


def _by_label(units: Iterable[UnitFigures]) -> list[UnitFigures]:
    return sorted(units, key=lambda u: vi_sort_key(u.label))


def _missing_note(labels: Sequence[str], what: str = "số liệu") -> str:
    return f"chưa có {what} của {join_vi(labels)}" if labels else ""


def _finish(main: str, notes: Sequence[str]) -> str:
    """The sentence with its notes in brackets and a full stop."""
    notes = [note for note in notes if note]
    text = main.rstrip(" ;,")
    if notes:
        text += f" ({'; '.join(notes)})"
    return text + "."


def _no_data(c: CriterionFigures) -> str:
    return f"{c.title.strip()}: chưa có số liệu của các đơn vị."


# ------------------------------------------------------------------------------ plan attainment


@dataclass(frozen=True)
class _Attainment:
    """Units with an actual and a target, split by whether they met the plan."""

    assessed: list[UnitFigures]
    met: list[UnitFigures]
    below: list[UnitFigures]
    # Units strictly better than plan with how far (in % of plan), best first.
    beyond: list[tuple[UnitFigures, Decimal]]


def _attainment(units: Sequence[UnitFigures], direction: str) -> _Attainment:
    assessed = [u for u in units if u.actual is not None and u.target is not None]
    met = [u for u in assessed if _meets(u.actual, u.target, direction)]
    below = [u for u in assessed if not _meets(u.actual, u.target, direction)]
    beyond = []
    for u in met:
        excess = excess_pct(u.actual, u.target)
        if excess is None:
            continue
        margin = excess if direction != LOWER else -excess
        if margin > 0:
            beyond.append((u, margin))
    beyond.sort(key=lambda pair: (-pair[1], vi_sort_key(pair[0].label)))
    return _Attainment(assessed=assessed, met=met, below=below, beyond=beyond)


def _beyond_text(beyond: list[tuple[UnitFigures, Decimal]], direction: str) -> str:
    """"một số đơn vị vượt cao như Châu Thành vượt 26,6%, Tân Hiệp vượt 19%, …" (at most three)."""
    if not beyond:
        return ""
    word = "thấp hơn chỉ tiêu" if direction == LOWER else "vượt"
    parts = [f"{u.label} {word} {_pct(margin)}" for u, margin in beyond[:TOP_UNITS]]
    if len(parts) == 1:
        return parts[0]
    lead = "một số đơn vị thấp hơn chỉ tiêu nhiều như" if direction == LOWER else "một số đơn vị vượt cao như"
    return f"{lead} {', '.join(parts)}"


def _below_text(below: list[UnitFigures], total: int, direction: str) -> str:
    """"2/5 đơn vị chưa đạt kế hoạch: Giồng Riềng (đạt 98,12% kế hoạch), Hòn Đất (96,95%)"."""
    if not below:
        return ""
    def closeness(u: UnitFigures) -> Decimal:  # nearest to plan first
        pct = pct_of_plan(u.actual, u.target) or Decimal(0)
        return pct if direction == LOWER else -pct

    ordered = sorted(below, key=lambda u: (closeness(u), vi_sort_key(u.label)))
    parts = []
    for i, u in enumerate(ordered):
        pct = pct_of_plan(u.actual, u.target)
        if pct is None:
            parts.append(u.label)
        elif direction == LOWER:
            parts.append(f"{u.label} (cao hơn chỉ tiêu {_pct(pct - HUNDRED)})")
        else:
            parts.append(f"{u.label} ({'đạt ' if i == 0 else ''}{_pct(pct)}{' kế hoạch' if i == 0 else ''})")
    return f"{len(below)}/{total} đơn vị chưa đạt kế hoạch: {', '.join(parts)}"


def _unit_lists(c: CriterionFigures) -> tuple[list[UnitFigures], list[str]]:
    """Units with an actual, and the labels of those without."""
    with_actual = [u for u in c.units if u.actual is not None]
    missing = [u.label for u in c.units if u.actual is None]
    return with_actual, missing


def _target_notes(c: CriterionFigures, with_actual: Sequence[UnitFigures]) -> list[str]:
    """Units with an actual but no target, when other units have one."""
    if not any(u.target is not None for u in c.units):
        return []
    no_target = [u.label for u in with_actual if u.target is None]
    return [_missing_note(no_target, "chỉ tiêu kế hoạch")] if no_target else []


# ------------------------------------------------------------------------------ the sentences


def sum_sentence(c: CriterionFigures) -> str:
    """`aggregate: sum`: "Tổng <tiêu chí> của <n> đơn vị đạt <Σ thực hiện> <đơn vị tính>, đạt <Σ thực
    hiện / Σ kế hoạch>% kế hoạch; có <k>/<n> đơn vị đạt và vượt chỉ tiêu; một số đơn vị vượt cao như
    <…>." Without targets, just the total."""
    with_actual, missing = _unit_lists(c)
    if not with_actual:
        return _no_data(c)
    total = sum((u.actual for u in with_actual), Decimal(0))
    verb = "là" if c.direction == LOWER else "đạt"
    main = f"Tổng {lower_first(c.title)} của {len(with_actual)} đơn vị {verb} {value_with_measure(total, c.measure)}"
    state = _attainment(c.units, c.direction)
    if state.assessed:
        total_target = sum((u.target for u in state.assessed), Decimal(0))
        total_actual = sum((u.actual for u in state.assessed), Decimal(0))
        pct = pct_of_plan(total_actual, total_target)
        if pct is not None:
            of = "" if len(state.assessed) == len(with_actual) else f" (tính trên {len(state.assessed)} đơn vị có kế hoạch)"
            if c.direction == LOWER:
                main += f", bằng {_pct(pct)} chỉ tiêu kế hoạch{of}"
            else:
                main += f", đạt {_pct(pct)} kế hoạch{of}"
        n = len(state.assessed)
        reached = "đạt chỉ tiêu" if c.direction == LOWER else "đạt và vượt chỉ tiêu"
        main += f"; có {len(state.met)}/{n} đơn vị {reached}"
        beyond = _beyond_text(state.beyond, c.direction)
        if beyond:
            main += f"; {beyond}"
        below = _below_text(state.below, n, c.direction)
        if below:
            main += f"; {below}"
    return _finish(main, [_missing_note(missing), *_target_notes(c, with_actual)])


def mean_sentence(c: CriterionFigures, *, group_word: str = "cụm") -> str:
    """`aggregate: mean`: the group average (simple mean of the units' figures) and the units above
    and below plan; without targets, the highest and the lowest unit."""
    with_actual, missing = _unit_lists(c)
    if not with_actual:
        return _no_data(c)
    mean = _mean([u.actual for u in with_actual])
    verb = "ở mức" if c.direction == LOWER else "đạt"
    main = f"{c.title.strip()}: bình quân toàn {group_word} {verb} {value_with_measure(mean, c.measure, max_places=2)}"
    state = _attainment(c.units, c.direction)
    if state.assessed:
        mean_target = _mean([u.target for u in state.assessed])
        main += f" (kế hoạch bình quân {value_with_measure(mean_target, c.measure, max_places=2)})"
        n = len(state.assessed)
        reached = "đạt kế hoạch" if c.direction == LOWER else "đạt và vượt kế hoạch"
        main += f"; có {len(state.met)}/{n} đơn vị {reached}"
        beyond = _beyond_text(state.beyond, c.direction)
        if beyond:
            main += f", {beyond}"
        below = _below_text(state.below, n, c.direction)
        if below:
            main += f"; {below}"
    elif len(with_actual) > 1:
        ordered = sorted(with_actual, key=lambda u: (-u.actual, vi_sort_key(u.label)))
        high, low = ordered[0], ordered[-1]
        if high.actual != low.actual:
            main += (f"; cao nhất là {high.label} ({value_with_measure(high.actual, c.measure, max_places=2)}), "
                     f"thấp nhất là {low.label} ({value_with_measure(low.actual, c.measure, max_places=2)})")
    return _finish(main, [_missing_note(missing), *_target_notes(c, with_actual)])


def threshold_sentence(c: CriterionFigures, *, group_word: str = "cụm") -> str:
    """`threshold` with a fixed bar: "<k>/<n> đơn vị đạt từ <ngưỡng> trở lên" (trở xuống for a
    lower-is-better criterion), the units that meet it with their figures, those that do not; and
    the group average when the criterion aggregates by mean."""
    with_actual, missing = _unit_lists(c)
    if not with_actual:
        return _no_data(c)
    if c.threshold is None:  # the bar is each unit's own target: the plan sentence says it
        return mean_sentence(c, group_word=group_word) if c.aggregate == "mean" else attainment_sentence(c)
    bar = value_with_measure(c.threshold, c.measure)
    reverse = c.direction != LOWER
    ordered = sorted(with_actual, key=lambda u: ((-u.actual if reverse else u.actual), vi_sort_key(u.label)))
    met = [u for u in ordered if _meets(u.actual, c.threshold, c.direction)]
    not_met = [u for u in ordered if not _meets(u.actual, c.threshold, c.direction)]
    main = f"{c.title.strip()}: "
    if c.aggregate == "mean":
        mean = _mean([u.actual for u in with_actual])
        verb = "ở mức" if c.direction == LOWER else "đạt"
        main += f"bình quân toàn {group_word} {verb} {value_with_measure(mean, c.measure, max_places=2)}; "
    elif c.aggregate == "sum":
        total = sum((u.actual for u in with_actual), Decimal(0))
        main += f"tổng {len(with_actual)} đơn vị đạt {value_with_measure(total, c.measure)}; "
    side = "trở xuống" if c.direction == LOWER else "trở lên"
    main += f"có {len(met)}/{len(with_actual)} đơn vị đạt từ {bar} {side}"

    def listed(units: list[UnitFigures]) -> str:
        return ", ".join(f"{u.label} {value_with_measure(u.actual, c.measure, max_places=2)}" for u in units)

    if met and len(met) < len(with_actual):
        main += f" ({listed(met)})" if len(met) <= TOP_UNITS else f", cao nhất là {listed(met[:TOP_UNITS])}"
    if not_met:
        main += f"; chưa đạt: {listed(not_met)}"
    return _finish(main, [_missing_note(missing)])


def baseline_sentence(c: CriterionFigures, *, group_word: str = "cụm") -> str:
    """`vs_baseline`: "<k>/<n> đơn vị giảm so với năm trước" ("tăng" when higher is better), the
    units that did not improve, and the group total (sum) or mean against last year."""
    compared = [u for u in c.units if u.actual is not None and u.baseline is not None]
    missing = [u.label for u in c.units if u.actual is None or u.baseline is None]
    if not compared:
        if any(u.actual is not None for u in c.units):
            return _finish(f"{c.title.strip()}: chưa có số liệu năm trước để so sánh", [_missing_note(missing)])
        return _no_data(c)
    lower = c.direction == LOWER
    good, bad = ("giảm", "tăng") if lower else ("tăng", "giảm")
    improved = [u for u in compared if (u.actual < u.baseline if lower else u.actual > u.baseline)]
    same = [u for u in compared if u.actual == u.baseline]
    worse = [u for u in compared if u not in improved and u not in same]
    main = f"{c.title.strip()}: có {len(improved)}/{len(compared)} đơn vị {good} so với năm trước"
    if same:
        main += f"; {join_vi(u.label for u in _by_label(same))} bằng năm trước"
    if worse:
        parts = []
        for u in _by_label(worse):
            if u.baseline:
                change = abs(u.actual - u.baseline) / abs(u.baseline) * HUNDRED
                parts.append(f"{u.label} {bad} {_pct(change)}")
            else:
                parts.append(f"{u.label} {bad} từ 0 lên {value_with_measure(u.actual, c.measure)}")
        main += f"; {', '.join(parts)}"
    if c.aggregate in ("sum", "mean") and not missing:
        if c.aggregate == "sum":
            now = sum((u.actual for u in compared), Decimal(0))
            before = sum((u.baseline for u in compared), Decimal(0))
            lead, places = f"toàn {group_word} {value_with_measure(now, c.measure)}", None
        else:
            now = _mean([u.actual for u in compared])
            before = _mean([u.baseline for u in compared])
            lead, places = f"bình quân toàn {group_word} {value_with_measure(now, c.measure, max_places=2)}", 2
        if now == before:
            main += f"; {lead}, bằng năm trước"
        else:
            word = "giảm" if now < before else "tăng"
            diff = value_with_measure(abs(now - before), c.measure, max_places=places)
            share = f" ({_pct(abs(now - before) / before * HUNDRED)})" if before else ""
            main += (f"; {lead}, {word} {diff}{share} so với năm trước "
                     f"({value_with_measure(before, c.measure, max_places=places)})")
    return _finish(main, [_missing_note(missing)])


def attainment_sentence(c: CriterionFigures) -> str:
    """A criterion with targets that is not summed nor averaged: how many units met their plan."""
    with_actual, missing = _unit_lists(c)
    if not with_actual:
        return _no_data(c)
    state = _attainment(c.units, c.direction)
    if not state.assessed:
        return ""
    n = len(state.assessed)
    reached = "đạt kế hoạch" if c.direction == LOWER else "đạt và vượt kế hoạch"
    main = f"{c.title.strip()}: có {len(state.met)}/{n} đơn vị {reached}"
    beyond = _beyond_text(state.beyond, c.direction)
    if beyond:
        main += f", {beyond}"
    below = _below_text(state.below, n, c.direction)
    if below:
        main += f"; {below}"
    return _finish(main, [_missing_note(missing), *_target_notes(c, with_actual)])


def criterion_sentence(c: CriterionFigures, *, group_word: str = "cụm") -> str:
    """The sentence the report gives a criterion ("" when figures say nothing: manual criteria)."""
    if c.method == "manual":
        return ""
    if c.method == "vs_baseline":
        return baseline_sentence(c, group_word=group_word)
    if c.method == "threshold" and c.threshold is not None:
        return threshold_sentence(c, group_word=group_word)
    if c.aggregate == "sum":
        return sum_sentence(c)
    if c.aggregate == "mean":
        return mean_sentence(c, group_word=group_word)
    if any(u.target is not None for u in c.units):
        return attainment_sentence(c)
    return ""


def content_points_sentence(*, code: str, title: str, max_points: Decimal, points: Sequence[UnitPoints]) -> str:
    """"Nội dung I (tối đa 700 điểm): bình quân 640,12 điểm; cao nhất Giồng Riềng 660 điểm, thấp
    nhất Rạch Giá 610,5 điểm." From the scoring engine's rounded content points."""
    head = f"Nội dung {code} (tối đa {format_number(max_points)} điểm)"
    if not points:
        return f"{head}: chưa có kết quả chấm điểm."
    mean = round_half_up(_mean([p.points for p in points]))
    ordered = sorted(points, key=lambda p: (-p.points, vi_sort_key(p.label)))
    text = f"{head}: các đơn vị đạt bình quân {format_number(mean)} điểm"
    if len(ordered) > 1:
        best = [p.label for p in ordered if p.points == ordered[0].points]
        worst = [p.label for p in ordered if p.points == ordered[-1].points]
        if ordered[0].points == ordered[-1].points:
            text += f"; các đơn vị cùng đạt {format_number(ordered[0].points)} điểm"
        else:
            text += (f"; cao nhất là {join_vi(best)} với {format_number(ordered[0].points)} điểm, "
                     f"thấp nhất là {join_vi(worst)} với {format_number(ordered[-1].points)} điểm")
    return text + "."
