"""The published service standard (PermenPAN-RB 15/2014) and the maklumat pelayanan
(UU 25/2009 Pasal 22): public page, A4 print, the administrator's edits."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from paradewi.catalogue.models import Requirement, Service, ServiceStandard, StandardTerms

pytestmark = pytest.mark.django_db

ENGLISH = {"accept-language": "en"}
COMPONENTS = (
    "Legal basis",
    "Requirements",
    "Procedure",
    "Service time",
    "Cost",
    "Product",
    "Complaints, suggestions and feedback",
    "Facilities",
    "Staff competence",
    "Internal supervision",
    "Number of staff",
    "Service guarantee",
    "Security and safety guarantee",
    "Performance evaluation",
)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def standard_page(client, code: str = "kk-baru") -> str:
    response = client.get(reverse("service_standard", args=[code]), headers=ENGLISH)
    assert response.status_code == 200
    return text(response.content.decode())


def pdf_text(client, code: str = "kk-baru") -> str:
    response = client.get(reverse("service_standard_pdf", args=[code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="standar-pelayanan-{code}.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.pages[0].mediabox.width == pytest.approx(595.27, abs=0.1)  # A4
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_migration_loads_the_mojokerto_defaults():
    terms = StandardTerms.objects.get(pk=1)
    assert "Pasal 79A" in terms.cost
    assert terms.signatory_title.endswith("Kabupaten Mojokerto")
    assert "sanggup" in terms.charter


def test_anyone_reads_the_standard_of_a_service_without_logging_in(client):
    page = standard_page(client)
    for component in COMPONENTS:
        assert component in page, component
    assert "Maklumat pelayanan" in page
    assert "Tidak dipungut biaya (Rp0)" in page
    assert "Pasal 79A Undang-Undang Nomor 24 Tahun 2013" in page


def test_requirements_time_and_product_come_from_the_catalogue(client):
    service = Service.objects.get(code="kk-baru")
    page = standard_page(client)
    for requirement in service.requirements.all():
        assert requirement.name in page
    assert "1 working day from submission" in page
    assert "Kartu Keluarga" in page
    assert service.legal_basis in page
    # A change in the catalogue is the standard's change: nothing is copied.
    Requirement.objects.filter(service=service, code="skpwni").update(name="SKPWNI asli")
    assert "SKPWNI asli" in standard_page(client)


def test_the_procedure_follows_the_workflow_of_the_service(client):
    with_district = standard_page(client, "kk-baru")
    assert "Operator kecamatan memeriksa kelengkapan berkas" in with_district
    without = Service.objects.filter(district_step=False).first()
    assert without is not None
    assert "Operator kecamatan memeriksa" not in standard_page(client, without.code)


def test_a_service_not_offered_or_unknown_has_no_standard(client):
    Service.objects.filter(code="kk-baru").update(is_active=False)
    for code in ("kk-baru", "no-such-service"):
        assert client.get(reverse("service_standard", args=[code])).status_code == 404
        assert client.get(reverse("service_standard_pdf", args=[code])).status_code == 404


def test_the_list_links_every_service_to_its_standard_and_shows_the_maklumat(client):
    response = client.get(reverse("service_list"), headers=ENGLISH)
    html = response.content.decode()
    for service in Service.objects.filter(is_active=True):
        assert reverse("service_standard", args=[service.code]) in html
    assert "Dengan ini kami menyatakan sanggup" in html
    assert "Every service is free of charge." in text(html)


def test_the_printed_standard_is_an_a4_pdf_with_every_component_and_the_maklumat(client):
    printed = pdf_text(client)
    assert "STANDAR PELAYANAN" in printed
    assert "Kartu Keluarga (KK) baru" in printed
    for component in (
        "Dasar hukum",
        "Persyaratan",
        "Sistem, mekanisme dan prosedur",
        "Jangka waktu pelayanan",
        "Biaya/tarif",
        "Produk pelayanan",
        "Penanganan pengaduan",
        "Sarana, prasarana",
        "Kompetensi pelaksana",
        "Pengawasan internal",
        "Jumlah pelaksana",
        "Jaminan pelayanan",
        "Jaminan keamanan",
        "Evaluasi kinerja pelaksana",
    ):
        assert component in printed, component
    assert "Formulir Biodata Keluarga" in printed
    assert "MAKLUMAT PELAYANAN" in printed
    assert "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Mojokerto" in printed


def test_markup_in_the_administrators_text_prints_as_text(client):
    StandardTerms.objects.filter(pk=1).update(charter="Kami <b>berjanji</b> & menepati")
    assert "Kami <b>berjanji</b> & menepati" in pdf_text(client)
    html = client.get(reverse("service_standard", args=["kk-baru"])).content.decode()
    assert "Kami &lt;b&gt;berjanji&lt;/b&gt; &amp; menepati" in html


# --- the administrator edits it -----------------------------------------------------------------


def terms_form(**changes: str) -> dict[str, str]:
    terms = StandardTerms.objects.get(pk=1)
    data = {
        field.name: str(getattr(terms, field.name))
        for field in StandardTerms._meta.concrete_fields
        if field.editable and not field.primary_key
    }
    data.update(changes)
    return data


def test_the_administrator_edits_the_maklumat_and_the_page_and_print_follow(client, personas):
    client.force_login(personas.admin)
    url = reverse("admin:catalogue_standardterms_change", args=[1])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        terms_form(
            charter="Kami sanggup melayani sesuai standar.",
            signatory_name="Drs. Contoh Nama",
            decree="Keputusan Kepala Dinas Nomor 1 Tahun 2027",
        ),
    )
    assert response.status_code == 302
    page = standard_page(client)
    assert "Kami sanggup melayani sesuai standar." in page
    assert "Drs. Contoh Nama" in page
    assert "Keputusan Kepala Dinas Nomor 1 Tahun 2027" in page
    printed = pdf_text(client)
    assert "Drs. Contoh Nama" in printed
    assert "Ditetapkan dengan Keputusan Kepala Dinas Nomor 1 Tahun 2027" in printed


def test_there_is_one_standard_for_all_services_it_is_neither_added_nor_deleted(client, personas):
    client.force_login(personas.admin)
    assert client.get(reverse("admin:catalogue_standardterms_add")).status_code == 403
    assert client.get(reverse("admin:catalogue_standardterms_delete", args=[1])).status_code == 403


def test_the_administrator_writes_a_services_own_procedure(client, personas):
    client.force_login(personas.admin)
    service = Service.objects.get(code="kk-baru")
    response = client.post(
        reverse("admin:catalogue_servicestandard_add"),
        {"service": service.pk, "procedure": "Datang ke desa.\n\nTerima KK.", "note": ""},
    )
    assert response.status_code == 302
    page = standard_page(client)
    assert "Datang ke desa." in page
    assert "Terima KK." in page
    assert "Operator kecamatan memeriksa" not in page
    ServiceStandard.objects.filter(service=service).update(procedure="  ")
    assert "Operator kecamatan memeriksa" in standard_page(client)


@pytest.mark.parametrize("persona", ["desa_a", "kecamatan_a", "clerk", "head", "viewer"])
def test_no_one_but_the_administrator_edits_the_standard(client, personas, persona):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("admin:catalogue_standardterms_change", args=[1]))
    assert response.status_code in (302, 403, 404)
    response = client.post(
        reverse("admin:catalogue_standardterms_change", args=[1]), terms_form(charter="x")
    )
    assert response.status_code in (302, 403, 404)
    assert StandardTerms.objects.get(pk=1).charter != "x"
