"""Worklists per role: tabs, filters, search, order, masking, pages, query bounds; home pages."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from paradewi.core.crypto import blind_index
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest, Status
from paradewi.requests.name_index import name_index_write, name_search_q
from paradewi.requests.selectors import worklist
from paradewi.requests.selectors.clock import Clock, working_time_display
from paradewi.requests.selectors.worklist import PAGE_SIZE
from paradewi.requests.selectors.worklist import search_q as worklist_search_q
from paradewi.requests.tests.factories import KK_NUMBER, NIK_MAN, NIK_WOMAN, make_submitted
from paradewi.requests.tests.test_action_views import in_state
from paradewi.testing import make_user

LIST = reverse("request_list")
JAKARTA = ZoneInfo("Asia/Jakarta")
_serial = itertools.count(5000)


@pytest.fixture
def p(personas):
    return personas


def clone(request: ServiceRequest, count: int, **changes) -> list[ServiceRequest]:
    """`count` copies of a request straight in the database (fast fixtures for long lists)."""
    copies = []
    for _ in range(count):
        copy = ServiceRequest.objects.get(pk=request.pk)
        copy.pk = None
        copy.idempotency_key = uuid.uuid4()
        if copy.number:
            copy.number = f"{copy.number[:-4]}{next(_serial):04d}"
        for name, value in changes.items():
            setattr(copy, name, value)
        copies.append(copy)
    made = ServiceRequest.objects.bulk_create(copies)
    for copy in made:
        name_index_write(copy)  # what the services do with every name they save
    return made


def listed(client, user, **params) -> list[int]:
    client.force_login(user)
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [row.request.pk for row in response.context["rows"]]


# --- who sees which list ------------------------------------------------------------------------


def test_a_village_lists_only_its_own_requests(client, p):
    mine = in_state(p, "draft")
    submitted = in_state(p, "submitted")
    make_submitted(p.desa_b)
    assert set(listed(client, p.desa_a)) == {mine.pk, submitted.pk}


def test_the_kecamatan_queue_holds_submitted_requests_and_all_shows_its_villages(client, p):
    submitted = in_state(p, "submitted")
    other_village = make_submitted(p.desa_b)
    verified = in_state(p, "verified")
    in_state(p, "draft")  # still being written at the village
    make_submitted(p.desa_c)  # another kecamatan
    assert set(listed(client, p.kecamatan_a)) == {submitted.pk, other_village.pk}
    assert set(listed(client, p.kecamatan_a, tab="all")) == {
        submitted.pk,
        other_village.pk,
        verified.pk,
    }


def test_the_dinas_tabs_unclaimed_mine_and_all(client, p):
    other = make_user("clerk-2", "dinas_clerk", "35.16")
    verified = in_state(p, "verified")
    held = in_state(p, "in_process")
    held_by_other = services.request_claim(actor=other, request=in_state(p, "verified"))
    submitted = in_state(p, "submitted")
    in_state(p, "draft")
    assert listed(client, p.clerk) == [verified.pk]
    assert listed(client, p.clerk, tab="mine") == [held.pk]
    assert set(listed(client, p.clerk, tab="all")) == {
        verified.pk,
        held.pk,
        held_by_other.pk,
        submitted.pk,
    }
    assert listed(client, other, tab="mine") == [held_by_other.pk]


@pytest.mark.parametrize("persona", ["viewer", "admin"])
def test_the_viewer_and_the_administrator_have_no_worklist(client, p, persona):
    client.force_login(getattr(p, persona))
    assert client.get(LIST).status_code == 404


def test_the_list_needs_a_login(client, p):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- filters and search -------------------------------------------------------------------------


def test_filter_by_status_and_service(client, p):
    kk = in_state(p, "submitted")
    lost = make_submitted(p.desa_a, "kk-hilang-rusak", details={"reason": "lost"})  # verified
    draft = in_state(p, "draft")
    assert listed(client, p.desa_a, status="draft") == [draft.pk]
    assert listed(client, p.desa_a, service="kk-hilang-rusak") == [lost.pk]
    assert set(listed(client, p.desa_a, service="kk-perubahan")) == {kk.pk, draft.pk}
    assert listed(client, p.desa_a, status="verified", service="kk-perubahan") == []


def test_unknown_filter_values_are_ignored(client, p):
    request = in_state(p, "submitted")
    assert listed(client, p.desa_a, status="bogus", service="nothing", tab="x") == [request.pk]


@pytest.fixture
def two_people(p):
    slamet = in_state(p, "submitted")
    siti = make_submitted(
        p.desa_a, subject_nik=NIK_WOMAN, subject_name="Siti Aminah", subject_sex="P"
    )
    return slamet, siti


def test_search_by_full_registration_number(client, p, two_people):
    slamet, _siti = two_people
    assert listed(client, p.desa_a, q=slamet.number) == [slamet.pk]
    assert listed(client, p.desa_a, q=f"  {slamet.number} ") == [slamet.pk]
    assert listed(client, p.desa_a, q=slamet.number.replace("-", "")) == [slamet.pk]


def test_search_by_the_start_of_a_number(client, p, two_people):
    slamet, siti = two_people
    period_prefix = slamet.number[:15]  # 3516012001-YYMM
    assert set(listed(client, p.desa_a, q=period_prefix)) == {slamet.pk, siti.pk}
    assert listed(client, p.desa_a, q="3516012999") == []


def test_search_by_nik_is_exact(client, p, two_people):
    _slamet, siti = two_people
    assert listed(client, p.desa_a, q=NIK_WOMAN) == [siti.pk]
    assert listed(client, p.desa_a, q="3516 0157 0892 0002") == [siti.pk]
    assert listed(client, p.desa_a, q=NIK_WOMAN[:15]) == []


def test_search_by_a_word_of_the_name_ignores_case(client, p, two_people):
    slamet, siti = two_people
    assert listed(client, p.desa_a, q="aminah") == [siti.pk]
    assert listed(client, p.desa_a, q="SLAMET") == [slamet.pk]


def test_search_stays_inside_the_area(client, p):
    other = make_submitted(p.desa_b)
    assert listed(client, p.desa_a, q=other.number) == []
    assert listed(client, p.desa_a, q=NIK_MAN) == []


def test_what_was_typed_decides_the_search(p):
    def search_q(text):
        return worklist_search_q(text, user=p.desa_a)

    # A NIK is found through its search hash (the column itself is encrypted).
    assert search_q("3516 0112.0590 0001").children == [
        ("subject_nik_index", blind_index("3516011205900001", purpose="nik"))
    ]
    assert search_q("3516012001-2611-0007").children == [("number", "3516012001-2611-0007")]
    assert search_q("351601200126110007").children == [("number", "3516012001-2611-0007")]
    assert search_q("35160120012611").children == [("number__startswith", "3516012001-2611")]
    assert search_q("3516012001-26").children == [("number__startswith", "3516012001-26")]
    # A name through the keyed hashes of its words (requests/name_index.py).
    assert search_q("Siti").children == name_search_q(p.desa_a, "Siti").children


# --- what a row shows ---------------------------------------------------------------------------


def test_a_list_masks_the_nik_and_shows_no_other_personal_data(client, p):
    request = in_state(p, "submitted")
    client.force_login(p.kecamatan_a)
    content = client.get(LIST).content.decode()
    assert "351601********01" in content
    assert NIK_MAN not in content
    assert KK_NUMBER not in content
    assert "6281234567890" not in content
    assert request.number in content
    assert request.subject_name in content


def test_overdue_requests_come_first_and_drafts_last(client, p):
    now = timezone.now()
    draft = in_state(p, "draft")
    returned = in_state(p, "returned")
    late = in_state(p, "submitted")
    later = in_state(p, "verified")
    fresh = in_state(p, "in_process")
    ServiceRequest.objects.filter(pk=late.pk).update(due_at=now - timedelta(days=3))
    ServiceRequest.objects.filter(pk=later.pk).update(due_at=now - timedelta(hours=1))
    ServiceRequest.objects.filter(pk=fresh.pk).update(due_at=now + timedelta(days=2))
    order = listed(client, p.desa_a)
    assert order[:3] == [late.pk, later.pk, fresh.pk]
    assert set(order[3:]) == {draft.pk, returned.pk}


def test_overdue_rows_carry_a_badge_and_the_working_time_past_due(client, p):
    late = in_state(p, "submitted")
    ServiceRequest.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=7))
    client.cookies["django_language"] = "en"
    client.force_login(p.kecamatan_a)
    response = client.get(LIST)
    row = response.context["rows"][0]
    assert row.due.overdue
    assert row.due.minutes >= 3 * 8 * 60  # at least three working days in a week
    content = response.content.decode()
    assert "badge-overdue" in content
    assert "past due" in content


def test_remaining_time_counts_working_hours_only(db):
    """Perpres 21/2023 Pasal 4: 07.30-16.00 with a break 12.00-13.00 (Friday to 16.30)."""
    monday = datetime(2026, 3, 2, 10, 0, tzinfo=JAKARTA)
    tuesday_morning = datetime(2026, 3, 3, 9, 0, tzinfo=JAKARTA)
    request = ServiceRequest(status=Status.VERIFIED, due_at=tuesday_morning)
    due = Clock([tuesday_morning], now=monday).due(request)
    # Monday 10-12 and 13-16, Tuesday 07.30-09.00.
    assert (due.running, due.overdue, due.minutes) == (True, False, 6 * 60 + 30)
    friday = datetime(2026, 2, 27, 15, 0, tzinfo=JAKARTA)
    request.due_at = friday
    late = Clock([friday], now=monday).due(request)
    assert (late.overdue, late.minutes) == (True, 4 * 60)  # Fri 15-16.30, Mon 07.30-10


def test_working_time_reads_like_people_say_it():
    assert working_time_display(45) == "45 min"
    assert working_time_display(200) == "3 h 20 min"
    assert working_time_display(450 + 120) == "1 working day 2 h"  # 7.5 h a day
    assert working_time_display(8 * 60 + 120, per_day=480) == "1 working day 2 h"
    assert working_time_display(0) == "0 min"


def test_time_left_under_a_day_says_it_counts_office_hours(client, p):
    """The due time is a calendar time; the time left beside it counts office hours only."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from paradewi.requests.selectors.clock import Due

    day = 8 * 60  # a regency's 08.00-16.00 working day
    soon = Due(at=timezone.now(), running=True, minutes=7 * 60 + 59, per_day=day)
    later = Due(at=timezone.now(), running=True, minutes=8 * 60 + 120, per_day=day)
    late = Due(at=timezone.now(), running=True, overdue=True, minutes=90, per_day=day)
    with translation.override("id"):
        assert "sisa 7 jam 59 menit jam kerja" in render_to_string(
            "requests/_partials/due.html", {"due": soon}
        )
        text = render_to_string("requests/_partials/due.html", {"due": later})
        assert "sisa 1 hari kerja 2 jam" in text
        assert "jam kerja" not in text.replace("hari kerja", "")
        assert "lewat tenggat 1 jam 30 menit jam kerja" in render_to_string(
            "requests/_partials/due.html", {"due": late}
        )


