"""The administrator edits the catalogue; a change never alters a version already published."""

from __future__ import annotations

import copy

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from paradewi.catalogue.models import Requirement, Service, ServiceVersion
from paradewi.catalogue.services import catalogue_load

ENGLISH = {"accept-language": "en"}


@pytest.fixture
def catalogue(db: None) -> None:
    catalogue_load()


@pytest.fixture
def as_admin(client, personas, catalogue):
    client.force_login(personas.admin)
    return client


def change_url(service: Service) -> str:
    return reverse("admin:catalogue_service_change", args=[service.pk])


def form_data(service: Service) -> dict[str, str]:
    """What the admin change form posts for the service as it is, inline formsets included."""
    data = {
        "code": service.code,
        "name": service.name,
        "description": service.description,
        "position": str(service.position),
        "target_amount": str(service.target_amount),
        "target_unit": service.target_unit,
        "reporting_limit_days": str(service.reporting_limit_days or ""),
        "legal_basis": service.legal_basis,
    }
    if service.is_active:
        data["is_active"] = "on"
    if service.district_step:
        data["district_step"] = "on"
    inlines = {
        "requirements": (
            service.requirements.all(),
            (
                "position",
                "code",
                "name",
                "hint",
                "form_code",
                "alternative_group",
                "alternative_option",
                "condition",
            ),
        ),
        "outputs": (service.outputs.all(), ("position", "code", "name")),
    }
    for prefix, (queryset, fields) in inlines.items():
        rows = list(queryset)
        data |= {
            f"{prefix}-TOTAL_FORMS": str(len(rows)),
            f"{prefix}-INITIAL_FORMS": str(len(rows)),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = str(row.pk)
            data[f"{prefix}-{index}-service"] = str(service.pk)
            for name in fields:
                data[f"{prefix}-{index}-{name}"] = str(getattr(row, name))
            if getattr(row, "is_card", False):
                data[f"{prefix}-{index}-is_card"] = "on"
    return data


def index_of(service: Service, code: str) -> int:
    return [r.code for r in service.requirements.all()].index(code)


def test_an_edit_publishes_version_2_and_leaves_version_1_as_it_was(as_admin, personas):
    kia = Service.objects.get(code="kia")
    first = kia.versions.get()
    frozen = copy.deepcopy(first.definition)
    data = form_data(kia)
    data[f"requirements-{index_of(kia, 'pas-foto')}-hint"] = "Latar merah untuk tahun ganjil."
    data["target_amount"] = "2"

    response = as_admin.post(change_url(kia), data, headers=ENGLISH)

    assert response.status_code == 302, response.context["errors"]
    assert list(kia.versions.values_list("number", flat=True)) == [2, 1]
    first.refresh_from_db()
    assert first.definition == frozen
    second = kia.versions.get(number=2)
    assert second.created_by == personas.admin
    assert second.definition["target"] == {"amount": 2, "unit": "days"}
    photo = next(r for r in second.definition["requirements"] if r["code"] == "pas-foto")
    assert photo["hint"] == "Latar merah untuk tahun ganjil."
    assert photo["condition"] == "if_child_5_17"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("version 2" in m for m in messages)


def test_adding_and_removing_requirements_in_the_inline_is_a_new_version(as_admin):
    kia = Service.objects.get(code="kia")
    before = copy.deepcopy(kia.versions.get().definition)
    data = form_data(kia)
    total = kia.requirements.count()
    data[f"requirements-{index_of(kia, 'kk')}-DELETE"] = "on"
    data |= {
        "requirements-TOTAL_FORMS": str(total + 1),
        f"requirements-{total}-position": "99",
        f"requirements-{total}-code": "surat-pengantar",
        f"requirements-{total}-name": "Surat pengantar RT/RW",
        f"requirements-{total}-condition": "always",
    }
    assert as_admin.post(change_url(kia), data).status_code == 302
    assert set(kia.requirements.values_list("code", flat=True)) == {
        "akta-kelahiran",
        "ktp-el-orang-tua",
        "pas-foto",
        "surat-pengantar",
    }
    second = kia.versions.get(number=2)
    assert [r["code"] for r in second.definition["requirements"]][-1] == "surat-pengantar"
    assert kia.versions.get(number=1).definition == before
    assert "kk" in [r["code"] for r in before["requirements"]]


def test_saving_without_a_change_publishes_nothing(as_admin):
    kia = Service.objects.get(code="kia")
    response = as_admin.post(change_url(kia), form_data(kia))
    assert response.status_code == 302
    assert list(kia.versions.values_list("number", flat=True)) == [1]


def test_switching_a_service_off_is_not_a_new_version(as_admin):
    # Whether a service is offered is not part of what a request was submitted under.
    kia = Service.objects.get(code="kia")
    data = form_data(kia)
    del data["is_active"]
    assert as_admin.post(change_url(kia), data).status_code == 302
    kia.refresh_from_db()
    assert kia.is_active is False
    assert kia.versions.count() == 1


def test_a_service_added_in_the_admin_starts_at_version_1(as_admin, personas):
    data = {
        "code": "legalisir",
        "name": "Legalisir dokumen",
        "position": "200",
        "is_active": "on",
        "target_amount": "30",
        "target_unit": "minutes",
        "requirements-TOTAL_FORMS": "1",
        "requirements-INITIAL_FORMS": "0",
        "requirements-0-position": "10",
        "requirements-0-code": "dokumen",
        "requirements-0-name": "Dokumen yang dilegalisir",
        "requirements-0-condition": "always",
        "outputs-TOTAL_FORMS": "1",
        "outputs-INITIAL_FORMS": "0",
        "outputs-0-position": "10",
        "outputs-0-code": "legalisir",
        "outputs-0-name": "Salinan terlegalisir",
    }
    response = as_admin.post(reverse("admin:catalogue_service_add"), data)
    assert response.status_code == 302, response.context["errors"]
    version = ServiceVersion.objects.get(service__code="legalisir")
    assert version.number == 1
    assert version.created_by == personas.admin
    assert version.definition["district_step"] is False
    assert version.definition["requirements"][0]["code"] == "dokumen"


def test_the_admin_refuses_a_choice_with_a_single_option(as_admin):
    kia = Service.objects.get(code="kia")
    data = form_data(kia)
    data[f"requirements-{index_of(kia, 'pas-foto')}-alternative_group"] = "foto"
    data[f"requirements-{index_of(kia, 'pas-foto')}-alternative_option"] = "cetak"
    response = as_admin.post(change_url(kia), data, headers=ENGLISH)
    assert response.status_code == 200
    assert "has only one option" in response.content.decode()
    assert kia.versions.count() == 1
    assert Requirement.objects.get(service=kia, code="pas-foto").alternative_group == ""


def test_the_admin_refuses_an_option_without_a_group(as_admin):
    kia = Service.objects.get(code="kia")
    data = form_data(kia)
    data[f"requirements-{index_of(kia, 'pas-foto')}-alternative_option"] = "cetak"
    response = as_admin.post(change_url(kia), data, headers=ENGLISH)
    assert response.status_code == 200
    assert "needs both a group and an option" in response.content.decode()
    assert kia.versions.count() == 1


def test_the_change_page_lists_the_versions_and_the_list_the_latest(as_admin):
    kia = Service.objects.get(code="kia")
    data = form_data(kia)
    data["name"] = "Kartu Identitas Anak"
    as_admin.post(change_url(kia), data)
    page = as_admin.get(change_url(kia), headers=ENGLISH).content.decode()
    for version in kia.versions.all():
        assert reverse("admin:catalogue_serviceversion_change", args=[version.pk]) in page
    assert "loaded from the catalogue file" in page
    listing = as_admin.get(reverse("admin:catalogue_service_changelist"))
    assert listing.status_code == 200
    row = next(r for r in listing.context["cl"].result_list if r.code == "kia")
    assert row.latest_version_number == 2


def test_the_service_list_in_the_admin_has_bounded_queries(as_admin, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert as_admin.get(reverse("admin:catalogue_service_changelist")).status_code == 200


def test_a_published_service_cannot_be_deleted_only_switched_off(as_admin):
    kia = Service.objects.get(code="kia")
    url = reverse("admin:catalogue_service_delete", args=[kia.pk])
    assert as_admin.get(url).status_code == 403
    assert as_admin.post(url, {"post": "yes"}).status_code == 403
    assert Service.objects.filter(code="kia").exists()
    with pytest.raises(ProtectedError):
        kia.delete()


def test_a_service_never_published_can_be_deleted(as_admin):
    draft = Service.objects.create(code="draft", name="Draft")
    url = reverse("admin:catalogue_service_delete", args=[draft.pk])
    assert as_admin.post(url, {"post": "yes"}).status_code == 302
    assert not Service.objects.filter(code="draft").exists()


def test_versions_can_be_read_but_never_added_changed_or_deleted(as_admin):
    version = ServiceVersion.objects.get(service__code="akta-kelahiran")
    frozen = copy.deepcopy(version.definition)
    change = reverse("admin:catalogue_serviceversion_change", args=[version.pk])
    page = as_admin.get(change)
    assert page.status_code == 200
    assert "SPTJM kebenaran data kelahiran" in page.content.decode()
    assert as_admin.post(change, {"number": "7", "definition": "{}"}).status_code == 403
    delete = reverse("admin:catalogue_serviceversion_delete", args=[version.pk])
    assert as_admin.get(delete).status_code == 403
    assert as_admin.post(delete, {"post": "yes"}).status_code == 403
    assert as_admin.get(reverse("admin:catalogue_serviceversion_add")).status_code == 403
    listing = as_admin.get(reverse("admin:catalogue_serviceversion_changelist"))
    assert listing.status_code == 200
    assert "delete_selected" not in listing.content.decode()
    version.refresh_from_db()
    assert (version.number, version.definition) == (1, frozen)


@pytest.mark.parametrize("persona", ["desa_a", "kecamatan_a", "clerk", "head", "viewer"])
def test_other_roles_cannot_open_or_change_the_catalogue_admin(
    client, personas, catalogue, persona
):
    client.force_login(getattr(personas, persona))
    kia = Service.objects.get(code="kia")
    data = form_data(kia)
    data["name"] = "Dibajak"
    for url in (
        reverse("admin:catalogue_service_changelist"),
        change_url(kia),
        reverse("admin:catalogue_serviceversion_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    response = client.post(change_url(kia), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    kia.refresh_from_db()
    assert kia.name == "Kartu Identitas Anak (KIA)"
    assert kia.versions.count() == 1
