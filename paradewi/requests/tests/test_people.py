"""The people of a family known from earlier requests of its KK, offered to pick on a new
birth request instead of typing their NIKs again."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from paradewi.requests.selectors.people import people_of_kk
from paradewi.requests.tests.factories import KK_NUMBER, NIK_MAN, NIK_WOMAN, make_draft

CREATE_BIRTH = reverse("request_create", args=["akta-kelahiran"])


@pytest.fixture
def p(personas):
    return personas


def older_child_and_father(actor, village=None):
    """An older child's birth request (the mother reported it) and the father's KTP-el reprint."""
    make_draft(
        actor,
        "akta-kelahiran",
        village=village,
        subject_nik="",
        subject_name="Dewi Lestari",
        subject_sex="P",
        subject_birth_date=date(2020, 3, 1),
        reporter_relationship="parent",
        reporter_nik=NIK_WOMAN,
        reporter_name="Siti Aminah",
        details={"mother_nik": NIK_WOMAN, "father_nik": NIK_MAN, "birth_order": 1},
    )
    make_draft(actor, "ktp-el-cetak-ulang", village=village, details={"reason": "lost"})


def test_the_parents_are_known_with_their_names_from_the_familys_earlier_requests(p):
    older_child_and_father(p.desa_a)
    people = people_of_kk(p.desa_a, p.desa_a.area_id, KK_NUMBER)
    assert [(person.nik, person.name, person.sex) for person in people] == [
        (NIK_MAN, "Slamet Riyadi", "L"),
        (NIK_WOMAN, "Siti Aminah", "P"),
    ]
    assert people[0].masked_nik == "351601********01"


def test_another_village_and_another_kk_know_nobody(p):
    older_child_and_father(p.desa_b)
    assert people_of_kk(p.desa_a, p.desa_a.area_id, KK_NUMBER) == []
    older_child_and_father(p.desa_a)
    assert people_of_kk(p.desa_a, p.desa_a.area_id, "3516010101200099") == []


def test_the_birth_form_starts_from_the_kk_and_offers_the_people_to_pick(client, p):
    older_child_and_father(p.desa_a)
    client.force_login(p.desa_a)
    response = client.get(CREATE_BIRTH, {"kk": KK_NUMBER})
    page = response.content.decode()
    assert response.context["form"].initial["subject_kk"] == KK_NUMBER
    assert f'data-pick="mother" data-nik="{NIK_WOMAN}"' in page
    assert f'data-pick="father" data-nik="{NIK_MAN}"' in page
    assert 'data-pick="reporter"' in page
    assert 'data-copy-parent="father"' in page
    assert "js/people_pick.js" in page


def test_a_wrong_kk_is_refused_in_the_lookup_and_nothing_is_offered(client, p):
    client.force_login(p.desa_a)
    response = client.get(CREATE_BIRTH, {"kk": "1234"})
    assert response.context["prefill"].errors["kk"]
    assert response.context["known_people"] == []


def test_the_kecamatan_picks_the_village_then_the_kk(client, p):
    village = p.desa_a.area
    older_child_and_father(p.kecamatan_a, village=village)
    client.force_login(p.kecamatan_a)
    response = client.get(CREATE_BIRTH, {"village": village.pk, "kk": KK_NUMBER})
    assert len(response.context["known_people"]) == 2


def test_other_services_still_fill_from_the_persons_nik(client, p):
    client.force_login(p.desa_a)
    response = client.get(reverse("request_create", args=["kia"]))
    assert "nik" in response.context["prefill"].fields
    assert "kk" not in response.context["prefill"].fields
