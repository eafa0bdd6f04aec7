from django.urls import path

from thidua.scoring import views

urlpatterns = [
    path("cum-khoi/<str:code>/<int:year>/xep-hang/", views.ranking, name="ranking"),
    path("cum-khoi/<str:code>/<int:year>/diem/<str:unit>/", views.score_sheet, name="score_sheet"),
]
