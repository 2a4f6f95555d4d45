from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

from paradewi.core.views import bench_floor, bench_floor_signed_in
from paradewi.env import env_bool

admin.site.site_header = _("paradewi administration")
admin.site.site_title = _("paradewi")

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("paradewi.pages.urls")),
    path("", include("paradewi.accounts.urls")),
    path("services/", include("paradewi.catalogue.urls")),
    path("requests/", include("paradewi.requests.urls")),
    path("", include("paradewi.requests.public_urls")),
    path("", include("paradewi.documents.urls")),
    path("notifications/", include("paradewi.notifications.urls")),
    path("survey/", include("paradewi.surveys.urls")),
    path("complaints/", include("paradewi.complaints.urls")),
    path("reports/", include("paradewi.reports.urls")),
    path("", include("paradewi.reports.public_urls")),
    path("audit/", include("paradewi.audit.urls")),
    path("training/", include("paradewi.training.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# The load test's baseline (bench/load): a bare Django view on the same server, off by default.
if env_bool("BENCH_FLOOR_VIEW", False):
    urlpatterns.append(path("bench/floor/", bench_floor, name="bench_floor"))
    urlpatterns.append(
        path("bench/floor/signed-in/", bench_floor_signed_in, name="bench_floor_signed_in")
    )
