"""Every page of every role runs a bounded number of queries: the same number with a handful of
requests as with many more requests, a full page of results, requests with a longer history
and more files, more notifications and announcements; and no more than the page's budget.

The pages are measured once per module on one data set that grows between the two rounds (the
data is built once, inside a transaction rolled back at the end); each test then states one
page's result. Counts include the session, the user, django-otp's device for the roles with a
second login step and the context processors (the notification counter, the menu).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from paradewi.accounts.models import Role
from paradewi.audit.models import AccessLog, Action
from paradewi.complaints import services as complaint_services
from paradewi.complaints.models import Complaint
from paradewi.complaints.tracking import make_token as make_complaint_token
from paradewi.documents import services as documents_services
from paradewi.notifications.models import Event, Notification
from paradewi.notifications.services import announcement_publish
from paradewi.regions.models import Region
from paradewi.reports.services import refresh_activity
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest, Upload
from paradewi.requests.selectors.worklist import PAGE_SIZE
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import (
    NIK_WOMAN,
    make_draft,
    make_submitted,
    pdf_file,
)
from paradewi.requests.tracking import make_token
from paradewi.surveys.links import make_survey_token
from paradewi.surveys.tests.factories import answer
from paradewi.testing import Client, Personas, make_personas

NAME = "Sri Wahyuni"

# The pages are measured by a module fixture; this tells pytest-django to set up the database.
pytestmark = pytest.mark.django_db

# Queries per page (URL name), whoever reads it and whatever the filters.
BUDGET = {
    "index": 0,
    "service_list": 4,
    "service_standard": 5,
    "public_figures": 9,
    "home": 13,
    "account": 7,
    "area_detail": 7,
    "villages_without_officer": 6,
    "request_hand_over": 8,
    "request_list": 8,
    "request_detail": 10,  # + the related requests of the same NIK or KK
    "request_new": 6,
    "request_create": 4,
    "request_edit": 8,
    "request_upload_viewer": 7,
    "survey_kiosk": 4,
    "notification_list": 8,
    "notification_counter": 4,
    "announcement_list": 5,
    "announcement_new": 6,
    "announcement_detail": 6,
    "reports_speed": 13,  # + the Dinas's corrections (pembetulan)
    "reports_ikm": 14,  # with the complaints beside U9
    "reports_returns": 11,
    "reports_ranking": 10,
    "reports_workload": 14,  # + the corrections of each clerk's errors
    "track": 0,
    "track_token": 3,  # with the link to a complaint about the request
    "verify": 0,
    "verify_result": 1,
    "survey_answer": 4,
    "audit_user_list": 7,
    "audit_user_log": 8,
    "audit_request_log": 7,
    "complaints": 2,
    "complaint_follow": 4,  # with the working calendar of the complaint's clock
    "complaint_queue": 8,
    "complaint_detail": 10,
}

# Pages whose count legitimately differs between the rounds, and by how much.
ALLOWED_GROWTH: dict[str, int] = {
    # Comments are read only once a month has enough survey answers to show them.
    "reports_ikm": 1,
    # The published figures are cached per refresh of the pre-aggregates: the first reader
    # after a refresh computes them (9 queries with the complaints and their working calendar,
    # the same with more data), every other reader pays 1. The second round follows a
    # refresh, the first was warmed.
    "public_figures": 8,
}

# Known N+1 cases, each with the reason (strict: the test fails once they are fixed).
KNOWN_GROWTH: dict[str, str] = {}


@dataclass
class Shapes:
    """The requests a page is shown with: the same states in both rounds, a longer history
    (returns, fixed uploads, more issued documents) in the second."""

    done: ServiceRequest
    returned: ServiceRequest
    handed_over: ServiceRequest
    upload: Upload
    output_code: str
    head_announcement: int
    officer_pk: int
    complaint: Complaint


@dataclass
class World:
    personas: Personas
    shapes: Shapes
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        if persona not in self.clients:
            client = Client()
            if persona != "anonymous":
                client.force_login(getattr(self.personas, persona))
            self.clients[persona] = client
        return self.clients[persona]


Url = Callable[[Shapes], str]


@dataclass(frozen=True)
class Case:
    name: str
    persona: str
    url: Url
    params: tuple[tuple[str, str], ...] = ()
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}[{self.persona}{',' + self.label if self.label else ''}]"


def plain(name: str) -> Url:
    return lambda s: reverse(name)


def of_request(name: str, attr: str) -> Url:
    return lambda s: reverse(name, args=[getattr(s, attr).pk])


def _search(by: str) -> Callable[[Shapes], str]:
    def value(s: Shapes) -> str:
        return {"number": s.done.number, "nik": NIK_WOMAN, "name": NAME.split()[1]}[by]

    return value


SEARCHES = ("number", "nik", "name")
OFFICERS = ("desa_a", "kecamatan_a", "clerk", "head")
EVERYONE = (*OFFICERS, "viewer", "admin")

CASES: list[Case] = [
    Case("index", "anonymous", plain("index")),
    Case("service_list", "anonymous", plain("service_list")),
    Case("service_standard", "anonymous", lambda s: reverse("service_standard", args=["kk-baru"])),
    Case("public_figures", "anonymous", plain("public_figures")),
    *(Case("home", persona, plain("home")) for persona in EVERYONE),
    *(Case("account", persona, plain("account")) for persona in ("desa_a", "clerk")),
    Case("area_detail", "kecamatan_a", lambda s: reverse("area_detail", args=["35.16.01"])),
    *(
        Case("villages_without_officer", persona, plain("villages_without_officer"))
        for persona in ("kecamatan_a", "head", "admin")
    ),
    # Worklists: each role's tabs, a filter, a second page and the search box.
    Case("request_list", "desa_a", plain("request_list")),
    Case("request_list", "desa_a", plain("request_list"), (("page", "2"),), "page 2"),
    Case("request_list", "desa_a", plain("request_list"), (("status", "done"),), "done"),
    Case("request_list", "kecamatan_a", plain("request_list"), (("tab", "verify"),), "verify"),
    Case("request_list", "kecamatan_a", plain("request_list"), (("tab", "all"),), "all"),
    Case("request_list", "clerk", plain("request_list"), (("tab", "unclaimed"),), "unclaimed"),
    Case("request_list", "clerk", plain("request_list"), (("tab", "mine"),), "mine"),
    Case(
        "request_list",
        "head",
        plain("request_list"),
        (("tab", "all"), ("service", "kk-perubahan")),
        "service",
    ),
    *(
        Case("request_list", persona, plain("request_list"), (("tab", "all"), ("q", by)), by)
        for persona in ("desa_a", "kecamatan_a", "clerk")
        for by in SEARCHES
    ),
    # A request: its page, editing it, a scan in the viewer.
    *(
        Case("request_detail", persona, of_request("request_detail", "done"))
        for persona in OFFICERS
    ),
    Case("request_detail", "desa_a", of_request("request_detail", "returned"), label="returned"),
    Case("request_hand_over", "desa_a", of_request("request_hand_over", "done")),
    Case("request_new", "desa_a", plain("request_new")),
    Case("request_create", "desa_a", lambda s: reverse("request_create", args=["kk-perubahan"])),
    Case("request_edit", "desa_a", of_request("request_edit", "returned")),
    *(
        Case(
            "request_upload_viewer",
            persona,
            lambda s: reverse("request_upload_viewer", args=[s.upload.request_id, s.upload.pk]),
        )
        for persona in ("kecamatan_a", "clerk")
    ),
    Case("survey_kiosk", "desa_a", of_request("survey_kiosk", "handed_over")),
    # Notifications and announcements.
    *(Case("notification_list", persona, plain("notification_list")) for persona in OFFICERS),
    *(Case("notification_counter", persona, plain("notification_counter")) for persona in OFFICERS),
    Case("announcement_list", "head", plain("announcement_list")),
    Case("announcement_new", "head", plain("announcement_new")),
    Case(
        "announcement_detail",
        "head",
        lambda s: reverse("announcement_detail", args=[s.head_announcement]),
    ),
    # The access log (Dinas head).
    Case("audit_user_list", "head", plain("audit_user_list")),
    Case("audit_user_log", "head", lambda s: reverse("audit_user_log", args=[s.officer_pk])),
    Case("audit_request_log", "head", of_request("audit_request_log", "done")),
    # Complaints: the resident's page and their complaint, the officers' queue and a complaint.
    Case("complaints", "anonymous", plain("complaints")),
    Case(
        "complaint_follow",
        "anonymous",
        lambda s: reverse("complaint_follow", args=[make_complaint_token(s.complaint)]),
    ),
    *(Case("complaint_queue", persona, plain("complaint_queue")) for persona in OFFICERS),
    Case("complaint_queue", "head", plain("complaint_queue"), (("tab", "all"),), "all"),
    *(
        Case(
            "complaint_detail",
            persona,
            lambda s: reverse("complaint_detail", args=[s.complaint.pk]),
        )
        for persona in ("desa_a", "head")
    ),
    # Dashboards.
    *(
        Case(name, persona, plain(name))
        for name in ("reports_speed", "reports_ikm", "reports_returns")
        for persona in ("desa_a", "kecamatan_a", "head", "viewer")
    ),
    *(Case("reports_ranking", persona, plain("reports_ranking")) for persona in ("head", "viewer")),
    *(
        Case("reports_workload", persona, plain("reports_workload"))
        for persona in ("head", "clerk")
    ),
    # Residents: tracking, verification of a document, the survey.
    Case("track", "anonymous", plain("track")),
    Case("track_token", "anonymous", lambda s: reverse("track_token", args=[make_token(s.done)])),
    Case("verify", "anonymous", plain("verify")),
    Case("verify_result", "anonymous", lambda s: reverse("verify_result", args=[s.output_code])),
    Case(
        "survey_answer",
        "anonymous",
        lambda s: reverse("survey_answer", args=[make_survey_token(s.handed_over)]),
    ),
]


def _params(case: Case, shapes: Shapes) -> dict[str, str]:
    return {key: (_search(value)(shapes) if key == "q" else value) for key, value in case.params}


# --- the data -----------------------------------------------------------------------------------


def _returned_and_fixed(p: Personas, request: ServiceRequest, times: int) -> ServiceRequest:
    """`times` rounds of a kecamatan return and the village's fix (a new scan each time)."""
    for round_ in range(times):
        request = services.request_return(
            actor=p.kecamatan_a, request=request, reason="Buram", items={"kk-lama": "Foto buram"}
        )
        services.upload_add(
            actor=p.desa_a,
            request=request,
            requirement_code="kk-lama",
            file=pdf_file("kk-lama.pdf", text=f"kk lama {round_}"),
        )
        request = services.request_submit(actor=p.desa_a, request=request)
    return request


