"""The application's URLs plus the load test's floor view (bench/loadtest_settings.py)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from thidua.urls import urlpatterns as thidua_urlpatterns


def floor(request: HttpRequest) -> HttpResponse:
    """The minimal Django view: no session, no user, no database, no template."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@login_required
def floor_logged_in(request: HttpRequest) -> HttpResponse:
    """The same view behind the login: what the session, the user and the middleware's checks
    (two-factor, idle timeout) cost before any page does its own work."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("__loadtest/floor/", floor, name="loadtest_floor"),
    path("__loadtest/floor-login/", floor_logged_in, name="loadtest_floor_login"),
    *thidua_urlpatterns,
]
