from __future__ import annotations

from django.urls import path

from paradewi.pages import views

urlpatterns = [
    path("", views.index, name="index"),
    path("home/", views.home, name="home"),
    path(
        "home/villages-without-officer/",
        views.villages_without_officer,
        name="villages_without_officer",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("favicon.ico", views.favicon, name="favicon"),
]
