from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from paradewi.catalogue.services import catalogue_load
from paradewi.reports.models import MonthlyActivity
from paradewi.requests.models import ServiceRequest, Status, Transition
from paradewi.surveys.models import SurveyResponse, SurveyTicket


@pytest.mark.slow
def test_the_demo_has_a_rated_history_for_the_dashboards_and_is_not_duplicated(regions, settings):
    settings.DEMO_MODE = True
    catalogue_load()
    call_command("load_demo", stdout=StringIO())
    responses = SurveyResponse.objects.count()
    assert responses >= 20
    assert SurveyTicket.objects.count() == responses
    assert ServiceRequest.objects.filter(status=Status.HANDED_OVER).count() >= 40
    assert SurveyResponse.objects.exclude(comment="").exists()
    months = set(SurveyResponse.objects.values_list("month", flat=True))
    assert len(months) >= 3
    assert max(months) <= timezone.localdate().replace(day=1)
    assert not Transition.objects.filter(created_at__gt=timezone.now()).exists()
    assert MonthlyActivity.objects.exists()
    # Some were returned once and fixed, and most were finished on time.
    assert Transition.objects.filter(action="return", request__status=Status.HANDED_OVER).exists()
    activity = MonthlyActivity.objects.all()
    completed = sum(row.completed for row in activity)
    on_time = sum(row.completed_on_time for row in activity)
    assert on_time > completed / 2

    total = ServiceRequest.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert ServiceRequest.objects.count() == total
    assert SurveyResponse.objects.count() == responses
