from __future__ import annotations

from django.urls import path

from paradewi.complaints import views

urlpatterns = [
    path("", views.index, name="complaints"),
    path("about/<str:token>/", views.about_request, name="complaint_about_request"),
    path("c/<str:token>/", views.follow, name="complaint_follow"),
    path("queue/", views.queue_view, name="complaint_queue"),
    path("new/", views.new, name="complaint_new"),
    path("<int:pk>/", views.detail, name="complaint_detail"),
    path("<int:pk>/assign/", views.assign, name="complaint_assign"),
    path("<int:pk>/answer/", views.answer, name="complaint_answer"),
    path("<int:pk>/close/", views.close, name="complaint_close"),
    path("<int:pk>/lapor/", views.lapor_record, name="complaint_lapor"),
    path("<int:pk>/lapor.txt", views.lapor_export, name="complaint_lapor_export"),
]
