from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from paradewi.accounts import views

urlpatterns = [
    path("areas/<str:code>/", views.area_detail, name="area_detail"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password-reset/", views.RateLimitedPasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/", views.account, name="account"),
    path("account/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/enrol/", views.two_factor_enrol, name="two_factor_enrol"),
    path("account/two-factor/codes/", views.two_factor_codes, name="two_factor_codes"),
    path(
        "account/two-factor/codes/renew/",
        views.recovery_codes_renew,
        name="two_factor_codes_renew",
    ),
    path("account/two-factor/off/", views.two_factor_disable, name="two_factor_disable"),
    path("account/sessions/end-others/", views.logout_everywhere, name="logout_everywhere"),
]
