"""The application's URLs plus the load test's floor view (bench/loadtest_settings.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from thidua.urls import urlpatterns as thidua_urlpatterns


def floor(request: HttpRequest) -> HttpResponse:
    """The minimal Django view: no session, no user, no database, no template."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path("__loadtest/floor/", floor, name="loadtest_floor"), *thidua_urlpatterns]
