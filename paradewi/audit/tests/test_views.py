"""The access-log pages: only the Dinas head reads them; newest first, escaped, bounded."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from paradewi.audit.models import AccessLog, Action
from paradewi.audit.services import access_record
from paradewi.requests.tests.test_action_views import in_state

WHO_READS = {
    "head": 200,
    "clerk": 404,
    "kecamatan_a": 404,
    "kecamatan_c": 404,
    "desa_a": 404,
    "desa_b": 404,
    "desa_c": 404,
    "viewer": 404,
    "admin": 404,
}


def log(rf, actor, request, action=Action.REQUEST_OPENED, **extra):
    return access_record(
        request=rf.get("/", REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="Firefox/130"),
        actor=actor,
        action=action,
        service_request=request,
        **extra,
    )


def pages(p, done):
    return {
        "list": reverse("audit_user_list"),
        "user": reverse("audit_user_log", kwargs={"user_pk": p.desa_a.pk}),
        "request": reverse("audit_request_log", kwargs={"pk": done.pk}),
    }


@pytest.mark.parametrize(("persona", "status"), WHO_READS.items())
def test_only_the_dinas_head_reads_the_access_log(client, p, done, rf, persona, status):
    log(rf, p.desa_a, done)
    client.force_login(getattr(p, persona))
    for name, url in pages(p, done).items():
        response = client.get(url)
        assert response.status_code == status, name
        if status == 404:
            assert b"192.0.2.10" not in response.content


@pytest.mark.parametrize(("persona", "status"), WHO_READS.items())
def test_the_menu_leads_to_the_access_log_only_for_the_dinas_head(client, p, persona, status):
    client.force_login(getattr(p, persona))
    home = client.get(reverse("home"))
    assert (f'href="{reverse("audit_user_list")}"'.encode() in home.content) == (status == 200)


def test_anonymous_visitors_are_sent_to_the_login(client, p, done):
    for url in pages(p, done).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_request_log_shows_who_when_what_and_from_where_newest_first(client, p, done, rf):
    first = log(rf, p.desa_a, done)
    second = log(rf, p.clerk, done, Action.ARCHIVE_EXPORTED, reason="Untuk pemeriksaan BPK")
    other = in_state(p, "submitted")
    log(rf, p.kecamatan_a, other)
    client.force_login(p.head)
    response = client.get(reverse("audit_request_log", kwargs={"pk": done.pk}))
    assert list(response.context["page"].object_list) == [second, first]
    html = response.content.decode()
    assert p.desa_a.get_full_name() in html
    assert p.clerk.get_full_name() in html
    assert p.kecamatan_a.get_full_name() not in html
    assert "192.0.2.10" in html
    assert "Firefox/130" in html
    assert "Untuk pemeriksaan BPK" in html
    assert reverse("audit_user_log", kwargs={"user_pk": p.clerk.pk}) in html
    assert done.subject_nik not in html


def test_the_user_log_lists_what_one_user_opened(client, p, done, rf):
    upload_row = log(rf, p.clerk, done, Action.UPLOAD_DOWNLOADED, object_id=77)
    log(rf, p.desa_a, done)
    client.force_login(p.head)
    response = client.get(reverse("audit_user_log", kwargs={"user_pk": p.clerk.pk}))
    assert list(response.context["page"].object_list) == [upload_row]
    html = response.content.decode()
    assert done.number in html
    assert reverse("audit_request_log", kwargs={"pk": done.pk}) in html


def test_everything_shown_is_escaped(client, p, done, rf):
    log(rf, p.clerk, done, Action.ARCHIVE_EXPORTED, reason="<script>alert(1)</script> ok ok")
    AccessLog.objects.update(user_agent="<b>agent</b>")
    client.force_login(p.head)
    for url in (
        reverse("audit_request_log", kwargs={"pk": done.pk}),
        reverse("audit_user_log", kwargs={"user_pk": p.clerk.pk}),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<b>agent</b>" not in html


def test_the_accounts_are_searched_by_username_or_name(client, p):
    client.force_login(p.head)
    response = client.get(reverse("audit_user_list"), {"q": "kecamatan"})
    names = {user.username for user in response.context["page"].object_list}
    assert names == {"kecamatan-a", "kecamatan-c"}
    response = client.get(reverse("audit_user_list"), {"q": p.clerk.get_full_name()})
    assert [user.username for user in response.context["page"].object_list] == ["clerk"]
    html = response.content.decode()
    assert reverse("audit_user_log", kwargs={"user_pk": p.clerk.pk}) in html


def test_a_search_too_long_says_so(client, p):
    client.force_login(p.head)
    response = client.get(reverse("audit_user_list"), {"q": "x" * 151})
    assert response.status_code == 200
    assert response.context["form"].errors["q"]


def test_missing_users_and_requests_are_404(client, p, done):
    client.force_login(p.head)
    assert client.get(reverse("audit_user_log", kwargs={"user_pk": 99999})).status_code == 404
    assert client.get(reverse("audit_request_log", kwargs={"pk": 99999})).status_code == 404


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("head", True), ("clerk", False), ("kecamatan_a", False), ("desa_a", False)],
)
def test_the_request_page_links_its_log_only_for_the_dinas_head(client, p, done, persona, shown):
    client.force_login(getattr(p, persona))
    html = client.get(reverse("request_detail", kwargs={"pk": done.pk})).content.decode()
    assert (reverse("audit_request_log", kwargs={"pk": done.pk}) in html) is shown


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(client, p, done, rf):
    other = in_state(p, "submitted")
    people = [p.desa_a, p.kecamatan_a, p.clerk, p.head]
    log(rf, p.clerk, done)
    log(rf, p.clerk, other)
    client.force_login(p.head)
    urls = [
        reverse("audit_request_log", kwargs={"pk": done.pk}),
        reverse("audit_user_log", kwargs={"user_pk": p.clerk.pk}),
        reverse("audit_user_list"),
    ]
    client.get(urls[2])  # the first page after the login also writes the session
    few = [_queries(client, url) for url in urls]
    for number in range(60):
        log(rf, people[number % 4], done)
        log(rf, p.clerk, other, Action.UPLOAD_DOWNLOADED, object_id=number)
    many = [_queries(client, url) for url in urls]
    assert many == few
    assert max(many) <= 8
