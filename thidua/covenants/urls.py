from django.urls import path

from thidua.covenants import views

prefix = "cum-khoi/<str:code>/<int:year>/giao-uoc/"
urlpatterns = [
    path(prefix, views.covenant_detail, name="covenant_detail"),
    path(prefix + "tao/", views.covenant_create, name="covenant_create"),
    path(prefix + "ky-ket/", views.covenant_sign, name="covenant_sign"),
    path(prefix + "sao-chep/", views.covenant_copy_forward, name="covenant_copy_forward"),
    path(prefix + "tieu-chi/moi/", views.criterion_edit, name="criterion_add"),
    path(prefix + "tieu-chi/<str:criterion>/", views.criterion_edit, name="criterion_edit"),
    path(prefix + "noi-dung/moi/", views.content_edit, name="content_add"),
    path(prefix + "noi-dung/<str:content>/", views.content_edit, name="content_edit"),
    path(prefix + "vi-du/", views.method_example, name="method_example"),
]
