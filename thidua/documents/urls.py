"""URLs of the year-end report, under cum-khoi/<code>/<year>/bao-cao-tong-ket…"""

from django.urls import path

from thidua.documents import views

prefix = "cum-khoi/<str:code>/<int:year>/bao-cao-tong-ket"
urlpatterns = [
    path(prefix + ".docx", views.report_download, {"fmt": "docx"}, name="report_docx"),
    path(prefix + ".pdf", views.report_download, {"fmt": "pdf"}, name="report_pdf"),
    path(prefix + "/", views.report_edit, name="report_edit"),
]
