"""Who may open which request page: every persona x every request URL x several states.

The rule (docs/design.md, "People and roles"): anything outside the user's area, or a page
their role has no business with, answers 404 exactly like a missing request, and says nothing
about the resident.
Anonymous visitors are sent to the login page. Requests belong to desa A (Kecamatan Jatirejo).

The create/edit/upload/submit/receipt pages are built elsewhere; they are checked here only for
the answers that must hold whatever they become (404 outside the area, no 200 for anonymous).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from paradewi.documents.models import OutputFile
from paradewi.requests.models import ServiceRequest, Upload
from paradewi.requests.tests.factories import NIK_MAN, pdf_file
from paradewi.requests.tests.test_action_views import in_state
from paradewi.testing import make_user

PERSONAS = [
    "desa_a",
    "desa_b",
    "desa_c",
    "kecamatan_a",
    "kecamatan_c",
    "clerk",
    "head",
    "viewer",
    "admin",
    "anonymous",
]
STATES = ["draft", "submitted", "returned", "verified", "in_process", "done", "ready"]

VILLAGE_SIDE = {"desa_a", "desa_b", "desa_c", "kecamatan_a", "kecamatan_c"}
DINAS = {"clerk", "head"}
HANDLING = VILLAGE_SIDE | DINAS

# The roles each of this module's views serves at all (others get 404 before anything else).
ROLES = {
    "request_detail": HANDLING,
    "request_upload_file": HANDLING,
    "request_output_file": HANDLING,
    "request_cancel": VILLAGE_SIDE,
    "request_verify": {"kecamatan_a", "kecamatan_c"},
    "request_return": {"kecamatan_a", "kecamatan_c"} | DINAS,
    "request_claim": DINAS,
    "request_release": DINAS,
    "request_reject": DINAS,
    "request_complete": DINAS,
    "request_reassign": {"head"},
    "request_hand_over": HANDLING,
}
ACTIONS = [name for name in ROLES if name not in ("request_detail",) and "_file" not in name]
READ_ONLY = ["request_detail", "request_upload_file", "request_output_file"]
# Views of other modules, per request: (URL name, extra URL kwargs, methods). A GET on a
# POST-only view may answer 405 before looking at the request: the same for every id, so it
# tells nothing either.
FOREIGN = [
    ("request_edit", {}, ("get", "post")),
    ("request_upload", {"requirement_code": "kk-lama"}, ("get", "post")),
    ("request_submit", {}, ("get", "post")),
    ("request_receipt", {}, ("get",)),
]
POST_ONLY = {"request_upload", "request_submit"}

SECRETS = ("Slamet Riyadi", NIK_MAN)


def sees(persona: str, state: str) -> bool:
    """Whether the persona may see a request of desa A in this state at all."""
    if persona == "desa_a":
        return True
    if persona in ("kecamatan_a", "clerk", "head"):
        return state != "draft"  # drafts stay with the village that writes them
    return False


@dataclass
class Matrix:
    client: object
    request: ServiceRequest
    login: str
    failures: list[str] = field(default_factory=list)

    def check(
        self, method: str, url: str, expected: set[int], data: dict[str, Any] | None = None
    ) -> None:
        # A POST that succeeds is rolled back, so every check starts from the same state.
        with transaction.atomic():
            response = getattr(self.client, method)(url, data or {})
            transaction.set_rollback(True)
        status = response.status_code
        if status not in expected:
            self.failures.append(f"{method.upper()} {url}: {status}, expected {sorted(expected)}")
        elif (
            status == 302
            and expected == {302}
            and self.login
            and not response["Location"].startswith(self.login)
        ):
            self.failures.append(f"{method.upper()} {url}: redirected elsewhere")
        if status == 404:
            body = response.content.decode()
            for secret in SECRETS:
                if secret in body:
                    self.failures.append(f"{method.upper()} {url}: the 404 shows {secret}")


def post_data(name: str, clerk_2_pk: int) -> dict[str, Any]:
    data: dict[str, dict[str, Any]] = {
        "request_cancel": {"reason": "Batal"},
        "request_return": {"reason": "Buram"},
        "request_reject": {"reason": "Data ganda"},
        "request_reassign": {"clerk": clerk_2_pk},
        "request_complete": {"output-kk": pdf_file("kk.pdf")},
    }
    return data.get(name, {})


def expected_for(persona: str, name: str, method: str, state: str) -> set[int]:
    if persona == "anonymous":
        return {302}
    if persona not in ROLES[name] or not sees(persona, state):
        return {404}
    if name == "request_output_file" and state != "done":
        return {404}  # no output yet: the id used belongs to no output of this request
    if name == "request_upload_file" and state == "draft":
        return {404}  # no upload yet, likewise
    if name in READ_ONLY:
        return {200}
    if name == "request_cancel" and method == "post" and persona == "kecamatan_a":
        return {404}  # the kecamatan cancels only requests it made itself
    if name == "request_hand_over" and method == "post" and persona in DINAS and state != "ready":
        return {404}  # the Dinas hands over only cards picked up at its office
    return {200, 302}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_permission_matrix(client, personas, state, persona):
    clerk_2 = make_user("clerk-2", "dinas_clerk", "35.16")
    request = in_state(personas, state)
    if persona != "anonymous":
        client.force_login(getattr(personas, persona))
    upload = Upload.objects.filter(request=request).first()
    output = OutputFile.objects.filter(request=request).first()
    kwargs = {
        "request_upload_file": {"upload_pk": upload.pk if upload else 999_999},
        "request_output_file": {"output_pk": output.pk if output else 999_999},
    }
    login = reverse("login") if persona == "anonymous" else ""
    matrix = Matrix(client, request, login)

    for name in ROLES:
        url = reverse(name, kwargs={"pk": request.pk, **kwargs.get(name, {})})
        methods: tuple[str, ...] = ("get", "post") if name in ACTIONS else ("get",)
        for method in methods:
            data = post_data(name, clerk_2.pk) if method == "post" else None
            matrix.check(method, url, expected_for(persona, name, method, state), data)

    if persona == "anonymous" or not sees(persona, state):
        for name, extra, methods in FOREIGN:
            url = reverse(name, kwargs={"pk": request.pk, **extra})
            for method in methods:
                expected = {302, 404} if persona == "anonymous" else {404}
                if method == "get" and name in POST_ONLY:
                    expected.add(405)
                matrix.check(method, url, expected)

    assert matrix.failures == []
    before = request.status
    request.refresh_from_db()
    assert request.status == before  # every successful POST was rolled back


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_pages_without_a_request(client, personas, persona):
    in_state(personas, "submitted")
    if persona != "anonymous":
        client.force_login(getattr(personas, persona))
    response = client.get(reverse("request_list"))
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif persona in ("viewer", "admin"):
        assert response.status_code == 404
    else:
        assert response.status_code == 200
    if persona in ("viewer", "admin"):
        # They handle no request: no page to start one either.
        assert client.get(reverse("request_new")).status_code == 404
        create = reverse("request_create", kwargs={"service_code": "kk-perubahan"})
        assert client.get(create).status_code == 404
        assert client.post(create, {}).status_code == 404
    if persona == "anonymous":
        for url in (
            reverse("request_new"),
            reverse("request_create", kwargs={"service_code": "kk-perubahan"}),
        ):
            assert client.get(url).status_code in (302, 404)


def test_a_missing_request_is_the_same_404_as_someone_else_s(client, personas):
    other = in_state(personas, "submitted")
    client.force_login(personas.desa_b)
    foreign = client.get(reverse("request_detail", kwargs={"pk": other.pk}))
    missing = client.get(reverse("request_detail", kwargs={"pk": other.pk + 1000}))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content


def test_an_inactive_account_sees_nothing(client, personas):
    request = in_state(personas, "submitted")
    client.force_login(personas.desa_a)
    personas.desa_a.is_active = False
    personas.desa_a.save()
    response = client.get(reverse("request_detail", kwargs={"pk": request.pk}))
    assert response.status_code in (302, 404)


# Pages about a request's files and documents (previews, archive, pre-filled forms, the
# verification slip and revocation): whoever may not see the request gets the same 404.
DOCUMENT_PAGES: list[tuple[str, str | None, dict[str, Any], tuple[str, ...]]] = [
    ("request_upload_viewer", "upload", {}, ("get",)),
    ("request_upload_preview", "upload", {"page": 1, "size": "thumb"}, ("get",)),
    ("request_archive", None, {}, ("get", "post")),
    ("official_form", None, {"form_code": "f-1-02"}, ("get",)),
    ("output_slip", "output", {}, ("get",)),
    ("output_revoke", "output", {}, ("get", "post")),
]


@pytest.mark.parametrize("persona", ["desa_b", "desa_c", "kecamatan_c", "viewer", "anonymous"])
def test_document_pages_of_a_request_outside_the_area_are_404(client, personas, persona):
    request = in_state(personas, "done")
    upload = Upload.objects.filter(request=request).first()
    output = OutputFile.objects.filter(request=request).first()
    assert upload is not None
    assert output is not None
    ids = {"upload": {"upload_pk": upload.pk}, "output": {"output_pk": output.pk}}
    if persona != "anonymous":
        client.force_login(getattr(personas, persona))
    login = reverse("login") if persona == "anonymous" else ""
    matrix = Matrix(client, request, login)
    for name, kind, extra, methods in DOCUMENT_PAGES:
        kwargs = {"pk": request.pk, **(ids[kind] if kind else {}), **extra}
        url = reverse(name, kwargs=kwargs)
        for method in methods:
            expected = {302, 404} if persona == "anonymous" else {404}
            matrix.check(method, url, expected, {"reason": "x", "confirm": "on"})
    assert matrix.failures == []
    output.refresh_from_db()
    assert output.revoked_at is None
