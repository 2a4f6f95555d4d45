"""Each workflow event tells the right people on the right channels, and nobody else."""

from __future__ import annotations

import pytest
from django.core import mail

from paradewi.documents import services as documents_services
from paradewi.notifications import services as notifications
from paradewi.notifications.models import Notification, OptOut, Outbox, Preference
from paradewi.requests import services
from paradewi.requests.models import Transition
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import (
    KK_NUMBER,
    NIK_MAN,
    make_draft,
    make_submitted,
    pdf_file,
)
from paradewi.testing import make_user

PHONE = "+6281234567890"  # the reporter's phone in the factories


def told() -> set[tuple[str, str, str]]:
    """(who, channel, event) of every in-app notification and outbox message written."""
    in_app = {
        (n.user.username, "app", n.event) for n in Notification.objects.select_related("user")
    }
    messages = {
        (m.user.username if m.user else m.recipient, m.channel, m.event)
        for m in Outbox.objects.select_related("user")
    }
    return in_app | messages


def officer(username: str, event: str, *, email: bool = True) -> set[tuple[str, str, str]]:
    told = {(username, "app", event)}
    if email:
        told.add((username, "email", event))
    return told


def resident(event: str) -> set[tuple[str, str, str]]:
    return {(PHONE, "whatsapp", event)}


@pytest.fixture
def p(people, gateway):
    return people


def verified(p, **kwargs):
    return services.request_verify(actor=p.kecamatan_a, request=make_submitted(p.desa_a, **kwargs))


def claimed(p, **kwargs):
    return services.request_claim(actor=p.clerk, request=verified(p, **kwargs))


def test_it_tells_the_kecamatan_operator_about_a_submitted_request(p, committed):
    with committed():
        make_submitted(p.desa_a)
    assert told() == officer("kecamatan-a", "submitted")
    assert [message.to for message in mail.outbox] == [["kecamatan-a@example.org"]]


def test_it_puts_a_verified_request_in_the_clerks_notifications_without_e_mail(p, committed):
    request = make_submitted(p.desa_a)
    with committed():
        services.request_verify(actor=p.kecamatan_a, request=request)
    assert told() == officer("clerk", "queued", email=False)
    assert mail.outbox == []


def test_it_tells_the_clerks_when_the_kecamatan_submits_straight_to_the_dinas(p, committed):
    with committed():
        make_submitted(p.kecamatan_a, village=p.desa_a.area)
    assert told() == officer("clerk", "queued", email=False)


def test_it_tells_the_village_and_the_resident_what_to_fix_after_a_return(p, committed, gateway):
    request = make_submitted(p.desa_a)
    with committed():
        services.request_return(
            actor=p.kecamatan_a,
            request=request,
            reason="Periksa lagi",
            items={"kk-lama": "Scan buram, foto ulang"},
        )
    assert told() == officer("desa-a", "returned") | resident("resident_returned")
    [text] = gateway.texts_to(PHONE)
    assert "Kartu Keluarga lama: Scan buram, foto ulang" in text
    assert "Periksa lagi" in text
    assert "Yth. S*****," in text  # the name masked as on the tracking page
    assert "Slamet" not in text
    assert "Desa Tawangrejo" in text


def test_a_return_by_the_dinas_reaches_the_village_and_the_resident(p, committed):
    request = claimed(p)
    with committed():
        services.request_return(actor=p.clerk, request=request, reason="Data salah")
    assert told() == officer("desa-a", "returned") | resident("resident_returned")


def test_it_tells_the_village_to_print_and_the_resident_where_and_when(p, committed, gateway):
    request = claimed(p)
    with committed():
        documents_services.request_complete(
            actor=p.clerk, request=request, outputs=[OutputUpload("kk", pdf_file())]
        )
    assert told() == officer("desa-a", "done") | resident("resident_done")
    [text] = gateway.texts_to(PHONE)
    assert "kantor Desa Tawangrejo" in text
    assert "Senin-Jumat pukul 08.00-16.00" in text
    assert "/t/" in text  # the tracking link


def test_it_tells_the_resident_where_to_pick_up_a_card(p, committed, gateway):
    request = claimed(p, service_code="ktp-el-cetak-ulang", details={"reason": "lost"})
    with committed():
        documents_services.request_complete(
            actor=p.clerk, request=request, outputs=[], pickup_place="Kantor Kecamatan Jatirejo"
        )
    assert told() == officer("desa-a", "ready_for_pickup") | resident("resident_ready")
    [text] = gateway.texts_to(PHONE)
    assert "Kantor Kecamatan Jatirejo" in text


