"""The project's URLs plus the document downloads (thidua.documents.urls_more), until the
project's urls.py includes them."""

from django.urls import include, path

from thidua.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("", include("thidua.documents.urls_more"))]
