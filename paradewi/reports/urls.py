from __future__ import annotations

from django.urls import path

from paradewi.reports import views

urlpatterns = [
    path("", views.speed, name="reports_speed"),
    path("ikm/", views.satisfaction, name="reports_ikm"),
    path("speed.xlsx", views.speed_xlsx, name="reports_speed_xlsx"),
    path("ikm.xlsx", views.ikm_xlsx, name="reports_ikm_xlsx"),
    path("returns/", views.returns, name="reports_returns"),
    path("ranking/", views.ranking, name="reports_ranking"),
    path("workload/", views.clerk_workload, name="reports_workload"),
    path("returns.xlsx", views.returns_xlsx, name="reports_returns_xlsx"),
    path("ranking.xlsx", views.ranking_xlsx, name="reports_ranking_xlsx"),
    path("report.pdf", views.report_pdf, name="reports_pdf"),
]