def test_it_tells_the_village_and_the_resident_why_a_request_was_rejected(p, committed, gateway):
    request = claimed(p)
    with committed():
        services.request_reject(actor=p.clerk, request=request, reason="Bukan warga kabupaten")
    assert told() == officer("desa-a", "rejected") | resident("resident_rejected")
    assert "Bukan warga kabupaten" in gateway.texts_to(PHONE)[0]


def done(p):
    request = claimed(p)
    return documents_services.request_complete(
        actor=p.clerk, request=request, outputs=[OutputUpload("kk", pdf_file())]
    )


def test_the_hand_over_invites_the_resident_to_the_survey_when_it_exists(
    p, committed, gateway, monkeypatch
):
    monkeypatch.setattr(
        "paradewi.notifications.services.transitions.survey_path", lambda request: "/survey/abc/"
    )
    request = done(p)
    with committed():
        services.request_hand_over(actor=p.desa_a, request=request)
    assert told() == resident("resident_survey")
    assert "https://paradewi.example.go.id/survey/abc/" in gateway.texts_to(PHONE)[0]


def test_the_hand_over_sends_nothing_without_a_survey_to_answer(p, committed, monkeypatch):
    monkeypatch.setattr(
        "paradewi.notifications.services.transitions.survey_path", lambda request: None
    )
    request = done(p)
    with committed():
        services.request_hand_over(actor=p.desa_a, request=request)
    assert told() == set()


def test_a_birth_is_done_to_print_and_says_where_the_card_is_picked_up(p, committed, gateway):
    request = claimed(p, service_code="akta-kelahiran")
    with committed():
        documents_services.request_complete(
            actor=p.clerk,
            request=request,
            outputs=[OutputUpload("akta-kelahiran", pdf_file())],
            pickup_place="Kantor Dinas Mojokerto",
        )
    assert told() == officer("desa-a", "done") | resident("resident_done")
    [email] = mail.outbox
    assert "siap dicetak" in email.subject
    assert "Kartu KIA tidak dicetak: diambil di Kantor Dinas Mojokerto." in email.body
    assert "Cetak dokumennya" in email.body
    [text] = gateway.texts_to(PHONE)
    assert "Kantor Dinas Mojokerto" in text


def test_only_the_hand_over_of_the_last_part_invites_to_the_survey(p, committed, monkeypatch):
    monkeypatch.setattr(
        "paradewi.notifications.services.transitions.survey_path", lambda request: "/survey/abc/"
    )
    request = documents_services.request_complete(
        actor=p.clerk,
        request=claimed(p, service_code="akta-kelahiran"),
        outputs=[OutputUpload("akta-kelahiran", pdf_file())],
        pickup_place="Kantor Dinas",
    )
    Notification.objects.all().delete()
    Outbox.objects.all().delete()
    with committed():
        request = services.request_hand_over(actor=p.desa_a, request=request, part="documents")
    assert told() == set()
    with committed():
        services.request_hand_over(actor=p.clerk, request=request)
    assert told() == resident("resident_survey")


def test_a_reassignment_tells_the_new_holder_only(p, committed):
    other = make_user("clerk-2", "dinas_clerk", "35.16", email="clerk-2@example.org")
    request = claimed(p)
    with committed():
        services.request_reassign(actor=p.head, request=request, clerk=other)
    assert told() == officer("clerk-2", "reassigned")


@pytest.mark.parametrize("action", ["claim", "release", "cancel", "create", "edit"])
def test_internal_steps_tell_nobody(p, committed, action):
    if action == "claim":
        request = verified(p)
        with committed():
            services.request_claim(actor=p.clerk, request=request)
    elif action == "release":
        request = claimed(p)
        with committed():
            services.request_release(actor=p.clerk, request=request)
    elif action == "cancel":
        request = make_submitted(p.desa_a)
        with committed():
            services.request_cancel(actor=p.desa_a, request=request, reason="Batal")
    elif action == "create":
        with committed():
            make_draft(p.desa_a)
    else:
        request = make_draft(p.desa_a)
        with committed():
            services.request_update(actor=p.desa_a, request=request, subject_name="Slamet R")
    assert told() == set()


def test_a_request_the_kecamatan_made_returns_to_the_village_and_to_the_kecamatan(p, committed):
    request = make_submitted(p.kecamatan_a, village=p.desa_a.area)
    request = services.request_claim(actor=p.clerk, request=request)
    with committed():
        services.request_return(actor=p.clerk, request=request, reason="Data salah")
    assert told() == (
        officer("desa-a", "returned")
        | officer("kecamatan-a", "returned")
        | resident("resident_returned")
    )


def test_the_actor_is_not_told_about_their_own_action(p, committed):
    # The head returns a request it holds: the village hears, the head does not.
    request = services.request_claim(actor=p.head, request=verified(p))
    with committed():
        services.request_return(actor=p.head, request=request, reason="Data salah")
    assert ("head", "app", "returned") not in told()


