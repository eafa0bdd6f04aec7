from django.urls import path

from thidua.scoring import views, views_stages

stages = "cum-khoi/<str:code>/<int:year>/cham-diem/"
urlpatterns = [
    path("cum-khoi/<str:code>/<int:year>/xep-hang/", views.ranking, name="ranking"),
    path("cum-khoi/<str:code>/<int:year>/diem/<str:unit>/", views.score_sheet, name="score_sheet"),
    # manual criteria: self, cross, reconciled, appraised scores (issue #4)
    path(stages, views_stages.stages_index, name="stages_index"),
    path(stages + "phan-cong-cham-cheo/", views_stages.stages_pairs, name="stages_pairs"),
    path(stages + "thong-nhat/", views_stages.stages_reconcile, name="stages_reconcile"),
    path(stages + "tham-dinh/", views_stages.stages_appraise, name="stages_appraise"),
    path(stages + "don-vi/<str:unit>/", views_stages.stages_unit, name="stages_unit"),
]