def _shapes(p: Personas, rounds: int, outputs: int) -> tuple[Shapes, list[ServiceRequest]]:
    """A done request, a returned one and a handed-over one; with `rounds` returns each."""
    done = _returned_and_fixed(
        p, make_submitted(p.desa_a, subject_nik=NIK_WOMAN, subject_name=NAME), rounds
    )
    done = services.request_verify(actor=p.kecamatan_a, request=done)
    done = services.request_claim(actor=p.clerk, request=done)
    done = documents_services.request_complete(
        actor=p.clerk,
        request=done,
        outputs=[
            OutputUpload("kk", pdf_file(f"kk-{n}.pdf", text=f"kk {n}")) for n in range(outputs)
        ],
    )
    returned = _returned_and_fixed(p, make_submitted(p.desa_a), rounds)
    returned = services.request_return(
        actor=p.kecamatan_a, request=returned, reason="Buram", items={"kk-lama": "Foto buram"}
    )
    handed = _returned_and_fixed(p, make_submitted(p.desa_a), rounds)
    handed = services.request_verify(actor=p.kecamatan_a, request=handed)
    handed = services.request_claim(actor=p.clerk, request=handed)
    handed = documents_services.request_complete(
        actor=p.clerk, request=handed, outputs=[OutputUpload("kk", pdf_file("kk.pdf"))]
    )
    handed = services.request_hand_over(actor=p.desa_a, request=handed)
    upload = done.uploads.order_by("-pk").first()
    assert upload is not None
    output = done.outputs.order_by("-pk").first()
    assert output is not None
    announcement = announcement_publish(
        author=p.head,
        title=f"Pemberitahuan {rounds}",
        body="Layanan tutup pada hari libur.",
        roles=[Role.VILLAGE_OFFICER, Role.DISTRICT_OPERATOR, Role.DINAS_CLERK],
        area=p.head.area or Region.objects.get(code="35.16"),
    )
    shapes = Shapes(
        done=done,
        returned=returned,
        handed_over=handed,
        upload=upload,
        output_code=output.verification_code,
        head_announcement=announcement.pk,
        officer_pk=p.desa_a.pk,
        complaint=_complaint(p, done, rounds),
    )
    return shapes, [done, returned, handed]


