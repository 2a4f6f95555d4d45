"""Possible duplicates: the same person with another open request of the same or a conflicting
service, anywhere in the regency; what each role is told, and the flag in the queues."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from paradewi.requests import services
from paradewi.requests.models import Status
from paradewi.requests.selectors.duplicates import conflicting_codes, duplicates_of
from paradewi.requests.tests.factories import (
    NIK_MAN,
    make_draft,
    make_submitted,
    upload_all,
)

CHILD: dict[str, Any] = {
    "subject_nik": "",
    "subject_name": "Bagus Pratama",
    "subject_sex": "L",
    "subject_birth_date": date(2026, 11, 20),
    "reporter_relationship": "parent",
    "reporter_nik": NIK_MAN,
    "reporter_name": "Slamet Riyadi",
}


@pytest.fixture
def p(personas):
    return personas


@pytest.fixture
def client(client):
    """The pages in English, as the source strings read."""
    client.cookies["django_language"] = "en"
    return client


def test_the_same_nik_elsewhere_is_told_without_its_number_or_place(client, p):
    elsewhere = make_submitted(p.desa_c)  # another kecamatan
    mine = make_draft(p.desa_a)
    hints = duplicates_of(p.desa_a, mine)
    assert len(hints) == 1
    assert hints[0].visible is False
    assert hints[0].same_service is True
    assert (hints[0].number, hints[0].pk, hints[0].service_name) == ("", None, "")
    client.force_login(p.desa_a)
    page = client.get(reverse("request_edit", args=[mine.pk])).content.decode()
    assert 'id="duplicates"' in page
    assert "in another area" in page
    assert elsewhere.number not in page
    assert elsewhere.village.name not in page


def test_the_dinas_sees_both_and_links_them(client, p):
    first = make_submitted(p.desa_c)
    second = make_submitted(p.desa_a)
    hints = duplicates_of(p.clerk, second)
    assert [(h.visible, h.pk, h.number) for h in hints] == [(True, first.pk, first.number)]
    client.force_login(p.clerk)
    page = client.get(reverse("request_detail", args=[second.pk])).content.decode()
    assert f'href="{reverse("request_detail", args=[first.pk])}"' in page


def test_a_newborn_without_nik_matches_by_kk_name_and_birth_date(p):
    make_submitted(p.desa_b, "akta-kelahiran", **CHILD)
    same = make_draft(p.desa_a, "akta-kelahiran", **{**CHILD, "subject_name": "bagus  PRATAMA"})
    assert len(duplicates_of(p.desa_a, same)) == 1
    other_kk = make_draft(p.desa_a, "akta-kelahiran", **{**CHILD, "subject_kk": NIK_MAN})
    assert duplicates_of(p.desa_a, other_kk) == []


def test_a_twin_is_no_duplicate(p):
    make_submitted(p.desa_a, "akta-kelahiran", **CHILD)
    twin = make_draft(p.desa_a, "akta-kelahiran", **{**CHILD, "subject_name": "Bagas Pratama"})
    assert duplicates_of(p.desa_a, twin) == []


def test_conflicting_services_match_and_others_do_not(p):
    assert conflicting_codes("kia") == {"kia", "akta-kelahiran", "akta-kematian"}
    assert conflicting_codes("akta-kematian") is None
    make_submitted(p.desa_a, "kk-perubahan")
    reprint = make_draft(p.desa_a, "ktp-el-cetak-ulang", details={"reason": "lost"})
    assert duplicates_of(p.desa_a, reprint) == []
    death = make_draft(p.desa_a, "akta-kematian", reporter_relationship="child")
    assert [h.same_service for h in duplicates_of(p.desa_a, death)] == [False, False]


def test_a_finished_request_is_no_duplicate(p):
    earlier = make_submitted(p.desa_a)
    services.request_cancel(actor=p.desa_a, request=earlier, reason="Salah input.")
    assert duplicates_of(p.desa_a, make_draft(p.desa_a)) == []
    assert duplicates_of(p.desa_a, earlier) == []


def test_submitting_a_possible_duplicate_asks_for_a_tick(client, p):
    make_submitted(p.desa_c)
    mine = make_draft(p.desa_a)
    upload_all(p.desa_a, mine)
    client.force_login(p.desa_a)
    url = reverse("request_submit", args=[mine.pk])
    response = client.post(url, follow=True)
    mine.refresh_from_db()
    assert mine.status == Status.DRAFT
    assert "This is not the same request" in response.content.decode()
    client.post(url, {"not_a_duplicate": "1"})
    mine.refresh_from_db()
    assert mine.status == Status.SUBMITTED


@pytest.mark.parametrize(("persona", "tab"), [("kecamatan_a", "verify"), ("clerk", "all")])
def test_the_queues_flag_a_possible_duplicate(client, p, persona, tab):
    make_submitted(p.desa_c)
    flagged = make_submitted(p.desa_a)
    alone = make_submitted(
        p.desa_a,
        subject_nik="3516014101950003",
        subject_name="Sri Wahyuni",
        subject_sex="P",
        subject_birth_date=date(1995, 1, 1),
        reporter_nik="3516014101950003",
        reporter_name="Sri Wahyuni",
    )
    client.force_login(getattr(p, persona))
    response = client.get(reverse("request_list"), {"tab": tab})
    flags = {row.request.pk: row.request.possible_duplicate for row in response.context["rows"]}
    assert flags[flagged.pk] is True
    assert flags[alone.pk] is False
    assert "Possible duplicate" in response.content.decode()
