"""Personal data shown in part: names, NIK, phone numbers and numbers typed into free text.

Where a page or a paper must show that some data is there but not the data itself, it masks
it here, with one rule per kind of data, so that the same person's name never looks one way on
a receipt and another on a verification page (UU 27/2022 on personal data protection: process
only what the purpose needs, and protect it from being read by others).
"""

from __future__ import annotations

import re


def mask_name(name: str) -> str:
    """ "Siti Aminah" -> "S*** A*****": of every word the first letter, the rest as stars.

    Used wherever someone without an account sees a resident's name: the tracking page and the
    receipt (whoever holds the number and PIN), the verification page of an issued document
    (whoever holds the paper or its code, not only the resident). Each must let the one who
    knows the name see that the page is about that person: the initials and the length of every
    word match the name they know or the name printed on the document in hand. None may let a
    stranger learn the name from a number, a PIN or a code: a first name in full plus initials
    ("SLAMET R*****") is half the name of a stranger, and a one-word name ("SUKARNO") the whole
    of it. So no word is shown in full. Names are in capitals, as on population documents.
    """
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.upper().split())


def mask_nik(nik: str) -> str:
    """ "3516011205900001" -> "351601********01": the region of registration and the last two
    digits, enough to tell residents apart in an officer's list, not the date of birth and the
    serial that would make the number usable elsewhere. A value too short to be a NIK is all
    stars."""
    if len(nik) < 8:
        return "*" * len(nik)
    return nik[:6] + "*" * (len(nik) - 8) + nik[-2:]


def mask_phone(phone: str) -> str:
    """ "+6281234567890" -> "+62812****7890": the operator's prefix and the last four digits, so
    a resident or the administrator recognises the number without reading it whole. A value
    too short to be a mobile number is all stars."""
    if len(phone) < 10:
        return "*" * len(phone)
    return phone[:6] + "*" * (len(phone) - 10) + phone[-4:]


# Nine or more digits, possibly grouped by single spaces, dots or dashes: a phone number, a NIK
# or KK number, a registration number. Dates (at most eight digits) and small numbers stay.
_LONG_NUMBER = re.compile(r"\+?\d(?:[ .\-]?\d){8,}")
NUMBER_MARK = "***"


def mask_long_numbers(text: str) -> str:
    """Free text (an officer's reason, a resident's comment) with every long number replaced
    by ***: whoever reads the text later (a resident's WhatsApp, a report) needs the words,
    not a NIK, KK or phone number typed into them."""
    return _LONG_NUMBER.sub(NUMBER_MARK, text)
