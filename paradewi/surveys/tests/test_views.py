"""The survey pages: the resident's link, the kiosk on the officer's device, and the entries on
the request detail and the public status page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from paradewi.requests.tests.test_action_views import in_state
from paradewi.requests.tracking import make_token
from paradewi.surveys.links import survey_path
from paradewi.surveys.models import Channel, SurveyResponse
from paradewi.surveys.tests.factories import answer, form_data, handed_over


@pytest.fixture
def p(personas):
    return personas


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def kiosk_url(request):
    return reverse("survey_kiosk", args=[request.pk])


def test_the_resident_answers_through_the_link_and_lands_on_a_thank_you_page(p, en):
    request = handed_over(p)
    page = en.get(survey_path(request))
    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in page["Cache-Control"]
    html = page.content.decode()
    assert "What do you think of how well the requirements fit the type of service?" in html
    assert "Very appropriate" in html
    assert request.subject_name not in html
    assert request.subject_nik not in html
    done = en.post(survey_path(request), form_data(3))
    assert done.status_code == 302
    assert done["Location"] == reverse("survey_thanks")
    response = SurveyResponse.objects.get()
    assert response.channel == Channel.LINK
    assert (response.u1, response.u9) == (3, 3)
    thanks = en.get(done["Location"])
    assert "Thank you" in thanks.content.decode()


def test_a_second_attempt_is_refused_clearly(p, en):
    request = handed_over(p)
    path = survey_path(request)
    en.post(path, form_data(4))
    again = en.post(path, form_data(1))
    assert again.status_code == 409
    assert "already been answered" in again.content.decode()
    assert en.get(path).status_code == 200
    assert "already been answered" in en.get(path).content.decode()
    assert SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().u1 == 4


def test_a_missing_answer_is_asked_for_again_and_nothing_is_stored(p, en):
    request = handed_over(p)
    data = form_data(3)
    del data["u5"]
    page = en.post(survey_path(request), data)
    assert page.status_code == 200
    assert "Please answer every question" in page.content.decode()
    assert 'id="q-u5"' in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_an_answer_out_of_the_scale_is_refused(p, en):
    request = handed_over(p)
    page = en.post(survey_path(request), {**form_data(3), "u1": 5})
    assert page.status_code == 200
    assert not SurveyResponse.objects.exists()


def test_a_bad_or_foreign_token_is_a_404(p, en):
    request = handed_over(p)
    assert en.get(reverse("survey_answer", args=["3516012001-2611-0001:abc"])).status_code == 404
    assert en.get(reverse("survey_answer", args=[make_token(request)])).status_code == 404


def test_the_kiosk_hides_the_navigation_and_ends_on_a_hand_back_page(p, en):
    request = handed_over(p)
    en.force_login(p.desa_a)
    page = en.get(kiosk_url(request))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Main menu" not in html
    assert f'href="{reverse("request_list")}"' not in html
    assert f'href="{reverse("home")}"' not in html
    assert "Log out" not in html
    assert request.subject_name not in html
    done = en.post(kiosk_url(request), form_data(4))
    assert done["Location"] == reverse("survey_kiosk_done", args=[request.pk])
    assert SurveyResponse.objects.get().channel == Channel.KIOSK
    thanks = en.get(done["Location"]).content.decode()
    assert "hand the device back to the officer" in thanks
    assert "Main menu" not in thanks
    assert request.subject_name not in thanks
    assert request.subject_nik not in thanks
    assert f'href="{reverse("request_list")}"' not in thanks
    # The officer's one way back.
    assert reverse("request_detail", args=[request.pk]) in thanks
    # Back on the form: refused, with nothing of the officer's pages.
    again = en.post(kiosk_url(request), form_data(1))
    assert again.status_code == 409
    assert "already been answered" in again.content.decode()
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize("persona", ["desa_b", "desa_c", "kecamatan_c", "viewer", "admin"])
def test_nobody_outside_the_area_or_handling_nothing_opens_the_kiosk(p, en, persona):
    request = handed_over(p)
    en.force_login(getattr(p, persona))
    assert en.get(kiosk_url(request)).status_code == 404
    assert en.post(kiosk_url(request), form_data(4)).status_code == 404
    assert en.get(reverse("survey_kiosk_done", args=[request.pk])).status_code == 404
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("persona", ["desa_a", "kecamatan_a", "clerk", "head"])
def test_whoever_handles_the_request_may_open_the_kiosk(p, en, persona):
    request = handed_over(p)
    en.force_login(getattr(p, persona))
    assert en.get(kiosk_url(request)).status_code == 200


def test_the_kiosk_is_for_logged_in_officers(p, client):
    request = handed_over(p)
    response = client.get(kiosk_url(request))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_detail_page_offers_the_kiosk_after_the_hand_over_only(p, en):
    en.force_login(p.desa_a)
    done = in_state(p, "done")
    assert (
        "Open the survey on this device"
        not in en.get(reverse("request_detail", args=[done.pk])).content.decode()
    )
    request = handed_over(p, subject_nik="3516011205900009")
    detail = reverse("request_detail", args=[request.pk])
    html = en.get(detail).content.decode()
    assert "Open the survey on this device" in html
    assert kiosk_url(request) in html
    answer(request, 4)
    html = en.get(detail).content.decode()
    assert "Open the survey on this device" not in html
    assert "The resident has answered the survey" in html


def test_the_public_status_page_invites_the_resident_while_the_survey_is_open(p, en):
    request = handed_over(p)
    status = reverse("track_token", args=[make_token(request)])
    html = en.get(status).content.decode()
    assert "Answer the satisfaction survey" in html
    assert survey_path(request) in html
    answer(request, 4)
    html = en.get(status).content.decode()
    assert "Answer the satisfaction survey" not in html
    assert "Thank you for answering" in html


def test_the_public_status_page_of_an_open_request_has_no_survey(p, en):
    request = in_state(p, "submitted")
    html = en.get(reverse("track_token", args=[make_token(request)])).content.decode()
    assert "satisfaction survey" not in html


def test_the_resident_may_leave_a_comment_and_markup_stays_text(p, en):
    request = handed_over(p)
    page = en.get(survey_path(request)).content.decode()
    assert 'name="comment"' in page
    assert "Comments or suggestions (optional)" in page
    comment = '<script>alert("x")</script> Pelayanan cepat, terima kasih.'
    assert en.post(survey_path(request), form_data(4, comment=comment)).status_code == 302
    assert SurveyResponse.objects.get().comment == comment


def test_a_comment_over_the_limit_is_refused_and_the_answers_are_kept(p, en):
    request = handed_over(p)
    en.force_login(p.desa_a)
    page = en.post(kiosk_url(request), form_data(2, comment="<b>" + "a" * 1000))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Please shorten the comment." in html
    assert "Please answer every question" not in html
    assert "&lt;b&gt;aaa" in html  # kept for shortening, as text
    assert "<b>aaa" not in html
    assert 'value="2" id="id_u1_1" checked' in html  # the answers are kept
    assert not SurveyResponse.objects.exists()
    done = en.post(kiosk_url(request), form_data(2, comment="Sudah bagus."))
    assert done.status_code == 302
    assert SurveyResponse.objects.get().comment == "Sudah bagus."


def test_an_indonesian_reader_gets_the_official_wording(p, client):
    request = handed_over(p)
    html = client.get(survey_path(request)).content.decode()
    assert (
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?" in html
    )
    assert "Sangat sesuai" in html
    assert "Dikelola dengan baik" in html
