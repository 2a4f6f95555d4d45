from __future__ import annotations

from django.urls import path

from paradewi.regions import views

urlpatterns = [
    path("<str:code>/", views.area_detail, name="area_detail"),
]
