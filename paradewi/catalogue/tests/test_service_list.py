"""The public catalogue at /services/: every service, readable alternatives, bounded queries."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from paradewi.catalogue.models import OutputDocument, Requirement, Service
from paradewi.catalogue.selectors import requirement_items
from paradewi.catalogue.services import catalogue_load

pytestmark = pytest.mark.django_db

ENGLISH = {"accept-language": "en"}


def section(html: str, code: str) -> str:
    """The card of one service, to assert on it alone."""
    match = re.search(rf'<section class="card" id="{code}".*?</section>', html, re.S)
    assert match, code
    return match.group(0)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def page(client) -> str:
    catalogue_load()
    response = client.get(reverse("service_list"), headers=ENGLISH)
    assert response.status_code == 200
    html: str = response.content.decode()
    return html


def test_it_lists_all_twelve_services_with_a_link_to_each(page):
    for service in Service.objects.all():
        assert section(page, service.code)
        assert f'href="#{service.code}"' in page
        assert service.name in text(page)
    assert page.count('<section class="card"') == 12


def test_it_shows_the_birth_alternatives_together_as_one_choice(page):
    birth = section(page, "akta-kelahiran")
    choices = re.findall(r'<ul class="alternatives">(.*?)</ul>', birth, re.S)
    assert len(choices) == 2
    letter, sptjm = (text(option) for option in re.findall(r"<li>(.*?)</li>", choices[0], re.S))
    assert letter.startswith("Surat keterangan kelahiran")
    assert sptjm.startswith("SPTJM kebenaran data kelahiran F-2.03")
    assert "KTP-el 2 orang saksi" not in birth  # SE Dirjen Dukcapil 470/13287/Dukcapil (2021)
    assert "One of:" in text(birth)
    assert "Buku nikah atau kutipan akta perkawinan orang tua" in text(choices[1])
    assert "SPTJM kebenaran sebagai pasangan suami istri F-2.04" in text(choices[1])


def test_it_shows_conditions_cards_target_times_and_reporting_limits(page):
    kia = text(section(page, "kia"))
    assert "Pas foto anak berwarna 2x3 cm (only if the child is 5 to 17 years old)" in kia
    assert "KIA card, picked up" in kia
    assert "Target time: 1 working day" in kia
    lost = text(section(page, "kk-hilang-rusak"))
    assert "(only if the document was lost)" in lost
    assert "(only if the document was damaged)" in lost
    death = text(section(page, "akta-kematian"))
    assert "Report within 30 days of the event" in death
    marriage = text(section(page, "akta-perkawinan"))
    assert "Target time: 2 working days" in marriage
    assert "(only if a spouse is under 21)" in marriage
    assert "Akta kematian" not in text(section(page, "kia"))


def test_it_uses_no_javascript_of_its_own(page):
    main = page.split('<main id="main">', 1)[1]
    assert "<script" not in main
    assert " on" + "click=" not in main


def test_it_hides_a_service_that_is_no_longer_offered(client):
    catalogue_load()
    Service.objects.filter(code="kia").update(is_active=False)
    html = client.get(reverse("service_list"), headers=ENGLISH).content.decode()
    assert 'id="kia"' not in html
    assert html.count('<section class="card"') == 11


def add_services(count: int) -> None:
    for number in range(count):
        service = Service.objects.create(code=f"extra-{number}", name=f"Layanan {number}")
        Requirement.objects.create(
            service=service, code="a", name="A", alternative_group="g", alternative_option="1"
        )
        Requirement.objects.create(
            service=service, code="b", name="B", alternative_group="g", alternative_option="2"
        )
        OutputDocument.objects.create(service=service, code="out", name="Out", is_card=True)


@pytest.mark.usefixtures("empty_regions")  # no regency to cache: each page looks for it
def test_its_queries_do_not_grow_with_the_number_of_services(client, django_assert_max_num_queries):
    # Services, requirements, outputs, the standard's maklumat, and the deployed regency for
    # the page header.
    catalogue_load()
    with django_assert_max_num_queries(5) as twelve:
        client.get(reverse("service_list"))
    add_services(10)
    with django_assert_max_num_queries(5) as twenty_two:
        response = client.get(reverse("service_list"))
    assert response.content.decode().count('<section class="card"') == 22
    assert len(twenty_two.captured_queries) == len(twelve.captured_queries)


def test_its_query_count_stays_small_for_a_logged_in_officer(
    client, personas, django_assert_max_num_queries
):
    catalogue_load()
    add_services(10)
    client.force_login(personas.desa_a)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("service_list")).status_code == 200


def test_requirement_items_keep_order_and_put_a_group_where_it_first_appears():
    def req(code: str, group: str = "", option: str = "") -> Requirement:
        return Requirement(code=code, name=code, alternative_group=group, alternative_option=option)

    items = requirement_items(
        [
            req("form"),
            req("skl", "g", "a"),
            req("kk"),
            req("sptjm", "g", "b"),
            req("saksi", "g", "b"),
        ]
    )
    shape = [
        item.requirement.code
        if item.requirement
        else [[r.code for r in option] for option in item.options]
        for item in items
    ]
    assert shape == ["form", [["skl"], ["sptjm", "saksi"]], "kk"]
