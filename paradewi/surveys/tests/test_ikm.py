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


# The whole published table (Krejcie and Morgan 1970, Table 1, N -> S), which PermenPAN-RB
# 14/2017 refers to for the number of respondents: all its 90 entries, written out.
KREJCIE_MORGAN_TABLE = {
    10: 10, 15: 14, 20: 19, 25: 24, 30: 28, 35: 32, 40: 36, 45: 40, 50: 44, 55: 48,
    60: 52, 65: 56, 70: 59, 75: 63, 80: 66, 85: 70, 90: 73, 95: 76, 100: 80, 110: 86,
    120: 92, 130: 97, 140: 103, 150: 108, 160: 113, 170: 118, 180: 123, 190: 127,
    200: 132, 210: 136, 220: 140, 230: 144, 240: 148, 250: 152, 260: 155, 270: 159,
    280: 162, 290: 165, 300: 169, 320: 175, 340: 181, 360: 186, 380: 191, 400: 196,
    420: 201, 440: 205, 460: 210, 480: 214, 500: 217, 550: 226, 600: 234, 650: 242,
    700: 248, 750: 254, 800: 260, 850: 265, 900: 269, 950: 274, 1000: 278, 1100: 285,
    1200: 291, 1300: 297, 1400: 302, 1500: 306, 1600: 310, 1700: 313, 1800: 317,
    1900: 320, 2000: 322, 2200: 327, 2400: 331, 2600: 335, 2800: 338, 3000: 341,
    3500: 346, 4000: 351, 4500: 354, 5000: 357, 6000: 361, 7000: 364, 8000: 367,
    9000: 368, 10000: 370, 15000: 375, 20000: 377, 30000: 379, 40000: 380, 50000: 381,
    75000: 382, 1000000: 384,
}  # fmt: skip


def test_the_sample_is_the_published_krejcie_morgan_table_at_every_entry():
    """PermenPAN-RB 14/2017 (Lampiran, penentuan jumlah responden) takes the sample from the
    Krejcie-Morgan table: the formula rounded to the nearest respondent, never above 384.
    Rounding up gave 218 for N = 500 (the table: 217), one too many at half the entries."""
    assert len(KREJCIE_MORGAN_TABLE) == 90
    assert {n: ikm.krejcie_morgan(n) for n in KREJCIE_MORGAN_TABLE} == KREJCIE_MORGAN_TABLE


@pytest.mark.parametrize(("population", "sample"), [(0, 0), (1, 1), (2, 2), (5, 5)])
def test_a_tiny_population_is_asked_whole(population, sample):
    """Krejcie and Morgan (PermenPAN-RB 14/2017): below the table's first entry every
    person served is asked."""
    assert ikm.krejcie_morgan(population) == sample


def test_the_sample_never_exceeds_384():
    """The table's last entry (N = 1,000,000) is 384, the formula's limit is 384.1
    (PermenPAN-RB 14/2017, Krejcie-Morgan)."""
    assert max(ikm.krejcie_morgan(n) for n in (10**6, 10**7, 10**9, 10**12)) == 384
    assert all(ikm.krejcie_morgan(n) <= ikm.krejcie_morgan(n + 1) for n in range(1, 5000))


@pytest.mark.parametrize(
    ("index", "printed", "letter"),
    [
        (Decimal("88.31"), "3.5324", "A"),
        (Decimal("88.30"), "3.5320", "B"),
        (Decimal("76.61"), "3.0644", "B"),
        (Decimal("76.60"), "3.0640", "C"),
        (Decimal("65.00"), "2.6000", "C"),
        (Decimal("64.99"), "2.5996", "D"),
    ],
)
def test_ni_is_printed_with_the_four_decimals_of_the_regulations_bands(index, printed, letter):
    """PermenPAN-RB 14/2017 writes the NI bands with four decimals (D up to 2.5996, C from
    2.60, B from 3.0644, A from 3.5324): an IKM of 88.31 (A) has NI 3.5324; with three
    decimals it printed 3.532, which lies in band B."""
    value = Fraction(index)
    shown = ikm.rounded(ikm.ni(value), ikm.NI_PLACES)
    assert str(shown) == printed
    assert ikm.grade(value).letter == letter
    bands = {"A": Decimal("3.5324"), "B": Decimal("3.0644"), "C": Decimal("2.60"), "D": Decimal(1)}
    better = [g for g in "ABCD" if shown >= bands[g]]
    assert better[0] == letter


def test_it_shows_no_figures_for_fewer_than_five_responses():
    assert not figures(4, [16] * 9).shown
    shown = figures(5, [20] * 9)
    assert shown.shown
    assert shown.index == 100
    assert shown.grade.letter == "A"
    assert [e.nrr for e in shown.elements] == [4] * 9
    assert shown.elements[0].weighted == Fraction(4, 9)
    assert shown.elements[0].converted == 100
