"""The officer's notifications and counter, announcements, and the resident's stop page."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from paradewi.notifications import services
from paradewi.notifications.models import (
    Announcement,
    AnnouncementReceipt,
    Channel,
    Event,
    Notification,
    OptOut,
    Outbox,
    Preference,
)
from paradewi.regions.models import Region
from paradewi.requests import services as workflow
from paradewi.requests.tests.factories import make_submitted


@pytest.fixture
def p(people):
    return people


def notify(user, event=Event.RETURNED, request=None, **params):
    return Notification.objects.create(
        user=user,
        event=event,
        request=request,
        params={"number": "3516012001-2611-0001", "service": "KK", "village": "Desa X", **params},
        dedupe_key=str(uuid.uuid4()),
    )


def counter_of(client) -> int:
    response = client.get(reverse("notification_counter"))
    assert response.status_code == 200
    return int(response.content.decode().split('data-unread="')[1].split('"')[0])


# --- the counter and the list -------------------------------------------------------------------


def test_every_page_shows_the_unread_counter_in_the_menu(client, p):
    notify(p.desa_a)
    notify(p.desa_a)
    client.force_login(p.desa_a)
    content = client.get(reverse("request_list")).content.decode()
    assert 'id="notification-counter"' in content
    assert '<span class="badge badge-overdue">2</span>' in content
    assert "every 60s" in content  # htmx refreshes it


def test_the_counter_refreshes_itself_only_when_asked_to(client, p, settings):
    settings.NOTIFICATIONS_POLL_SECONDS = 0
    client.force_login(p.desa_a)
    content = client.get(reverse("request_list")).content.decode()
    assert 'id="notification-counter"' in content
    assert reverse("notification_counter") not in content


def test_the_counter_counts_only_the_user_s_own_unread_notifications(client, p, committed):
    client.force_login(p.desa_a)
    assert counter_of(client) == 0
    request = make_submitted(p.desa_a)
    with committed():
        workflow.request_return(actor=p.kecamatan_a, request=request, reason="Buram")
    assert counter_of(client) == 1
    notify(p.desa_b)
    read = notify(p.desa_a)
    read.read_at = timezone.now()
    read.save()
    assert counter_of(client) == 1


def test_the_public_pages_have_no_counter(client, regions):
    assert "notification-counter" not in client.get(reverse("track")).content.decode()


def test_the_list_shows_what_happened_and_opening_one_marks_it_read(client, p):
    request = make_submitted(p.desa_a)
    notification = notify(p.desa_a, request=request, reason="Scan buram")
    client.force_login(p.desa_a)
    content = client.get(reverse("notification_list"), headers={"accept-language": "en"})
    assert "was returned to fix: Scan buram" in content.content.decode()
    response = client.post(reverse("notification_open", args=[notification.pk]))
    assert response["Location"] == reverse("request_detail", args=[request.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_opens_another_user_s_notification(client, p):
    notification = notify(p.desa_b)
    client.force_login(p.desa_a)
    assert client.post(reverse("notification_open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_as_read(client, p):
    notify(p.desa_a)
    notify(p.desa_a)
    other = notify(p.desa_b)
    client.force_login(p.desa_a)
    client.post(reverse("notification_mark_all_read"))
    assert counter_of(client) == 0
    other.refresh_from_db()
    assert other.read_at is None


def test_an_officer_turns_e_mail_off_and_on(client, p):
    client.force_login(p.desa_a)
    client.post(reverse("notification_preferences"), {})
    assert Preference.objects.get(user=p.desa_a).email is False
    client.post(reverse("notification_preferences"), {"email": "on"})
    assert Preference.objects.get(user=p.desa_a).email is True


def test_the_pages_need_a_login(client, regions):
    response = client.get(reverse("notification_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("event", [e for e in Event if not e.startswith("resident_")])
def test_every_officer_event_reads_as_a_sentence(p, event):
    notification = notify(
        p.desa_a, event=event, count=3, area="Kecamatan Jatirejo", due="2026-12-02T02:00:00Z"
    )
    from paradewi.notifications.selectors import describe

    text = describe(notification)
    assert "%(" not in text
    assert "3516012001-2611-0001" in text or "3 requests" in text


# --- announcements ------------------------------------------------------------------------------


def publish(p, **fields):
    data = {
        "author": p.head,
        "title": "Pelatihan operator",
        "body": "Pelatihan SIAK hari Senin.",
        "roles": ["village_officer"],
        "area": Region.objects.get(code="35.16.01"),
        **fields,
    }
    return services.announcement_publish(**data)


def test_the_head_broadcasts_to_the_village_officers_of_one_kecamatan(client, p):
    client.force_login(p.head)
    response = client.post(
        reverse("announcement_new"),
        {
            "title": "Kantor tutup",
            "body": "Kantor Dinas tutup hari Jumat.",
            "roles": ["village_officer"],
            "area": "35.16.01",
        },
    )
    announcement = Announcement.objects.get()
    assert response["Location"] == reverse("announcement_detail", args=[announcement.pk])
    recipients = set(announcement.receipts.values_list("user__username", flat=True))
    assert recipients == {"desa-a", "desa-b"}  # not desa-c of Gondang, not the kecamatan


def test_chosen_roles_in_the_whole_regency(p):
    announcement = publish(
        p, roles=["district_operator", "dinas_clerk"], area=Region.objects.get(code="35.16")
    )
    recipients = set(announcement.receipts.values_list("user__username", flat=True))
    assert recipients == {"kecamatan-a", "kecamatan-c", "clerk"}


def test_an_officer_sees_it_on_the_home_page_until_it_is_read(client, p):
    announcement = publish(p)
    client.force_login(p.desa_a)
    home = client.get(reverse("home")).content.decode()
    assert "Pelatihan operator" in home
    assert counter_of(client) == 1
    response = client.post(
        reverse("announcement_read", args=[announcement.pk]), {"next": reverse("home")}
    )
    assert response["Location"] == reverse("home")
    assert "Pelatihan operator" not in client.get(reverse("home")).content.decode()
    assert counter_of(client) == 0


def test_marking_read_with_htmx_removes_only_the_card(client, p):
    announcement = publish(p)
    client.force_login(p.desa_a)
    response = client.post(
        reverse("announcement_read", args=[announcement.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.content == b""


def test_an_announcement_past_its_last_day_is_no_longer_shown(client, p):
    announcement = publish(p)
    Announcement.objects.filter(pk=announcement.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(p.desa_a)
    assert "Pelatihan operator" not in client.get(reverse("home")).content.decode()
    assert counter_of(client) == 0


def test_the_head_sees_who_has_read_it(client, p):
    announcement = publish(p)
    services.announcement_mark_read(user=p.desa_a, announcement_id=announcement.pk)
    client.force_login(p.head)
    listing = client.get(reverse("announcement_list")).content.decode()
    assert "1 / 2" in listing
    response = client.get(reverse("announcement_detail", args=[announcement.pk]))
    receipts = {r.user.username: r.read_at is not None for r in response.context["receipts"]}
    assert receipts == {"desa-a": True, "desa-b": False}
    assert [r.user.username for r in response.context["receipts"]] == ["desa-b", "desa-a"]


@pytest.mark.parametrize("persona", ["desa_a", "kecamatan_a", "clerk", "viewer", "admin"])
def test_only_the_head_publishes_and_sees_the_readers(client, p, persona):
    announcement = publish(p)
    client.force_login(getattr(p, persona))
    assert client.get(reverse("announcement_list")).status_code == 404
    assert client.get(reverse("announcement_new")).status_code == 404
    assert client.get(reverse("announcement_detail", args=[announcement.pk])).status_code == 404


def test_an_officer_marks_only_their_own_copy_read(p):
    announcement = publish(p)
    assert not services.announcement_mark_read(user=p.desa_c, announcement_id=announcement.pk)
    assert AnnouncementReceipt.objects.filter(read_at__isnull=False).count() == 0


def test_a_kecamatan_outside_the_regency_or_a_past_last_day_is_refused(client, p):
    client.cookies["django_language"] = "en"
    client.force_login(p.head)
    response = client.post(
        reverse("announcement_new"),
        {"title": "x", "body": "y", "roles": ["village_officer"], "area": "35.17.01"},
    )
    assert response.status_code == 200
    assert Announcement.objects.count() == 0
    response = client.post(
        reverse("announcement_new"),
        {
            "title": "x",
            "body": "y",
            "roles": ["village_officer"],
            "area": "35.16",
            "expires_on": "2000-01-01",
        },
    )
    assert "This day has already passed." in response.content.decode()


# --- residents stop WhatsApp/SMS ----------------------------------------------------------------


def text_message(phone="+6281234567890"):
    return Outbox.objects.create(
        event=Event.RESIDENT_DONE,
        channel=Channel.WHATSAPP,
        recipient=phone,
        language="id",
        body="x",
        next_attempt_at=timezone.now(),
        dedupe_key=str(uuid.uuid4()),
        status="sent",
    )


def test_the_stop_link_asks_first_and_stops_on_the_button(client, regions):
    message = text_message()
    url = reverse("notification_stop", args=[message.pk.hex])
    page = client.get(url)
    assert page.status_code == 200
    assert "+62812****7890" in page.content.decode()
    assert "81234567890" not in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert not OptOut.objects.exists()  # a link preview fetching the page changes nothing
    client.post(url, {"action": "stop"})
    assert OptOut.objects.get().phone == "+6281234567890"
    client.post(url, {"action": "resume"})
    assert not OptOut.objects.exists()


@pytest.mark.parametrize("token", ["nothing", "c5018394f7c44876bb128fe0bea55981"])
def test_a_wrong_stop_link_is_a_404(client, regions, token):
    assert client.get(reverse("notification_stop", args=[token])).status_code == 404


def test_an_e_mail_has_no_stop_link(client, regions):
    message = text_message()
    Outbox.objects.filter(pk=message.pk).update(channel=Channel.EMAIL, recipient="a@example.org")
    assert client.get(reverse("notification_stop", args=[message.pk.hex])).status_code == 404


def test_the_counter_stops_polling_when_the_session_has_ended(client, regions):
    response = client.get(reverse("notification_counter"))
    assert response.status_code == 286  # htmx stops polling and swaps nothing
    assert response.content == b""


def test_the_menu_counts_as_the_querysets_do(p):
    """The menu's counts (one hand-written statement, `selectors._unread_sql`) agree with the
    ORM's: unread notifications of this user only; unread announcements still shown (no last
    day, or a last day today or later), not read ones, not past ones, not another user's."""
    from paradewi.notifications.selectors import current_receipts, unread_counts

    today = timezone.localdate()
    notify(p.desa_a)
    notify(p.desa_a)
    Notification.objects.filter(pk=notify(p.desa_a).pk).update(read_at=timezone.now())
    notify(p.desa_b)
    publish(p)  # no last day
    publish(p, expires_on=today)
    past = publish(p, expires_on=today + timedelta(days=3))
    Announcement.objects.filter(pk=past.pk).update(expires_on=today - timedelta(days=1))
    read = publish(p)
    AnnouncementReceipt.objects.filter(announcement=read, user=p.desa_a).update(
        read_at=timezone.now()
    )
    for user, expected in ((p.desa_a, (2, 2)), (p.desa_b, (1, 3)), (p.desa_c, (0, 0))):
        orm = (
            Notification.objects.filter(user=user, read_at__isnull=True).count(),
            current_receipts(user).count(),
        )
        assert unread_counts(user) == orm == expected
