"""Message texts: defaults in both languages, placeholders, SMS length, what the app fills in."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from paradewi.notifications import texts
from paradewi.notifications.defaults import DEFAULTS
from paradewi.notifications.models import Event, MessageTemplate

ALL = sorted(DEFAULTS)


@pytest.mark.parametrize(("event", "channel"), ALL)
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_default_exists_in_both_languages_and_is_valid(event, channel, language, settings):
    settings.SITE_URL = "https://paradewi.mojokertokab.go.id"
    text = DEFAULTS[(event, channel)][language]
    texts.validate_template(event, channel, language, text["subject"], text["body"])


def test_every_event_that_sends_has_a_default():
    sending = set(texts.PLACEHOLDERS)
    assert sending == {event for event, _channel in DEFAULTS}
    assert Event.QUEUED not in sending  # the Dinas queue is told in the app only


def test_the_defaults_are_in_the_database_after_migrating(db):
    # The test database is built by the migrations, which seed every default.
    if not MessageTemplate.objects.exists():
        pytest.skip("a transactional test emptied the tables before this one")
    assert MessageTemplate.objects.count() == sum(len(langs) for langs in DEFAULTS.values())


def test_the_administrator_s_text_wins_over_the_default(db):
    MessageTemplate.objects.update_or_create(
        event=Event.RESIDENT_DONE,
        channel="text",
        language="id",
        defaults={"subject": "", "body": "Selesai: {number}"},
    )
    assert texts.compose(Event.RESIDENT_DONE, "id", {"number": "1"}, delivery="whatsapp") == (
        "",
        "Selesai: 1",
    )


def test_a_deleted_template_falls_back_to_the_default(db):
    MessageTemplate.objects.all().delete()
    subject, _body = texts.template_for(Event.SUBMITTED, "email", "en")
    assert subject == DEFAULTS[(Event.SUBMITTED, "email")]["en"]["subject"]


def test_an_unknown_placeholder_is_refused_with_the_allowed_ones():
    with pytest.raises(ValidationError) as error:
        texts.validate_template(
            Event.RESIDENT_DONE, "text", "id", "", "Yth. {first_name}, NIK {subject_nik}"
        )
    message = " ".join(error.value.message_dict["body"])
    assert "{subject_nik}" in message
    assert "{tracking_url}" in message


def test_an_e_mail_needs_a_subject_and_a_text_message_has_none():
    with pytest.raises(ValidationError, match="subject"):
        texts.validate_template(Event.SUBMITTED, "email", "id", "", "{number}")
    with pytest.raises(ValidationError, match="subject"):
        texts.validate_template(Event.RESIDENT_DONE, "text", "id", "Hi", "{number}")
    with pytest.raises(ValidationError):
        texts.validate_template(Event.RESIDENT_DONE, "email", "id", "Hi", "{number}")


def test_a_text_too_long_for_the_sms_limit_is_refused(settings):
    settings.NOTIFICATIONS_SMS_MAX_PARTS = 1
    with pytest.raises(ValidationError, match="Too long"):
        texts.validate_template(
            Event.RESIDENT_DONE, "text", "id", "", "{number} " + "x" * 200 + " {tracking_url}"
        )


def test_sms_length_counts_gsm_7_and_ucs_2_parts():
    assert texts.sms_length("a" * 160) == texts.SmsLength("GSM-7", 160, 1)
    assert texts.sms_length("a" * 161) == texts.SmsLength("GSM-7", 161, 2)
    assert texts.sms_length("a" * 306).parts == 2
    assert texts.sms_length("a" * 307).parts == 3
    assert texts.sms_length("{}").characters == 4  # extended characters count twice
    assert texts.sms_length("ü" * 70).encoding == "GSM-7"
    assert texts.sms_length("✓" * 70) == texts.SmsLength("UCS-2", 70, 1)
    assert texts.sms_length("✓" * 71).parts == 2


def test_an_sms_shortens_the_reason_but_never_the_links(settings):
    settings.NOTIFICATIONS_SMS_MAX_PARTS = 2
    body = "No. {number}: {reason}. Status: {tracking_url}"
    values = {
        "number": "3516012001-2611-0007",
        "reason": "Foto \u201cKK\u201d buram \u2013 mohon ulang\u2026 " * 20,
        "tracking_url": "https://paradewi.example.go.id/t/3516012001-2611-0007:abc/",
    }
    text = texts.fit_sms(body, values, max_parts=2)
    length = texts.sms_length(text)
    assert length.encoding == "GSM-7"  # typographic quotes and dashes made plain
    assert length.parts == 2
    assert text.endswith("Status: https://paradewi.example.go.id/t/3516012001-2611-0007:abc/")
    assert '..."' not in text
    assert 'Foto "KK" buram - mohon ulang...' in text


def test_a_short_sms_is_left_as_it_is():
    assert texts.fit_sms("Hi {x}", {"x": "there"}, 1) == "Hi there"


def test_whatsapp_keeps_the_full_text(db):
    long_reason = "x" * 1000
    _subject, body = texts.compose(
        Event.RESIDENT_REJECTED, "id", {"reason": long_reason}, delivery="whatsapp"
    )
    assert long_reason in body


def test_office_hours_are_written_in_each_language(settings):
    settings.OFFICE_DAYS = [1, 2, 3, 4, 5]
    assert texts.office_hours("id") == "Senin-Jumat pukul 08.00-16.00"
    assert texts.office_hours("en") == "Monday to Friday, 08:00-16:00"
    settings.OFFICE_DAYS = [1, 3]
    assert texts.office_hours("id") == "Senin, Rabu pukul 08.00-16.00"


def test_durations_are_working_time_in_words():
    assert texts.duration(90, "id") == "1 jam 30 menit"
    assert texts.duration(450 + 60, "en") == "1 working day 1 h"  # 7.5 h a day
    assert texts.duration(0, "en") == "0 min"


def test_only_the_first_name_is_used_and_masked_like_every_public_surface():
    """UU 27/2022 (minimisation): a message to a typed phone number names the resident as the
    tracking page does, initial plus stars; a one-word name is the whole name."""
    assert texts.first_name("SLAMET RIYADI", "id") == "S*****"
    assert texts.first_name("SUTRISNO", "id") == "S*******"
    assert texts.first_name("", "id") == "Bapak/Ibu"


def test_long_digit_runs_are_scrubbed_from_officers_text():
    assert texts.scrub("NIK 3516011205900001 salah, KK 3516 0101 2000 03") == (
        "NIK *** salah, KK ***"
    )
    assert texts.scrub("Foto 2x3 belum ada, RT 02/RW 05") == "Foto 2x3 belum ada, RT 02/RW 05"


def test_an_event_shown_only_in_the_app_has_no_template():
    with pytest.raises(ValidationError, match="only shown in the app"):
        texts.validate_template(Event.QUEUED, "email", "id", "x", "{number}")


def test_an_e_mail_subject_stays_one_line_whatever_the_values_hold(db):
    event = next(event for event, channel in DEFAULTS if channel == "email")
    MessageTemplate.objects.update_or_create(
        event=event,
        channel="email",
        language="id",
        defaults={"subject": "{number} baru", "body": "{number}"},
    )
    values = dict.fromkeys(texts.PLACEHOLDERS[event], "x")
    values["number"] = "3516\r\nBcc: someone@example.com\r\n"
    subject, _body = texts.compose(event, "id", values, delivery="email")
    assert "\r" not in subject
    assert "\n" not in subject
    assert subject == "3516 Bcc: someone@example.com baru"
