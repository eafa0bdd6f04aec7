"""The pure rules of a ballot: quorum, pass threshold, winners, and the rule said in Vietnamese.

Exact arithmetic with `fractions.Fraction` throughout: "quá 1/2 của 5 thành viên" is 5/2, never
2.4999…. Nothing here reads the database; `thidua.conference.ballots` feeds it counts.

- Quorum: enough ballots were cast when at least `quorum` of the electorate took part
  (valid, blank and invalid ballots all count as taking part).
- Pass: an option passes when its votes are more than (or at least) `pass_fraction` of the
  electorate (`ALL`) or of the ballots cast (`PRESENT`); an option with no vote never passes.
- Winners: for `seats` seats, the passing options in order of votes. When the options tied on
  the votes of the last seat do not all fit, none of them wins: those seats stay unfilled and the
  outcome says so (the conference votes again between them).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from thidua.lib.numbers import format_number

ALL = "all"
PRESENT = "present"
MORE_THAN = "more_than"
AT_LEAST = "at_least"

BASE_WORDS = {ALL: "tổng số thành viên", PRESENT: "số thành viên tham gia bỏ phiếu"}
COMPARISON_WORDS = {MORE_THAN: "quá", AT_LEAST: "từ"}


@dataclass(frozen=True)
class Rule:
    """A group regulation's ballot rule (defaults: quorum 2/3 of members, pass more than 1/2 of members)."""

    quorum: Fraction = Fraction(2, 3)
    pass_fraction: Fraction = Fraction(1, 2)
    pass_base: str = ALL
    comparison: str = MORE_THAN

    def __post_init__(self) -> None:
        if not 0 < self.quorum <= 1:
            raise ValueError("Tỷ lệ đủ số phiếu phải lớn hơn 0 và không quá 1.")
        if not 0 < self.pass_fraction <= 1:
            raise ValueError("Tỷ lệ trúng cử phải lớn hơn 0 và không quá 1.")
        if self.pass_base not in BASE_WORDS:
            raise ValueError(f"Cơ sở tính tỷ lệ không hợp lệ: {self.pass_base!r}.")
        if self.comparison not in COMPARISON_WORDS:
            raise ValueError(f"Cách so sánh không hợp lệ: {self.comparison!r}.")


@dataclass(frozen=True)
class Tally:
    """One option's count. `eligible=False`: it can never pass (e.g. "Không đồng ý")."""

    key: Hashable
    votes: int
    eligible: bool = True


@dataclass(frozen=True)
class Outcome:
    electorate: int
    cast: int
    quorum_needed: int  # the fewest ballots that make the quorum
    quorum_met: bool
    threshold: Fraction  # the figure compared with (pass_fraction × base)
    minimum_votes: int  # the fewest votes that pass
    passing: tuple[Hashable, ...]  # eligible options that pass, most votes first
    winners: tuple[Hashable, ...]  # most votes first; empty without quorum
    tied: tuple[Hashable, ...]  # passing options tied at the last seat, none of which wins
    unfilled: int  # seats left without a winner because of that tie


# ------------------------------------------------------------------------------ arithmetic


def quorum_needed(*, electorate: int, quorum: Fraction) -> int:
    """The fewest ballots that make "at least `quorum` of the electorate" (never fewer than 1)."""
    return max(1, math.ceil(electorate * quorum))


def quorum_is_met(*, electorate: int, cast: int, quorum: Fraction) -> bool:
    return electorate > 0 and cast >= electorate * quorum


def pass_threshold(*, rule: Rule, electorate: int, cast: int) -> Fraction:
    base = electorate if rule.pass_base == ALL else cast
    return base * rule.pass_fraction


def passes(*, votes: int, threshold: Fraction, comparison: str) -> bool:
    if votes <= 0:
        return False
    return votes > threshold if comparison == MORE_THAN else votes >= threshold


def minimum_votes(*, threshold: Fraction, comparison: str) -> int:
    """The fewest votes that pass: the least positive integer `passes` accepts."""
    least = math.floor(threshold) + 1 if comparison == MORE_THAN else math.ceil(threshold)
    return max(1, least)


