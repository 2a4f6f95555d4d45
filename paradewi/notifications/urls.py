from __future__ import annotations

from django.urls import URLPattern, path

from paradewi.notifications import views

urlpatterns: list[URLPattern] = [
    path("", views.notification_list, name="notification_list"),
    path("counter/", views.counter, name="notification_counter"),
    path("<int:pk>/open/", views.notification_open, name="notification_open"),
    path("read/", views.mark_all_read, name="notification_mark_all_read"),
    path("preferences/", views.preferences, name="notification_preferences"),
    path("announcements/", views.announcement_list, name="announcement_list"),
    path("announcements/new/", views.announcement_new, name="announcement_new"),
    path("announcements/<int:pk>/", views.announcement_detail, name="announcement_detail"),
    path("announcements/<int:pk>/read/", views.announcement_read, name="announcement_read"),
    path("stop/<str:token>/", views.stop, name="notification_stop"),
]
