from __future__ import annotations

from django.urls import path

from paradewi.audit import views

urlpatterns = [
    path("", views.user_list, name="audit_user_list"),
    path("users/<int:user_pk>/", views.user_log, name="audit_user_log"),
    path("requests/<int:pk>/", views.request_log, name="audit_request_log"),
]
