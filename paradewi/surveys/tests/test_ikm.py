"""The IKM arithmetic of PermenPAN-RB 14/2017, exact, with its grades and sample size."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from paradewi.surveys import ikm
from paradewi.surveys.ikm import figures
from paradewi.surveys.questionnaire import ELEMENTS


def test_it_has_the_nine_elements_of_the_regulation_in_its_wording():
    assert [e.code for e in ELEMENTS] == [f"U{n}" for n in range(1, 10)]
    with translation.override("id"):
        names = [str(e.name) for e in ELEMENTS]
        cost = [str(a) for a in ELEMENTS[3].answers]
    assert names == [
        "Persyaratan",
        "Sistem, Mekanisme, dan Prosedur",
        "Waktu Penyelesaian",
        "Biaya/Tarif",
        "Produk Spesifikasi Jenis Pelayanan",
        "Kompetensi Pelaksana",
        "Perilaku Pelaksana",
        "Sarana dan prasarana",
        "Penanganan Pengaduan, Saran dan Masukan",
    ]
    assert all(len(e.answers) == 4 for e in ELEMENTS)
    assert cost == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]


def test_english_readers_read_the_elements_answers_and_grades_in_english():
    # The English catalog (paradewi/locale/en) translates the official wording.
    assert str(ELEMENTS[0].name) == "Requirements"
    assert str(ELEMENTS[0].question) == (
        "What do you think of how well the requirements fit the type of service?"
    )
    assert [str(a) for a in ELEMENTS[3].answers] == [
        "Very expensive",
        "Rather expensive",
        "Cheap",
        "Free",
    ]
    assert [str(g.label) for g in ikm.GRADES] == [
        "Very good",
        "Good",
        "Not good enough",
        "Not good",
    ]
    for element in ELEMENTS:
        with translation.override("en"):
            shown = [str(element.name), str(element.question), *map(str, element.answers)]
        with translation.override("id"):
            official = [str(element.name), str(element.question), *map(str, element.answers)]
        assert all(a != b for a, b in zip(shown, official, strict=True)), element.code


def test_it_weighs_every_element_exactly_one_ninth():
    # All answers 3: NRR 3 everywhere, IKM 25 x 3 = 75 exactly (with 0.111 it would be 74.925).
    assert ikm.ikm([30] * 9, 10) == 75
    assert Fraction(1, 9) == ikm.WEIGHT
    assert sum([ikm.WEIGHT] * 9) == 1


def test_it_computes_the_index_from_the_element_means():
    # Three responses; element sums give NRRs 3, 10/3, 4, 2, 3, 3, 11/3, 3, 3.
    totals = [9, 10, 12, 6, 9, 9, 11, 9, 9]
    index = ikm.ikm(totals, 3)
    assert index == Fraction(25, 9) * sum(Fraction(t, 3) for t in totals)
    assert index == Fraction(2100, 27)
    assert ikm.rounded(index) == Decimal("77.78")


def test_it_rounds_only_for_display_half_up():
    assert ikm.rounded(Fraction(88305, 1000)) == Decimal("88.31")
    assert ikm.rounded(Fraction(1, 3), 3) == Decimal("0.333")


@pytest.mark.parametrize(
    ("value", "letter", "label"),
    [
        (Fraction(100), "A", "Sangat Baik"),
        (Fraction(8831, 100), "A", "Sangat Baik"),
        (Fraction(88305, 1000), "A", "Sangat Baik"),  # shown as 88.31
        (Fraction(88304, 1000), "B", "Baik"),  # shown as 88.30
        (Fraction(7661, 100), "B", "Baik"),
        (Fraction(7660, 100), "C", "Kurang Baik"),
        (Fraction(65), "C", "Kurang Baik"),
        (Fraction(6499, 100), "D", "Tidak Baik"),
        (Fraction(25), "D", "Tidak Baik"),
    ],
)
def test_it_grades_the_index_as_it_is_shown(value, letter, label):
    grade = ikm.grade(value)
    with translation.override("id"):
        assert (grade.letter, str(grade.label)) == (letter, label)


@pytest.mark.parametrize(
    ("population", "sample"),
    [(0, 0), (1, 1), (10, 10), (100, 80), (500, 218), (1000, 278), (10_000, 370)],
)
def test_it_sizes_the_sample_by_krejcie_and_morgan(population, sample):
    # The published Krejcie-Morgan table: 100 -> 80, 500 -> 217/218, 1000 -> 278, 10000 -> 370.
    assert ikm.krejcie_morgan(population) == sample


def test_it_shows_no_figures_for_fewer_than_five_responses():
    assert not figures(4, [16] * 9).shown
    shown = figures(5, [20] * 9)
    assert shown.shown
    assert shown.index == 100
    assert shown.grade.letter == "A"
    assert [e.nrr for e in shown.elements] == [4] * 9
    assert shown.elements[0].weighted == Fraction(4, 9)
    assert shown.elements[0].converted == 100
