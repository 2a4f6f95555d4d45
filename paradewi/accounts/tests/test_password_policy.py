from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from paradewi.testing import PASSWORD


def change(client, new: str):
    return client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("pendek1!", "Kata sandi terlalu pendek. Harus mengandung setidaknya 10 karakter."),
        ("password123", "Kata sandi ini terlalu umum."),
        ("4815162342", "Kata sandi ini seluruhnya terdiri dari angka."),
        ("ahmad-fauzi", "Kata sandi terlalu mirip dengan"),  # the full name Ahmad Fauzi
    ],
)
def test_a_weak_password_is_refused_with_the_reason_in_indonesian(
    client, personas, password, message
):
    client.force_login(personas.desa_a)
    response = change(client, password)
    assert response.status_code == 200
    assert message in response.content.decode()
    personas.desa_a.refresh_from_db()
    assert personas.desa_a.check_password(PASSWORD)


@pytest.mark.parametrize("password", ["desa-a", "DESA-A-2026-baru", "xx-Kecamatan-A-xx"])
def test_a_password_containing_the_username_is_refused(personas, password):
    user = personas.kecamatan_a if "ecamatan" in password else personas.desa_a
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert "The password must not contain your username." in refused.value.messages


def test_a_long_uncommon_password_unlike_the_person_is_accepted(client, personas):
    client.force_login(personas.desa_a)
    assert change(client, "sawah-hijau-di-lereng").status_code == 302
    personas.desa_a.refresh_from_db()
    assert personas.desa_a.check_password("sawah-hijau-di-lereng")


def test_the_minimum_length_is_ten_by_default(personas):
    with pytest.raises(ValidationError):
        validate_password("kbn-hjau9", personas.desa_a)
    validate_password("kbn-hjau9x", personas.desa_a)


def test_the_same_rules_apply_to_a_password_reset(client, personas, mailoutbox):
    client.post(reverse("password_reset"), {"email": "admin@example.org"})
    link = mailoutbox[0].body.split("http://testserver", 1)[1].split()[0]
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "admin", "new_password2": "admin"})
    assert response.status_code == 200
    assert "Kata sandi terlalu pendek" in response.content.decode()


def test_a_used_reset_link_does_not_work_again(client, personas, mailoutbox):
    client.post(reverse("password_reset"), {"email": "admin@example.org"})
    link = mailoutbox[0].body.split("http://testserver", 1)[1].split()[0]
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new = {"new_password1": "sawah-hijau-di-lereng", "new_password2": "sawah-hijau-di-lereng"}
    assert client.post(form_url, new).status_code == 302
    assert client.get(link, follow=True).context["validlink"] is False
    other = {"new_password1": "gunung-biru-di-timur", "new_password2": "gunung-biru-di-timur"}
    client.post(form_url, other)
    personas.admin.refresh_from_db()
    assert personas.admin.check_password("sawah-hijau-di-lereng")


def test_an_unknown_address_gets_the_same_answer_as_a_known_one(client, personas, mailoutbox):
    known = client.post(reverse("password_reset"), {"email": "admin@example.org"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mailoutbox) == 1


def test_reset_mails_to_one_address_are_limited_without_saying_so(client, personas, mailoutbox):
    for _ in range(5):
        response = client.post(reverse("password_reset"), {"email": "Admin@example.org"})
        assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 3


def test_reset_requests_from_one_address_are_limited(client, personas, settings, mailoutbox):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 2
    client.cookies["django_language"] = "en"
    for number in range(2):
        response = client.post(reverse("password_reset"), {"email": f"x{number}@example.org"})
        assert response.status_code == 302
    response = client.post(reverse("password_reset"), {"email": "admin@example.org"})
    assert response.status_code == 200
    assert "Too many reset requests" in response.content.decode()
    assert mailoutbox == []
    other = client.post(
        reverse("password_reset"), {"email": "admin@example.org"}, REMOTE_ADDR="10.9.9.9"
    )
    assert other.status_code == 302
    assert len(mailoutbox) == 1