def test_a_returned_request_shows_its_clock_paused(client, p):
    returned = in_state(p, "returned")
    client.force_login(p.desa_a)
    row = client.get(LIST).context["rows"][0]
    assert row.request.pk == returned.pk
    assert row.due.paused
    assert not row.due.running


# --- pages and query bounds ---------------------------------------------------------------------


def test_a_page_holds_25_requests(client, p):
    request = in_state(p, "submitted")
    clone(request, 29)
    client.force_login(p.kecamatan_a)
    first = client.get(LIST)
    assert len(first.context["rows"]) == PAGE_SIZE
    assert first.context["page"].paginator.count == 30
    second = client.get(LIST, {"page": 2})
    assert len(second.context["rows"]) == 5
    assert client.get(LIST, {"page": 99}).context["page"].number == 2


def test_a_long_worklist_counts_up_to_a_limit_and_says_there_are_more(client, p, monkeypatch):
    monkeypatch.setattr(worklist, "COUNT_LIMIT", 26)
    request = in_state(p, "submitted")
    clone(request, 29)
    client.force_login(p.kecamatan_a)
    page = client.get(LIST)
    assert page.context["page"].paginator.count == 27
    assert page.context["page"].paginator.more
    assert len(page.context["rows"]) == PAGE_SIZE
    short = client.get(LIST, {"q": request.number})
    assert short.context["page"].paginator.count == 1
    assert not short.context["page"].paginator.more


