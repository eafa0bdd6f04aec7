"""Downloads of the minutes, the submission (tờ trình) and the score table.

Paths end in a file name without a trailing slash, so they never meet the ballot pages'
catch-all `bo-phieu/<pk>/<action>/`.
"""

from django.urls import path

from thidua.documents import views_more as views

group_year = "cum-khoi/<str:code>/<int:year>/"
ballot = group_year + "bo-phieu/<int:pk>/"
urlpatterns = [
    path(ballot + "bien-ban-kiem-phieu.docx", views.ballot_minutes_docx, name="ballot_minutes_docx"),
    path(ballot + "bien-ban-kiem-phieu.pdf", views.ballot_minutes_pdf, name="ballot_minutes_pdf"),
    path(group_year + "hoi-nghi/to-trinh-khen-thuong.docx", views.proposal_letter_docx, name="proposal_letter_docx"),
    path(group_year + "hoi-nghi/to-trinh-khen-thuong.pdf", views.proposal_letter_pdf, name="proposal_letter_pdf"),
    path(group_year + "xep-hang/bang-diem.xlsx", views.score_table_xlsx, name="score_table_xlsx"),
]
