"""Checks of the numbers on Indonesian population documents: the NIK and the KK number.

Both have 16 digits, PP KK CC DDMMYY SSSS:

- PP KK: the provinsi and kabupaten/kota of first registration. It must be a code that exists
  (Region holds every provinsi and kabupaten/kota of the country; a region that was dissolved
  stays there inactive, and still counts).
- CC: the kecamatan (PP 37/2007 Pasal 37: the first six digits are the provinsi, kabupaten/kota
  and kecamatan codes). It is never 00, the code of no kecamatan (the Kemendagri region codes
  number the kecamatan of a kabupaten/kota from 01). Beyond that it is not checked against
  today's list: old numbers carry codes of kecamatan that were later split or renamed.
- DDMMYY: for a NIK the date of birth, with 40 added to the day for women (PP 37/2007
  Pasal 37); for a KK number the date the card was first issued. It must be a real calendar
  date. A NIK's two-digit year is read in the latest century that does not put the date in the
  future (so "25" is 2025 until a date in 2025 that is still to come, which is read as 1925:
  people of a hundred are real). A KK number is issued by computer (SIAK, Keppres 88/2004;
  before it SIMDUK from 1996), so its date is never in the future and never before
  EARLIEST_KK_ISSUE (1 January 1996): "31 12 26" typed on 7 December 2026 is refused (2026 is
  still to come, 1926 is too early), as is "01 01 85".
- SSSS: a serial number, never 0000.

Placeholder numbers typed to get past a form (one digit repeated, 1234567890123456,
9876543210987654) are refused whatever else they say.

People type numbers with spaces, dots or dashes copied from a card; these are removed first.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from paradewi.regions.models import Region

_SEPARATORS_RE = re.compile(r"[\s.\-]")
MALE = "L"
FEMALE = "P"
# The earliest issue date a KK number can carry: KK numbers are given by computer, by SIMDUK
# from 1996 and by SIAK (Keppres 88/2004) since; an earlier date is a typing error.
EARLIEST_KK_ISSUE = date(1996, 1, 1)


@dataclass(frozen=True)
class NikInfo:
    """What a valid NIK says about its holder."""

    nik: str
    birth_date: date
    sex: str  # "L" (laki-laki) or "P" (perempuan), as models.Sex


def clean_digits(value: str) -> str:
    return _SEPARATORS_RE.sub("", value or "")


def display_date(value: date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def regency_code_exists(code: str) -> bool:
    """Whether "PP.KK" is a known kabupaten/kota (active or not)."""
    return Region.objects.filter(code=code, level=Region.Level.REGENCY).exists()


def two_digit_year_date(day: int, month: int, year: int, today: date) -> date | None:
    """The real date for DD MM YY in the latest century not in the future; None if impossible."""
    century = today.year - today.year % 100
    for start in (century, century - 100):
        try:
            value = date(start + year, month, day)
        except ValueError:
            continue  # 29 February of a year that is not a leap year in this century
        if value <= today:
            return value
    return None


def is_placeholder(digits: str) -> bool:
    """Whether the digits are a placeholder rather than a number: one digit repeated, or a run
    going up or down by one (wrapping 9 to 0): 1111111111111111, 1234567890123456, 9876543210..."""
    if len(digits) < 2 or not digits.isdigit():
        return False
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(digits)}
    return steps in ({0}, {1}, {9})


def _sixteen_digits(value: str, what: str) -> str:
    digits = clean_digits(value)
    if not re.fullmatch(r"[0-9]*", digits):  # ASCII digits only, not "²" or "٣"
        raise ValidationError(
            _("A %(what)s contains only digits.") % {"what": what}, code="not_digits"
        )
    if len(digits) != 16:
        raise ValidationError(
            _("A %(what)s has 16 digits; this one has %(count)d.")
            % {"what": what, "count": len(digits)},
            code="length",
        )
    if is_placeholder(digits):
        raise ValidationError(
            _("%(number)s is a placeholder, not a %(what)s: type the number on the card.")
            % {"number": digits, "what": what},
            code="placeholder",
        )
    region = f"{digits[:2]}.{digits[2:4]}"
    if not regency_code_exists(region):
        raise ValidationError(
            _("The first four digits (%(code)s) are not a known provinsi and kabupaten/kota.")
            % {"code": digits[:4]},
            code="region",
        )
    if digits[4:6] == "00":
        raise ValidationError(
            _("Digits 5 and 6 are the kecamatan code; they cannot be 00."), code="district"
        )
    if digits[12:] == "0000":
        raise ValidationError(_("The last four digits cannot be 0000."), code="serial")
    return digits


def parse_nik(value: str, *, today: date | None = None) -> NikInfo:
    """Check a NIK and read the birth date and sex from it; ValidationError if it is not valid."""
    today = today or timezone.localdate()
    nik = _sixteen_digits(value, _("NIK"))
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = MALE
    if day > 40:
        day -= 40
        sex = FEMALE
    birth = two_digit_year_date(day, month, year, today)
    if birth is None:
        raise ValidationError(
            _(
                "Digits 7 to 12 (%(part)s) are not a date of birth "
                "(day, month, year; women have 40 added to the day)."
            )
            % {"part": nik[6:12]},
            code="date",
        )
    return NikInfo(nik=nik, birth_date=birth, sex=sex)


def kk_issue_date(day: int, month: int, year: int, today: date) -> date | None:
    """The issue date DD MM YY of a KK number, or None when no reading is possible.

    20YY when that day has come, else 19YY when it is not before EARLIEST_KK_ISSUE. None also
    when the digits are no calendar date.
    """
    for full_year in (2000 + year, 1900 + year):
        try:
            issued = date(full_year, month, day)
        except ValueError:
            continue  # 29 February of a year that is not a leap year in this century
        if EARLIEST_KK_ISSUE <= issued <= today:
            return issued
    return None


def parse_kk(value: str, *, today: date | None = None) -> str:
    """Check a KK number; returns its 16 digits, or raises ValidationError.

    Its date (digits 7 to 12) is the day the card was first issued: a real date, not in the
    future and not before EARLIEST_KK_ISSUE. A two-digit year that fits neither (26 read
    before that day in 2026 comes, 85) is refused, not read as 1926 or 1985.
    """
    today = today or timezone.localdate()
    number = _sixteen_digits(value, _("KK number"))
    day, month, year = int(number[6:8]), int(number[8:10]), int(number[10:12])
    if two_digit_year_date(day, month, year, today) is None:
        raise ValidationError(
            _("Digits 7 to 12 (%(part)s) are not the date the card was issued (day, month, year).")
            % {"part": number[6:12]},
            code="date",
        )
    if kk_issue_date(day, month, year, today) is None:
        raise ValidationError(
            _(
                "Digits 7 to 12 (%(part)s) are the date the card was issued: as %(later)s it "
                "is in the future, as %(earlier)s it is before KK numbers were first issued "
                "by computer (%(earliest)s). Check the number on the card."
            )
            % {
                "part": number[6:12],
                "later": f"{day:02d}-{month:02d}-{2000 + year}",
                "earlier": f"{day:02d}-{month:02d}-{1900 + year}",
                "earliest": display_date(EARLIEST_KK_ISSUE),
            },
            code="issue_date",
        )
    return number


def nik_mismatches(
    info: NikInfo, *, sex: str | None = None, birth_date: date | None = None
) -> list[str]:
    """How the NIK disagrees with the sex and date of birth entered (empty when they agree).

    The birth date is compared on day, month and the last two digits of the year: the NIK does
    not say the century, and a person of 101 is rare but real.
    """
    problems: list[str] = []
    if sex and sex != info.sex:
        problems.append(
            _("This NIK belongs to a woman (40 is added to her day of birth), not a man.")
            if info.sex == FEMALE
            else _("This NIK belongs to a man (a woman's NIK has 40 added to the day of birth).")
        )
    if birth_date is not None and (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    ) != (info.birth_date.day, info.birth_date.month, info.birth_date.year % 100):
        problems.append(
            _("The NIK gives %(nik_date)s (day-month-year) as the date of birth, not %(date)s.")
            % {
                "nik_date": info.birth_date.strftime("%d-%m-%y"),
                "date": display_date(birth_date),
            }
        )
    return problems


def find_regency(text: str) -> Region:
    """A kabupaten/kota typed by name or code: "Kota Malang", "Malang (35.73)", "35.73".

    A bare name that fits both a kabupaten and a kota ("Malang") must be said in full.
    """
    text = " ".join((text or "").split())
    code = re.search(r"(\d{2})\.?(\d{2})\)?$", text)
    regencies = Region.objects.filter(level=Region.Level.REGENCY)
    if code:
        found = regencies.filter(code=f"{code.group(1)}.{code.group(2)}").first()
        if found is not None:
            return found
    name = re.sub(r"^kab\.?\s+", "Kabupaten ", text, flags=re.IGNORECASE)
    exact = list(regencies.filter(name__iexact=name)[:2])
    if len(exact) == 1:
        return exact[0]
    matches = list(regencies.filter(name__iendswith=" " + name).order_by("code")[:5])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ValidationError(
            _("Several match: %(names)s. Write the full name.")
            % {"names": ", ".join(region.name for region in matches)},
            code="ambiguous",
        )
    raise ValidationError(
        _("%(text)s is not a known kabupaten or kota.") % {"text": text or "-"}, code="unknown"
    )
