"""The workflow table against the services and the page: every persona x state x action.

`workflow.may(...)` must be true exactly when the service succeeds (with the least valid input:
a reason, the files, a clerk), and the request's page must show exactly the buttons
`workflow.allowed(...)` gives. The requests are built once for the class; every service call
runs in a savepoint that is rolled back, so each starts from the state that was built.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from paradewi.accounts.models import Role, User
from paradewi.catalogue.models import Service
from paradewi.requests import services, workflow
from paradewi.requests.errors import WorkflowError
from paradewi.requests.models import ServiceRequest, Status
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import (
    jpeg_file,
    load_catalogue,
    make_draft,
    pdf_file,
    person_data,
    upload_all,
)
from paradewi.requests.workflow import DATA, Action, Part
from paradewi.testing import Client, Personas, load_mojokerto, make_personas, make_user

PERSONAS = [
    "desa_a",  # the village officer of the request's village
    "desa_b",  # a village officer of another village of the same kecamatan
    "kecamatan_a",  # the operator of the request's kecamatan (creator of the "kec" requests)
    "kecamatan_c",  # the operator of another kecamatan
    "clerk",  # the Dinas clerk who holds the requests in process
    "clerk_2",  # another Dinas clerk
    "head",
    "viewer",
    "admin",
]
# What an edit may change: the data, a requirement marked to fix, one that was not marked.
EDIT_PARTS = [DATA, "kk-lama", "f-102"]
# What a hand-over may cover.
HAND_OVER_PARTS = [Part.DOCUMENTS, Part.CARDS]


@dataclass
class World:
    personas: Personas
    clerk_2: User
    # name -> request id; "village ..." were made by desa A, "kec ..." by the kecamatan operator
    # for a resident of desa A.
    requests: dict[str, int]

    def user(self, name: str) -> User:
        if name == "clerk_2":
            return self.clerk_2
        user: User = getattr(self.personas, name)
        return user

    def request(self, name: str) -> ServiceRequest:
        return ServiceRequest.objects.select_related(
            "service", "service_version", "village", "district", "holder", "created_by"
        ).get(pk=self.requests[name])


def _build(p: Personas) -> dict[str, int]:
    load_catalogue()
    desa, kecamatan, clerk = p.desa_a, p.kecamatan_a, p.clerk

    def draft(actor: User, service_code: str = "kk-perubahan", **kwargs: Any) -> ServiceRequest:
        request = make_draft(actor, service_code, village=desa.area, **kwargs)
        upload_all(actor, request)
        return request

    def submitted(actor: User = desa, *args: Any, **kwargs: Any) -> ServiceRequest:
        return services.request_submit(actor=actor, request=draft(actor, *args, **kwargs))

    def verified(*args: Any, **kwargs: Any) -> ServiceRequest:
        return services.request_verify(actor=kecamatan, request=submitted(*args, **kwargs))

    def in_process(*args: Any, **kwargs: Any) -> ServiceRequest:
        return services.request_claim(actor=clerk, request=verified(*args, **kwargs))

    def done() -> ServiceRequest:
        outputs = [OutputUpload("kk", pdf_file("kk.pdf"))]
        return services.request_complete(actor=clerk, request=in_process(), outputs=outputs)

    def birth_done() -> ServiceRequest:
        """An akta kelahiran: the akta and the KK to print, the KIA card at the Dinas."""
        outputs = [OutputUpload("akta-kelahiran", pdf_file("akta.pdf"))]
        return services.request_complete(
            actor=clerk,
            request=in_process(desa, "akta-kelahiran"),
            outputs=outputs,
            pickup_place="Kantor Dinas",
        )

    card = {"service_code": "ktp-el-cetak-ulang", "details": {"reason": "lost"}}
    built = {
        "village draft": draft(desa),
        "village submitted": submitted(),
        "village returned by the kecamatan": services.request_return(
            actor=kecamatan, request=submitted(), items={"kk-lama": "Buram"}
        ),
        "village returned by the Dinas": services.request_return(
            actor=clerk, request=in_process(), reason="Periksa semua"
        ),
        "village verified": verified(),
        "village in process": in_process(),
        "village done": done(),
        "village ready for pick-up": services.request_complete(
            actor=clerk, request=in_process(desa, **card), outputs=[], pickup_place="Kantor Desa"
        ),
        "village handed over": services.request_hand_over(actor=desa, request=done()),
        "village birth done": birth_done(),
        "village birth, documents handed over": services.request_hand_over(
            actor=desa, request=birth_done(), part=Part.DOCUMENTS
        ),
        "village birth, card handed over at the Dinas": services.request_hand_over(
            actor=clerk, request=birth_done()
        ),
        "village rejected": services.request_reject(
            actor=clerk, request=in_process(), reason="Ganda"
        ),
        "village cancelled": services.request_cancel(
            actor=desa, request=draft(desa), reason="Salah"
        ),
        # Corrections (pembetulan) of a KK the Dinas typed wrong: asked for by the Dinas
        # itself, or by the village; one taken and completed.
        "correction by the Dinas, verified": services.correction_open(
            actor=clerk, original=done(), output_code="kk", wrong="Nama", evidence=jpeg_file()
        ),
        "correction by the village, verified": services.correction_open(
            actor=desa, original=done(), output_code="kk", wrong="Nama", evidence=jpeg_file()
        ),
        "correction done": services.request_complete(
            actor=clerk,
            request=services.request_claim(
                actor=clerk,
                request=services.correction_open(
                    actor=desa,
                    original=done(),
                    output_code="kk",
                    wrong="Nama",
                    evidence=jpeg_file(),
                ),
            ),
            outputs=[OutputUpload("kk", pdf_file("kk.pdf"))],
        ),
        "kec draft": draft(kecamatan),
        # Made at the kecamatan, sent by the village.
        "kec submitted": services.request_submit(actor=desa, request=draft(kecamatan)),
        "kec verified": submitted(kecamatan),
        "kec returned by the Dinas": services.request_return(
            actor=clerk,
            request=services.request_claim(actor=clerk, request=submitted(kecamatan)),
            items={"kk-lama": "Buram"},
        ),
    }
    return {name: request.pk for name, request in built.items()}


@pytest.fixture(scope="class")
def world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The personas and a request in every state, built once and rolled back at the end."""
    media: Path = tmp_path_factory.mktemp("media")
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        STORAGES={
            "default": {
                "BACKEND": "paradewi.core.storage.EncryptedFileSystemStorage",
                "OPTIONS": {"location": media},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    with django_db_blocker.unblock(), fast, translation.override("en"), transaction.atomic():
        load_mojokerto()
        personas = make_personas()
        clerk_2 = make_user("clerk-2", Role.DINAS_CLERK, "35.16", full_name="Joko Susilo")
        yield World(personas, clerk_2, _build(personas))
        transaction.set_rollback(True)


def _run(
    world: World, actor: User, request: ServiceRequest, action: Action, part: str | None = None
) -> Callable[[], Any]:
    """The service of `action` with the least valid input (`part`: of a hand-over)."""
    definition = request.definition
    pdf_outputs = [o["code"] for o in definition["outputs"] if not o["is_card"]]
    has_card = any(o["is_card"] for o in definition["outputs"])
    other_clerk = (
        world.clerk_2 if request.holder_id == world.personas.clerk.pk else world.user("clerk")
    )
    calls: dict[Action, Callable[[], Any]] = {
        Action.SUBMIT: lambda: services.request_submit(actor=actor, request=request),
        Action.CANCEL: lambda: services.request_cancel(actor=actor, request=request, reason="x"),
        Action.VERIFY: lambda: services.request_verify(actor=actor, request=request),
        Action.RETURN: lambda: services.request_return(actor=actor, request=request, reason="x"),
        Action.CLAIM: lambda: services.request_claim(actor=actor, request=request),
        Action.RELEASE: lambda: services.request_release(actor=actor, request=request),
        Action.REASSIGN: lambda: services.request_reassign(
            actor=actor, request=request, clerk=other_clerk
        ),
        Action.REJECT: lambda: services.request_reject(actor=actor, request=request, reason="x"),
        Action.COMPLETE: lambda: services.request_complete(
            actor=actor,
            request=request,
            outputs=[OutputUpload(code, pdf_file()) for code in pdf_outputs[:1]],
            pickup_place="Kantor Dinas" if has_card else "",
        ),
        Action.HAND_OVER: lambda: services.request_hand_over(
            actor=actor, request=request, part=part
        ),
        Action.CORRECT: lambda: services.correction_open(
            actor=actor,
            original=request,
            output_code=pdf_outputs[0] if pdf_outputs else "",
            wrong="Nama salah ketik",
            evidence=jpeg_file(),
        ),
    }
    return calls[action]


def _edit(actor: User, request: ServiceRequest, part: str) -> Callable[[], Any]:
    if part == DATA:
        return lambda: services.request_update(actor=actor, request=request, subject_name="Slamet")
    return lambda: services.upload_add(
        actor=actor, request=request, requirement_code=part, file=jpeg_file()
    )


def _succeeds(call: Callable[[], Any]) -> bool:
    """Whether the call succeeds; what it changed is rolled back either way."""
    with transaction.atomic():
        try:
            call()
        except WorkflowError:
            succeeded = False
        else:
            succeeded = True
        transaction.set_rollback(True)
    return succeeded


ACTIONS_SECTION = re.compile(r'<section class="card actions".*?</section>', re.DOTALL)
BUTTONS = {
    Action.EDIT: ('href="{}"', "request_edit"),
    Action.SUBMIT: ('action="{}"', "request_submit"),
    Action.CANCEL: ('href="{}"', "request_cancel"),
    Action.VERIFY: ('action="{}"', "request_verify"),
    Action.RETURN: ('href="{}"', "request_return"),
    Action.CLAIM: ('action="{}"', "request_claim"),
    Action.RELEASE: ('action="{}"', "request_release"),
    Action.REASSIGN: ('href="{}"', "request_reassign"),
    Action.REJECT: ('href="{}"', "request_reject"),
    Action.COMPLETE: ('href="{}"', "request_complete"),
    Action.HAND_OVER: ('href="{}"', "request_hand_over"),
    Action.CORRECT: ('href="{}"', "request_correct"),
}


@pytest.mark.usefixtures("db")
class TestTheWorkflowTable:
    def test_may_is_true_exactly_when_the_service_succeeds(self, world: World) -> None:
        mismatches = []
        for state in world.requests:
            request = world.request(state)
            for persona in PERSONAS:
                actor = world.user(persona)
                for action in BUTTONS:
                    may = workflow.may(actor, request, action)
                    if action == Action.EDIT:
                        parts = {}
                        for part in EDIT_PARTS:
                            part_may = workflow.may(actor, request, action, part=part)
                            parts[part] = _succeeds(_edit(actor, request, part))
                            if parts[part]:
                                request = world.request(state)  # the service changed it
                            if part_may != parts[part]:
                                mismatches.append(f"{persona} edit({part}) {state}: {part_may}")
                        succeeded = any(parts.values())
                    elif action == Action.HAND_OVER:
                        for part in HAND_OVER_PARTS:
                            part_may = workflow.may(actor, request, action, part=part)
                            part_did = _succeeds(_run(world, actor, request, action, part))
                            if part_did:
                                request = world.request(state)  # the service changed it
                            if part_may != part_did:
                                mismatches.append(
                                    f"{persona} hand_over({part}) {state}: {part_may}"
                                )
                        succeeded = _succeeds(_run(world, actor, request, action))
                        if succeeded:
                            request = world.request(state)  # the service changed it
                    else:
                        succeeded = _succeeds(_run(world, actor, request, action))
                        if succeeded:
                            request = world.request(state)  # the service changed it
                    if may != succeeded:
                        mismatches.append(f"{persona} {action} {state}: may {may}, did {succeeded}")
        assert mismatches == []

    def test_every_state_and_action_is_walked(self, world: World) -> None:
        states = {world.request(name).status for name in world.requests}
        assert states == set(Status)
        # RESCHEDULE is no one's action: a calendar change moves due times (services); a
        # correction's first row (OPEN_CORRECTION) is taken on the request it corrects (CORRECT).
        # The practice scenario's actions are the system's, on practice requests only
        # (training/tests/test_practice_workflow.py walks them).
        creations = {Action.CREATE, Action.OPEN_CORRECTION, Action.RESCHEDULE}
        scenario = {action for action, rule in workflow.RULES.items() if rule.by_scenario}
        assert set(BUTTONS) | creations | scenario == set(Action)

    def test_the_page_shows_exactly_the_allowed_buttons(self, world: World) -> None:
        client = Client()
        wrong = []
        for persona in PERSONAS:
            actor = world.user(persona)
            client.force_login(actor)
            for state in world.requests:
                request = world.request(state)
                allowed = workflow.allowed(actor, request)
                response = client.get(reverse("request_detail", args=[request.pk]))
                if response.status_code == 404:
                    shown: set[Action] = set()
                else:
                    found = ACTIONS_SECTION.search(response.content.decode())
                    section = found.group(0) if found else ""
                    shown = {
                        action
                        for action, (pattern, name) in BUTTONS.items()
                        if pattern.format(reverse(name, args=[request.pk])) in section
                    }
                if shown != allowed:
                    wrong.append(
                        f"{persona} {state}: shows {sorted(shown)}, allowed {sorted(allowed)}"
                    )
        assert wrong == []

    def test_who_may_create_is_who_creates(self, world: World) -> None:
        service = Service.objects.get(code="kk-perubahan")
        village = world.personas.desa_a.area
        assert village is not None
        for persona in PERSONAS:
            actor = world.user(persona)
            may = workflow.may_create(actor, village)
            create = partial(
                services.request_create,
                actor=actor,
                service=service,
                village=village,
                idempotency_key=uuid.uuid4(),
                **person_data(),
            )
            assert may == _succeeds(create), persona


def test_the_architecture_document_shows_the_table_as_it_is() -> None:
    document = Path(__file__).resolve().parents[3] / "docs" / "architecture.md"
    assert workflow.markdown_table() in document.read_text(encoding="utf-8")
