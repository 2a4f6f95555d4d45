from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from paradewi.core.validators import normalize_phone


@pytest.mark.parametrize(
    "value",
    ["081234567890", "+6281234567890", "6281234567890", "0812-3456-7890", "0812 3456 7890"],
)
def test_it_normalises_indonesian_mobile_numbers(value):
    assert normalize_phone(value) == "+6281234567890"


@pytest.mark.parametrize("value", ["", "12345", "0212345678", "+14155550100", "08abc", "08123"])
def test_it_refuses_what_is_not_an_indonesian_mobile_number(value):
    with pytest.raises(ValidationError):
        normalize_phone(value)