def test_page_links_keep_the_filters(client, p):
    request = in_state(p, "submitted")
    clone(request, 29)
    client.force_login(p.kecamatan_a)
    content = client.get(LIST, {"tab": "all", "q": "Slamet"}).content.decode()
    assert "?tab=all&amp;q=Slamet&amp;page=2" in content


@pytest.mark.parametrize(
    ("persona", "state", "tab"),
    [
        ("desa_a", "submitted", "all"),
        ("kecamatan_a", "submitted", "verify"),
        ("kecamatan_a", "submitted", "all"),
        ("clerk", "verified", "unclaimed"),
        ("clerk", "in_process", "mine"),
        ("head", "in_process", "all"),
    ],
)
def test_a_page_of_30_requests_runs_as_many_queries_as_one_of_3(
    client, p, persona, state, tab, django_assert_max_num_queries
):
    request = in_state(p, state)
    clone(request, 2)
    user = getattr(p, persona)
    client.force_login(user)
    client.get(LIST, {"tab": tab})  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        response = client.get(LIST, {"tab": tab})
    assert len(response.context["rows"]) == 3
    clone(request, 27)
    with django_assert_max_num_queries(len(few)):
        response = client.get(LIST, {"tab": tab})
    assert len(response.context["rows"]) == PAGE_SIZE


