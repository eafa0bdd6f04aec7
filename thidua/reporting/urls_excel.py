"""The Excel results sheet: templates to download, upload with preview, confirmation."""

from django.urls import path

from thidua.reporting import views_excel

PREFIX = "cum-khoi/<str:code>/<int:year>/so-lieu/excel/"

urlpatterns = [
    path(PREFIX, views_excel.excel_upload, name="results_excel"),
    path(PREFIX + "mau.xlsx", views_excel.excel_template_group, name="results_excel_template"),
    path(PREFIX + "mau/<str:unit>.xlsx", views_excel.excel_template_unit, name="results_excel_unit_template"),
    path(PREFIX + "xac-nhan/", views_excel.excel_confirm, name="results_excel_confirm"),
]
