from django.urls import path

from thidua.org import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cum-khoi/", views.group_year_list, name="group_year_list"),
    path("cum-khoi/<str:code>/<int:year>/", views.group_year_detail, name="group_year_detail"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit_detail"),
]