def _complaint(p: Personas, request: ServiceRequest, rounds: int) -> Complaint:
    """A complaint about the request, given to the clerk, answered and reopened (so its clock
    runs in both rounds); with `rounds` more messages of the complainant."""
    complaint = complaint_services.complaint_file(
        category="slow", text="Lama sekali, mohon dibantu.", request=request
    )
    complaint_services.complaint_assign(actor=p.head, complaint=complaint, assignee=p.clerk)
    for _ in range(rounds):
        complaint_services.complaint_reply(complaint=complaint, text="Ada kabar terbaru?")
    complaint_services.complaint_answer(actor=p.clerk, complaint=complaint, text="Sudah selesai.")
    complaint_services.complaint_reopen(complaint=complaint, text="Belum ada di desa.")
    return complaint


_serial = iter(range(7000, 9999))


def _copies(request: ServiceRequest, count: int, **changes: Any) -> None:
    """`count` copies of a request's row (long lists without building each request)."""
    copies = []
    for _ in range(count):
        copy = ServiceRequest.objects.get(pk=request.pk)
        copy.pk = None
        copy.idempotency_key = uuid.uuid4()
        if copy.number:
            copy.number = f"{copy.number[:-4]}{next(_serial):04d}"
        for name, value in changes.items():
            setattr(copy, name, value)
        copies.append(copy)
    ServiceRequest.objects.bulk_create(copies)


