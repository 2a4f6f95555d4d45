"""Public pages for residents: following a request by number and PIN, or by the receipt's QR."""

from __future__ import annotations

from django.urls import path

from paradewi.requests.views import public

urlpatterns = [
    path("track/", public.track, name="track"),
    path("t/<str:token>/", public.track_token, name="track_token"),
]
