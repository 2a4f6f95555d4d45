"""The training pages by role: the switch, the banner, the stamped PDFs, the progress page,
help."""

from __future__ import annotations

import pytest

from paradewi.accounts.policy import TRAINEES
from paradewi.core.practice_pdf import is_stamped
from paradewi.requests.models import ServiceRequest
from paradewi.testing import DISTRICT_A, Client, Personas
from paradewi.training.models import PracticeRun
from paradewi.training.tests.factories import finish_real, play_return_and_fix

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_role_that_handles_requests_may_switch_training_on_and_off(p: Personas) -> None:
    for name, user in p.all().items():
        client = _client(user)
        home = client.get("/training/")
        switched = client.post("/training/switch/", {"on": "1"})
        if user.role not in TRAINEES:
            assert home.status_code == 404, name
            assert switched.status_code == 404, name
            assert "LATIHAN" not in client.get("/home/").content.decode()
            continue
        assert home.status_code == 200, name
        assert switched.status_code == 302, name
        page = client.get("/home/").content.decode()
        assert 'class="training-banner"' in page, name
        assert 'class="training-banner"' in client.get("/requests/").content.decode(), name
        client.post("/training/switch/", {"on": "0"})
        assert 'class="training-banner"' not in client.get("/home/").content.decode(), name


def test_a_wrong_switch_value_changes_nothing(p: Personas) -> None:
    client = _client(p.desa_a)
    response = client.post("/training/switch/", {"on": "maybe"}, follow=True)
    assert 'class="training-banner"' not in response.content.decode()
    assert "Pilih nyala atau mati" in response.content.decode()


def test_a_village_officer_starts_a_scenario_from_the_page(p: Personas) -> None:
    client = _client(p.desa_a)
    key = "5b8f5d1e-0000-4000-8000-000000000001"
    data = {"scenario": "kelahiran-skl-buram", "idempotency_key": key}
    assert client.post("/training/start/", data).status_code == 302
    assert not ServiceRequest.everything.exists()  # not in training: refused
    client.post("/training/switch/", {"on": "1"})
    response = client.post("/training/start/", data)
    practice = ServiceRequest.practice.get()
    assert response["Location"] == f"/requests/{practice.pk}/edit/"
    client.post("/training/start/", data)  # the same form twice: one request
    assert ServiceRequest.practice.count() == 1
    assert PracticeRun.objects.get().scenario.code == "kelahiran-skl-buram"
    assert client.post("/training/start/", {**data, "scenario": "nope"}).status_code == 404
    for other in ("kecamatan_a", "clerk", "head", "viewer", "admin"):
        assert _client(getattr(p, other)).post("/training/start/", data).status_code == 404


def test_every_pdf_of_a_practice_request_says_latihan_tidak_sah(p: Personas) -> None:
    practice = play_return_and_fix(p)
    real = finish_real(p)
    client = _client(p.desa_a)
    client.post("/training/switch/", {"on": "1"})
    urls = [
        f"/requests/{practice.pk}/receipt.pdf",
        f"/requests/{practice.pk}/receipt.pdf?layout=thermal",
        f"/requests/{practice.pk}/forms/f-2-01/",
        *[f"/requests/{practice.pk}/outputs/{o.pk}/" for o in practice.outputs.all()],
        *[f"/outputs/{o.pk}/slip.pdf" for o in practice.outputs.all()][:0],
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        assert is_stamped(body), url
    client.post("/training/switch/", {"on": "0"})
    receipt = client.get(f"/requests/{real.pk}/receipt.pdf")
    assert not is_stamped(receipt.content)


def test_the_progress_page_is_the_dinas_heads_and_prints_per_kecamatan(p: Personas) -> None:
    play_return_and_fix(p)
    for name, user in p.all().items():
        response = _client(user).get("/training/progress/")
        assert response.status_code == (200 if name == "head" else 404), name
    page = _client(p.head).get("/training/progress/", {"district": DISTRICT_A})
    text = page.content.decode()
    assert p.desa_a.full_name in text
    assert p.desa_b.full_name in text
    assert p.desa_c.full_name not in text  # another kecamatan
    assert "✓" in text
    assert "1/4" in text
    assert _client(p.head).get("/training/progress/", {"district": "99.99"}).status_code == 404


def test_help_pages_explain_each_requirement_for_everyone(p: Personas) -> None:
    public = Client()
    page = public.get("/training/services/akta-kelahiran/").content.decode()
    assert "Surat keterangan kelahiran" in page
    assert "training/help/good" in page
    assert "training/help/blurred" in page
    for role in ("village", "kecamatan", "dinas"):
        assert public.get(f"/training/help/{role}/").status_code == 200
    assert public.get("/training/help/bupati/").status_code == 404
