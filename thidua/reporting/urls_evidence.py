from django.urls import path

from thidua.reporting import views_evidence as views

prefix = "cum-khoi/<str:code>/<int:year>/so-lieu/<str:unit>/minh-chung/"
urlpatterns = [
    path(prefix + "xoa/<int:evidence_id>/", views.evidence_delete, name="evidence_delete"),
    path(prefix + "<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path(prefix + "<str:criterion>/tai-len/", views.evidence_upload, name="evidence_upload"),
]
