from __future__ import annotations

from django.urls import path

from paradewi.catalogue import views

urlpatterns = [
    path("", views.service_list, name="service_list"),
    path("<slug:code>/", views.service_standard, name="service_standard"),
]
