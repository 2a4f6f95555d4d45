"""Validators shared by several domain areas."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PHONE_CLEAN_RE = re.compile(r"[\s\-().]")
# Indonesian mobile numbers: 8 then 8 to 12 more digits after the country code.
_MOBILE_RE = re.compile(r"8\d{8,12}")


def normalize_phone(value: str) -> str:
    """Return an Indonesian mobile number as +628..., accepting 08..., 628..., +628....

    Raises ValidationError for anything that is not such a number.
    """
    raw = _PHONE_CLEAN_RE.sub("", value.strip())
    if raw.startswith("+62"):
        national = raw[3:]
    elif raw.startswith("62"):
        national = raw[2:]
    elif raw.startswith("0"):
        national = raw[1:]
    else:
        national = raw
    if not _MOBILE_RE.fullmatch(national):
        raise ValidationError(
            _("%(value)s is not an Indonesian mobile number (e.g. 0812 3456 7890)."),
            code="invalid_phone",
            params={"value": value},
        )
    return "+62" + national


def validate_phone(value: str) -> None:
    if value:
        normalize_phone(value)
