"""URLs of the reporting stage; each part has its own module so they grow independently."""

from django.urls import include, path

urlpatterns = [
    path("", include("thidua.reporting.urls_entry")),
    path("", include("thidua.reporting.urls_excel")),
    path("", include("thidua.reporting.urls_evidence")),
]