def _grow(p: Personas) -> Shapes:
    """More of everything: lists longer than a page in every state, requests with a longer
    history and more files, notifications, announcements and survey answers."""
    shapes, made = _shapes(p, rounds=3, outputs=3)
    done, returned, handed = made
    submitted, verified, in_process, draft = _in_every_state(p, done)
    for request in (done, returned, handed, submitted, verified, in_process, draft):
        _copies(request, 30)
    _copies(done, 10, subject_name=NAME)
    make_submitted(p.desa_b)
    make_submitted(p.desa_c)
    for n in range(30):
        complaint_services.complaint_file(
            category="other",
            text=f"Pengaduan nomor {n} tentang layanan.",
            request=done if n % 2 else None,
            district=None if n % 2 else done.district,
        )
    for number in range(4):
        answer(_handed(p, f"35160112059000{number + 20}"), 3, comment="Cepat")
    for user in p.all().values():
        _notify(user, done, 40)
    _accesses(p, done, 60)
    for n in range(3):
        announcement_publish(
            author=p.head,
            title=f"Pemberitahuan tambahan {n}",
            body="Jadwal layanan berubah.",
            roles=[Role.VILLAGE_OFFICER, Role.DISTRICT_OPERATOR],
            area=p.head.area or Region.objects.get(code="35.16"),
            expires_on=timezone.localdate() + timedelta(days=7),
        )
    refresh_activity()
    return shapes


def _notify(user: Any, request: ServiceRequest, count: int) -> None:
    Notification.objects.bulk_create(
        Notification(
            user=user,
            event=Event.choices[n % len(Event.choices)][0],
            request=request,
            dedupe_key=f"budget:{uuid.uuid4()}",
            read_at=timezone.now() if n % 2 else None,
        )
        for n in range(count)
    )


def _accesses(p: Personas, request: ServiceRequest, count: int) -> None:
    """Openings of the request's page and files by the officers of its area, in the log."""
    readers = [p.desa_a, p.kecamatan_a, p.clerk]
    actions = [Action.REQUEST_OPENED, Action.UPLOAD_VIEWED, Action.OUTPUT_DOWNLOADED]
    AccessLog.objects.bulk_create(
        AccessLog(
            at=timezone.now() - timedelta(minutes=n),
            user=readers[n % len(readers)],
            role=readers[n % len(readers)].role,
            area_id=readers[n % len(readers)].area_id,
            action=actions[n % len(actions)],
            request=request,
            object_id=str(n),
            address="127.0.0.1",
        )
        for n in range(count)
    )


def _in_every_state(p: Personas, done: ServiceRequest) -> list[ServiceRequest]:
    """One request waiting at each step, so every queue has a running clock in both rounds,
    and a few notifications for everyone."""
    submitted = make_submitted(p.desa_a)
    verified = services.request_verify(actor=p.kecamatan_a, request=make_submitted(p.desa_a))
    in_process = services.request_claim(
        actor=p.clerk,
        request=services.request_verify(actor=p.kecamatan_a, request=make_submitted(p.desa_a)),
    )
    for user in p.all().values():
        _notify(user, done, 3)
    return [submitted, verified, in_process, make_draft(p.desa_a)]


