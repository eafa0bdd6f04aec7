"""URLs of the reporting stage; each part has its own module so they grow independently.
Excel and evidence come first: their fixed words ("excel", "minh-chung") must win over the
`<unit>` and `<action>` placeholders of the data-entry URLs."""

from django.urls import include, path

urlpatterns = [
    path("", include("thidua.reporting.urls_excel")),
    path("", include("thidua.reporting.urls_evidence")),
    path("", include("thidua.reporting.urls_entry")),
]
