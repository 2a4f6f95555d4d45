"""NIK and KK number checks, and finding a kabupaten/kota by what people type."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from paradewi.requests.tests.factories import KK_NUMBER, NIK_MAN, NIK_WOMAN
from paradewi.requests.validators import (
    EARLIEST_KK_ISSUE,
    find_regency,
    is_placeholder,
    nik_mismatches,
    parse_kk,
    parse_nik,
    two_digit_year_date,
)

pytestmark = pytest.mark.usefixtures("regions")

TODAY = date(2026, 11, 27)


def error_code(call, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value.code


def test_it_reads_the_birth_date_and_sex_of_a_man():
    info = parse_nik(NIK_MAN, today=TODAY)
    assert (info.nik, info.birth_date, info.sex) == (NIK_MAN, date(1990, 5, 12), "L")


def test_it_reads_a_woman_from_the_day_plus_forty():
    info = parse_nik(NIK_WOMAN, today=TODAY)
    assert (info.birth_date, info.sex) == (date(1992, 8, 17), "P")


def test_it_accepts_spaces_dots_and_dashes_copied_from_a_card():
    assert parse_nik("3516 0112 0590 0001", today=TODAY).nik == NIK_MAN
    assert parse_nik("35.16.01-120590-0001", today=TODAY).nik == NIK_MAN


def test_it_does_not_check_the_kecamatan_digits_against_todays_list():
    # 99 is no kecamatan of Mojokerto; numbers from before a split carry such codes.
    assert parse_nik("3516991205900001", today=TODAY).birth_date == date(1990, 5, 12)


@pytest.mark.parametrize("parse", [parse_nik, parse_kk])
def test_it_refuses_kecamatan_code_00(parse):
    """PP 37/2007 Pasal 37: digits 5-6 are the kecamatan; the Kemendagri codes start at 01."""
    number = "3516000101200003" if parse is parse_kk else "3516001205900001"
    assert error_code(parse, number, today=TODAY) == "district"


@pytest.mark.parametrize(
    "value",
    [
        "1111111111111111",
        "3333333333333333",
        "0000000000000000",
        "1234567890123456",
        "0123456789012345",
        "9876543210987654",
        "3210987654321098",
    ],
)
@pytest.mark.parametrize("parse", [parse_nik, parse_kk])
def test_it_refuses_placeholder_numbers(parse, value):
    """Placeholders typed to get past a form are not a NIK or KK number (PP 37/2007 Pasal 37
    gives both a structure no repeated digit or counting run follows)."""
    with pytest.raises(ValidationError) as caught:
        parse(value, today=TODAY)
    assert caught.value.code == "placeholder"
    assert "placeholder" in caught.value.messages[0]


def test_placeholders_are_only_whole_runs():
    assert not is_placeholder(NIK_MAN)
    assert not is_placeholder("1234567890123457")
    assert is_placeholder("7777777777777777")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("351601120590001", "length"),
        ("35160112059000012", "length"),
        ("", "length"),
        ("35160112059O0001", "not_digits"),
        ("351601120590000²", "not_digits"),
        ("9916011205900001", "region"),  # no provinsi 99
        ("3599011205900001", "region"),  # Jawa Timur has no kabupaten 99
        ("3516013205900001", "date"),  # day 32
        ("3516010005900001", "date"),  # day 00
        ("3516014005900001", "date"),  # day 40: neither a man's nor a woman's
        ("3516017205900001", "date"),  # day 72 = 32 for a woman
        ("3516011213900001", "date"),  # month 13
        ("3516013102900001", "date"),  # 31 February
        ("3516012902010001", "date"),  # 29 February 2001 (and 1901)
        ("3516011205900000", "serial"),
    ],
)
def test_it_refuses_a_bad_nik(value, code):
    assert error_code(parse_nik, value, today=TODAY) == code


def test_it_reads_a_leap_day_in_a_leap_year():
    assert parse_nik("3516012902000001", today=TODAY).birth_date == date(2000, 2, 29)


def test_it_puts_a_two_digit_year_in_the_century_that_is_not_in_the_future():
    assert parse_nik("3516012711260001", today=TODAY).birth_date == date(2026, 11, 27)
    assert parse_nik("3516012811260001", today=TODAY).birth_date == date(1926, 11, 28)
    assert two_digit_year_date(1, 1, 99, TODAY) == date(1999, 1, 1)
    assert two_digit_year_date(1, 1, 0, TODAY) == date(2000, 1, 1)


def test_it_accepts_a_valid_kk_number():
    assert parse_kk(KK_NUMBER, today=TODAY) == KK_NUMBER


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("351601010120000", "length"),
        ("9916010101200003", "region"),
        ("3516013202200003", "date"),  # 32 February
        ("3516014101200003", "date"),  # no +40 on a KK number
        ("3516010113200003", "date"),  # month 13
        ("3516010101200000", "serial"),
    ],
)
def test_it_refuses_a_bad_kk_number(value, code):
    assert error_code(parse_kk, value, today=TODAY) == code


def test_a_kk_number_is_issued_on_a_day_that_has_come():
    """The KK number carries the day it was issued (digits 7-12): never in the future."""
    assert parse_kk("3516012711260003", today=TODAY) == "3516012711260003"  # today
    with pytest.raises(ValidationError) as caught:
        parse_kk("3516012811260003", today=TODAY)  # tomorrow, and 1926 is too early
    assert caught.value.code == "issue_date"
    assert "28-11-2026 it is in the future" in caught.value.messages[0]


def test_a_kk_number_is_not_older_than_computer_registration():
    """KK numbers are given by computer (SIMDUK from 1996, SIAK under Keppres 88/2004): the
    earliest issue date accepted is EARLIEST_KK_ISSUE, 1 January 1996."""
    assert date(1996, 1, 1) == EARLIEST_KK_ISSUE
    assert parse_kk("3516010101960003", today=TODAY) == "3516010101960003"
    assert parse_kk("3516013112990003", today=TODAY) == "3516013112990003"
    with pytest.raises(ValidationError) as caught:
        parse_kk("3516013112950003", today=TODAY)  # 1995 too early, 2095 to come
    assert caught.value.code == "issue_date"
    assert "31-12-1995 it is before KK numbers were first issued" in caught.value.messages[0]
    assert error_code(parse_kk, "3516011508850003", today=TODAY) == "issue_date"


def test_the_kk_date_messages_are_indonesian_in_indonesian():
    with translation.override("id"), pytest.raises(ValidationError) as caught:
        parse_kk("3516012811260003", today=TODAY)
    assert "masa depan" in caught.value.messages[0]
    assert "1996)" in caught.value.messages[0]


def test_it_finds_no_mismatch_when_sex_and_birth_date_agree():
    info = parse_nik(NIK_WOMAN, today=TODAY)
    assert nik_mismatches(info, sex="P", birth_date=date(1992, 8, 17)) == []
    assert nik_mismatches(info) == []


def test_it_tells_a_woman_nik_entered_for_a_man():
    info = parse_nik(NIK_WOMAN, today=TODAY)
    [problem] = nik_mismatches(info, sex="L")
    assert "woman" in problem


def test_it_tells_a_man_nik_entered_for_a_woman():
    info = parse_nik(NIK_MAN, today=TODAY)
    [problem] = nik_mismatches(info, sex="P")
    assert "man" in problem


def test_it_tells_a_birth_date_that_differs_from_the_nik():
    info = parse_nik(NIK_MAN, today=TODAY)
    [problem] = nik_mismatches(info, birth_date=date(1990, 5, 13))
    assert "12-05-90" in problem


def test_it_compares_the_birth_date_without_the_century():
    # A person born in 1925 has "25" in the NIK, read as 2025 by itself.
    info = parse_nik("3516010103250001", today=TODAY)
    assert nik_mismatches(info, birth_date=date(1925, 3, 1)) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kota Malang", "35.73"),
        ("kota  malang", "35.73"),
        ("35.73", "35.73"),
        ("3573", "35.73"),
        ("Kota Malang (35.73)", "35.73"),
        ("Kab. Malang", "35.07"),
        ("Kabupaten Mojokerto", "35.16"),
        ("Pemalang", "33.27"),
    ],
)
def test_it_finds_a_kabupaten_or_kota_by_name_or_code(text, code):
    assert find_regency(text).code == code


def test_it_asks_for_the_full_name_when_a_kabupaten_and_a_kota_share_it():
    with pytest.raises(ValidationError) as caught:
        find_regency("Malang")
    assert caught.value.code == "ambiguous"
    assert "Kota Malang" in caught.value.messages[0]


def test_it_refuses_an_unknown_kabupaten():
    assert error_code(find_regency, "Atlantis") == "unknown"
    assert error_code(find_regency, "") == "unknown"
