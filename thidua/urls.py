from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from thidua.api.api import api

admin.site.site_header = "Quản trị hệ thống Thi đua – Khen thưởng"
admin.site.site_title = "Thi đua – Khen thưởng"
admin.site.index_title = "Ban Thi đua – Khen thưởng"

urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("thidua.org.urls_auth")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("api/", api.urls),
    path("", include("thidua.documents.urls_more")),
    path("", include("thidua.awards.urls_dossiers")),
    path("", include("thidua.conference.urls")),
    path("", include("thidua.reporting.urls")),
    path("", include("thidua.scoring.urls")),
    path("", include("thidua.covenants.urls")),
    path("", include("thidua.documents.urls")),
    path("", include("thidua.awards.urls")),
    path("", include("thidua.org.urls")),
]
