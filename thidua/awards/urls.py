"""Award history pages (issue #7): list, person, collective, statistics, Excel import."""

from django.urls import path

from thidua.awards import views

urlpatterns = [
    path("khen-thuong/", views.history_list, name="awards_list"),
    path("khen-thuong/ca-nhan/<str:external_id>/", views.person_detail, name="awards_person"),
    path("khen-thuong/tap-the/<str:external_id>/", views.collective_detail, name="awards_collective"),
]
urlpatterns += [
    path("khen-thuong/thong-ke/", views.statistics_page, name="awards_statistics"),
    path("khen-thuong/nhap-excel/", views.excel_upload, name="awards_excel"),
    path("khen-thuong/nhap-excel/mau.xlsx", views.excel_template, name="awards_excel_template"),
    path("khen-thuong/nhap-excel/xac-nhan/", views.excel_confirm, name="awards_excel_confirm"),
]
