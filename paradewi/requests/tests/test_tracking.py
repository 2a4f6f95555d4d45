"""Residents following their request by number and PIN or by the receipt's QR code."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paradewi.core import ratelimit
from paradewi.documents import services as documents_services
from paradewi.requests import services, tracking
from paradewi.requests.models import ServiceRequest
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import (
    KK_NUMBER,
    NIK_MAN,
    make_draft,
    make_submitted,
    pdf_file,
)
from paradewi.requests.tracking import make_token, normalise_number

WRONG = "Number or PIN is wrong"
LOCKED = "Too many wrong attempts"


@pytest.fixture
def p(personas):
    return personas


@pytest.fixture
def resident():
    """A visitor reading the pages in English (the assertions below are on English text)."""
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def track(client, number, pin, ip="192.0.2.10"):
    return client.post(reverse("track"), {"number": number, "pin": pin}, REMOTE_ADDR=ip)


def other_pin(pin):
    return f"{(int(pin) + 1) % 10**6:06d}"


# --- numbers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "3516012001-2611-0007",
        "3516012001 2611 0007",
        " 3516 01 2001 - 2611 - 0007 ",
        "351601200126110007",
        "3516.01.2001/2611/0007",
    ],
)
def test_numbers_are_read_whatever_the_spaces_and_dashes(typed):
    assert normalise_number(typed) == "3516012001-2611-0007"


@pytest.mark.parametrize("typed", ["", "3516012001-2611", "abc", "3516012001-2611-0007-0001-99"])
def test_things_that_cannot_be_a_number_are_none(typed):
    assert normalise_number(typed) is None


# --- the form -----------------------------------------------------------------------------------


def test_the_form_asks_for_number_and_pin_and_is_never_cached(resident, regions):
    response = resident.get(reverse("track"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="number"' in page
    assert 'name="pin"' in page
    assert "csrfmiddlewaretoken" in page
    assert "no-store" in response["Cache-Control"]


def test_a_one_word_name_is_masked_on_the_status_page(resident, p):
    """UU 27/2022 (minimisation): a one-word name ("SUTRISNO") is the whole name; the page shows
    the initial-plus-stars of the verification page (core/masking.py)."""
    request = make_submitted(p.desa_a, subject_name="Sutrisno", reporter_name="Sutrisno")
    page = track(resident, request.number, request.pin).content.decode()
    assert "S*******" in page
    assert "SUTRISNO" not in page.upper()


def test_the_form_needs_its_csrf_token(p):
    request = make_submitted(p.desa_a)
    client = Client(enforce_csrf_checks=True)
    assert track(client, request.number, request.pin).status_code == 403


def test_the_right_pin_shows_the_status_and_its_steps(resident, p):
    request = make_submitted(p.desa_a)
    response = track(resident, request.number, request.pin)
    assert response.status_code == 200
    assert response.context["status"].number == request.number
    page = response.content.decode()
    assert "3516 01 2001" in page
    assert "Kartu Keluarga (KK) perubahan data" in page
    assert "S***** R*****" in page
    assert "SLAMET" not in page
    assert "Desa Tawangrejo" in page
    assert "Submitted by the village office" in page
    assert "The kecamatan is checking" in page
    assert "Expected by" in page
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_number_may_be_typed_with_spaces_and_without_dashes(resident, p):
    request = make_submitted(p.desa_a)
    typed = request.number.replace("-", " ")
    response = track(resident, f" {typed} ", f" {request.pin[:3]} {request.pin[3:]} ")
    assert response.context["status"].number == request.number


def test_a_wrong_pin_says_number_or_pin_is_wrong(resident, p):
    request = make_submitted(p.desa_a)
    response = track(resident, request.number, other_pin(request.pin))
    assert response.status_code == 200
    page = response.content.decode()
    assert WRONG in page
    assert "SLAMET" not in page
    assert "status" not in response.context


def test_an_unknown_number_gets_the_same_answer_as_a_wrong_pin(resident, p):
    request = make_submitted(p.desa_a)
    wrong_pin = track(resident, request.number, other_pin(request.pin))
    unknown = track(resident, "3516012001-2611-9999", request.pin)
    assert unknown.status_code == wrong_pin.status_code
    assert WRONG in unknown.content.decode()
    errors = [
        form.non_field_errors() for form in (wrong_pin.context["form"], unknown.context["form"])
    ]
    assert errors[0] == errors[1]


def test_a_draft_is_not_found(resident, p):
    draft = make_draft(p.desa_a)
    # However it got a number (it never should), a draft stays invisible.
    ServiceRequest.objects.filter(pk=draft.pk).update(number="3516012001-2611-0099", pin="123456")
    response = track(resident, "3516012001-2611-0099", "123456")
    assert WRONG in response.content.decode()


def test_an_empty_form_asks_for_both_fields(resident, regions):
    response = track(resident, "", "")
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"number", "pin"}


# --- the receipt's QR code ----------------------------------------------------------------------


def test_the_token_link_shows_the_status_without_the_pin(resident, p):
    request = make_submitted(p.desa_a)
    response = resident.get(reverse("track_token", args=[make_token(request)]))
    assert response.status_code == 200
    assert response.context["status"].number == request.number
    assert "no-store" in response["Cache-Control"]


def test_a_tampered_token_is_not_found(resident, p):
    request = make_submitted(p.desa_a)
    other = make_submitted(p.desa_a)
    token = make_token(request)
    number, signature = token.rsplit(":", 1)
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for bad in (
        f"{number}:{flipped}",
        f"{other.number}:{signature}",
        number,
        "garbage",
        f"{number}:",
        ":" + signature,
    ):
        assert resident.get(reverse("track_token", args=[bad])).status_code == 404, bad


def test_a_token_stops_working_when_the_pin_changes(resident, p):
    request = make_submitted(p.desa_a)
    token = make_token(request)
    ServiceRequest.objects.filter(pk=request.pk).update(pin=other_pin(request.pin))
    assert resident.get(reverse("track_token", args=[token])).status_code == 404


def test_a_draft_has_no_token(p):
    with pytest.raises(ValueError, match="submitted"):
        make_token(make_draft(p.desa_a))


# --- wrong PINs are rate-limited ----------------------------------------------------------------


def test_five_wrong_pins_lock_the_number_even_for_the_right_pin(resident, p):
    request = make_submitted(p.desa_a)
    for _attempt in range(tracking.NUMBER_LIMIT):
        assert WRONG in track(resident, request.number, other_pin(request.pin)).content.decode()
    refused = track(resident, request.number, request.pin)
    assert refused.status_code == 429
    assert LOCKED in refused.content.decode()
    assert "status" not in refused.context
    # Another number is not locked, and the QR code still works.
    other = make_submitted(p.desa_a)
    assert track(resident, other.number, other.pin).status_code == 200
    token_url = reverse("track_token", args=[make_token(request)])
    assert resident.get(token_url).status_code == 200


def test_the_lock_covers_every_way_of_typing_the_number(resident, p):
    request = make_submitted(p.desa_a)
    for _attempt in range(tracking.NUMBER_LIMIT):
        track(resident, request.number, "000000" if request.pin != "000000" else "111111")
    refused = track(resident, request.number.replace("-", ""), request.pin, ip="192.0.2.99")
    assert refused.status_code == 429


def test_unknown_numbers_lock_just_like_known_ones(resident, regions):
    for _attempt in range(tracking.NUMBER_LIMIT):
        track(resident, "3516012001-2611-9999", "123456")
    assert track(resident, "3516012001-2611-9999", "123456").status_code == 429


def test_the_lock_ends_after_fifteen_minutes(resident, p):
    request = make_submitted(p.desa_a)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _attempt in range(tracking.NUMBER_LIMIT):
            track(resident, request.number, other_pin(request.pin))
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert track(resident, request.number, request.pin).status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert track(resident, request.number, request.pin).status_code == 200


def test_wrong_pins_spread_over_more_than_fifteen_minutes_do_not_lock(resident, p):
    request = make_submitted(p.desa_a)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _attempt in range(tracking.NUMBER_LIMIT - 1):
            track(resident, request.number, other_pin(request.pin))
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        for _attempt in range(tracking.NUMBER_LIMIT - 1):
            track(resident, request.number, other_pin(request.pin))
        assert track(resident, request.number, request.pin).status_code == 200


def test_twenty_wrong_attempts_lock_the_client_address(resident, p):
    request = make_submitted(p.desa_a)
    for serial in range(tracking.IP_LIMIT):
        track(resident, f"3516012001-2611-{9000 + serial}", "123456", ip="198.51.100.7")
    refused = track(resident, request.number, request.pin, ip="198.51.100.7")
    assert refused.status_code == 429
    assert LOCKED in refused.content.decode()
    # Other residents are not affected.
    assert track(resident, request.number, request.pin, ip="198.51.100.8").status_code == 200


@time_machine.travel("2026-11-02 09:00 +07:00", tick=False)
def test_every_failure_takes_its_own_slot():
    # cache.add of a fresh key is atomic on every backend: a lost update cannot hide a guess.
    counts = [ratelimit.count_in_window("track:test", 5, tracking.WINDOW) for _attempt in range(7)]
    assert counts == [1, 2, 3, 4, 5, 5, 5]


# --- what the resident sees ---------------------------------------------------------------------


def status_page(client, request):
    request.refresh_from_db()
    response = track(client, request.number, request.pin)
    assert response.status_code == 200
    return response.content.decode()


def test_nothing_personal_is_shown(resident, p):
    request = make_submitted(p.desa_a)
    ServiceRequest.objects.filter(pk=request.pk).update(pin="987650")  # a PIN seen nowhere else
    page = status_page(resident, request)
    for secret in (
        NIK_MAN,
        KK_NUMBER,
        "Slamet Riyadi",
        "RIYADI",
        "Riyadi",
        "81234567890",
        "Ahmad Fauzi",  # the officer
        "kk-lama.pdf",
        request.pin,
    ):
        assert secret not in page, secret


def test_a_returned_request_shows_what_to_fix_but_not_who_returned_it(resident, p):
    request = make_submitted(p.desa_a)
    services.request_return(
        actor=p.kecamatan_a,
        request=request,
        reason="Fotokopi KK tidak terbaca.",
        items={"kk-lama": "Bawa KK asli ke kantor desa."},
    )
    page = status_page(resident, request)
    assert "Returned to the village office" in page
    assert "Fotokopi KK tidak terbaca." in page
    assert "Kartu Keluarga lama: Bawa KK asli ke kantor desa." in page
    assert "Dian Permata" not in page  # the kecamatan operator


def test_a_rejection_shows_its_reason(resident, p):
    request = make_submitted(p.desa_a)
    request = services.request_verify(actor=p.kecamatan_a, request=request)
    services.request_reject(actor=p.clerk, request=request, reason="Data tidak sesuai SIAK.")
    page = status_page(resident, request)
    assert "Rejected" in page
    assert "Data tidak sesuai SIAK." in page
    assert "Fitri Handayani" not in page  # the clerk


def test_a_cancellation_reason_stays_inside(resident, p):
    request = make_submitted(p.desa_a)
    services.request_cancel(actor=p.desa_a, request=request, reason="Salah input NIK tetangga")
    page = status_page(resident, request)
    assert "Cancelled" in page
    assert "Salah input" not in page


def test_internal_moves_at_the_dinas_are_not_shown(resident, p):
    request = services.request_verify(actor=p.kecamatan_a, request=make_submitted(p.desa_a))
    request = services.request_claim(actor=p.clerk, request=request)
    request = services.request_release(actor=p.clerk, request=request)
    request = services.request_claim(actor=p.clerk, request=request)
    steps = [step.label for step in tracking.public_steps(request)]
    assert steps == [
        "Submitted by the village office",
        "Checked complete by the kecamatan",
        "Being processed at the Dinas",
    ]


def test_a_finished_document_says_it_is_printed_at_the_village(resident, p):
    request = services.request_verify(actor=p.kecamatan_a, request=make_submitted(p.desa_a))
    request = services.request_claim(actor=p.clerk, request=request)
    documents_services.request_complete(
        actor=p.clerk, request=request, outputs=[OutputUpload("kk", pdf_file("kk.pdf"))]
    )
    page = status_page(resident, request)
    assert "Document finished" in page
    assert "kk.pdf" not in page
    assert "/outputs/" not in page


def test_a_card_ready_for_pick_up_says_where(resident, p):
    request = make_submitted(p.desa_a, "ktp-el-cetak-ulang", details={"reason": "lost"})
    request = services.request_verify(actor=p.kecamatan_a, request=request)
    request = services.request_claim(actor=p.clerk, request=request)
    documents_services.request_complete(
        actor=p.clerk, request=request, outputs=[], pickup_place="Kantor Kecamatan Jatirejo"
    )
    page = status_page(resident, request)
    assert "Card ready for pick-up" in page
    assert "Kantor Kecamatan Jatirejo" in page


def test_markup_in_a_name_is_shown_as_text(resident, p):
    request = make_submitted(p.desa_a, subject_name="<script>alert(1)</script> Budi")
    page = status_page(resident, request)
    assert "<SCRIPT>" not in page
    assert "<*" not in page  # the masked name's first letter, "<", is escaped
    assert "&lt;" + "*" * 24 + " B***" in page


def test_the_page_speaks_indonesian_by_default(p):
    request = make_submitted(p.desa_a)
    response = Client().post(reverse("track"), {"number": request.number, "pin": request.pin})
    assert response.status_code == 200
    assert 'lang="id"' in response.content.decode()
