from __future__ import annotations

from django.urls import path

from paradewi.training import views

urlpatterns = [
    path("", views.training_home, name="training_home"),
    path("switch/", views.training_switch, name="training_switch"),
    path("start/", views.practice_start, name="practice_start"),
    path("progress/", views.training_progress, name="training_progress"),
    path("purge/", views.practice_purge, name="practice_purge"),
    path("help/<slug:role>/", views.how_it_works, name="how_it_works"),
    path("services/<slug:code>/", views.service_help, name="service_help"),
]
