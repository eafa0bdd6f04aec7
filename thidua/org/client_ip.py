"""The client's address for the login lockout and the audit (django-axes' AXES_CLIENT_IP_CALLABLE)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR; behind THIDUA_PROXY_COUNT trusted proxies, the X-Forwarded-For entry the
    outermost of them appended (counted from the right).

    Each proxy appends the address it received the request from, after whatever the client sent:
    the entries to the left of the trusted ones are the client's own words. Taking the left-most
    one (ipware's default) would let anyone pick a fresh address for every login attempt and never
    be locked out."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "THIDUA_PROXY_COUNT", 0)
    if not count:
        return remote
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if len(entries) < count:
        return remote  # not through the expected proxies: the address that connected
    return entries[-count]
