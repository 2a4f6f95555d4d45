from __future__ import annotations

from django.urls import path

from paradewi.reports import views

urlpatterns = [
    path("", views.speed, name="reports_speed"),
    path("ikm/", views.satisfaction, name="reports_ikm"),
    path("speed.xlsx", views.speed_xlsx, name="reports_speed_xlsx"),
    path("ikm.xlsx", views.ikm_xlsx, name="reports_ikm_xlsx"),
    path("report.pdf", views.report_pdf, name="reports_pdf"),
]
