"""Vietnamese number formats (GLOSSARY.md: `18.596`, `925,128`, `112,88%`) and half-up rounding."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua.lib.numbers import NumberParseError, format_number, format_percent, parse_number, round_half_up


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (D("18596"), {}, "18.596"),
        (D("925.128"), {}, "925,128"),
        (D("92590.98"), {}, "92.590,98"),
        (D("912"), {"places": 2}, "912,00"),
        (D("911.43"), {"places": 2}, "911,43"),
        (D("-1234567.891"), {"places": 2}, "-1.234.567,89"),
        (D("1E+3"), {}, "1.000"),
        (D("105.20"), {"max_places": 2}, "105,2"),
        (D("0"), {}, "0"),
        (None, {}, ""),
    ],
)
def test_format_number_writes_vietnamese_figures(value, kwargs, expected):
    assert format_number(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("105.2"), "105,2%"), (D("112.88"), "112,88%"), (D("107.4899"), "107,49%"), (D("100.00"), "100%"), (D("6.10"), "6,1%")],
)
def test_format_percent_keeps_at_most_two_decimals_and_drops_trailing_zeros(value, expected):
    assert format_percent(value) == expected


def test_round_half_up_rounds_x_xx5_away_from_zero():
    assert round_half_up(D("80.555")) == D("80.56")
    assert round_half_up(D("-80.555")) == D("-80.56")
    assert round_half_up(D("80.554999")) == D("80.55")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.234,56", D("1234.56")), ("18.596", D("18596")), ("1,5", D("1.5")), ("12.5", D("12.5")),
     ("-3", D("-3")), (" 105,2 % ", D("105.2")), ("1.234.567", D("1234567"))],
)
def test_parse_number_reads_what_vietnamese_users_type(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.23.4", "12,", "1..2"])
def test_parse_number_refuses_what_is_not_a_number(text):
    with pytest.raises(NumberParseError):
        parse_number(text)


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_formatting_then_parsing_gives_the_number_back(value):
    assert parse_number(format_number(value, places=2)) == value
