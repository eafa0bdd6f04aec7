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
