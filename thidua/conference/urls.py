"""URLs of the conference; each part has its own module so they grow independently."""

from django.urls import include, path

urlpatterns = [
    path("", include("thidua.conference.urls_ballots")),
    path("", include("thidua.conference.urls_proposals")),
    path("", include("thidua.conference.urls_signing")),
]
