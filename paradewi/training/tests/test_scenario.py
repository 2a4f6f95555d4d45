"""The scenario plays the kecamatan and the Dinas: return for a blurred surat keterangan lahir,
accept the fix, complete with a sample result; the run completes at the hand-over."""

from __future__ import annotations

import uuid

import pytest

from paradewi.core.practice_pdf import is_stamped
from paradewi.requests import services
from paradewi.requests.errors import NotAllowedError
from paradewi.requests.models import ServiceRequest, Transition
from paradewi.requests.tests.factories import pdf_file
from paradewi.requests.workflow import Action
from paradewi.testing import Personas
from paradewi.training.models import PracticeRun, Scenario
from paradewi.training.services import practice_start, scenario_play
from paradewi.training.tests.factories import (
    birth_person,
    fresh,
    hand_over,
    play_return_and_fix,
    submit,
    training,
    upload_missing,
)

pytestmark = pytest.mark.django_db


def test_it_returns_the_blurred_letter_accepts_the_fix_and_completes(p: Personas) -> None:
    request = play_return_and_fix(p)
    assert request.is_practice
    assert request.played_by_scenario
    assert request.status == "handed_over"
    assert request.number.startswith("LATIHAN-3516012001-")
    actions = list(request.transitions.values_list("action", "actor_id"))
    assert [a for a, _ in actions] == [
        Action.CREATE,
        Action.SUBMIT,
        Action.PRACTICE_VERIFY,
        Action.PRACTICE_RETURN,
        Action.SUBMIT,
        Action.PRACTICE_COMPLETE,
        Action.HAND_OVER,
    ]
    returned = request.transitions.get(action=Action.PRACTICE_RETURN)
    assert "buram" in returned.details["items"]["surat-keterangan-lahir"]
    assert returned.actor_id is None
    run = PracticeRun.objects.get(request=request)
    assert run.returned_at is not None
    assert run.completed_at is not None
    outputs = list(request.outputs.all())
    assert {o.output_code for o in outputs} == {"akta-kelahiran", "kk"}
    assert all(o.verification_code.startswith("LATIHAN") for o in outputs)


def test_it_returns_again_when_the_scan_was_not_replaced(p: Personas) -> None:
    scenario = Scenario.objects.get(code="kelahiran-skl-buram")
    with training(p.desa_a):
        request = practice_start(actor=p.desa_a, scenario=scenario, idempotency_key=uuid.uuid4())
        services.request_update(actor=p.desa_a, request=request, **birth_person())
        upload_missing(p.desa_a, fresh(request))
        assert submit(p.desa_a, request).status == "returned"
        again = submit(p.desa_a, request)
    assert again.status == "returned"
    last = again.transitions.filter(action=Action.PRACTICE_RETURN).last()
    assert last is not None
    assert "belum diganti" in last.details["items"]["surat-keterangan-lahir"]  # Indonesian


def test_a_clean_scenario_completes_at_the_first_submission(p: Personas) -> None:
    scenario = Scenario.objects.get(code="ktp-el-hilang")
    with training(p.desa_a):
        request = practice_start(actor=p.desa_a, scenario=scenario, idempotency_key=uuid.uuid4())
        services.request_update(
            actor=p.desa_a, request=request, details={"reason": "lost"}, **birth_person()
        )
        upload_missing(p.desa_a, fresh(request))
        ready = submit(p.desa_a, request)
        assert ready.status == "ready_for_pickup"
        assert ready.pickup_place
        hand_over(p.desa_a, ready)
    assert PracticeRun.objects.get(request=request).completed_at is not None


def test_the_sample_result_is_served_marked(p: Personas, client) -> None:
    request = play_return_and_fix(p)
    client.force_login(p.desa_a)
    client.post("/training/switch/", {"on": "1"})
    for output in request.outputs.all():
        response = client.get(f"/requests/{request.pk}/outputs/{output.pk}/")
        assert response.status_code == 200
        assert is_stamped(response.content)


def test_a_scenario_starts_only_in_training_from_a_village(p: Personas) -> None:
    scenario = Scenario.objects.get(code="kelahiran-lengkap")
    with pytest.raises(NotAllowedError):
        practice_start(actor=p.desa_a, scenario=scenario, idempotency_key=uuid.uuid4())
    with training(p.kecamatan_a), pytest.raises(NotAllowedError):
        practice_start(actor=p.kecamatan_a, scenario=scenario, idempotency_key=uuid.uuid4())
    assert not ServiceRequest.everything.exists()


def test_the_scenario_never_plays_a_real_request(p: Personas) -> None:
    from paradewi.requests.tests.factories import make_submitted

    real = make_submitted(p.desa_a)
    assert scenario_play(real.pk) == "gone"
    with pytest.raises(NotAllowedError):
        services.request_scenario_step(request=real, action=Action.PRACTICE_VERIFY)
    assert fresh(real).status == "submitted"
    assert not Transition.objects.filter(request=real, action__startswith="practice").exists()


def test_a_replaced_scan_is_a_new_upload(p: Personas) -> None:
    # The fix is a real upload: pdf_file gives different bytes, so a new row.
    request = play_return_and_fix(p)
    rows = request.uploads.filter(requirement_code="surat-keterangan-lahir")
    assert rows.count() == 2
    assert rows.filter(replaced_at__isnull=True).count() == 1
    assert pdf_file  # imported for the helper above
