"""The seed file (docs/design.md, "Service catalogue") and the loader that never overwrites
the administrator."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from paradewi.accounts.models import User
from paradewi.catalogue.models import Condition, Requirement, Service, ServiceVersion
from paradewi.catalogue.services import (
    DEFAULT_PATH,
    CatalogueDataError,
    catalogue_load,
    catalogue_read,
    service_publish,
)

# The loader is tested from an empty catalogue; every other test finds it loaded.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_catalogue")]

CODES = [
    "kk-baru",
    "kk-perubahan",
    "kk-hilang-rusak",
    "ktp-el-cetak-ulang",
    "kia",
    "pindah",
    "kedatangan",
    "perubahan-biodata",
    "akta-kelahiran",
    "akta-kematian",
    "akta-perkawinan",
    "akta-perceraian",
]


def requirement(service_code: str, code: str) -> Requirement:
    return Requirement.objects.get(service__code=service_code, code=code)


def test_it_loads_the_twelve_services_in_order_each_with_a_first_version():
    report = catalogue_load()
    assert report.created == CODES
    assert list(Service.objects.values_list("code", flat=True)) == CODES
    assert ServiceVersion.objects.count() == 12
    assert set(ServiceVersion.objects.values_list("number", flat=True)) == {1}
    for version in ServiceVersion.objects.select_related("service"):
        assert version.definition["code"] == version.service.code
        assert version.created_by is None


def test_it_makes_the_kia_photo_conditional_and_the_card_a_pick_up():
    catalogue_load()
    assert requirement("kia", "pas-foto").condition == Condition.IF_CHILD_5_17
    kia = Service.objects.get(code="kia")
    assert [(o.code, o.is_card) for o in kia.outputs.all()] == [("kia", True)]
    ktp = Service.objects.get(code="ktp-el-cetak-ulang")
    assert [(o.name, o.is_card) for o in ktp.outputs.all()] == [("KTP-el", True)]
    assert not Service.objects.get(code="akta-kematian").outputs.filter(is_card=True).exists()


def test_it_offers_a_birth_letter_or_an_sptjm_without_the_witnesses_ktp_el():
    """SE Dirjen Dukcapil 470/13287/Dukcapil (28 September 2021): the witnesses' KTP-el is not
    attached, their identity is in form F-2.01."""
    catalogue_load()
    group = Requirement.objects.filter(
        service__code="akta-kelahiran", alternative_group="bukti-kelahiran"
    ).order_by("position")
    assert [(r.code, r.alternative_option, r.form_code) for r in group] == [
        ("surat-keterangan-lahir", "skl", ""),
        ("sptjm-kelahiran", "sptjm", "F-2.03"),
    ]
    marriage = Requirement.objects.filter(
        service__code="akta-kelahiran", alternative_group="bukti-perkawinan"
    )
    assert {(r.alternative_option, r.form_code) for r in marriage} == {
        ("buku-nikah", ""),
        ("sptjm", "F-2.04"),
    }


def test_it_carries_the_legal_details_of_design_section_4():
    catalogue_load()
    services = {s.code: s for s in Service.objects.all()}
    assert services["akta-kelahiran"].reporting_limit_days == 60
    assert services["akta-perkawinan"].reporting_limit_days == 60
    assert services["akta-kematian"].reporting_limit_days == 30
    assert services["kk-baru"].reporting_limit_days is None
    assert services["kk-hilang-rusak"].district_step is False
    assert services["kk-baru"].district_step is True
    assert all(s.legal_basis for s in services.values())
    assert requirement("kk-baru", "f-101").form_code == "F-1.01"
    assert requirement("kk-baru", "skpwni").condition == Condition.IF_MOVED_IN
    assert requirement("pindah", "f-103").form_code == "F-1.03"
    assert requirement("kk-perubahan", "f-106").condition == Condition.IF_ELEMENT_CHANGE
    assert requirement("kk-hilang-rusak", "surat-kehilangan").condition == Condition.IF_LOST
    assert requirement("kk-hilang-rusak", "kk-rusak").condition == Condition.IF_DAMAGED
    assert requirement("ktp-el-cetak-ulang", "surat-kehilangan").condition == Condition.IF_LOST
    assert requirement("akta-perkawinan", "izin-orang-tua").condition == Condition.IF_UNDER_21
    assert requirement("akta-perkawinan", "dispensasi-kawin").condition == Condition.IF_UNDER_19
    assert requirement("kk-baru", "buku-nikah").reason_list == ["marriage"]
    assert requirement("kk-baru", "kk-lama").reason_list == ["head_died", "split"]
    pindah = Service.objects.get(code="pindah")
    assert [o.code for o in pindah.outputs.all()] == ["skpwni", "kk-tinggal"]


def test_it_is_idempotent_and_publishes_no_second_version():
    catalogue_load()
    versions = list(ServiceVersion.objects.values_list("pk", "number"))
    report = catalogue_load()
    assert report.created == []
    assert report.unchanged == CODES
    assert Service.objects.count() == 12
    assert list(ServiceVersion.objects.values_list("pk", "number")) == versions


def test_it_keeps_an_administrator_edit_without_update():
    catalogue_load()
    photo = requirement("kia", "pas-foto")
    photo.hint = "Latar merah untuk tahun lahir ganjil."
    photo.save()
    Service.objects.filter(code="kia").update(target_amount=3)
    catalogue_load()
    assert requirement("kia", "pas-foto").hint == "Latar merah untuk tahun lahir ganjil."
    assert Service.objects.get(code="kia").target_amount == 3


def test_update_rewrites_from_the_file_and_publishes_a_new_version():
    catalogue_load()
    kia = Service.objects.get(code="kia")
    kia.target_amount = 3
    kia.save()
    kia.requirements.filter(code="pas-foto").update(hint="edited")
    Requirement.objects.create(service=kia, code="extra", name="Surat tambahan", position=99)
    service_publish(service=kia)  # what the admin does after a save: version 2
    kia_requirements = set(kia.requirements.exclude(code="extra").values_list("pk", flat=True))

    report = catalogue_load(update=True)

    assert report.updated == ["kia"]
    assert report.unchanged == [code for code in CODES if code != "kia"]
    kia.refresh_from_db()
    assert kia.target_amount == 1
    assert requirement("kia", "pas-foto").hint.startswith("Hanya untuk anak")
    assert not kia.requirements.filter(code="extra").exists()
    # Rows are matched by code, so they keep their ids.
    assert set(kia.requirements.values_list("pk", flat=True)) == kia_requirements
    assert list(kia.versions.values_list("number", flat=True)) == [3, 2, 1]
    assert kia.versions.get(number=3).definition == kia.versions.get(number=1).definition
    assert ServiceVersion.objects.count() == 14


def test_it_never_touches_services_that_are_not_in_the_file():
    own = Service.objects.create(code="legalisir", name="Legalisir dokumen")
    catalogue_load(update=True)
    own.refresh_from_db()
    assert own.name == "Legalisir dokumen"
    assert Service.objects.count() == 13


def test_the_command_loads_then_keeps_then_updates():
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    assert "created 12" in out.getvalue()
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    assert "created 0, updated 0, unchanged 12, kept as edited 0" in out.getvalue()
    kia = Service.objects.get(code="kia")
    kia.name = "KIA (diubah)"
    kia.save()
    service_publish(service=kia, by=User.objects.create_superuser("admin", password="x"))
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    assert "unchanged 11, kept as edited 1" in out.getvalue()
    assert "--update" in out.getvalue()
    out = StringIO()
    call_command("load_catalogue", "--update", "--file", str(DEFAULT_PATH), stdout=out)
    assert "updated 1, unchanged 11" in out.getvalue()
    assert Service.objects.get(code="kia").name == "Kartu Identitas Anak (KIA)"


def test_a_rerun_brings_an_existing_install_up_to_date_with_the_file():
    """A new release of the file (here: the KTP-el that Perpres 96/2018 Pasal 13 asks for a
    lost or damaged KK) reaches an install that loaded an older file, by running the command
    again, without --update; a service the administrator edited is kept."""
    catalogue_load()
    # The install as an older file left it: no KTP-el for KK hilang/rusak, published by the
    # loader (no user).
    lost = Service.objects.get(code="kk-hilang-rusak")
    lost.requirements.filter(code="ktp-el").delete()
    service_publish(service=lost)
    # ... and a service its administrator edited since.
    kia = Service.objects.get(code="kia")
    kia.target_amount = 3
    kia.save()
    service_publish(service=kia, by=User.objects.create_superuser("admin", password="x"))

    report = catalogue_load()

    assert report.updated == ["kk-hilang-rusak"]
    assert report.kept == ["kia"]
    assert requirement("kk-hilang-rusak", "ktp-el").name == "KTP-el"
    assert lost.versions.count() == 3  # the first load, the older file, this one
    assert Service.objects.get(code="kia").target_amount == 3


def test_a_service_changed_outside_the_admin_and_never_published_is_kept():
    catalogue_load()
    Service.objects.filter(code="kia").update(name="KIA (diubah)")
    report = catalogue_load()
    assert report.kept == ["kia"]
    assert Service.objects.get(code="kia").name == "KIA (diubah)"


def test_reasons_are_stored_and_published_only_where_a_requirement_has_them():
    """Permendagri 108/2019 Pasal 10: each route of KK baru has its documents."""
    catalogue_load()
    definition = Service.objects.get(code="kk-baru").versions.get().definition
    by_code = {spec["code"]: spec for spec in definition["requirements"]}
    assert by_code["kk-lama"]["reasons"] == ["head_died", "split"]
    assert "reasons" not in by_code["f-101"]
    assert requirement("kk-baru", "kk-lama").reasons == "head_died, split"


# --- Bad files ---------------------------------------------------------------------------------

GOOD = """
[[services]]
code = "kk-baru"
name = "Kartu Keluarga baru"

  [[services.requirements]]
  code = "f-101"
  name = "Formulir Biodata Keluarga"
  form_code = "F-1.01"

  [[services.outputs]]
  code = "kk"
  name = "Kartu Keluarga"

