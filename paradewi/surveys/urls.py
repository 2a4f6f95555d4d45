from __future__ import annotations

from django.urls import path

from paradewi.surveys import views

urlpatterns = [
    path("thanks/", views.thanks, name="survey_thanks"),
    path("kiosk/<int:pk>/", views.kiosk, name="survey_kiosk"),
    path("kiosk/<int:pk>/done/", views.kiosk_done, name="survey_kiosk_done"),
    path("<str:token>/", views.answer, name="survey_answer"),
]
