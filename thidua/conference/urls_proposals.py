"""URLs of the conference's award proposals and rotation, under cum-khoi/<code>/<year>/hoi-nghi/."""

from django.urls import path

from thidua.conference import views_proposals as views

conference = "cum-khoi/<str:code>/<int:year>/hoi-nghi/"
proposals = conference + "de-nghi-khen-thuong/"
urlpatterns = [
    path(proposals, views.proposals_page, name="conference_proposals"),
    path(proposals + "quy-dinh/", views.proposals_rules, name="conference_proposals_rules"),
    path(proposals + "khong-de-nghi/", views.proposals_veto_add, name="conference_veto_add"),
    path(proposals + "khong-de-nghi/<int:veto>/xoa/", views.proposals_veto_remove, name="conference_veto_remove"),
    path(proposals + "lap-danh-sach/", views.proposals_build, name="conference_proposals_build"),
    path(conference + "luan-phien/", views.rotation_page, name="conference_rotation"),
]
