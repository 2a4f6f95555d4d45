from __future__ import annotations

from django.urls import path

from paradewi.catalogue import views

urlpatterns = [
    path("", views.service_list, name="service_list"),
]
