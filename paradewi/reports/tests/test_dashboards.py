"""The dashboards through the test client: figures, areas, and who sees what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from paradewi.reports.services import refresh_activity
from paradewi.requests.tests.factories import NIK_WOMAN
from paradewi.surveys.tests.factories import answer, handed_over

PAGES = [
    "reports_speed",
    "reports_ikm",
    "reports_returns",
    "reports_speed_xlsx",
    "reports_ikm_xlsx",
    "reports_returns_xlsx",
    "reports_pdf",
]
RANKING = ["reports_ranking", "reports_ranking_xlsx"]


@pytest.fixture
def p(personas):
    return personas


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def rated(p):
    """Six requests of desa A handed over and rated (scores 3 and 4), one of desa C unrated."""
    for number in range(6):
        request = handed_over(p, subject_nik=f"35160112059000{number + 10}")
        answer(request, 4 if number % 2 else 3)
    handed_over(p, "desa_c", subject_nik=NIK_WOMAN, subject_sex="P", subject_name="Sri Wahyuni")
    refresh_activity()


def month():
    return f"{timezone.localdate():%Y-%m}"


def test_the_head_sees_the_regency_by_kecamatan(p, en, rated):
    en.force_login(p.head)
    page = en.get(reverse("reports_speed"), {"period": month()})
    assert page.status_code == 200
    html = page.content.decode()
    report = page.context["report"]
    assert report.total.submitted == 7
    assert report.total.handed_over == 7
    rows = {row.name: row.activity.handed_over for row in report.areas}
    assert rows["Kecamatan Jatirejo"] == 6
    assert rows["Kecamatan Gondang"] == 1
    assert len(report.areas) == 18
    assert "<svg" in html
    assert 'role="img"' in html
    assert "Slamet Riyadi" not in html
    assert "Sri Wahyuni" not in html


def test_the_ikm_page_shows_the_index_with_its_elements(p, en, rated):
    en.force_login(p.viewer)
    page = en.get(reverse("reports_ikm"), {"period": month()})
    assert page.status_code == 200
    report = page.context["report"]
    assert report.total.responses == 6
    # Three responses of all 3 and three of all 4: NRR 3.5 everywhere, IKM 87.5, grade B.
    assert report.total.index == 87.5
    assert report.total.grade.letter == "B"
    assert report.served == 7
    assert report.sample_needed == 7
    assert not report.sample_adequate
    html = page.content.decode()
    assert "87.50" in html
    assert "exactly 1/9" in html
    assert "U1 Requirements" in html


def test_a_kecamatan_operator_sees_its_villages_only(p, en, rated):
    en.force_login(p.kecamatan_a)
    page = en.get(reverse("reports_speed"), {"period": month()})
    report = page.context["report"]
    assert report.total.handed_over == 6
    assert {row.code for row in report.areas} >= {"35.16.01.2001", "35.16.01.2002"}
    assert all(row.code.startswith("35.16.01.") for row in report.areas)
    village = en.get(reverse("reports_ikm"), {"period": month(), "area": "35.16.01.2001"})
    assert village.context["report"].total.responses == 6
    for code in ("35.16.02", "35.16.02.2001", "35.16", "35.78"):
        assert en.get(reverse("reports_speed"), {"area": code}).status_code == 404


def test_a_village_officer_sees_its_own_figures(p, en, rated):
    en.force_login(p.desa_c)
    page = en.get(reverse("reports_speed"), {"period": month()})
    assert page.context["report"].total.handed_over == 1
    assert page.context["report"].areas == []
    ikm_page = en.get(reverse("reports_ikm"), {"period": month()})
    assert ikm_page.context["report"].total.responses == 0
    assert not ikm_page.context["report"].total.shown
    assert "Fewer than 5 responses" in ikm_page.content.decode()
    assert en.get(reverse("reports_ikm"), {"area": "35.16.01.2001"}).status_code == 404


@pytest.mark.parametrize("name", PAGES + RANKING)
def test_the_administrator_sees_no_business_figures(p, en, name):
    en.force_login(p.admin)
    assert en.get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", PAGES + RANKING)
def test_reports_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["desa_a", "kecamatan_a", "clerk", "head", "viewer"])
@pytest.mark.parametrize("name", PAGES)
def test_every_reader_opens_every_report_of_their_area(p, en, persona, name):
    en.force_login(getattr(p, persona))
    assert en.get(reverse(name)).status_code == 200


def test_a_malformed_period_falls_back_to_this_month(p, en):
    en.force_login(p.head)
    for value in ("2026-13", "bogus", "1999", "2999-01"):
        page = en.get(reverse("reports_speed"), {"period": value})
        assert page.status_code == 200
        assert page.context["filters"].period.key == month()


@pytest.mark.parametrize("persona", ["kecamatan_a", "clerk", "head", "viewer"])
@pytest.mark.parametrize("name", RANKING)
def test_every_reader_but_a_village_opens_the_ranking(p, en, persona, name):
    en.force_login(getattr(p, persona))
    assert en.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES + RANKING)
@pytest.mark.parametrize(
    ("persona", "outside"),
    [
        ("kecamatan_a", "35.16.02"),
        ("kecamatan_a", "35.16.02.2001"),
        ("kecamatan_a", "35.16"),
        ("desa_a", "35.16.01.2002"),
        ("desa_a", "35.16.01"),
        ("head", "35.78"),
        ("viewer", "35.78.01"),
    ],
)
def test_no_report_opens_an_area_outside_the_readers(p, en, name, persona, outside):
    en.force_login(getattr(p, persona))
    assert en.get(reverse(name), {"area": outside}).status_code == 404


def test_the_sample_check_counts_responses_and_people_served_in_one_cohort(p, en):
    """PermenPAN-RB 14/2017 draws the sample from the people served in the period: a
    response given early next month about a document handed over this month counts in this
    month, beside its N, not as a response of a month with nobody served."""
    import time_machine

    from paradewi.reports.periods import add_months

    with time_machine.travel(timezone.now().replace(day=20, hour=3), tick=True):
        requests = [handed_over(p, subject_nik=f"35160112059000{n + 10}") for n in range(5)]
        refresh_activity()
        served_month = timezone.localdate().replace(day=1)
    with time_machine.travel(timezone.now().replace(day=20, hour=3) + timedelta(days=15)):
        for request in requests:
            answer(request, 4)
        refresh_activity()
        en.force_login(p.head)
        here = en.get(reverse("reports_ikm"), {"period": f"{served_month:%Y-%m}"})
        later = en.get(reverse("reports_ikm"), {"period": f"{add_months(served_month, 1):%Y-%m}"})
    report = here.context["report"]
    assert (report.served, report.total.responses, report.sample_needed) == (5, 5, 5)
    assert report.sample_adequate
    assert later.context["report"].total.responses == 0
    assert later.context["report"].served == 0
    assert "counted in the month the document was handed over" in here.content.decode()
