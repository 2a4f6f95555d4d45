"""Practice requests never appear in a real queue, search, figure, export, public page,
notification or verification lookup, for any role; no real action applies to a practice
request, no practice action to a real one; the history chain covers real rows only."""

from __future__ import annotations

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from openpyxl import load_workbook
from pypdf import PdfReader

from paradewi.accounts.policy import HANDLING_ROLES, REPORT_ROLES
from paradewi.documents.models import OutputFile
from paradewi.documents.verification import find_output
from paradewi.notifications.models import Notification, Outbox
from paradewi.notifications.services.transitions import transitions_catch_up
from paradewi.reports.services import refresh_activity
from paradewi.requests import history, workflow
from paradewi.requests.errors import NotAllowedError
from paradewi.requests.models import ServiceRequest, Transition
from paradewi.requests.selectors import visible_requests
from paradewi.requests.tracking import make_token
from paradewi.requests.workflow import RULES
from paradewi.surveys.services import SurveyState, survey_state
from paradewi.testing import Client, Personas
from paradewi.training.tests.factories import (
    finish_real,
    play_return_and_fix,
    play_with_colleagues,
    training,
)

pytestmark = pytest.mark.django_db

# A working Tuesday morning: every step of the world falls in one month and one quarter.
MOMENT = datetime(2026, 11, 10, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))

WORKLIST_TABS = ("all", "verify", "unclaimed", "mine")


def _practice_world(p: Personas) -> list[ServiceRequest]:
    """A scenario played to its hand-over, a request colleagues in training played, and a
    practice request still waiting at the kecamatan."""
    from paradewi.requests.tests.factories import make_submitted

    played = play_return_and_fix(p)
    colleagues = play_with_colleagues(p)
    with training(p.desa_a):
        waiting = make_submitted(p.desa_a, subject_name="Menunggu Latihan")
    return [played, colleagues, ServiceRequest.everything.get(pk=waiting.pk)]


def _clients(p: Personas) -> dict[str, Client]:
    clients = {}
    for name, user in p.all().items():
        client = Client()
        client.force_login(user)
        clients[name] = client
    return clients


def test_no_role_outside_training_sees_or_opens_a_practice_request(p: Personas) -> None:
    real = finish_real(p)
    practice = _practice_world(p)
    assert all(r.is_practice for r in practice)
    practice_pks = {r.pk for r in practice}
    for name, user in p.all().items():
        assert not set(visible_requests(user).values_list("pk", flat=True)) & practice_pks, name
    for name, client in _clients(p).items():
        user = getattr(p, name)
        if user.role not in HANDLING_ROLES:
            continue
        for tab in WORKLIST_TABS:
            for query in ("", "LATIHAN", "Menunggu Latihan", "Latihan Rekan", "Rizky"):
                # The rows alone (htmx's fragment): the search box echoes the query.
                page = client.get("/requests/", {"tab": tab, "q": query}, HTTP_HX_REQUEST="true")
                text = page.content.decode()
                assert "LATIHAN-" not in text, (name, tab, query)
                assert "Menunggu Latihan" not in text
                assert "Latihan Rekan" not in text
        for request in practice:
            for url in (
                f"/requests/{request.pk}/",
                f"/requests/{request.pk}/edit/",
                f"/requests/{request.pk}/receipt.pdf",
                f"/requests/{request.pk}/forms/f-1-02/",
            ):
                assert client.get(url).status_code == 404, (name, url)
            for output in request.outputs.all():
                url = f"/requests/{request.pk}/outputs/{output.pk}/"
                assert client.get(url).status_code == 404, (name, url)
    # And the real request stays visible to those who handle it.
    assert visible_requests(p.head).filter(pk=real.pk).exists()


def test_in_training_no_role_sees_a_real_request(p: Personas) -> None:
    real = finish_real(p, hand_over=False)
    _practice_world(p)
    for name, user in p.all().items():
        with training(user):
            assert not visible_requests(user).filter(is_practice=False).exists(), name
            assert not visible_requests(user).filter(pk=real.pk).exists(), name


