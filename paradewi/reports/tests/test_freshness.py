"""Dashboards ask for a refresh of the pre-aggregate when it is stale, at most once a while."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import time_machine
from django.utils import timezone

from paradewi.reports.models import MonthlyActivity
from paradewi.reports.services import REFRESH_AFTER, request_refresh
from paradewi.surveys.tests.factories import handed_over


def test_a_dashboard_refreshes_stale_figures_once_per_interval(personas):
    handed_over(personas)
    assert request_refresh() is not None  # never refreshed: done now (immediate tasks)
    assert MonthlyActivity.objects.get().handed_over == 1
    with mock.patch("paradewi.reports.tasks.refresh_activity_task") as task:
        request_refresh()
        task.enqueue.assert_not_called()  # fresh
        with time_machine.travel(timezone.now() + REFRESH_AFTER + timedelta(seconds=1)):
            request_refresh()
            request_refresh()  # a second dashboard a moment later: already asked for
    task.enqueue.assert_called_once_with()


def test_a_survey_response_makes_the_next_dashboard_refresh_sooner(
    personas, django_capture_on_commit_callbacks
):
    from paradewi.reports.models import MonthlySatisfaction
    from paradewi.reports.services import refresh_activity
    from paradewi.surveys.tests.factories import answer

    request = handed_over(personas)
    refresh_activity()
    with mock.patch("paradewi.reports.tasks.refresh_activity_task") as task:
        request_refresh()
        task.enqueue.assert_not_called()  # fresh, nothing new
    with django_capture_on_commit_callbacks(execute=True):
        answer(request, 4)  # marks the figures stale once committed
    assert not MonthlySatisfaction.objects.exists()
    request_refresh()  # refreshes now (immediate tasks), though the last refresh is recent
    assert MonthlySatisfaction.objects.get().responses == 1
    with mock.patch("paradewi.reports.tasks.refresh_activity_task") as task:
        request_refresh()
        task.enqueue.assert_not_called()
