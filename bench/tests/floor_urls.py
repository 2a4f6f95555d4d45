"""The project's URLs with the framework floor view, for the load test's own test."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from paradewi.core.views import bench_floor, bench_floor_signed_in
from paradewi.urls import urlpatterns as project_urlpatterns

urlpatterns: list[URLPattern | URLResolver] = [
    *project_urlpatterns,
    path("bench/floor/", bench_floor, name="bench_floor"),
    path("bench/floor/signed-in/", bench_floor_signed_in, name="bench_floor_signed_in"),
]
