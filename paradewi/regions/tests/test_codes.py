from __future__ import annotations

import pytest

from paradewi.regions.codes import code_within, code_within_q
from paradewi.regions.models import Region

CASES = [
    ("35.16", "35.16", True),
    ("35.16.01", "35.16", True),
    ("35.16.01.2001", "35.16", True),
    ("35.16.01.2001", "35.16.01", True),
    ("35.16.01.2001", "35.16.01.2001", True),
    ("35.16", "35.16.01", False),  # the area around is not inside
    ("35.16.02.2001", "35.16.01", False),  # a sibling's village
    ("35.160", "35.16", False),  # a longer code, not a child
    ("35.16.10", "35.16.1", False),
    ("35.78.01", "35.16", False),
    ("35", "35.16", False),
]


@pytest.mark.parametrize(("code", "area", "inside"), CASES)
def test_a_code_is_within_an_area_only_as_itself_or_after_a_dot(code, area, inside):
    assert code_within(code, area) is inside


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_regions")
def test_the_filter_keeps_exactly_the_codes_the_function_keeps():
    codes = sorted({code for code, _, _ in CASES} | {area for _, area, _ in CASES})
    Region.objects.bulk_create(
        Region(code=code, name=code, level=Region.Level.DISTRICT, kind=Region.Kind.KECAMATAN)
        for code in codes
    )
    for area in codes:
        found = Region.objects.filter(code_within_q("code", area)).values_list("code", flat=True)
        assert set(found) == {code for code in codes if code_within(code, area)}, area
