"""Working days (ngày làm việc): weekends and Vietnamese public holidays skipped.

Pure Python. Deadlines of award dossiers are counted in working days (LEGAL.md §6.2–6.3), so a
dossier received the week before Tết is not overdue after Tết.

Public holidays (Bộ luật Lao động 2019, Điều 112 khoản 1):
  a) Tết Dương lịch: 1 day (01/01);
  b) Tết Âm lịch: 5 days (the Government picks which; default here: the last day of the old lunar
     year and the first four days of the new one, which is what it picked for 2026);
  c) Ngày Chiến thắng: 1 day (30/04);
  d) Ngày Quốc tế lao động: 1 day (01/05);
  đ) Quốc khánh: 2 days (02/09 and one day before or after it; default: 03/09);
  e) Giỗ Tổ Hùng Vương: 1 day (10/03 âm lịch).
Khoản 3: a holiday falling on a weekly rest day is compensated on the next working day(s)
(`compensate`, a setting). Saturdays and Sundays are the public sector's weekly rest days
(Nghị định 101/CP-1995 on the 40-hour week).

Lunar dates are data (`LUNAR`), not computed here: Tết (mùng 1 tháng Giêng) and Giỗ Tổ (10/3 âm
lịch) in the Vietnamese calendar (UTC+7) for 2015–2035; tests/lib/test_workdays.py checks the
table against an astronomical computation. Years the Government announced differently (days
swapped, Saturdays worked instead) are a per-year table, `ANNOUNCED`, which replaces the law's
default Tết and National Day days and the compensation for that year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

D = dt.date

#: year → (Tết Nguyên đán: mùng 1 tháng Giêng, Giỗ Tổ Hùng Vương: 10/3 âm lịch), Vietnamese calendar.
LUNAR: Mapping[int, tuple[dt.date, dt.date]] = {
    2015: (D(2015, 2, 19), D(2015, 4, 28)),
    2016: (D(2016, 2, 8), D(2016, 4, 16)),
    2017: (D(2017, 1, 28), D(2017, 4, 6)),
    2018: (D(2018, 2, 16), D(2018, 4, 25)),
    2019: (D(2019, 2, 5), D(2019, 4, 14)),
    2020: (D(2020, 1, 25), D(2020, 4, 2)),
    2021: (D(2021, 2, 12), D(2021, 4, 21)),
    2022: (D(2022, 2, 1), D(2022, 4, 10)),
    2023: (D(2023, 1, 22), D(2023, 4, 29)),
    2024: (D(2024, 2, 10), D(2024, 4, 18)),
    2025: (D(2025, 1, 29), D(2025, 4, 7)),
    2026: (D(2026, 2, 17), D(2026, 4, 26)),
    2027: (D(2027, 2, 6), D(2027, 4, 16)),
    2028: (D(2028, 1, 26), D(2028, 4, 4)),
    2029: (D(2029, 2, 13), D(2029, 4, 23)),
    2030: (D(2030, 2, 2), D(2030, 4, 12)),  # a day before China's (UTC+7 vs UTC+8)
    2031: (D(2031, 1, 23), D(2031, 4, 1)),
    2032: (D(2032, 2, 11), D(2032, 4, 19)),
    2033: (D(2033, 1, 31), D(2033, 4, 9)),
    2034: (D(2034, 2, 19), D(2034, 4, 28)),
    2035: (D(2035, 2, 8), D(2035, 4, 17)),
}
FIRST_YEAR, LAST_YEAR = min(LUNAR), max(LUNAR)


@dataclass(frozen=True)
class Announced:
    """A year as the Government announced it for the public sector (thông báo nghỉ lễ, Tết).

    `days_off`: every weekday not worked for Tết and the National Day (holidays, compensation and
    swapped days together); `worked`: Saturdays worked instead of a swapped day (làm bù)."""

    days_off: tuple[dt.date, ...]
    worked: tuple[dt.date, ...] = ()
    source: str = ""


def _days(first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    return tuple(first + dt.timedelta(days=i) for i in range((last - first).days + 1))


#: [P] from the announcements as reported in the press; anything not listed follows the law.
ANNOUNCED: Mapping[int, Announced] = {
    2024: Announced(
        days_off=(*_days(D(2024, 2, 8), D(2024, 2, 14)), D(2024, 9, 2), D(2024, 9, 3)),
        source="Thông báo nghỉ Tết Giáp Thìn và Quốc khánh 2024 (theo báo chí) [P]",
    ),
    2025: Announced(
        days_off=(*_days(D(2025, 1, 27), D(2025, 1, 31)), D(2025, 5, 2), D(2025, 9, 1), D(2025, 9, 2)),
        worked=(D(2025, 2, 8), D(2025, 4, 26)),
        source="Thông báo nghỉ Tết Ất Tỵ, 30/4–1/5 và Quốc khánh 2025 (theo báo chí) [P]",
    ),
    2026: Announced(
        days_off=_days(D(2026, 2, 16), D(2026, 2, 20)),
        source="Thông báo nghỉ Tết Bính Ngọ 2026 (theo báo chí) [P]; Quốc khánh 2026 theo luật",
    ),
}


class OutOfRange(ValueError):
    """A date outside the years the lunar table covers: no deadline can be computed honestly."""


@dataclass(frozen=True)
class Calendar:
    """The calendar in force: `compensate` is Điều 112 khoản 3; `announced` the per-year table."""

    compensate: bool = True
    announced: Mapping[int, Announced] = field(default_factory=lambda: ANNOUNCED)

    def __hash__(self) -> int:  # the announced table is fixed data: the flag identifies a calendar
        return hash((self.compensate, id(self.announced)))


DEFAULT = Calendar()


def _lunar(year: int) -> tuple[dt.date, dt.date]:
    try:
        return LUNAR[year]
    except KeyError:
        raise OutOfRange(
            f"Chưa có lịch âm của năm {year} (chỉ có từ {FIRST_YEAR} đến {LAST_YEAR}) nên không tính được ngày làm việc."
        ) from None


def _weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


def law_holidays(year: int) -> dict[dt.date, str]:
    """The days of Điều 112 khoản 1 in `year` with their names, before compensation and swaps."""
    tet, hung = _lunar(year)
    days = {D(year, 1, 1): "Tết Dương lịch"}
    for offset in range(-1, 4):
        days[tet + dt.timedelta(days=offset)] = "Tết Âm lịch"
    days[hung] = "Giỗ Tổ Hùng Vương"
    days[D(year, 4, 30)] = "Ngày Chiến thắng"
    days[D(year, 5, 1)] = "Ngày Quốc tế lao động"
    days[D(year, 9, 2)] = "Quốc khánh"
    days[D(year, 9, 3)] = "Quốc khánh"
    # Tết of the next year may begin on 31/12 (its eve): not in 2015–2035, but stay honest.
    if year + 1 in LUNAR and LUNAR[year + 1][0] - dt.timedelta(days=1) == D(year, 12, 31):
        days[D(year, 12, 31)] = "Tết Âm lịch"
    return days


def _compensated(holidays: Mapping[dt.date, str]) -> dict[dt.date, str]:
    """Điều 112 khoản 3: each holiday on a weekend moves to the next day that is neither a weekend
    nor already a holiday (nghỉ bù)."""
    result = dict(holidays)
    for day in sorted(d for d in holidays if _weekend(d)):
        following = day + dt.timedelta(days=1)
        while _weekend(following) or following in result:
            following += dt.timedelta(days=1)
        result[following] = f"Nghỉ bù {holidays[day]}"
    return result


@lru_cache(maxsize=128)
def _year(year: int, calendar: Calendar) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(days off that are not weekends, weekend days worked) in `year`."""
    holidays = law_holidays(year)
    announced = calendar.announced.get(year)
    if announced is None:
        days = _compensated(holidays) if calendar.compensate else holidays
        return frozenset(d for d in days if d.year == year), frozenset()
    # The announcement replaces Tết and the National Day; the other holidays follow the law.
    kept = {d: name for d, name in holidays.items() if name not in ("Tết Âm lịch", "Quốc khánh")}
    days = set(_compensated(kept) if calendar.compensate else kept) | set(announced.days_off)
    return frozenset(d for d in days if d.year == year), frozenset(announced.worked)


