"""Working days: weekends and Vietnamese public holidays (Bộ luật Lao động 2019, Điều 112) skipped."""

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua.lib import workdays
from thidua.lib.workdays import (
    LUNAR,
    Calendar,
    OutOfRange,
    add_working_days,
    days_off,
    is_working_day,
    working_days_between,
)

D = dt.date


# --- An independent oracle for the lunar table: the Vietnamese calendar computed astronomically
# (new moons and the sun's longitude at UTC+7, the method of Hồ Ngọc Đức's published algorithm).


def _jd(day: dt.date) -> int:
    return day.toordinal() + 1721425


def _date(jd: int) -> dt.date:
    return dt.date.fromordinal(jd - 1721425)


def _new_moon(k: int) -> float:
    t = k / 1236.85
    t2, t3, dr = t * t, t * t * t, math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * dr) + 0.0021 * math.sin(2 * dr * m)
    c1 = c1 - 0.4068 * math.sin(mpr * dr) + 0.0161 * math.sin(dr * 2 * mpr)
    c1 = c1 - 0.0004 * math.sin(dr * 3 * mpr)
    c1 = c1 + 0.0104 * math.sin(dr * 2 * f) - 0.0051 * math.sin(dr * (m + mpr))
    c1 = c1 - 0.0074 * math.sin(dr * (m - mpr)) + 0.0004 * math.sin(dr * (2 * f + m))
    c1 = c1 - 0.0004 * math.sin(dr * (2 * f - m)) - 0.0006 * math.sin(dr * (2 * f + mpr))
    c1 = c1 + 0.0010 * math.sin(dr * (2 * f - mpr)) + 0.0005 * math.sin(dr * (2 * mpr + m))
    delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - delta_t


def _new_moon_day(k: int, tz: float = 7) -> int:
    return int(_new_moon(k) + 0.5 + tz / 24)


def _sun_sector(jdn: int, tz: float = 7) -> int:
    t = (jdn - 0.5 - tz / 24 - 2451545.0) / 36525
    t2, dr = t * t, math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    longitude = (l0 + dl) * dr
    longitude -= 2 * math.pi * int(longitude / (2 * math.pi))
    return int(longitude / math.pi * 6)


def _month11(year: int) -> int:
    k = int((_jd(D(year, 12, 31)) - 2415021) / 29.530588853)
    day = _new_moon_day(k)
    return _new_moon_day(k - 1) if _sun_sector(day) >= 9 else day


def _leap_offset(a11: int) -> int:
    k = int((a11 - 2415021.076998695) / 29.530588853 + 0.5)
    i, arc = 1, _sun_sector(_new_moon_day(k + 1))
    while True:
        last = arc
        i += 1
        arc = _sun_sector(_new_moon_day(k + i))
        if arc == last or i >= 14:
            return i - 1


def lunar_to_solar(day: int, month: int, year: int) -> dt.date:
    """A day of a non-leap lunar month before month 11 of lunar year `year`."""
    a11, b11 = _month11(year - 1), _month11(year)
    k = int(0.5 + (a11 - 2415021.076998695) / 29.530588853)
    offset = month - 11 + 12
    if b11 - a11 > 365 and offset >= _leap_offset(a11):
        offset += 1
    return _date(_new_moon_day(k + offset) + day - 1)


@pytest.mark.parametrize("year", sorted(LUNAR))
def test_the_lunar_table_matches_the_astronomical_calendar(year):
    tet, hung = LUNAR[year]
    assert lunar_to_solar(1, 1, year) == tet
    assert lunar_to_solar(10, 3, year) == hung


def test_the_lunar_table_holds_the_dates_everybody_knows():
    assert LUNAR[2024] == (D(2024, 2, 10), D(2024, 4, 18))
    assert LUNAR[2025] == (D(2025, 1, 29), D(2025, 4, 7))
    assert LUNAR[2026] == (D(2026, 2, 17), D(2026, 4, 26))


# --- Holidays


def test_a_law_year_has_the_eleven_days_of_article_112():
    law = workdays.law_holidays(2027)
    assert len(law) == 11
    assert law[D(2027, 2, 6)] == "Tết Âm lịch"
    assert law[D(2027, 4, 16)] == "Giỗ Tổ Hùng Vương"
    assert {D(2027, 1, 1), D(2027, 4, 30), D(2027, 5, 1), D(2027, 9, 2), D(2027, 9, 3)} <= set(law)


def test_a_holiday_on_a_weekend_is_compensated_on_the_next_working_day():
    # 2027: 01/05 is a Saturday → Monday 03/05 off; 30/04 is a Friday.
    assert not is_working_day(D(2027, 5, 3))
    assert is_working_day(D(2027, 5, 3), calendar=Calendar(compensate=False))
    assert is_working_day(D(2027, 5, 4))


def test_tet_2026_follows_the_announcement():
    assert days_off(2026)[:6] == [D(2026, 1, 1), *(D(2026, 2, d) for d in range(16, 21))]
    assert is_working_day(D(2026, 2, 23))


def test_a_saturday_worked_in_exchange_is_a_working_day():
    assert is_working_day(D(2025, 2, 8))
    assert not is_working_day(D(2025, 1, 27))


def test_weekends_are_not_working_days():
    assert not is_working_day(D(2026, 12, 5))  # Saturday
    assert not is_working_day(D(2026, 12, 6))  # Sunday
    assert is_working_day(D(2026, 12, 7))


# --- Deadlines


def test_ten_working_days_across_tet_2026_skip_the_whole_holiday():
    # Received Thursday 12/02/2026: 13/02, then 23–27/02 and 02–05/03 (Tết 16–20/02 and weekends skipped).
    assert add_working_days(D(2026, 2, 12), 10) == D(2026, 3, 5)


def test_a_deadline_skips_the_hung_kings_day_and_30_april():
    # 2026: Giỗ Tổ 26/04 is a Sunday → Monday 27/04 off; 30/04 Thursday, 01/05 Friday.
    assert add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 28)
    assert add_working_days(D(2026, 4, 29), 1) == D(2026, 5, 4)


def test_zero_days_rolls_forward_to_a_working_day():
    assert add_working_days(D(2026, 2, 14), 0) == D(2026, 2, 23)
    assert add_working_days(D(2026, 2, 12), 0) == D(2026, 2, 12)


def test_days_between_count_backwards_when_overdue():
    assert working_days_between(D(2026, 12, 7), D(2026, 12, 4)) == -1
    assert working_days_between(D(2026, 12, 4), D(2026, 12, 7)) == 1


def test_a_year_without_lunar_data_is_refused_in_vietnamese():
    with pytest.raises(OutOfRange, match="Chưa có lịch âm của năm 2040"):
        add_working_days(D(2040, 1, 2), 3)


dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2034, 10, 31))
counts = st.integers(min_value=0, max_value=60)


@given(start=dates, n=counts)
def test_the_result_is_always_a_working_day(start, n):
    assert is_working_day(add_working_days(start, n))


@given(start=dates, n=st.integers(min_value=1, max_value=60))
def test_there_are_exactly_n_working_days_up_to_the_result(start, n):
    assert working_days_between(start, add_working_days(start, n)) == n


@given(start=dates, n=counts, more=st.integers(min_value=0, max_value=20))
def test_more_days_never_give_an_earlier_date(start, n, more):
    assert add_working_days(start, n + more) >= add_working_days(start, n)


@given(start=dates, later=st.integers(min_value=0, max_value=30), n=counts)
def test_a_later_start_never_gives_an_earlier_deadline(start, later, n):
    assert add_working_days(start + dt.timedelta(days=later), n) >= add_working_days(start, n)
