"""Ranking of kecamatan and villages by IKM, by completion on time and by volume."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from paradewi.reports.selectors import _competition_ranks
from paradewi.reports.services import refresh_activity
from paradewi.surveys.tests.factories import answer, handed_over


@pytest.fixture
def rated(personas):
    """Desa A: six answers of 3 and 4 (IKM 87.50); desa B: five of 4 (100); desa C in
    Gondang: five of 3 (75). Every request is completed at once: on time."""
    p = personas
    for number in range(6):
        answer(handed_over(p, subject_nik=f"35160112059000{10 + number}"), 3 + number % 2)
    for number in range(5):
        answer(handed_over(p, "desa_b", subject_nik=f"35160112059000{20 + number}"), 4)
    for number in range(5):
        answer(handed_over(p, "desa_c", subject_nik=f"35160112059000{30 + number}"), 3)
    refresh_activity()
    return p


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def query(**extra):
    return {"period": f"{timezone.localdate():%Y-%m}", **extra}


def test_equal_figures_share_a_rank():
    assert _competition_ranks({1: Fraction(90), 2: Fraction(95), 3: Fraction(90), 4: 80}) == {
        2: 1,
        1: 2,
        3: 2,
        4: 4,
    }


def test_the_head_ranks_kecamatan_and_villages(rated, en):
    en.force_login(rated.head)
    page = en.get(reverse("reports_ranking"), query())
    assert page.status_code == 200
    districts, villages = page.context["report"].rankings
    assert len(districts.rows) == 18
    top = districts.rows[0]
    # Jatirejo: 11 answers, (6 x 3.5 + 5 x 4) / 11 x 25 = 93.18; Gondang 75.
    assert (top.name, top.rank_ikm, f"{float(top.figures.index):.2f}") == (
        "Kecamatan Jatirejo",
        1,
        "93.18",
    )
    assert (districts.rows[1].name, districts.rows[1].rank_ikm) == ("Kecamatan Gondang", 2)
    assert all(row.rank_ikm is None for row in districts.rows[2:])
    ranked = [
        (row.name, row.rank_ikm, row.rank_on_time, row.rank_volume) for row in villages.rows[:3]
    ]
    assert ranked == [
        ("Desa Rejosari", 1, 1, 2),
        ("Desa Tawangrejo", 2, 1, 1),
        ("Desa Gumeng", 3, 1, 2),
    ]
    assert villages.rows[0].district == "Kecamatan Jatirejo"
    assert len(villages.rows) > 300  # every village of the regency, ranked or not
    assert villages.rows[3].rank_ikm is None
    html = page.content.decode()
    assert "Rank by IKM" in html
    assert "Slamet Riyadi" not in html  # nothing personal


def test_the_order_can_be_changed(rated, en):
    en.force_login(rated.viewer)
    page = en.get(reverse("reports_ranking"), query(order="volume"))
    villages = page.context["report"].rankings[1].rows
    # Equal ranks in code order.
    assert [row.name for row in villages[:3]] == ["Desa Tawangrejo", "Desa Rejosari", "Desa Gumeng"]
    assert [row.rank_volume for row in villages[:3]] == [1, 2, 2]
    # Unknown orders fall back to the IKM.
    assert en.get(reverse("reports_ranking"), query(order="x")).context["report"].order == "ikm"


def test_a_kecamatan_ranks_its_own_villages(rated, en):
    en.force_login(rated.kecamatan_a)
    rankings = en.get(reverse("reports_ranking"), query()).context["report"].rankings
    assert len(rankings) == 1
    names = [row.name for row in rankings[0].rows]
    assert names[:2] == ["Desa Rejosari", "Desa Tawangrejo"]
    assert "Desa Gumeng" not in names
    assert all(row.code.startswith("35.16.01.") for row in rankings[0].rows)
    assert en.get(reverse("reports_ranking"), query(area="35.16.02")).status_code == 404


def test_a_village_officer_has_no_ranking(rated, en):
    en.force_login(rated.desa_a)
    assert en.get(reverse("reports_ranking"), query()).status_code == 404
    assert en.get(reverse("reports_ranking_xlsx"), query()).status_code == 404
    assert "Ranking" not in en.get(reverse("reports_speed"), query()).content.decode()


def test_a_village_area_has_nothing_to_rank(rated, en):
    en.force_login(rated.head)
    page = en.get(reverse("reports_ranking"), query(area="35.16.01.2001"))
    assert page.context["report"].rankings == []
    assert "A ranking compares areas" in page.content.decode()


def test_the_ranking_export_has_a_sheet_per_level(rated, en):
    en.force_login(rated.head)
    response = en.get(reverse("reports_ranking_xlsx"), query(order="on_time"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Ranking", "Kecamatan", "Villages"]
    header, *rows = book["Villages"].iter_rows(values_only=True)
    assert header[:5] == ("Rank by IKM", "Rank by on time", "Rank by volume", "Code", "Area")
    by_name = {row[4]: row for row in rows}
    assert by_name["Desa Rejosari"][:3] == (1, 1, 2)
    assert by_name["Desa Rejosari"][header.index("IKM")] == 100
    assert by_name["Desa Rejosari"][header.index("On time")] == 1


def test_a_long_list_shows_fifty_rows_and_links_to_all(rated, en):
    en.force_login(rated.head)
    html = en.get(reverse("reports_ranking"), query()).content.decode()
    villages = en.get(reverse("reports_ranking"), query()).context["report"].rankings[1].rows
    assert html.count("<tr>") < 18 + 50 + 10
    assert f"Show all {len(villages)} areas" in html
    full = en.get(reverse("reports_ranking"), query(all="1")).content.decode()
    assert full.count("<tr>") > len(villages)
    assert "Show all" not in full
