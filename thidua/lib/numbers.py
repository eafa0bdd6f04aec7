"""Vietnamese number formats and decimal rounding.

Users read `18.596`, `925,128`, `112,88%` (GLOSSARY.md → "Number and date conventions"): a dot groups
thousands and a comma marks decimals. Every score is a `Decimal`; nothing here touches binary floats.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

TWO_PLACES = Decimal("0.01")

__all__ = [
    "TWO_PLACES",
    "NumberParseError",
    "format_number",
    "format_percent",
    "parse_number",
    "round_half_up",
    "to_decimal",
]


class NumberParseError(ValueError):
    """A figure typed by a user that is not a number in Vietnamese or plain notation."""


def round_half_up(value: Decimal, places: Decimal = TWO_PLACES) -> Decimal:
    """Round half away from zero, as people round on paper (80,555 → 80,56; COVENANT_FORMAT.md)."""
    return value.quantize(places, rounding=ROUND_HALF_UP)


def to_decimal(value: object) -> Decimal:
    """Exact Decimal from an int, str, Decimal or float (a float goes through its shortest repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("bool is not a number")
    if isinstance(value, int | str):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raise TypeError(f"not a number: {value!r}")


def _plain_digits(value: Decimal) -> str:
    """The value as plain digits, never in exponent notation (1E+3 → '1000')."""
    return format(value, "f")


def format_number(
    value: Decimal | int | float | None,
    *,
    places: int | None = None,
    max_places: int | None = None,
    missing: str = "",
) -> str:
    """Format in Vietnamese: `18.596`, `925,128`, `1.234.567,89`, `-5`.

    `places` fixes the number of decimals (scores: `911,43`, `912,00`); `max_places` rounds half-up
    to at most that many and drops trailing zeros (percentages: `105,2`, `112,88`); with neither the
    value is shown as it is, trailing zeros dropped.
    """
    if value is None:
        return missing
    number = to_decimal(value)
    if places is not None:
        number = round_half_up(number, Decimal(1).scaleb(-places))
    elif max_places is not None:
        number = round_half_up(number, Decimal(1).scaleb(-max_places))
        number = _drop_trailing_zeros(number)
    else:
        number = _drop_trailing_zeros(number)
    sign = "-" if number < 0 else ""
    digits = _plain_digits(abs(number))
    whole, _, fraction = digits.partition(".")
    grouped = _group_thousands(whole)
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def format_percent(value: Decimal | int | float | None, *, max_places: int = 2, missing: str = "") -> str:
    """`105,2%`, `112,88%`: at most two decimals, trailing zeros dropped (issue on reports)."""
    if value is None:
        return missing
    return format_number(value, max_places=max_places) + "%"


def _drop_trailing_zeros(number: Decimal) -> Decimal:
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def _group_thousands(whole: str) -> str:
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return ".".join(groups)


_THOUSANDS_ONLY = re.compile(r"^\d{1,3}(\.\d{3})+$")
_PLAIN = re.compile(r"^\d+(\.\d+)?$")


def parse_number(text: str) -> Decimal:
    """Read a figure as a Vietnamese user types it.

    `1.234,56` → 1234.56; `1,5` → 1.5; `18.596` → 18596 (dots that group thousands); `12.5` → 12.5
    (a lone dot not followed by exactly three digits is a decimal point, as spreadsheets export it).
    Spaces and a trailing `%` are ignored. Anything else raises NumberParseError.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").removesuffix("%")
    sign = ""
    if not cleaned:
        raise NumberParseError(text)
    if cleaned[0] in "+-−":
        sign = "-" if cleaned[0] in "-−" else ""
        cleaned = cleaned[1:]
    if "," in cleaned:
        whole, _, fraction = cleaned.rpartition(",")
        if "," in whole or not fraction.isdigit() or not _is_grouped_or_plain(whole):
            raise NumberParseError(text)
        candidate = whole.replace(".", "") + "." + fraction
    elif _THOUSANDS_ONLY.match(cleaned):
        candidate = cleaned.replace(".", "")
    elif _PLAIN.match(cleaned):
        candidate = cleaned
    else:
        raise NumberParseError(text)
    try:
        return Decimal(sign + candidate)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above only let digits through
        raise NumberParseError(text) from exc


def _is_grouped_or_plain(whole: str) -> bool:
    return whole.isdigit() or bool(_THOUSANDS_ONLY.match(whole))
