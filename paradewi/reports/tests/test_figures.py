"""The published results at /figures/: open to all, aggregates only, small groups withheld."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from paradewi.catalogue.models import Service
from paradewi.regions.models import Region
from paradewi.reports.models import (
    Measure,
    MonthlyActivity,
    MonthlyDuration,
    MonthlySatisfaction,
    MonthlyServiceDuration,
)
from paradewi.reports.published import compute_published_figures, withheld
from paradewi.reports.services import refresh_activity
from paradewi.surveys.questionnaire import ELEMENT_FIELDS

pytestmark = pytest.mark.django_db

ENGLISH = {"accept-language": "en"}
TODAY = date(2026, 11, 20)  # Q4 2026 under way; the four whole quarters: Q4 2025 to Q3 2026


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def village(code: str) -> Region:
    return Region.objects.select_related("parent").get(code=code)


def activity(month: date, village_code: str, service: str, completed: int, on_time: int) -> None:
    place = village(village_code)
    MonthlyActivity.objects.create(
        month=month,
        village=place,
        district=place.parent,
        service=Service.objects.get(code=service),
        completed=completed,
        completed_on_time=on_time,
        handed_over=completed,
    )


def satisfaction(month: date, village_code: str, service: str, responses: int, score: int) -> None:
    place = village(village_code)
    MonthlySatisfaction.objects.create(
        month=month,
        village=place,
        district=place.parent,
        service=Service.objects.get(code=service),
        channel="kiosk",
        responses=responses,
        **dict.fromkeys(ELEMENT_FIELDS, score * responses),
    )


def first_village(district_code: str) -> str:
    code: str = (
        Region.objects.filter(parent__code=district_code, level=Region.Level.VILLAGE)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    return code


def page(client) -> str:
    with time_machine.travel(TODAY, tick=False):
        response = client.get(reverse("public_figures"), headers=ENGLISH)
    assert response.status_code == 200
    html: str = response.content.decode()
    return html


def row(html: str, name: str) -> str:
    match = re.search(rf"<tr>\s*<th scope=\"row\">{re.escape(name)}.*?</tr>", html, re.S)
    assert match, name
    return text(match.group(0))


# --- the rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sizes", "hidden"),
    [
        ({"a": 3, "b": 10, "c": 20}, {"a", "b"}),  # one small group: the next smallest too
        ({"a": 3, "b": 2, "c": 10}, {"a", "b"}),  # two small groups hide each other
        ({"a": 0, "b": 10}, set()),  # an empty group has nothing to hide
        ({"a": 5, "b": 6}, set()),
        ({"a": 4}, {"a"}),
    ],
)
def test_groups_under_five_are_withheld_and_cannot_be_recovered_from_a_total(sizes, hidden):
    assert withheld(sizes) == hidden


# --- the page -----------------------------------------------------------------------------------


def test_anyone_reads_it_without_logging_in_and_without_javascript(client):
    html = page(client)
    assert "How the service performs" in html
    assert "<script" not in html
    assert "Satisfaction (IKM) per quarter" in html
    assert "Quarter 4, 2026" in html
    assert "(so far)" in html
    assert "Quarter 4, 2025" in html


def test_officers_see_the_same_page(client, personas):
    client.force_login(personas.clerk)
    assert "Satisfaction (IKM) per quarter" in page(client)


def test_a_quarter_shows_its_index_grade_respondents_and_sample(client):
    month = date(2026, 7, 1)  # Q3 2026
    satisfaction(month, first_village("35.16.01"), "kk-perubahan", 40, 4)
    activity(month, first_village("35.16.01"), "kk-perubahan", 40, 40)
    html = page(client)
    q3 = row(html, "Quarter 3, 2026")
    assert "100.00" in q3
    assert "A · Very good" in q3
    assert "40" in q3
    assert "sample adequate (36 needed of 40 served)" in q3


def test_a_quarter_with_fewer_than_five_answers_shows_no_figure(client):
    satisfaction(date(2026, 10, 1), first_village("35.16.01"), "kk-perubahan", 4, 1)
    html = page(client)
    current = row(html, "Quarter 4, 2026")
    assert "fewer than 5" in current
    assert "25.00" not in current
    assert "D ·" not in html


def test_a_kecamatan_with_fewer_than_five_completed_is_withheld_with_the_next_smallest(client):
    month = date(2026, 5, 1)
    small, middle, large = "35.16.01", "35.16.02", "35.16.03"
    activity(month, first_village(small), "kk-perubahan", 3, 0)
    activity(month, first_village(middle), "kk-perubahan", 6, 5)
    activity(month, first_village(large), "kk-perubahan", 30, 27)
    figures = compute_published_figures(TODAY)
    lines = {line.name: line for line in figures.districts}
    names = {code: Region.objects.get(code=code).name for code in (small, middle, large)}
    assert lines[names[small]].withheld
    assert lines[names[small]].completed is None
    assert lines[names[middle]].withheld
    assert lines[names[middle]].on_time is None
    assert not lines[names[large]].withheld
    assert lines[names[large]].completed == 30
    html = page(client)
    assert "fewer than 5, or withheld" in row(html, names[small])
    assert "90.0 %" in row(html, names[large])
    assert "39 requests completed" in text(html)


def test_a_service_with_fewer_than_five_answers_is_withheld(client):
    month = date(2026, 2, 1)
    satisfaction(month, first_village("35.16.01"), "kk-perubahan", 2, 3)
    satisfaction(month, first_village("35.16.01"), "akta-kelahiran", 8, 3)
    satisfaction(month, first_village("35.16.01"), "akta-kematian", 20, 4)
    figures = compute_published_figures(TODAY)
    lines = {line.name: line for line in figures.ikm_services}
    hidden = [name for name, line in lines.items() if line.withheld]
    assert len(hidden) == 2
    assert all(lines[name].figures.index is None for name in hidden)
    shown = [line for line in lines.values() if not line.withheld]
    assert [line.figures.responses for line in shown] == [20]


def test_the_median_per_kecamatan_comes_from_the_duration_histograms(client):
    month = date(2026, 6, 1)
    place = village(first_village("35.16.01"))
    activity(month, place.code, "kk-perubahan", 6, 6)
    MonthlyDuration.objects.create(
        month=month, village=place, district=place.parent, measure=Measure.LEAD, le_240=4, le_480=2
    )
    figures = compute_published_figures(TODAY)
    line = next(line for line in figures.districts if line.name == place.parent.name)
    assert line.median is not None
    assert line.median.minutes == 240


def test_the_median_per_service_comes_from_its_own_histograms(client):
    month = date(2026, 6, 1)
    place = village(first_village("35.16.01"))
    activity(month, place.code, "kk-perubahan", 7, 6)
    MonthlyServiceDuration.objects.create(
        month=month,
        district=place.parent,
        service=Service.objects.get(code="kk-perubahan"),
        le_60=3,
        le_480=4,
    )
    figures = compute_published_figures(TODAY)
    line = next(line for line in figures.services if line.name.startswith("Kartu Keluarga (KK) p"))
    assert line.median is not None
    assert line.median.minutes == 480
    assert "≤ 1 working day" in row(page(client), "Kartu Keluarga (KK) perubahan data")


def test_a_kecamatan_with_nothing_completed_is_named_in_a_sentence(client):
    html = text(page(client))
    assert "No request completed: Jatirejo, Gondang" in html


def test_it_names_no_person_village_or_request(client, personas):
    from paradewi.requests.tests.factories import NIK_WOMAN
    from paradewi.surveys.models import Channel
    from paradewi.surveys.services import response_submit
    from paradewi.surveys.tests.factories import PROFILE, answers, handed_over

    with time_machine.travel(date(2026, 9, 15), tick=True):  # in Q3 2026
        requests = [handed_over(personas) for _ in range(6)]
        for request in requests:
            response_submit(
                service_request=request, answers=answers(4), profile=PROFILE, channel=Channel.KIOSK
            )
        refresh_activity(rebuild=True)
    html = page(client)
    assert "6 requests completed" in text(html)
    assert "100.00" in row(html, "Kartu Keluarga (KK) perubahan data")
    assert (
        MonthlyServiceDuration.objects.get().le_480 + MonthlyServiceDuration.objects.get().le_240
        >= 0
    )
    for request in requests:
        assert request.number not in html
        assert request.subject_name not in html
        assert request.reporter_name not in html
        assert request.village.name not in html
    assert NIK_WOMAN not in html
    main = html.split('<main id="main">')[1].split("</main>")[0]
    assert "/requests/" not in main
    assert "/track/" not in main
    assert "/verify/" not in main


def test_a_second_reader_is_served_from_the_cache(client, django_assert_max_num_queries):
    page(client)
    with django_assert_max_num_queries(3):  # when the figures were refreshed, and the cache
        page(client)


# --- complaints ---------------------------------------------------------------------------------


def complaints_filed(category: str, count: int, when: date) -> None:
    from paradewi.complaints.services import complaint_file

    with time_machine.travel(when, tick=False):
        for n in range(count):
            complaint_file(category=category, text=f"Keluhan nomor {n} tentang layanan ini.")


def test_complaints_received_and_the_categories_are_published_small_ones_withheld(regions):
    """UU 25/2009: the results of complaint handling are public; a category of 1 to 4
    complaints shows no count, and the next smallest neither, so it cannot be worked out."""
    complaints_filed("slow", 7, date(2026, 3, 10))
    complaints_filed("fees", 2, date(2026, 4, 10))
    complaints_filed("data_wrong", 6, date(2026, 5, 10))
    complaints_filed("other", 1, date(2025, 6, 1))  # before the four quarters
    public = compute_published_figures(TODAY).complaints
    assert public is not None
    assert public.received == 15
    assert dict(public.categories) == {"slow": 7, "fees": None, "data_wrong": None}
    assert public.judged == 15  # long past their target, none answered
    assert public.within_target == 0
    assert public.share == 0


def test_the_page_shows_the_complaints_without_any_text_of_them(client, regions):
    complaints_filed("slow", 6, date(2026, 3, 10))
    content = text(page(client))
    assert "6 complaints received" in content
    assert "0.0 % answered within the target (0 of 6)" in content
    assert "Keluhan nomor" not in content


def test_fewer_than_five_complaints_show_neither_their_number_nor_categories(client, regions):
    complaints_filed("fees", 1, date(2026, 3, 10))
    content = text(page(client))
    assert "Fewer than 5 complaints received." in content
    assert "1 complaint received" not in content
    assert "Fees asked" not in content