def ballot_outcome(*, rule: Rule, electorate: int, cast: int, tallies: Sequence[Tally], seats: int) -> Outcome:
    """Evaluate one ballot. Options with equal votes keep the order given (the ballot's option
    order) in `passing` and `winners`, but that order never decides a seat."""
    if seats < 1:
        raise ValueError("Số vị trí cần bầu phải từ 1 trở lên.")
    met = quorum_is_met(electorate=electorate, cast=cast, quorum=rule.quorum)
    threshold = pass_threshold(rule=rule, electorate=electorate, cast=cast)
    ranked = sorted((t for t in tallies if t.eligible and passes(votes=t.votes, threshold=threshold,
                                                                 comparison=rule.comparison)),
                    key=lambda t: -t.votes)
    winners: list[Tally] = []
    tied: list[Tally] = []
    unfilled = 0
    if met:
        if len(ranked) <= seats:
            winners = ranked
        else:
            last = ranked[seats - 1].votes
            if ranked[seats].votes == last:  # the last seat is contested by equal votes
                winners = [t for t in ranked if t.votes > last]
                tied = [t for t in ranked if t.votes == last]
                unfilled = seats - len(winners)
            else:
                winners = ranked[:seats]
    return Outcome(
        electorate=electorate, cast=cast,
        quorum_needed=quorum_needed(electorate=electorate, quorum=rule.quorum), quorum_met=met,
        threshold=threshold, minimum_votes=minimum_votes(threshold=threshold, comparison=rule.comparison),
        passing=tuple(t.key for t in ranked), winners=tuple(t.key for t in winners),
        tied=tuple(t.key for t in tied), unfilled=unfilled,
    )


# ------------------------------------------------------------------------------ in Vietnamese


def fraction_text(value: Fraction) -> str:
    """A rule's fraction as people write it: 2/3, 1/2; the whole as 100%."""
    return "100%" if value == 1 else f"{value.numerator}/{value.denominator}"


def figure_text(value: Fraction) -> str:
    """An exact figure in Vietnamese: 2,5 · 3 · 3,33… (rounded to two places, "…" when inexact)."""
    if value.denominator == 1:
        return format_number(value.numerator)
    shown = Decimal(value.numerator) / Decimal(value.denominator)
    rounded = shown.quantize(Decimal("0.01"))
    text = format_number(rounded, max_places=2)
    return text if Fraction(rounded) == value else f"{text}…"


def rule_statement(*, rule: Rule, electorate: int, cast: int | None = None, success: str = "trúng cử") -> str:
    """ "Đủ số phiếu khi có từ 2/3 tổng số thành viên (4/5) tham gia; trúng cử khi được quá 1/2
    tổng số thành viên đồng ý (quá 2,5 phiếu)". `success` names the outcome ("trúng cử", "suy tôn",
    "thông qua"). With the "present" base the figure is given once the ballots cast are known."""
    needed = quorum_needed(electorate=electorate, quorum=rule.quorum)
    comparison = COMPARISON_WORDS[rule.comparison]
    text = (f"Đủ số phiếu khi có từ {fraction_text(rule.quorum)} tổng số thành viên "
            f"({needed}/{electorate}) tham gia; {success} khi được {comparison} "
            f"{fraction_text(rule.pass_fraction)} {BASE_WORDS[rule.pass_base]} đồng ý")
    if rule.pass_base == ALL or cast is not None:
        threshold = pass_threshold(rule=rule, electorate=electorate, cast=cast or 0)
        text += f" ({comparison} {figure_text(threshold)} phiếu)"
    return text


def quorum_statement(*, rule: Rule, outcome: Outcome) -> str:
    """Whether the quorum was met, with the counts: "Đủ số phiếu: 5/5 thành viên tham gia (cần từ 4)."."""
    required = outcome.electorate * rule.quorum
    detail = (f"{outcome.cast}/{outcome.electorate} thành viên tham gia, cần từ {outcome.quorum_needed} "
              f"({fraction_text(rule.quorum)} của {outcome.electorate} là {figure_text(required)})")
    if outcome.quorum_met:
        return f"Đủ số phiếu theo quy định: {detail}."
    return f"Không đủ số phiếu theo quy định: {detail}. Kết quả bỏ phiếu không có giá trị."


def threshold_statement(*, rule: Rule, outcome: Outcome, success: str = "trúng cử") -> str:
    """ "Ngưỡng trúng cử: quá 1/2 tổng số thành viên (quá 2,5 phiếu), tức ít nhất 3 phiếu." """
    comparison = COMPARISON_WORDS[rule.comparison]
    return (f"Ngưỡng {success}: {comparison} {fraction_text(rule.pass_fraction)} {BASE_WORDS[rule.pass_base]} "
            f"({comparison} {figure_text(outcome.threshold)} phiếu), tức ít nhất {outcome.minimum_votes} phiếu.")
