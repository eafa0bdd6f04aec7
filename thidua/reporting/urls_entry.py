from django.urls import path

from thidua.reporting import views_entry as views

unit = "cum-khoi/<str:code>/<int:year>/so-lieu/<str:unit>/"
urlpatterns = [
    path("cum-khoi/<str:code>/<int:year>/so-lieu/", views.group_data, name="group_data"),
    path(unit, views.data_entry, name="data_entry"),
    path(unit + "o/<str:criterion>/", views.cell_save, name="cell_save"),
    path(unit + "lich-su/<str:criterion>/", views.history, name="result_history"),
    path(unit + "<str:action>/", views.report_action, name="report_action"),
]