def test_htmx_gets_only_the_rows(client, p):
    in_state(p, "submitted")
    client.force_login(p.desa_a)
    response = client.get(LIST, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="request-rows"')
    assert "<html" not in content
    assert "HX-Request" in response["Vary"]


# --- home pages ---------------------------------------------------------------------------------

HOME = reverse("home")


def test_the_village_home_page_shows_what_waits_for_it(client, p):
    returned = in_state(p, "returned")
    draft = in_state(p, "draft")
    done = in_state(p, "done")
    ready = in_state(p, "ready")
    client.force_login(p.desa_a)
    context = client.get(HOME).context
    assert [row.request.pk for row in context["returned"]] == [returned.pk]
    assert [row.request.pk for row in context["drafts"]] == [draft.pk]
    assert [row.request.pk for row in context["done"]] == [done.pk]
    assert [row.request.pk for row in context["ready"]] == [ready.pk]
    assert context["counts"]["returned"] == 1
    content = client.get(HOME).content.decode()
    assert reverse("request_detail", args=[returned.pk]) in content
    assert NIK_MAN not in content


def test_the_kecamatan_home_page_shows_requests_to_verify_the_overdue_first(client, p):
    fresh = in_state(p, "submitted")
    late = make_submitted(p.desa_b)
    ServiceRequest.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=2))
    client.force_login(p.kecamatan_a)
    context = client.get(HOME).context
    assert [row.request.pk for row in context["to_verify"]] == [late.pk, fresh.pk]
    assert context["counts"]["submitted"] == 2
    assert context["counts"]["overdue"] == 1


def test_the_clerk_home_page_shows_the_queue_and_what_they_hold(client, p):
    queued = in_state(p, "verified")
    held = in_state(p, "in_process")
    client.force_login(p.clerk)
    context = client.get(HOME).context
    assert [row.request.pk for row in context["unclaimed"]] == [queued.pk]
    assert [row.request.pk for row in context["mine"]] == [held.pk]
    assert context["counts"]["mine"] == 1
    assert context["counts"]["verified"] == 1


def test_the_head_home_page_shows_queues_overdue_and_holdings(client, p):
    in_state(p, "verified")
    held = in_state(p, "in_process")
    ServiceRequest.objects.filter(pk=held.pk).update(due_at=timezone.now() - timedelta(hours=1))
    client.force_login(p.head)
    context = client.get(HOME).context
    assert context["counts"]["verified"] == 1
    assert context["counts"]["in_process"] == 1
    assert context["counts"]["overdue"] == 1
    assert [row.request.pk for row in context["overdue"]] == [held.pk]
    assert [(h["holder_id"], h["held"], h["overdue"]) for h in context["holdings"]] == [
        (p.clerk.pk, 1, 1)
    ]
    assert "Fitri Handayani" in client.get(HOME).content.decode()


@pytest.mark.parametrize("persona", ["viewer", "admin"])
def test_the_viewer_and_admin_home_pages_show_no_request(client, p, persona):
    request = in_state(p, "in_process")
    client.force_login(getattr(p, persona))
    content = client.get(HOME).content.decode()
    assert request.subject_name not in content
    assert request.number not in content


@pytest.mark.parametrize("persona", ["desa_a", "kecamatan_a", "clerk", "head"])
def test_home_pages_with_requests_in_every_state_stay_within_their_query_budget(
    client, p, persona, django_assert_max_num_queries
):
    for state in ("draft", "submitted", "returned", "verified", "in_process", "done", "ready"):
        clone(in_state(p, state), 6)
    client.force_login(getattr(p, persona))
    # Dinas roles: one more, django-otp loading the session's second-factor device.
    with django_assert_max_num_queries(13 if persona in ("clerk", "head") else 12):
        response = client.get(HOME)
    assert response.status_code == 200
