from django.urls import path

from thidua.conference import views_ballots as views

base = "cum-khoi/<str:code>/<int:year>/bo-phieu/"
ballot = base + "<int:pk>/"
urlpatterns = [
    path(base, views.ballot_list, name="ballot_list"),
    path(base + "tao/", views.ballot_create, name="ballot_create"),
    path(ballot, views.ballot_detail, name="ballot_detail"),
    path(ballot + "gui-phieu/", views.ballot_vote, name="ballot_vote"),
    path(ballot + "dai-dien/", views.ballot_delegate, name="ballot_delegate"),
    path(ballot + "bien-nhan/", views.receipt_check, name="ballot_receipt_check"),
    path(ballot + "kiem-phieu/", views.ballot_paper, name="ballot_paper"),
    path(ballot + "ket-qua/", views.ballot_result, name="ballot_result"),
    path(ballot + "<str:action>/", views.ballot_action, name="ballot_action"),
]
