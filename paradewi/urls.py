from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("paradewi administration")
admin.site.site_title = _("paradewi")

urlpatterns = [
    path("", include("paradewi.pages.urls")),
    path("", include("paradewi.accounts.urls")),
    path("services/", include("paradewi.catalogue.urls")),
    path("areas/", include("paradewi.regions.urls")),
    path("requests/", include("paradewi.requests.urls")),
    path("", include("paradewi.requests.public_urls")),
    path("", include("paradewi.documents.urls")),
    path("notifications/", include("paradewi.notifications.urls")),
    path("survey/", include("paradewi.surveys.urls")),
    path("reports/", include("paradewi.reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
