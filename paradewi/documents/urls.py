"""Pre-filled official forms (for logged-in officers) and the public verification pages."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
