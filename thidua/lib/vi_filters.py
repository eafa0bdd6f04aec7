"""Template filters for Vietnamese figures, loaded as builtins in every template.

    {{ value|so }}            18.596 · 925,128
    {{ value|so:2 }}          911,43 · 912,00
    {{ value|phan_tram }}     105,2% · 112,88%
    {{ value|ngay }}          24/01/2018
"""

from __future__ import annotations

from django import template

from thidua.lib.dates import format_date, format_datetime
from thidua.lib.numbers import format_number, format_percent

register = template.Library()


@register.filter
def so(value, places=None):
    if value in (None, ""):
        return ""
    return format_number(value, places=None if places in (None, "") else int(places))


@register.filter
def phan_tram(value):
    return format_percent(value) if value not in (None, "") else ""


@register.filter
def ngay(value):
    return format_date(value)


@register.filter
def ngay_gio(value):
    from django.utils import timezone

    return format_datetime(timezone.localtime(value)) if value else ""


@register.filter
def get_item(mapping, key):
    """`{{ scores|get_item:code }}`: dictionary lookup by a variable key."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return None


@register.filter
def plain(value):
    """A Decimal as plain digits for machines (hidden fields): 925.128, never 925,128 or 9.25E+2."""
    from decimal import Decimal

    if value is None or value == "":  # "" is what a template gets for a field of a missing result
        return ""
    number = Decimal(value).normalize()
    return format(number, "f")


@register.filter
def pct_of(actual, target):
    """actual / target × 100, for showing % of plan (never used for scoring)."""
    from decimal import Decimal

    if actual is None or not target:
        return None
    return Decimal(actual) / Decimal(target) * 100


_FIELD_LABELS = {
    "target": "Kế hoạch", "actual": "Thực hiện", "baseline": "Kỳ trước", "points": "Điểm áp dụng", "note": "Ghi chú",
    "points.self": "Điểm tự chấm", "points.cross": "Điểm chấm chéo", "points.reconciled": "Điểm thống nhất",
    "points.appraised": "Điểm thẩm định",
}


@register.filter
def field_label(name):
    return _FIELD_LABELS.get(name, name)


@register.filter
def is_text_field(name):
    return name == "note"
