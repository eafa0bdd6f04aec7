"""Login middleware: the second factor before any page, and the idle timeout of sessions (issue #8)."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from thidua.org import two_factor

# The only views a logged-in user who still owes the second factor may reach.
OPEN_BEFORE_SECOND_FACTOR = frozenset({
    "two_factor_verify", "two_factor_enrol", "logout", "set_language", "admin:logout",
})


class TwoFactorRequiredMiddleware:
    """Fails closed: for a user who must pass the second factor (Board officers, council members,
    anyone who enrolled a device) every view except the 2FA pages and logout is refused until the
    session is verified: pages are redirected to the code (or enrolment) page, anything else gets
    403. Must come after django-otp's OTPMiddleware, which tells whether the session is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or two_factor.is_verified(request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if not two_factor.needs_verification(user):
            return None
        step = "two_factor_verify" if two_factor.has_two_factor(user) else "two_factor_enrol"
        url = f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}"
        if request.method in ("GET", "HEAD") and not request.headers.get("HX-Request"):
            return redirect(url)
        response = render(request, "registration/two_factor_required.html", {"step_url": url}, status=403)
        response["HX-Redirect"] = url
        return response


class SessionIdleMiddleware:
    """A logged-in session ends after SESSION_COOKIE_AGE seconds without a request.

    Renewing the session's expiry means saving it; saving on every request
    (SESSION_SAVE_EVERY_REQUEST) would add a database write to every page, so the session is
    marked changed at most once per THIDUA_SESSION_RENEW_SECONDS: the idle limit is then exact to
    within that many seconds."""

    KEY = "thidua_last_renewed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= settings.THIDUA_SESSION_RENEW_SECONDS:
                session[self.KEY] = now  # modified → saved with a fresh expiry at the response
        return self.get_response(request)
