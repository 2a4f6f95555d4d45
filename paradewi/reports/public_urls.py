"""The published results, for everyone (no login), at the site's root."""

from __future__ import annotations

from django.urls import path

from paradewi.reports import views

urlpatterns = [
    path("figures/", views.public_figures, name="public_figures"),
]
