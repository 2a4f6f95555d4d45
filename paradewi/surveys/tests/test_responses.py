"""Answering the survey: once per handed-over request, anonymously, within the open days."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from paradewi.requests.tests.test_action_views import in_state
from paradewi.surveys.links import make_survey_token, request_for_survey_token, survey_path
from paradewi.surveys.models import Channel, SurveyResponse, SurveyTicket
from paradewi.surveys.services import (
    SURVEY_OPEN_DAYS,
    AlreadyAnsweredError,
    SurveyClosedError,
    SurveyState,
    survey_state,
)
from paradewi.surveys.tests.factories import answer, handed_over


@pytest.fixture
def p(personas):
    return personas


def test_it_records_one_anonymous_response_per_handed_over_request(p):
    request = handed_over(p)
    assert survey_state(request) is SurveyState.OPEN
    response = answer(request, 4, channel=Channel.KIOSK)
    assert response.month == timezone.localdate().replace(day=1)
    assert (response.village, response.district, response.service) == (
        request.village,
        request.district,
        request.service,
    )
    assert survey_state(request) is SurveyState.ANSWERED
    with pytest.raises(AlreadyAnsweredError, match="already been answered"):
        answer(request, 1)
    assert SurveyResponse.objects.count() == 1
    assert SurveyTicket.objects.count() == 1


def test_a_response_holds_nothing_that_leads_back_to_the_request_or_the_resident(p):
    request = handed_over(p)
    answer(request, 3)
    columns = {
        column.name
        for column in connection.introspection.get_table_description(
            connection.cursor(), SurveyResponse._meta.db_table
        )
    }
    assert columns == {
        "id",
        "month",
        "service_id",
        "village_id",
        "district_id",
        "channel",
        *(f"u{n}" for n in range(1, 10)),
        "sex",
        "age_band",
        "education",
        "occupation",
        "comment",
    }
    ticket = SurveyTicket.objects.get().ticket
    row = SurveyResponse.objects.values().get()
    for value in (request.pk, request.number, request.subject_nik, request.subject_name, ticket):
        assert str(value) not in {str(v) for v in row.values()}
    # The ticket is a keyed hash: not the number, not a plain hash of the id or number.
    assert request.number not in ticket
    assert len(ticket) == 64


def test_a_rotated_secret_key_opens_no_second_response(p, settings):
    request = handed_over(p)
    answer(request, 3)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-" + "x" * 20
    assert survey_state(request) is SurveyState.ANSWERED
    with pytest.raises(AlreadyAnsweredError):
        answer(request, 3)


@pytest.mark.parametrize(
    "state", ["submitted", "returned", "verified", "in_process", "done", "ready"]
)
def test_a_request_not_handed_over_cannot_be_rated(p, state):
    request = in_state(p, state)
    assert survey_state(request) is SurveyState.NOT_YET
    assert survey_path(request) is None
    with pytest.raises(SurveyClosedError, match="handed over"):
        answer(request, 4)


def test_the_survey_closes_some_days_after_the_hand_over(p):
    request = handed_over(p)
    with time_machine.travel(timezone.now() + timedelta(days=SURVEY_OPEN_DAYS, minutes=1)):
        assert survey_state(request) is SurveyState.CLOSED
        assert survey_path(request) is None
        with pytest.raises(SurveyClosedError, match="closed"):
            answer(request, 4)
    with time_machine.travel(timezone.now() + timedelta(days=SURVEY_OPEN_DAYS - 1)):
        assert survey_state(request) is SurveyState.OPEN


def test_the_survey_path_opens_only_its_own_request(p):
    request = handed_over(p)
    path = survey_path(request)
    assert path == f"/survey/{make_survey_token(request)}/"
    assert request_for_survey_token(make_survey_token(request)) == request
    token = make_survey_token(request)
    assert request_for_survey_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert request_for_survey_token(request.number + ":") is None
    assert request_for_survey_token("nonsense") is None
    # The tracking token of the receipt does not open the survey, nor the other way round.
    from paradewi.requests.tracking import make_token, request_for_token

    assert request_for_survey_token(make_token(request)) is None
    assert request_for_token(token) is None
    answer(request, 2)
    assert survey_path(request) is None


def test_a_comment_is_kept_without_long_numbers(p):
    request = handed_over(p)
    response = answer(
        request,
        4,
        comment="  Petugas ramah.\r\nHubungi 0812-3456-7890 atau NIK 3516011205900011;\x07 "
        "antre 2 jam, tgl 12-03-2026.  ",
    )
    assert response.comment == (
        "Petugas ramah.\nHubungi *** atau NIK ***; antre 2 jam, tgl 12-03-2026."
    )
    assert request.number not in SurveyResponse.objects.get().comment


def test_a_comment_is_optional_and_has_a_limit(p):
    assert answer(handed_over(p), 3).comment == ""
    with pytest.raises(ValidationError):
        answer(handed_over(p, subject_nik="3516011205900011"), 3, comment="x" * 1001)
    assert SurveyResponse.objects.count() == 1