def _handed(p: Personas, nik: str) -> ServiceRequest:
    request = services.request_verify(
        actor=p.kecamatan_a, request=make_submitted(p.desa_a, subject_nik=nik)
    )
    request = services.request_claim(actor=p.clerk, request=request)
    request = documents_services.request_complete(
        actor=p.clerk, request=request, outputs=[OutputUpload("kk", pdf_file("kk.pdf"))]
    )
    return services.request_hand_over(actor=p.desa_a, request=request)


# --- measuring ----------------------------------------------------------------------------------


@dataclass
class Measured:
    few: int
    many: int
    status: tuple[int, int]
    rows: tuple[int, int]
    queries: list[str]
    few_queries: list[str]

    def growth(self) -> str:
        """The queries of the second round that the first did not run (shapes, not values)."""
        first = {_shape(sql) for sql in self.few_queries}
        return "\n".join(sql for sql in self.queries if _shape(sql) not in first)


def _shape(sql: str) -> str:
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def _rows(response: Any) -> int:
    context = response.context
    return len(context["rows"]) if context is not None and "rows" in context else -1


def _count(world: World, case: Case) -> tuple[int, int, int, list[str]]:
    client = world.client(case.persona)
    url = case.url(world.shapes)
    params = _params(case, world.shapes)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    sql = [q["sql"] for q in queries.captured_queries]
    return len(queries), response.status_code, _rows(response), sql


@pytest.fixture(scope="module")
def measured(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Measured]:
    media: Path = tmp_path_factory.mktemp("media")
    overrides = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # The session's once-a-minute refresh (three queries) would land in whichever page a
        # slow machine reaches a minute after the login: budgets count the page's own queries.
        SESSION_REFRESH_SECONDS=24 * 60 * 60,
        # Dashboards compute their figures on every page here (reports.cache keeps them a
        # minute otherwise): the budget counts the queries of computing them.
        REPORT_CACHE_SECONDS=0,
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        STORAGES={
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": media},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "b",
            },
            "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "c"},
        },
    )
    with django_db_blocker.unblock(), overrides, translation.override("en"):
        cache.clear()
        caches["local"].clear()
        with transaction.atomic():
            p = make_personas()  # the regions are in the test database already
            shapes, made = _shapes(p, rounds=0, outputs=1)
            _in_every_state(p, made[0])
            answer(_handed(p, "3516011205900011"), 4, comment="Baik")
            refresh_activity()
            world = World(personas=p, shapes=shapes)
            for case in CASES:  # warm the sessions and the per-process caches
                _count(world, case)
            few = {case.id: _count(world, case) for case in CASES}
            world.shapes = _grow(p)
            many = {case.id: _count(world, case) for case in CASES}
            transaction.set_rollback(True)
        cache.clear()
        caches["local"].clear()
    return {
        case.id: Measured(
            few=few[case.id][0],
            many=many[case.id][0],
            status=(few[case.id][1], many[case.id][1]),
            rows=(few[case.id][2], many[case.id][2]),
            queries=many[case.id][3],
            few_queries=few[case.id][3],
        )
        for case in CASES
    }


def _marks(case: Case) -> list[pytest.MarkDecorator]:
    if case.id in KNOWN_GROWTH:
        return [pytest.mark.xfail(strict=True, reason=KNOWN_GROWTH[case.id])]
    return []


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=_marks(c)) for c in CASES])
def test_a_page_runs_as_many_queries_with_much_more_data_and_stays_in_its_budget(
    measured: dict[str, Measured], case: Case
) -> None:
    result = measured[case.id]
    print(f"{case.id}: {result.few} -> {result.many} queries")
    assert result.status == (200, 200)
    allowed = ALLOWED_GROWTH.get(case.name, 0)
    assert result.few <= result.many <= result.few + allowed, result.growth()
    assert result.many <= BUDGET[case.name], "\n".join(result.queries)


def test_every_page_has_a_budget() -> None:
    assert {case.name for case in CASES} == set(BUDGET)


def test_the_worklist_search_finds_by_number_nik_and_name(measured: dict[str, Measured]) -> None:
    """The search cases above measure real searches: they find the request in both rounds."""
    for persona in ("desa_a", "kecamatan_a", "clerk"):
        for by in SEARCHES:
            few, many = measured[f"request_list[{persona},{by}]"].rows
            assert few >= 1
            assert many >= few


def test_the_second_round_shows_full_pages(measured: dict[str, Measured]) -> None:
    few, many = measured["request_list[desa_a]"].rows
    assert few < many == PAGE_SIZE