def test_inactive_accounts_and_those_without_e_mail_get_what_they_can(p, committed):
    make_user("desa-a-2", "village_officer", "35.16.01.2001")  # no e-mail address
    gone = make_user("desa-a-3", "village_officer", "35.16.01.2001", email="x@example.org")
    gone.is_active = False
    gone.save()
    Preference.objects.create(user=p.desa_a, email=False)
    request = make_submitted(p.desa_a)
    with committed():
        services.request_return(actor=p.kecamatan_a, request=request, reason="Buram")
    assert told() == (
        officer("desa-a", "returned", email=False)
        | officer("desa-a-2", "returned", email=False)
        | resident("resident_returned")
    )


def test_a_resident_who_opted_out_gets_no_whatsapp(p, committed):
    OptOut.objects.create(phone=PHONE, source=OptOut.Source.RESIDENT)
    request = make_submitted(p.desa_a)
    with committed():
        services.request_return(actor=p.kecamatan_a, request=request, reason="Buram")
    assert told() == officer("desa-a", "returned")


def test_without_a_gateway_residents_get_no_message_and_officers_still_do(p, committed, settings):
    settings.NOTIFICATIONS_GATEWAY_URL = ""
    request = make_submitted(p.desa_a)
    with committed():
        services.request_return(actor=p.kecamatan_a, request=request, reason="Buram")
    assert told() == officer("desa-a", "returned")


def test_sms_instead_of_whatsapp_is_one_setting(p, committed, settings, gateway):
    settings.NOTIFICATIONS_TEXT_CHANNEL = "sms"
    request = make_submitted(p.desa_a)
    with committed():
        services.request_return(actor=p.kecamatan_a, request=request, reason="Buram")
    assert (PHONE, "sms", "resident_returned") in told()
    assert gateway.calls[0].body["channel"] == "sms"


@pytest.mark.parametrize(
    "typed", ["0812-3456-7890", "62 812 3456 7890", "+62812-3456-7890", "(0812)34567890"]
)
def test_the_resident_s_number_is_normalised_whatever_was_typed(p, committed, typed):
    request = make_submitted(p.desa_a, reporter_phone=typed)
    with committed():
        services.request_return(actor=p.kecamatan_a, request=request, reason="Buram")
    assert (PHONE, "whatsapp", "resident_returned") in told()


@pytest.mark.parametrize("typed", ["12345", "021 555 1234", "+1 202 555 0100", ""])
def test_a_number_that_is_not_an_indonesian_mobile_gets_no_message(p, committed, typed):
    request = make_submitted(p.desa_a, reporter_phone=typed)
    with committed():
        services.request_return(actor=p.kecamatan_a, request=request, reason="Buram")
    assert told() == officer("desa-a", "returned")


def test_messages_carry_no_nik_kk_full_name_or_phone(p, committed, gateway):
    request = make_submitted(p.desa_a)
    with committed():
        services.request_return(
            actor=p.kecamatan_a,
            request=request,
            reason=f"NIK {NIK_MAN} tidak cocok dengan KK {KK_NUMBER}",
        )
    bodies = [m.subject + m.body for m in Outbox.objects.all()]
    bodies += [call.body["message"] for call in gateway.calls]
    assert len(bodies) == 3
    for body in bodies:
        assert NIK_MAN not in body
        assert KK_NUMBER not in body
        assert "Riyadi" not in body  # the surname of "Slamet Riyadi"
        assert "81234567890" not in body
        assert request.number in body


def test_handling_the_same_history_row_twice_writes_and_sends_nothing_twice(p, committed, gateway):
    request = make_submitted(p.desa_a)
    with committed():
        services.request_return(actor=p.kecamatan_a, request=request, reason="Buram")
    transition = Transition.objects.filter(request=request, action="return").get()
    before = (Notification.objects.count(), Outbox.objects.count(), len(gateway.calls))
    with committed():
        notifications.transition_notify(transition.pk)
    assert (Notification.objects.count(), Outbox.objects.count(), len(gateway.calls)) == before
    assert len(mail.outbox) == 1


def test_officers_sentences_join_without_doubled_punctuation(p, committed, gateway):
    request = make_submitted(p.desa_a)
    with committed():
        services.request_return(
            actor=p.kecamatan_a,
            request=request,
            reason="Foto anak belum ada.",
            items={"kk-lama": "Scan terpotong di bawah."},
        )
    [text] = gateway.texts_to(PHONE)
    assert "Foto anak belum ada; Kartu Keluarga lama: Scan terpotong di bawah. Silakan" in text
    assert ".." not in text.replace("...", "")
    assert ".;" not in text
