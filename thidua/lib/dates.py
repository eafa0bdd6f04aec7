"""Vietnamese date formats: `24/01/2018` on screens, `ngày 24 tháng 01 năm 2018` in documents."""

from __future__ import annotations

import datetime as dt


def format_date(value: dt.date | dt.datetime | None, *, missing: str = "") -> str:
    """`24/01/2018` (GLOSSARY.md: dates dd/mm/yyyy)."""
    if value is None:
        return missing
    return value.strftime("%d/%m/%Y")


def format_datetime(value: dt.datetime | None, *, missing: str = "") -> str:
    """`24/01/2018 14:05`."""
    if value is None:
        return missing
    return value.strftime("%d/%m/%Y %H:%M")


def format_long_date(value: dt.date, *, place: str = "") -> str:
    """`Kiên Giang, ngày 24 tháng 01 năm 2018`: Decree 30/2020/NĐ-CP, Appendix I, pads days below 10
    and the months January and February with a zero."""
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    text = f"ngày {value.day:02d} tháng {month} năm {value.year}"
    return f"{place}, {text}" if place else text