def is_working_day(day: dt.date, *, calendar: Calendar = DEFAULT) -> bool:
    """Monday to Friday and not a public holiday (or a Saturday announced as worked)."""
    off, worked = _year(day.year, calendar)
    if day in worked:
        return True
    return not _weekend(day) and day not in off


def add_working_days(start: dt.date, days: int, *, calendar: Calendar = DEFAULT) -> dt.date:
    """The `days`-th working day after `start` (`start` itself not counted): a deadline of N working
    days from receipt. `days` = 0 gives `start` if it is a working day, else the next one."""
    if days < 0:
        raise ValueError("days must be zero or more")
    day = start
    if days == 0:
        while not is_working_day(day, calendar=calendar):
            day += dt.timedelta(days=1)
        return day
    while days:
        day += dt.timedelta(days=1)
        if is_working_day(day, calendar=calendar):
            days -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, *, calendar: Calendar = DEFAULT) -> int:
    """Working days in (start, end]; negative when `end` is before `start` (days overdue)."""
    if end < start:
        return -working_days_between(end, start, calendar=calendar)
    return sum(
        1 for i in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=i), calendar=calendar)
    )


def days_off(year: int, *, calendar: Calendar = DEFAULT) -> list[dt.date]:
    """Every weekday not worked in `year`, in order (for a page or a test)."""
    off, _ = _year(year, calendar)
    return sorted(d for d in off if not _weekend(d))

