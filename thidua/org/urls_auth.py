"""Account URLs: the second factor, the account page, password change (login and logout are in thidua.urls)."""

from django.urls import path

from thidua.org import views_auth

urlpatterns = [
    path("xac-thuc-hai-buoc/", views_auth.two_factor_verify, name="two_factor_verify"),
    path("xac-thuc-hai-buoc/dang-ky/", views_auth.two_factor_enrol, name="two_factor_enrol"),
    path("xac-thuc-hai-buoc/ma-khoi-phuc/", views_auth.two_factor_recovery_codes, name="two_factor_recovery_codes"),
    path("xac-thuc-hai-buoc/tat/", views_auth.two_factor_disable, name="two_factor_disable"),
    path("tai-khoan/", views_auth.account_security, name="account_security"),
    path("tai-khoan/doi-mat-khau/", views_auth.PasswordChangeView.as_view(), name="password_change"),
    path("tai-khoan/doi-mat-khau/xong/", views_auth.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