[[services]]
code = "kia"
name = "Kartu Identitas Anak"

  [[services.requirements]]
  code = "pas-foto"
  name = "Pas foto 2x3"
  condition = "if_child_5_17"

  [[services.requirements]]
  code = "buku-nikah"
  name = "Buku nikah"
  alternative_group = "nikah"
  alternative_option = "buku"

  [[services.requirements]]
  code = "sptjm"
  name = "SPTJM"
  alternative_group = "nikah"
  alternative_option = "sptjm"

  [[services.outputs]]
  code = "kia"
  name = "KIA"
  is_card = true
"""

BAD = {
    "unknown condition": (
        ('condition = "if_child_5_17"', 'condition = "if_kid"'),
        ['service "kia"', 'requirement "pas-foto"', "condition", "if_kid", "if_child_5_17"],
    ),
    "duplicate service code": (
        ('code = "kia"', 'code = "kk-baru"'),
        ['service "kk-baru"', "code", "two services"],
    ),
    "duplicate requirement code": (
        ('code = "sptjm"', 'code = "pas-foto"'),
        ['service "kia"', "requirements", "pas-foto", "twice"],
    ),
    "missing name": (
        ('name = "Kartu Identitas Anak"', 'description = "KIA"'),
        ['service "kia"', "name", "required"],
    ),
    "option without group": (
        (
            'alternative_group = "nikah"\n  alternative_option = "buku"',
            'alternative_option = "buku"',
        ),
        ['service "kia"', 'requirement "buku-nikah"', "alternative_group"],
    ),
    "group with one option": (
        ('alternative_option = "sptjm"', 'alternative_option = "buku"'),
        ['service "kia"', "alternative_group", "nikah", "only one option"],
    ),
    "unknown field": (
        ("is_card = true", "is_cart = true"),
        ['service "kia"', 'output "kia"', "is_cart"],
    ),
    "bad form number": (
        ('form_code = "F-1.01"', 'form_code = "F101"'),
        ['service "kk-baru"', 'requirement "f-101"', "form_code", "F101"],
    ),
    "bad target unit": (
        ('name = "Kartu Identitas Anak"', 'name = "KIA"\ntarget_unit = "weeks"'),
        ['service "kia"', "target_unit", "weeks"],
    ),
    "no outputs": (
        ('  [[services.outputs]]\n  code = "kia"\n  name = "KIA"\n  is_card = true\n', ""),
        ['service "kia"', "outputs"],
    ),
    "not a slug": (
        ('code = "kia"', 'code = "KIA card"'),
        ["service #2", "code", "KIA card"],
    ),
    "bad reason code": (
        ('condition = "if_child_5_17"', 'reasons = ["Marriage Act"]'),
        ['service "kia"', 'requirement "pas-foto"', "reasons", "Marriage Act"],
    ),
    "reasons not a list": (
        ('condition = "if_child_5_17"', 'reasons = "marriage"'),
        ['service "kia"', 'requirement "pas-foto"', "reasons", "list"],
    ),
    "broken toml": (
        ('name = "KIA"', 'name = "KIA'),
        ["not valid TOML"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_written(tmp_path, case):
    (old, new), expected = BAD[case]
    assert old in GOOD
    path = tmp_path / "services.toml"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogueDataError) as raised:
        catalogue_load(path=path)
    for fragment in expected:
        assert fragment in str(raised.value)
    assert not Service.objects.exists()
    assert not ServiceVersion.objects.exists()


def test_the_good_example_loads(tmp_path):
    path = tmp_path / "services.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert catalogue_load(path=path).created == ["kk-baru", "kia"]


def test_a_bad_file_with_update_leaves_the_catalogue_as_it_was(tmp_path):
    catalogue_load()
    Service.objects.filter(code="kia").update(name="KIA (diubah)")
    path = tmp_path / "services.toml"
    path.write_text(GOOD.replace('condition = "if_child_5_17"', 'condition = "x"'), "utf-8")
    with pytest.raises(CatalogueDataError):
        catalogue_load(path=path, update=True)
    assert Service.objects.get(code="kia").name == "KIA (diubah)"
    assert ServiceVersion.objects.count() == 12


def test_the_command_reports_a_bad_file_as_an_error(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(GOOD.replace('name = "Kartu Identitas Anak"', ""), "utf-8")
    with pytest.raises(CommandError, match=r'service "kia".*name.*Nothing was loaded'):
        call_command("load_catalogue", "--file", str(path))
    assert not Service.objects.exists()


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CatalogueDataError, match="does not exist"):
        catalogue_read(Path(tmp_path / "nope.toml"))


def test_an_existing_service_never_published_is_kept_and_gets_its_first_version():
    Service.objects.create(code="kia", name="KIA buatan sendiri")
    report = catalogue_load()
    assert "kia" in report.kept
    kia = Service.objects.get(code="kia")
    assert kia.name == "KIA buatan sendiri"
    assert kia.versions.get().definition["name"] == "KIA buatan sendiri"
