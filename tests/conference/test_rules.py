"""The pure ballot rules: quorum, threshold, winners with ties, and the rule said in Vietnamese."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua.conference.rules import (
    ALL,
    AT_LEAST,
    MORE_THAN,
    PRESENT,
    Rule,
    Tally,
    ballot_outcome,
    figure_text,
    minimum_votes,
    passes,
    quorum_is_met,
    quorum_needed,
    quorum_statement,
    rule_statement,
    threshold_statement,
)

fractions = st.builds(lambda d, n: Fraction(min(n, d), d), st.integers(1, 12), st.integers(1, 12))
rules_ = st.builds(Rule, quorum=fractions, pass_fraction=fractions, pass_base=st.sampled_from([ALL, PRESENT]),
                   comparison=st.sampled_from([MORE_THAN, AT_LEAST]))


@st.composite
def ballots(draw):
    """A plausible ballot: electorate, ballots cast, per-option votes within the valid ballots."""
    electorate = draw(st.integers(1, 40))
    cast = draw(st.integers(0, electorate))
    seats = draw(st.integers(1, 4))
    n_options = draw(st.integers(seats, 8))
    votes = draw(st.lists(st.integers(0, cast), min_size=n_options, max_size=n_options))
    return electorate, cast, seats, [Tally(key=i, votes=v) for i, v in enumerate(votes)]


# ------------------------------------------------------------------------------ examples


def test_the_default_rule_is_said_as_the_regulation_says_it():
    assert rule_statement(rule=Rule(), electorate=5) == (
        "Đủ số phiếu khi có từ 2/3 tổng số thành viên (4/5) tham gia; trúng cử khi được quá 1/2 "
        "tổng số thành viên đồng ý (quá 2,5 phiếu)")


def test_four_votes_of_five_acclaim_the_unit_and_three_of_five_make_no_quorum():
    outcome = ballot_outcome(rule=Rule(), electorate=5, cast=5, tallies=[Tally("GR", 4), Tally("TH", 1)], seats=1)
    assert (outcome.quorum_met, outcome.winners, outcome.minimum_votes) == (True, ("GR",), 3)
    short = ballot_outcome(rule=Rule(), electorate=5, cast=3, tallies=[Tally("GR", 3)], seats=1)
    assert not short.quorum_met and short.winners == ()
    assert quorum_statement(rule=Rule(), outcome=short) == (
        "Không đủ số phiếu theo quy định: 3/5 thành viên tham gia, cần từ 4 (2/3 của 5 là 3,33…). "
        "Kết quả bỏ phiếu không có giá trị.")


def test_exactly_half_is_not_more_than_half_but_is_at_least_half():
    assert not passes(votes=2, threshold=Fraction(4, 2), comparison=MORE_THAN)
    assert passes(votes=2, threshold=Fraction(4, 2), comparison=AT_LEAST)


def test_a_tie_at_the_last_seat_fills_no_seat_and_keeps_the_seats_above_it():
    tallies = [Tally("A", 5), Tally("B", 4), Tally("C", 4), Tally("D", 1)]
    outcome = ballot_outcome(rule=Rule(pass_base=PRESENT, pass_fraction=Fraction(1, 3)), electorate=6, cast=6,
                             tallies=tallies, seats=2)
    assert outcome.winners == ("A",) and set(outcome.tied) == {"B", "C"} and outcome.unfilled == 1


def test_the_present_base_counts_the_ballots_cast():
    rule = Rule(pass_base=PRESENT, comparison=AT_LEAST, pass_fraction=Fraction(2, 3))
    assert rule_statement(rule=rule, electorate=5) == (
        "Đủ số phiếu khi có từ 2/3 tổng số thành viên (4/5) tham gia; trúng cử khi được từ 2/3 "
        "số thành viên tham gia bỏ phiếu đồng ý")
    outcome = ballot_outcome(rule=rule, electorate=5, cast=4, tallies=[Tally("A", 3)], seats=1)
    assert outcome.threshold == Fraction(8, 3) and outcome.winners == ("A",)
    assert threshold_statement(rule=rule, outcome=outcome) == (
        "Ngưỡng trúng cử: từ 2/3 số thành viên tham gia bỏ phiếu (từ 2,67… phiếu), tức ít nhất 3 phiếu.")


def test_an_option_that_cannot_pass_never_wins():
    tallies = [Tally("yes", 1), Tally("no", 4, eligible=False)]
    outcome = ballot_outcome(rule=Rule(), electorate=5, cast=5, tallies=tallies, seats=1)
    assert outcome.winners == () and outcome.passing == ()


@pytest.mark.parametrize(("value", "text"), [(Fraction(5, 2), "2,5"), (Fraction(3), "3"), (Fraction(10, 3), "3,33…"),
                                             (Fraction(1234, 1), "1.234")])
def test_figures_are_written_in_vietnamese(value, text):
    assert figure_text(value) == text


def test_a_rule_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError):
        Rule(quorum=Fraction(4, 3))
    with pytest.raises(ValueError):
        Rule(pass_fraction=Fraction(0))


# ------------------------------------------------------------------------------ properties


@given(electorate=st.integers(0, 200), cast=st.integers(0, 200), quorum=fractions)
def test_the_quorum_is_met_exactly_from_the_stated_number_of_ballots(electorate, cast, quorum):
    cast = min(cast, electorate)
    needed = quorum_needed(electorate=electorate, quorum=quorum)
    if electorate:
        assert quorum_is_met(electorate=electorate, cast=cast, quorum=quorum) == (cast >= needed)
        assert needed - 1 < electorate * quorum <= needed or needed == 1


@given(threshold=st.fractions(min_value=0, max_value=100), comparison=st.sampled_from([MORE_THAN, AT_LEAST]))
def test_the_minimum_votes_is_the_least_number_that_passes(threshold, comparison):
    least = minimum_votes(threshold=threshold, comparison=comparison)
    assert passes(votes=least, threshold=threshold, comparison=comparison)
    assert least == 1 or not passes(votes=least - 1, threshold=threshold, comparison=comparison)


@given(rule=rules_, ballot=ballots())
def test_winners_pass_fit_the_seats_and_outpoll_every_other_option(rule, ballot):
    electorate, cast, seats, tallies = ballot
    outcome = ballot_outcome(rule=rule, electorate=electorate, cast=cast, tallies=tallies, seats=seats)
    votes = {t.key: t.votes for t in tallies}
    assert len(outcome.winners) + outcome.unfilled <= seats
    assert set(outcome.winners) <= set(outcome.passing)
    assert not set(outcome.winners) & set(outcome.tied)
    for winner in outcome.winners:
        assert passes(votes=votes[winner], threshold=outcome.threshold, comparison=rule.comparison)
        assert all(votes[winner] > votes[other] for other in votes if other not in outcome.winners
                   and other in outcome.passing)
    if not outcome.quorum_met:
        assert outcome.winners == () and outcome.tied == ()
    else:
        assert len(outcome.winners) + outcome.unfilled == min(seats, len(outcome.passing))


@given(rule=rules_, ballot=ballots(), data=st.data())
def test_the_order_of_the_options_never_changes_who_wins(rule, ballot, data):
    electorate, cast, seats, tallies = ballot
    shuffled = data.draw(st.permutations(tallies))
    first = ballot_outcome(rule=rule, electorate=electorate, cast=cast, tallies=tallies, seats=seats)
    second = ballot_outcome(rule=rule, electorate=electorate, cast=cast, tallies=shuffled, seats=seats)
    assert set(first.winners) == set(second.winners) and set(first.tied) == set(second.tied)
    assert first.unfilled == second.unfilled


@given(rule=rules_, electorate=st.integers(1, 60))
def test_every_rule_can_be_stated(rule, electorate):
    text = rule_statement(rule=rule, electorate=electorate)
    assert text.startswith("Đủ số phiếu khi có từ ") and "đồng ý" in text
