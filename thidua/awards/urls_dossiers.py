"""URLs of the award dossiers, under ho-so-khen-thuong/, and the bulk proposal from a conference."""

from django.urls import path

from thidua.awards import views_dossiers as views

one = "ho-so-khen-thuong/<int:pk>/"
urlpatterns = [
    path("ho-so-khen-thuong/", views.dossier_inbox, name="dossier_inbox"),
    path("ho-so-khen-thuong/moi/", views.dossier_new, name="dossier_new"),
    path(one, views.dossier_detail, name="dossier_detail"),
    path(one + "tai-lieu/", views.dossier_attach, name="dossier_attach"),
    path(one + "tai-lieu/<int:document>/", views.dossier_document, name="dossier_document"),
    path(one + "chuyen-buoc/", views.dossier_advance, name="dossier_advance"),
    path(one + "tra-lai/", views.dossier_return, name="dossier_return"),
    path(one + "lay-y-kien/", views.dossier_consultation, name="dossier_consultation"),
    path(one + "ngoai-tieu-chuan/", views.dossier_override, name="dossier_override"),
    path(one + "quyet-dinh/", views.dossier_decide, name="dossier_decide"),
    path(one + "khong-khen-thuong/", views.dossier_reject, name="dossier_reject"),
    path(one + "tieu-chuan/", views.dossier_facts, name="dossier_facts"),
    path(one + "rut/", views.dossier_withdraw, name="dossier_withdraw"),
    path(one + "huy-bo/<int:grant>/", views.award_revoke, name="award_revoke"),
    path("cum-khoi/<str:code>/<int:year>/hoi-nghi/ho-so-khen-thuong/", views.dossier_from_conference,
         name="dossier_from_conference"),
]
