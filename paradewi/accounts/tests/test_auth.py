from __future__ import annotations

import re

from django.urls import reverse

from paradewi.testing import PASSWORD


def test_an_officer_logs_in_and_lands_on_the_home_page(client, personas):
    response = client.post(reverse("login"), {"username": "desa-a", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_wrong_password_keeps_the_username_and_says_why_in_indonesian(client, personas):
    response = client.post(reverse("login"), {"username": "desa-a", "password": "nope"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="desa-a"' in content
    assert "kata sandi yang benar" in content


def test_a_password_change_needs_the_old_password(client, personas):
    client.force_login(personas.desa_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "a-long-new-pass",
            "new_password2": "a-long-new-pass",
        },
    )
    assert response.status_code == 200
    personas.desa_a.refresh_from_db()
    assert personas.desa_a.check_password(PASSWORD)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-long-new-pass",
            "new_password2": "a-long-new-pass",
        },
    )
    assert response.status_code == 302
    personas.desa_a.refresh_from_db()
    assert personas.desa_a.check_password("a-long-new-pass")


def test_the_password_policy_refuses_short_common_or_username_like_passwords(client, personas):
    client.force_login(personas.desa_a)
    for bad in ("short", "password123", "ahmadfauzi", "4815162342"):
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": bad, "new_password2": bad},
        )
        assert response.status_code == 200, bad
    personas.desa_a.refresh_from_db()
    assert personas.desa_a.check_password(PASSWORD)


def test_a_password_reset_link_works_once(client, personas, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "admin@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/]+(/password-reset/\S+/)", mailoutbox[0].body)
    assert link is not None
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0]
    new = {"new_password1": "brand-new-secret-1", "new_password2": "brand-new-secret-1"}
    assert client.post(form_url, new).status_code == 302
    personas.admin.refresh_from_db()
    assert personas.admin.check_password("brand-new-secret-1")
    again = client.get(link.group(1), follow=True)
    assert again.context["validlink"] is False


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client, personas, mailoutbox
):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_an_imported_officer_without_a_password_can_ask_for_a_link(client, regions, mailoutbox):
    from paradewi.accounts.models import Role
    from paradewi.testing import make_user

    user = make_user("new-officer", Role.VILLAGE_OFFICER, "35.16.01.2003", email="new@example.org")
    user.set_unusable_password()
    user.save()
    client.post(reverse("password_reset"), {"email": "NEW@example.org"})
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new@example.org"]