def test_no_action_crosses_between_real_and_practice(p: Personas) -> None:
    """Every action of the table, by every role, on every request of the other kind (and the
    scenario's own actions on a real request) is refused, before any state is looked at."""
    real = [finish_real(p, hand_over=False)]
    from paradewi.requests.tests.factories import make_draft, make_submitted

    real.append(make_submitted(p.desa_a))
    real.append(make_draft(p.desa_a))
    practice = _practice_world(p)
    actions = [a for a, rule in RULES.items() if rule.states and not rule.by_scenario]
    for user in p.all().values():
        for action in actions:
            for request in practice:  # outside training: no real action on practice
                with pytest.raises(NotAllowedError):
                    workflow.check(user, request, action)
            with training(user):  # in training: no practice action on a real request
                for request in real:
                    with pytest.raises(NotAllowedError):
                        workflow.check(user, request, action)
    for scenario_action in [a for a, rule in RULES.items() if rule.by_scenario]:
        for request in real:
            with pytest.raises(NotAllowedError):
                workflow.check_by_scenario(request, scenario_action)


def _xlsx_values(content: bytes) -> list[tuple[object, ...]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')

FIGURE_PAGES = (
    "/reports/",
    "/reports/ikm/",
    "/reports/returns/",
    "/reports/ranking/",
    "/reports/workload/",
    "/reports/speed.xlsx",
    "/reports/ikm.xlsx",
    "/reports/returns.xlsx",
    "/reports/ranking.xlsx",
    "/reports/report.pdf",
    "/",
    "/home/",
    "/figures/",
)


def _figures(p: Personas) -> dict[tuple[str, str], object]:
    """Every figure page, export and public page as each role (and the public) sees it."""
    refresh_activity(rebuild=True)
    seen: dict[tuple[str, str], object] = {}
    clients = {"public": Client()} | {
        name: client
        for name, client in _clients(p).items()
        if getattr(p, name).role in REPORT_ROLES
    }
    for name, client in clients.items():
        for url in FIGURE_PAGES:
            response = client.get(url)
            body = b"".join(response) if response.streaming else response.content
            kind = response.get("Content-Type", "")
            if "spreadsheet" in kind:
                value: object = _xlsx_values(body)
            elif "pdf" in kind:
                value = _pdf_text(body)
            else:
                value = _TOKEN.sub(b"", body)
            seen[(name, url)] = (response.status_code, value)
    return seen


def test_figures_exports_rankings_and_public_pages_leave_practice_out(p: Personas) -> None:
    with time_machine.travel(MOMENT, tick=False):
        finish_real(p)
        before = _figures(p)
        _practice_world(p)
        after = _figures(p)
        changed = [key for key in before if before[key] != after[key]]
        assert changed == []
        # The check can see a change: one more real request changes the figures.
        finish_real(p, subject_name="Sri Wahyuni")
        control = _figures(p)
        assert any(control[key] != after[key] for key in after)


def test_practice_never_notifies_opens_a_survey_or_answers_a_public_lookup(
    p: Personas,
) -> None:
    practice = _practice_world(p)
    practice_pks = [r.pk for r in practice]
    assert not Notification.objects.filter(request_id__in=practice_pks).exists()
    assert not Outbox.objects.filter(request_id__in=practice_pks).exists()
    assert not [m for m in mail.outbox if "LATIHAN" in m.body]
    transitions_catch_up()
    assert not Notification.objects.filter(request_id__in=practice_pks).exists()
    public = Client()
    for request in practice:
        assert survey_state(request) == SurveyState.NOT_YET
        if request.number:
            response = public.post("/track/", {"number": request.number, "pin": request.pin})
            assert next(t.name for t in response.templates) == "requests/public/track.html"
            assert public.get(f"/t/{make_token(request)}/").status_code == 404
        for output in request.outputs.all():
            assert find_output(output.verification_code) is None
            response = public.get(f"/verify/{output.verification_code}/")
            assert request.number not in response.content.decode()
            assert request.subject_name not in response.content.decode()
            assert not OutputFile.objects.filter(pk=output.pk).exists()


def test_the_history_chain_holds_real_rows_only(p: Personas) -> None:
    finish_real(p)
    _practice_world(p)
    finish_real(p, subject_name="Sri Wahyuni")
    assert Transition.everything.filter(is_practice=True).exists()
    assert not Transition.everything.filter(is_practice=True).exclude(chain_hash="").exists()
    chain = history.verify_chain()
    assert chain.intact
    assert chain.rows == Transition.objects.count()
    assert history.verify_state().consistent
    assert ServiceRequest.objects.count() == 2
