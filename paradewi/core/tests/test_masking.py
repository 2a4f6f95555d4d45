from __future__ import annotations

import pytest

from paradewi.core.masking import mask_long_numbers, mask_name, mask_nik, mask_phone


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Slamet Riyadi", "S***** R*****"),
        ("siti  aminah binti  ahmad", "S*** A***** B**** A****"),
        ("Sukarno", "S******"),  # a one-word name is not shown whole
        ("Muh. Abdul", "M*** A****"),
        ("", ""),
    ],
)
def test_a_name_keeps_only_the_initials_and_the_length_of_each_word(name, masked):
    assert mask_name(name) == masked


def test_no_word_of_a_name_is_shown_in_full():
    masked = mask_name("Slamet Riyadi")
    assert "SLAMET" not in masked
    assert "RIYADI" not in masked


def test_a_nik_keeps_its_region_and_last_two_digits():
    assert mask_nik("3516011205900001") == "351601********01"
    assert "120590" not in mask_nik("3516011205900001")  # the date of birth
    assert mask_nik("") == ""
    assert mask_nik("123") == "***"


def test_a_phone_number_keeps_its_prefix_and_last_four_digits():
    assert mask_phone("+6281234567890") == "+62812****7890"
    assert mask_phone("") == ""
    assert mask_phone("12345") == "*****"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("NIK 3516011205900001 salah, KK 3516 0101 2000 03", "NIK *** salah, KK ***"),
        ("Hubungi 0812-3456-7890 atau +62 812 3456 7890", "Hubungi *** atau ***"),
        ("Foto 2x3 belum ada, RT 02/RW 05", "Foto 2x3 belum ada, RT 02/RW 05"),
        ("Datang tgl 12-03-2026 jam 08.30", "Datang tgl 12-03-2026 jam 08.30"),
    ],
)
def test_long_numbers_in_free_text_are_masked_and_dates_stay(text, masked):
    assert mask_long_numbers(text) == masked
