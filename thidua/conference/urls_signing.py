from django.urls import path

from thidua.conference import views_signing

prefix = "cum-khoi/<str:code>/<int:year>/giao-uoc/"
urlpatterns = [
    path(prefix + "ky/", views_signing.covenant_signing, name="covenant_signing"),
    path(prefix + "giao-uoc.pdf", views_signing.covenant_pdf, name="covenant_pdf"),
    path(prefix + "giao-uoc.docx", views_signing.covenant_docx, name="covenant_docx"),
]
