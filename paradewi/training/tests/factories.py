"""Practice and real requests at every step, for the training tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.test import TestCase
from django.utils import timezone

from paradewi.accounts.models import User
from paradewi.documents import services as documents_services
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest
from paradewi.requests.requirements import checklist
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import (
    make_draft,
    make_submitted,
    pdf_file,
    upload_all,
)
from paradewi.testing import Personas
from paradewi.training.models import Scenario
from paradewi.training.services import practice_start, scenarios_load

RETURN_SCENARIO = "kelahiran-skl-buram"


@contextmanager
def training(*users: User) -> Iterator[None]:
    """The users in training mode for the block (as the switch's middleware makes them)."""
    for user in users:
        user.in_training = True
    try:
        yield
    finally:
        for user in users:
            user.in_training = False


def submit(actor: User, request: ServiceRequest) -> ServiceRequest:
    """Submit, and run what follows the commit (the scenario's task, with the immediate
    backend of the tests), as after a web request."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.request_submit(actor=actor, request=fresh(request))
    return fresh(request)


def hand_over(actor: User, request: ServiceRequest) -> ServiceRequest:
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.request_hand_over(actor=actor, request=fresh(request))
    return fresh(request)


def fresh(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.everything.get(pk=request.pk)


def finish_real(p: Personas, *, hand_over: bool = True, **person: str) -> ServiceRequest:
    """A real KK perubahan of desa A: submitted, verified, claimed, completed, handed over."""
    request = make_submitted(p.desa_a, **person)
    request = services.request_verify(actor=p.kecamatan_a, request=request)
    request = services.request_claim(actor=p.clerk, request=request)
    request = documents_services.request_complete(
        actor=p.clerk, request=request, outputs=[OutputUpload("kk", pdf_file(text="KK"))]
    )
    if hand_over:
        request = services.request_hand_over(actor=p.desa_a, request=request)
    return request


def upload_missing(actor: User, request: ServiceRequest) -> None:
    """Upload a scan for every requirement that applies and has none yet."""
    upload_all(actor, request)
    assert checklist(fresh(request)).complete, checklist(fresh(request)).missing


def play_return_and_fix(p: Personas) -> ServiceRequest:
    """Desa A plays the "blurred surat keterangan lahir" scenario to its hand-over."""
    scenario = Scenario.objects.get(code=RETURN_SCENARIO)
    with training(p.desa_a):
        request = practice_start(actor=p.desa_a, scenario=scenario, idempotency_key=uuid.uuid4())
        services.request_update(
            actor=p.desa_a, request=request, details=birth_details(), **birth_person()
        )
        request = fresh(request)
        upload_missing(p.desa_a, request)
        returned = submit(p.desa_a, request)
        assert returned.status == "returned", returned.status
        services.upload_add(
            actor=p.desa_a,
            request=returned,
            requirement_code="surat-keterangan-lahir",
            file=pdf_file("skl-baru.pdf", text="SKL terbaca"),
        )
        done = submit(p.desa_a, request)
        assert done.status == "done", done.status
        hand_over(p.desa_a, done)
    return fresh(request)


def play_with_colleagues(p: Personas) -> ServiceRequest:
    """Desa B's practice request that colleagues in training (kecamatan A, the clerk) play."""
    with training(p.desa_b, p.kecamatan_a, p.clerk):
        request = make_draft(p.desa_b, subject_name="Latihan Rekan")
        upload_all(p.desa_b, request)
        request = services.request_submit(actor=p.desa_b, request=request)
        request = services.request_verify(actor=p.kecamatan_a, request=request)
        request = services.request_claim(actor=p.clerk, request=request)
        request = documents_services.request_complete(
            actor=p.clerk, request=request, outputs=[OutputUpload("kk", pdf_file(text="KK"))]
        )
        services.request_hand_over(actor=p.desa_b, request=request)
    return fresh(request)


def birth_person() -> dict[str, Any]:
    return {
        "subject_name": "Muhammad Rizky Pratama",
        "subject_sex": "L",
        "subject_birth_place": "Mojokerto",
        "subject_birth_date": timezone.localdate() - timedelta(days=10),
        "subject_kk": "3516010101080001",
        "reporter_nik": "3516011205900001",
        "reporter_name": "Agus Santoso",
        "reporter_phone": "+6281234567890",
        "reporter_relationship": "parent",
    }


def birth_details() -> dict[str, object]:
    return {}


@dataclass
class World:
    """Real and practice requests side by side."""

    personas: Personas
    real: ServiceRequest
    practice: list[ServiceRequest] = field(default_factory=list)

    @property
    def practice_numbers(self) -> list[str]:
        return [r.number for r in self.practice if r.number]


def load_scenarios() -> None:
    scenarios_load()
