from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from paradewi.regions.models import Region
from paradewi.regions.services import regions_load

# The loader is tested from an empty table; every other test finds the regions loaded.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_regions")]


def counts(code: str) -> dict[str, int]:
    inside = Region.objects.filter(code__startswith=code + ".", is_active=True)
    return {
        "kecamatan": inside.filter(level=Region.Level.DISTRICT).count(),
        "desa": inside.filter(kind=Region.Kind.DESA).count(),
        "kelurahan": inside.filter(kind=Region.Kind.KELURAHAN).count(),
    }


def test_it_loads_mojokerto_with_18_kecamatan_and_304_villages():
    regions_load(regency_code="35.16")
    assert counts("35.16") == {"kecamatan": 18, "desa": 299, "kelurahan": 5}
    mojosari = Region.objects.filter(parent__code="35.16.08", kind=Region.Kind.KELURAHAN)
    assert sorted(mojosari.values_list("name", flat=True)) == [
        "Kauman",
        "Mojosari",
        "Sarirejo",
        "Sawahan",
        "Wonokusumo",
    ]


def test_it_loads_every_province_and_regency_of_the_country():
    regions_load(regency_code="35.16")
    assert Region.objects.filter(level=Region.Level.PROVINCE).count() == 38
    assert Region.objects.filter(level=Region.Level.REGENCY).count() == 514


def test_it_loads_surabaya_which_has_kelurahan_only():
    regions_load(regency_code="35.78")
    assert counts("35.78") == {"kecamatan": 31, "desa": 0, "kelurahan": 153}


def test_it_links_each_village_to_its_kecamatan():
    regions_load(regency_code="35.16")
    village = Region.objects.select_related("parent__parent").get(code="35.16.01.2001")
    assert village.name == "Tawangrejo"
    assert village.parent is not None
    assert village.parent.name == "Jatirejo"
    assert village.parent.parent is not None
    assert village.parent.parent.code == "35.16"


def test_it_is_idempotent():
    first = regions_load(regency_code="35.16")
    total = Region.objects.count()
    second = regions_load(regency_code="35.16")
    assert Region.objects.count() == total
    assert first.created == total
    assert second.created == 0
    assert second.unchanged == total


def test_it_picks_up_a_renamed_village_and_keeps_its_identity():
    regions_load(regency_code="35.16")
    village = Region.objects.get(code="35.16.02.2006")
    Region.objects.filter(pk=village.pk).update(name="Jatidukuh Lama")
    report = regions_load(regency_code="35.16")
    village.refresh_from_db()
    assert village.name == "Jatidukuh"
    assert report.renamed == 1


def test_it_deactivates_a_village_that_left_the_data_instead_of_deleting_it():
    regions_load(regency_code="35.16")
    parent = Region.objects.get(code="35.16.01")
    Region.objects.create(
        code="35.16.01.2999", name="Hilang", level="desa", kind="desa", parent=parent
    )
    report = regions_load(regency_code="35.16")
    assert report.deactivated == 1
    assert not Region.objects.get(code="35.16.01.2999").is_active


def test_the_command_defaults_to_the_deployed_regency_and_prints_counts():
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert "35.16 Kabupaten Mojokerto: 18 kecamatan, 304 villages (299 desa, 5 kelurahan)" in (
        out.getvalue()
    )


@pytest.mark.parametrize("code", ["35.99", "3516", "35.16.01", "abc"])
def test_the_command_refuses_an_unknown_or_malformed_code(code):
    with pytest.raises(CommandError):
        call_command("load_regions", code, stdout=StringIO())
    assert not Region.objects.exists()
