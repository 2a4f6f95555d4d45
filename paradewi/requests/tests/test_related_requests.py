"""A request's page lists the other requests of the same NIK or KK inside the user's area:
a clerk sees at once that a KK change of the family is pending while an akta is in process,
and nobody sees another area's requests through it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from paradewi.requests.tests.factories import (
    KK_NUMBER,
    NIK_MAN,
    NIK_WOMAN,
    make_draft,
    make_submitted,
)
from paradewi.testing import Client

OTHER_NIK = "3516014101950003"
OTHER_KK = "3516010202210004"


@pytest.fixture
def family(personas):
    p = personas
    return {
        "r1": make_submitted(p.desa_a, subject_nik=NIK_MAN, subject_kk=KK_NUMBER),
        # The wife, same KK, same village.
        "same kk": make_submitted(
            p.desa_a, subject_nik=NIK_WOMAN, subject_kk=KK_NUMBER, subject_name="Siti Aminah"
        ),
        # The same man, at another village of the kecamatan.
        "same nik, kecamatan": make_submitted(p.desa_b, subject_nik=NIK_MAN, subject_kk=OTHER_KK),
        # The same man, in another kecamatan.
        "same nik, elsewhere": make_submitted(p.desa_c, subject_nik=NIK_MAN, subject_kk=OTHER_KK),
        "unrelated": make_submitted(p.desa_a, subject_nik=OTHER_NIK, subject_kk=OTHER_KK),
        "village draft": make_draft(p.desa_a, subject_nik=NIK_MAN, subject_kk=KK_NUMBER),
    }


def shown(client: Client, request) -> set[int]:
    response = client.get(reverse("request_detail", args=[request.pk]))
    assert response.status_code == 200
    return {item.request.pk for item in response.context["related"]}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("desa_a", {"same kk", "village draft"}),
        ("kecamatan_a", {"same kk", "same nik, kecamatan"}),
        ("clerk", {"same kk", "same nik, kecamatan", "same nik, elsewhere"}),
        ("head", {"same kk", "same nik, kecamatan", "same nik, elsewhere"}),
    ],
)
def test_each_role_sees_the_related_requests_of_its_area_only(personas, family, persona, expected):
    client = Client()
    client.force_login(getattr(personas, persona))
    assert shown(client, family["r1"]) == {family[name].pk for name in expected}


@pytest.mark.parametrize("persona", ["desa_b", "desa_c", "kecamatan_c", "viewer"])
def test_those_outside_the_area_do_not_open_the_page_at_all(personas, family, persona):
    client = Client()
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("request_detail", args=[family["r1"].pk]))
    assert response.status_code in (403, 404)


def test_the_page_says_whether_it_is_the_same_person_or_the_same_family(personas, family):
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(personas.clerk)
    content = client.get(reverse("request_detail", args=[family["r1"].pk])).content.decode()
    assert "Other requests of this person or family" in content
    section = content.split('aria-labelledby="related"', 1)[1].split("</section>", 1)[0]
    assert section.count("same NIK") == 2
    assert section.count("same KK") == 1
    assert reverse("request_detail", args=[family["same nik, elsewhere"].pk]) in content


def test_a_request_without_numbers_lists_nothing(personas):
    request = make_draft(personas.desa_a, subject_nik="", subject_kk="")
    client = Client()
    client.force_login(personas.desa_a)
    assert shown(client, request) == set()
