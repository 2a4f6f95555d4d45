"""The people who use paradewi, as locust users (run through `python -m bench.load`).

Every simulated person logs in through the real login form (with the CSRF token of the page,
and the authenticator code for Dinas accounts), then works as that role does, waiting between
pages as a person does (THINK below; bench/README.md says why):

- village officers: the worklist, a search (number, NIK or name), a new request (form, then one
  upload per requirement: a phone-shrunk photo, an unshrunk camera photo or a scanned PDF of
  several pages, made at their real sizes by bench/load/media.py), submit, then the request's
  page;
- kecamatan operators: the verification queue, a request, verify it (one in ten: return it);
- Dinas clerks: the unclaimed queue, claim a request, complete it with a PDF;
- leadership: the home dashboard and the reports, in turn;
- residents: the public tracking page with a registration number and PIN.

Every request page a signed-in person opens is followed, as in a browser, by the thumbnails
it shows; every action that redirects is followed to the page it leads to, and the message
on that page says how it went: a success, or a form a colleague had acted on first (a lost
race, counted apart under its own name, neither a success nor an error).

Probes measure the floor in the same run: a signed-in Dinas clerk asking for the
authenticated floor view (`/bench/floor/signed-in/`, the ratios are taken to it) and the bare
Django view (`/bench/floor/`), each in bursts. The worklist is compared with the floor from
the village officers' own worklists (a probe asking for worklists without pause added load no
person makes).

Configuration comes from the environment (the runner sets it): BENCH_LOAD_FIXTURE (the JSON
written by bench/load/fixture.py), BENCH_LOAD_OUT (where the summary goes), BENCH_MAX_REQUESTS
(stop after this many requests; 0: no limit), BENCH_HOSTS (comma-separated base URLs the users
are spread over; default: --host), BENCH_PROBES (0 turns the probes off), BENCH_STEADY_SECONDS
(measured seconds once everyone has logged in), BENCH_THINK_SCALE, BENCH_ONE_OF_EACH (one
user of every role, for the test), BENCH_LEADERS (how many leadership users; default 2 % of
the users), BENCH_MEDIA_DIR (where the upload files are kept between runs). Only 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

import gevent  # type: ignore[import-untyped]
import gevent.pool  # type: ignore[import-untyped]
from django_otp.oath import hotp
from locust import FastHttpUser, between, constant, events, task
from locust.env import Environment

from bench.load.forms import person_data
from bench.load.media import Media, cached_library, unique
from bench.load.network import loopback
from bench.load.report import FLOOR, LOST_RACE, SIGNED_IN_FLOOR, STILL_CHECKING, summarise

_fixture_path = os.environ.get("BENCH_LOAD_FIXTURE", "")
FIXTURE: dict[str, Any] = json.loads(Path(_fixture_path).read_text()) if _fixture_path else {}
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS") or 0)
# Seconds measured once every user has logged in (0: until locust's --run-time ends).
STEADY_SECONDS = float(os.environ.get("BENCH_STEADY_SECONDS") or 0)
PROBES = int(os.environ.get("BENCH_PROBES") or 1)
ONE_OF_EACH = bool(os.environ.get("BENCH_ONE_OF_EACH"))
HOSTS = [h.strip().rstrip("/") for h in os.environ.get("BENCH_HOSTS", "").split(",") if h.strip()]

# Seconds between two pages, per role (uniform between the bounds). A village officer works
# through a request in minutes, not seconds: reading the worklist, typing about ten fields,
# photographing and sending three or four documents, each page 10-40 s after the one before,
# so a request takes 3 to 5 minutes end to end (the busiest hour of the day). Kecamatan
# operators and Dinas clerks read the scans before acting: 15-45 s. Leadership reads the
# dashboards one after another: 10-30 s each. A resident checks the status and leaves: 30-120 s.
THINK: dict[str, tuple[float, float]] = {
    "officer": (10, 40),
    "operator": (15, 45),
    "clerk": (15, 45),
    # Leadership clicks through the dashboards, reading each: 10-30 s. There are more of them
    # than the 2 % share (BENCH_LEADERS): every dashboard needs 100 samples in a run.
    "leader": (10, 30),
    "resident": (30, 120),
}
# BENCH_THINK_SCALE shortens (or lengthens) every wait: bench/tests/test_load.py uses 0.01.
_scale = float(os.environ.get("BENCH_THINK_SCALE") or 1)
THINK = {role: (low * _scale, high * _scale) for role, (low, high) in THINK.items()}
# The probes: bursts of this many requests, then a rest of this many seconds.
PROBE_BURST = 10
PROBE_REST = 2.0
# The service village officers file (the most common one): a change to the family card.
SERVICE = "kk-perubahan"
# What an upload is (bench/load/media.py): a photo shrunk by the phone's browser, the camera's
# own photo (a phone without JavaScript), or a scanned PDF of several pages.
UPLOAD_MIX = [("photo", 0.50), ("camera", 0.12), ("scan", 0.38)]
# Parallel image requests of a browser to one host (HTTP/1.1).
BROWSER_CONNECTIONS = 6

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IDEMPOTENCY_RE = re.compile(r'name="idempotency_key" value="([^"]+)"')
UPLOAD_RE = re.compile(r'action="/requests/\d+/uploads/([a-z0-9-]+)/"')
REQUEST_LINK_RE = re.compile(r'href="/requests/(\d+)/"')
THUMBNAIL_RE = re.compile(r'<img src="(/requests/\d+/files/\d+/pages/\d+/thumb\.jpg)"')
MESSAGE_RE = re.compile(r'<li class="msg-([a-z]+)[^"]*">([^<]{0,200})')
OUTPUT_FIELD_RE = re.compile(r'name="output-([a-z0-9-]+)"')
PICKUP_RE = re.compile(r'name="pickup_place" value="([^"]*)"')
RETURN_ITEM_RE = re.compile(r'name="(item-[a-z0-9-]+)"')
# The application's answers when a colleague acted on the request first (services.py,
# workflow.check, views/actions.py), in English and as the Indonesian pages show them.
RACE_MSGIDS = [
    "Someone else changed this request a moment ago. Reload it to see its status.",
    "Another clerk took this request first.",
    "A request that is “%(status)s” cannot be %(action)s.",
    "This cannot be done on the request in its present state.",
]
LOCALE = Path(__file__).resolve().parents[2] / "paradewi" / "locale"


# The submission refused because a photo sent a moment ago is still being checked by the
# worker (requests/requirements.py): a person waits a few seconds and submits again.
CHECKING_MSGIDS = ["“%(name)s” is still being checked. Wait a moment, then submit again."]
# How often a simulated officer submits again while a photo is being checked.
CHECKING_RETRIES = 5


def _patterns(msgids: list[str], *, whole: bool) -> list[re.Pattern[str]]:
    """The messages in English and as the Indonesian pages show them; `whole`: the message
    is all the text (else: it is part of it)."""
    from babel.messages.pofile import read_po

    with (LOCALE / "id" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        catalogue = read_po(handle)
    texts = list(msgids)
    for msgid in msgids:
        message = catalogue.get(msgid)
        if message is not None and message.string:
            texts.append(str(message.string))
    end = r"\Z" if whole else ""
    return [
        re.compile(re.sub(r"%\\\(\w+\\\)s", ".{1,80}", re.escape(text)) + end) for text in texts
    ]


RACE_PATTERNS = _patterns(RACE_MSGIDS, whole=True)
CHECKING_PATTERNS = _patterns(CHECKING_MSGIDS, whole=False)


def lost_race(message: str) -> bool:
    """True when the page's message says another person acted on the request first."""
    return any(pattern.match(message) for pattern in RACE_PATTERNS)


def still_checking(message: str) -> bool:
    """True when the page's message says a photo is still being checked."""
    return any(pattern.search(message) for pattern in CHECKING_PATTERNS)


def _pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


MEDIA = cached_library(
    Path(os.environ.get("BENCH_MEDIA_DIR") or "/tmp/paradewi-bench-media")  # noqa: S108
)
OUTPUT_PDF = _pdf("dokumen")
# Every upload the server accepted: (request id, requirement, sha256 of the bytes sent).
UPLOADED: list[tuple[int, str, str]] = []
# Every completion the server accepted: request id.
COMPLETED: list[int] = []
# Forms and actions that were no longer possible: another person of the office acted first
# (the page the answer led to says so). Their names carry LOST_RACE.
RACES: list[str] = []
# Submissions refused because a photo was still being checked (submitted again after a pause).
WAITS: list[str] = []
# The server's own time of each answer (Server-Timing header), ms, by (method, name).
SERVER_TIMES: dict[tuple[str, str], list[float]] = {}
# The serving thread's CPU time of each answer (Server-Timing "cpu"), ms.
SERVER_CPU: dict[tuple[str, str], list[float]] = {}
SERVER_TIMING_RE = re.compile(r"\bapp;dur=([0-9.]+)")
SERVER_CPU_RE = re.compile(r"\bcpu;dur=([0-9.]+)")
# What each upload was: kind -> count, as the server accepted them.
UPLOAD_KINDS: dict[str, int] = {}
# How many simulated people each server got (BENCH_HOSTS).
HOST_USERS: dict[str, int] = {}
# The numbers of the ramp (users arriving and logging in), before the steady state.
RAMP: dict[str, Any] = {}
ARRIVED: list[bool] = []
STARTED = time.time()


ERRORLIST_RE = re.compile(r'class="errorlist[^"]*"[^>]*>\s*<li>([^<]{1,160})')


def _form_error(body: str) -> str:
    """The first error message of a re-rendered form, to group failures by cause."""
    match = ERRORLIST_RE.search(body)
    return f": {match.group(1).strip()}" if match else ""


def totp_code(key: bytes, step: int) -> str:
    return f"{hotp(key, step, 6):06d}"


class Person(FastHttpUser):
    """Someone using the site: an address of their own, the CSRF token of the last page."""

    abstract = True
    # Logins queue behind the password hash while everyone arrives: wait for them.
    network_timeout = 300.0
    connection_timeout = 60.0
    accounts_key = ""
    logs_in = True
    _counter: ClassVar[itertools.count[int]] = itertools.count()
    # Accounts are dealt per kind, so people of one kind share an account only when there are
    # more people than accounts (a Dinas account's code is accepted once).
    _dealt: ClassVar[dict[str, itertools.count[int]]] = {}
    _host_turn: ClassVar[itertools.count[int]] = itertools.count()

    def __init__(self, environment: Environment) -> None:
        if HOSTS:
            self.host = HOSTS[next(Person._host_turn) % len(HOSTS)]
        loopback(self.host or environment.host or "")
        super().__init__(environment)
        host = self.host or environment.host or ""
        HOST_USERS[host] = HOST_USERS.get(host, 0) + 1
        self.rng = random.Random()  # noqa: S311 - simulated behaviour, not secrets
        number = next(Person._counter)
        # Each simulated person has an address of their own (X-Forwarded-For through one
        # trusted proxy): login throttling and the tracking limits count per person.
        self.address = f"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}"
        accounts = FIXTURE.get(self.accounts_key, []) if self.accounts_key else []
        dealt = next(Person._dealt.setdefault(self.accounts_key, itertools.count()))
        self.account: Any = accounts[dealt % len(accounts)] if accounts else None
        self.page = ""

    def pause(self) -> None:
        """Think: the role's wait between two pages."""
        self.wait()  # type: ignore[no-untyped-call]

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"X-Forwarded-For": self.address, "Accept-Language": "id"}
        headers.update(extra or {})
        return headers

    def get(self, path: str, name: str, *, expect: tuple[int, ...] = (200,)) -> str:
        with self.client.get(
            path, name=name, headers=self.headers(), catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code not in expect:
                response.failure(f"status {response.status_code}")
                return ""
            self.page = response.text or ""
            return self.page

    def request_page(self, path: str, name: str = "GET /requests/[id]/") -> str:
        """A request's page, then its thumbnails, as a browser fetches them."""
        page = self.get(path, name)
        self.thumbnails(page)
        return page

    def thumbnails(self, page: str) -> None:
        """Every thumbnail of the page, up to BROWSER_CONNECTIONS at a time (previews are not
        cached by the browser: they are personal data, sent with no-store)."""
        sources = list(dict.fromkeys(THUMBNAIL_RE.findall(page)))
        if not sources:
            return

        def fetch(src: str) -> None:
            with self.client.get(
                src,
                name="GET thumbnail",
                headers=self.headers({"Accept": "image/avif,image/webp,image/*,*/*;q=0.8"}),
                catch_response=True,
                allow_redirects=False,
            ) as response:
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")

        pool = gevent.pool.Pool(BROWSER_CONNECTIONS)
        for src in sources:
            pool.spawn(fetch, src)
        pool.join()

    def follow(self, response: Any, name: str) -> str:
        """After a redirect, the page it leads to, as a browser loads it; that page's message
        decides the outcome of the answer `response` (inside its `with`): a success; a
        colleague was first (a lost race: renamed, counted apart); anything else a failure.
        Returns "success", "race" or ""."""
        location = (response.headers or {}).get("Location", "") or ""
        path = urlsplit(location).path
        page = self.request_page(path, "GET /requests/[id]/ (after an action)")
        found = MESSAGE_RE.search(page)
        level, text = (found.group(1), html.unescape(found.group(2)).strip()) if found else ("", "")
        if level == "success":
            response.success()
        elif level == "error" and lost_race(text):
            RACES.append(name)
            response.request_meta["name"] = f"{name} {LOST_RACE}"
            response.success()
            return "race"
        elif level == "error" and still_checking(text):
            WAITS.append(name)
            response.request_meta["name"] = f"{name} {STILL_CHECKING}"
            response.success()
            return "wait"
        else:
            response.failure(
                f"after the redirect to {path}: {level or 'no message'} {text}".strip()
            )
            return ""
        return level

    def act(
        self,
        path: str,
        name: str,
        data: dict[str, Any],
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> str:
        """POST an action, follow its redirect; "success", "race" (lost race) or ""."""
        token = CSRF_RE.search(self.page)
        fields = {"csrfmiddlewaretoken": token.group(1) if token else "", **data}
        with self.client.post(
            path,
            name=name,
            data=fields,
            files=files,
            headers=self.headers(),
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"status {response.status_code}{_form_error(response.text or '')}")
                return ""
            return self.follow(response, name)

    def form(self, path: str, name: str) -> bool:
        """GET an action's form; False when the request has moved on.

        Another operator or clerk of the same office may act on a request between the list
        and the form: the application then sends the person back to the request's page with
        a message. That is the answer a real person gets, not an error; it is counted apart
        (a lost race), judged from the message on the page it leads to.
        """
        with self.client.get(
            path, name=name, headers=self.headers(), catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code == 200:
                self.page = response.text or ""
                return CSRF_RE.search(self.page) is not None
            if response.status_code != 302:
                response.failure(f"status {response.status_code}")
                return False
            self.follow(response, name)
            return False

    def post(
        self,
        path: str,
        name: str,
        data: dict[str, Any],
        *,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        expect: tuple[int, ...] = (302,),
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str, str]:
        """POST with the CSRF token of the last page; (status, body, Location)."""
        token = CSRF_RE.search(self.page)
        fields = {"csrfmiddlewaretoken": token.group(1) if token else "", **data}
        with self.client.post(
            path,
            name=name,
            data=fields,
            files=files,
            headers=self.headers(headers),
            catch_response=True,
            allow_redirects=False,
        ) as response:
            status, body = response.status_code, response.text or ""
            location = (response.headers or {}).get("Location", "") or ""
            if status not in expect:
                response.failure(f"status {status}{_form_error(body)}")
            return status, body, location

    def on_start(self) -> None:
        try:
            # A person whose login failed (a timeout while everyone logs in) tries again.
            for _attempt in range(3):
                if not self.logs_in or self.log_in():
                    break
        finally:
            _arrived(self.environment)

    def username(self) -> str:
        return str(self.account["username"] if isinstance(self.account, dict) else self.account)

    def log_in(self) -> bool:
        """The login form, then the home page, or the second step it sends Dinas roles to.
        True when the person is in."""
        self.get("/login/", "GET /login/")
        status, _body, _location = self.post(
            "/login/",
            "POST /login/",
            {"username": self.username(), "password": FIXTURE["password"]},
        )
        if status != 302:
            return False
        with self.client.get(
            "/home/",
            name="GET /home/ (after login)",
            headers=self.headers(),
            catch_response=True,
            allow_redirects=False,
        ) as response:
            location = (response.headers or {}).get("Location", "") or ""
            if response.status_code == 302 and "/account/two-factor/" in location:
                response.success()
            elif response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return False
        if "/account/two-factor/" in location:
            return self.second_step(location)
        return True

    def second_step(self, location: str) -> bool:
        """The authenticator code. A code is accepted once: if this step's code was used (an
        earlier run, or another person on the same account), the next step's is sent, which
        the device accepts too (one step of tolerance)."""
        path = urlsplit(location).path + ("?" + urlsplit(location).query if "?" in location else "")
        self.get(path, "GET /account/two-factor/")
        key = bytes.fromhex(FIXTURE["totp_key"])
        step = int(time.time() // 30)
        status, _body, _location = self.post(
            path, "POST /account/two-factor/", {"code": totp_code(key, step)}, expect=(200, 302)
        )
        if status != 302:
            status, _body, _location = self.post(
                path, "POST /account/two-factor/", {"code": totp_code(key, step + 1)}
            )
        return status == 302


class VillageOfficer(Person):
    """Files requests for residents: most of the load."""

    weight = 70
    accounts_key = "villages"
    wait_time = between(*THINK["officer"])

    def on_start(self) -> None:
        super().on_start()
        if ONE_OF_EACH:  # the test walks every path: a request is filed before anything else
            self.file_a_request()

    @task(3)
    def worklist(self) -> None:
        self.get("/requests/", "GET /requests/")

    @task(1)
    def search(self) -> None:
        kind = self.rng.choice(["numbers", "niks", "names"])
        values = self.account.get(kind) or []
        if values:
            query = quote(self.rng.choice(values))
            self.get(f"/requests/?q={query}", f"GET /requests/?q=[{kind[:-1]}]")

    @task(1)
    def home(self) -> None:
        self.get("/home/", "GET /home/ (officer)")

    @task(2)
    def file_a_request(self) -> None:
        """New request: the form, the data, one upload per requirement, submit, its page."""
        self.get(f"/requests/new/{SERVICE}/", "GET /requests/new/[service]/")
        key = IDEMPOTENCY_RE.search(self.page)
        data = person_data(self.account["village"], self.rng)
        self.pause()
        _status, _body, location = self.post(
            f"/requests/new/{SERVICE}/",
            "POST /requests/new/[service]/",
            {"idempotency_key": key.group(1) if key else "", **data},
        )
        match = re.search(r"/requests/(\d+)/edit/", location)
        if not match:
            return
        pk = int(match.group(1))
        self.get(f"/requests/{pk}/edit/", "GET /requests/[id]/edit/")
        for code in dict.fromkeys(UPLOAD_RE.findall(self.page)):
            self.pause()
            self.upload(pk, code, self.pick_media())
        for _attempt in range(CHECKING_RETRIES):
            self.pause()
            outcome = self.act(f"/requests/{pk}/submit/", "POST /requests/[id]/submit/", {})
            if outcome != "wait":
                break

    def pick_media(self) -> Media:
        draw, kind = self.rng.random(), UPLOAD_MIX[-1][0]
        for name, share in UPLOAD_MIX:
            if draw < share:
                kind = name
                break
            draw -= share
        return self.rng.choice(MEDIA[kind])

    def upload(self, pk: int, code: str, media: Media) -> None:
        """One file, as the edit page sends it (htmx); the answer shows the file's name when
        it was accepted, the error message otherwise."""
        content = unique(media)
        name = f"{code}-{media.name}"
        token = CSRF_RE.search(self.page)
        with self.client.post(
            f"/requests/{pk}/uploads/{code}/",
            name=f"POST /requests/[id]/uploads/[code]/ ({media.kind})",
            data={"csrfmiddlewaretoken": token.group(1) if token else ""},
            files={f"{code}-file": (name, content, media.content_type)},
            headers=self.headers({"HX-Request": "true"}),
            catch_response=True,
            allow_redirects=False,
        ) as response:
            body = response.text or ""
            if response.status_code != 200:
                response.failure(f"status {response.status_code}{_form_error(body)}")
            elif name not in body:
                response.failure(f"refused{_form_error(body)}")
            else:
                UPLOADED.append((pk, code, hashlib.sha256(content).hexdigest()))
                UPLOAD_KINDS[media.kind] = UPLOAD_KINDS.get(media.kind, 0) + 1


class KecamatanOperator(Person):
    """Verifies what the villages send, or returns it."""

    weight = 10
    accounts_key = "operators"
    wait_time = between(*THINK["operator"])

    @task
    def verify_one(self) -> None:
        self.get("/requests/?tab=verify", "GET /requests/?tab=verify")
        ids = REQUEST_LINK_RE.findall(self.page)
        if not ids:
            return
        pk = self.rng.choice(ids[:10])
        self.pause()
        self.request_page(f"/requests/{pk}/")
        if f"/requests/{pk}/verify/" not in self.page:
            return  # another operator of this kecamatan was quicker
        self.pause()
        if self.rng.random() < 0.1:
            if not self.form(f"/requests/{pk}/return/", "GET /requests/[id]/return/"):
                return
            items = RETURN_ITEM_RE.findall(self.page)
            if items:
                self.act(
                    f"/requests/{pk}/return/",
                    "POST /requests/[id]/return/",
                    {items[0]: "Scan buram, mohon foto ulang.", "reason": ""},
                )
            return
        self.act(f"/requests/{pk}/verify/", "POST /requests/[id]/verify/", {})


class DinasClerk(Person):
    """Takes verified requests from the queue and completes them with the issued document."""

    weight = 6
    accounts_key = "clerks"
    wait_time = between(*THINK["clerk"])

    @task
    def process_one(self) -> None:
        self.get("/requests/?tab=unclaimed", "GET /requests/?tab=unclaimed")
        ids = REQUEST_LINK_RE.findall(self.page)
        if not ids:
            self.get("/requests/?tab=mine", "GET /requests/?tab=mine")
            ids = REQUEST_LINK_RE.findall(self.page)
            if not ids:
                return
        pk = self.rng.choice(ids[:10])
        self.pause()
        self.request_page(f"/requests/{pk}/")
        # The claim's redirect leads back to the request's page (followed, thumbnails included).
        claim = f"/requests/{pk}/claim/"
        if claim in self.page and self.act(claim, "POST /requests/[id]/claim/", {}) != "success":
            return
        if f"/requests/{pk}/complete/" not in self.page:
            return  # another clerk took it first
        self.pause()
        if not self.form(f"/requests/{pk}/complete/", "GET /requests/[id]/complete/"):
            return
        codes = OUTPUT_FIELD_RE.findall(self.page)
        data: dict[str, Any] = {}
        pickup = PICKUP_RE.findall(self.page)
        if pickup:
            data["pickup_place"] = pickup[0]
        files = {
            f"output-{code}": (f"dokumen-{code}.pdf", OUTPUT_PDF, "application/pdf")
            for code in codes
        } or None
        outcome = self.act(
            f"/requests/{pk}/complete/", "POST /requests/[id]/complete/", data, files=files
        )
        if outcome == "success":
            COMPLETED.append(int(pk))


class Leadership(Person):
    """The head of the Dinas and the regent's office look at the dashboards."""

    weight = 2
    fixed_count = int(os.environ.get("BENCH_LEADERS") or 0)
    accounts_key = "leaders"
    wait_time = between(*THINK["leader"])
    # The home dashboard, then each report, in turn (each person starts at a point of its own).
    PAGES: ClassVar[list[tuple[str, str]]] = [
        ("/home/", "GET /home/ (leadership)"),
        ("/reports/", "GET /reports/"),
        ("/reports/ikm/", "GET /reports/ikm/"),
        ("/reports/returns/", "GET /reports/returns/"),
        ("/reports/ranking/", "GET /reports/ranking/"),
    ]

    def on_start(self) -> None:
        self.turn = itertools.cycle(self.PAGES)
        for _ in range(self.rng.randrange(len(self.PAGES))):
            next(self.turn)
        super().on_start()

    @task
    def dashboard(self) -> None:
        path, name = next(self.turn)
        self.get(path, name)


class Resident(Person):
    """Follows their request on the public page with the number and PIN of the receipt."""

    weight = 12
    logs_in = False
    wait_time = between(*THINK["resident"])

    @task
    def track(self) -> None:
        pairs = FIXTURE.get("tracking") or []
        self.get("/track/", "GET /track/")
        if not pairs:
            return
        number, pin = self.rng.choice(pairs)
        self.pause()
        self.post("/track/", "POST /track/", {"number": number, "pin": pin}, expect=(200,))


class FloorProbe(Person):
    """The bare Django view, asked for in bursts without pause: the framework floor.

    Bursts of PROBE_BURST requests, then a rest, so the probes measure without taking the
    server away from the people (one user asking without pause would use a core by itself).
    """

    fixed_count = 1 if PROBES else 0
    weight = 0
    logs_in = False
    wait_time = constant(PROBE_REST)

    @task
    def floor(self) -> None:
        for _ in range(PROBE_BURST):
            self.get("/bench/floor/", FLOOR)


class SignedInFloorProbe(Person):
    """The authenticated floor (a signed-in Dinas clerk, second factor done), in the same
    bursts: the time every page pays before its own work; the ratios are taken to it."""

    fixed_count = 1 if PROBES else 0
    weight = 0
    accounts_key = "floor"
    wait_time = constant(PROBE_REST)

    @task
    def floor(self) -> None:
        for _ in range(PROBE_BURST):
            self.get("/bench/floor/signed-in/", SIGNED_IN_FLOOR)


if ONE_OF_EACH:
    # One person of every role (bench/tests/test_load.py): every path is walked.
    for _persona in (VillageOfficer, KecamatanOperator, DinasClerk, Leadership, Resident):
        _persona.fixed_count = 1
    del _persona  # locust takes every User class in the module's namespace as one to run


def _arrived(environment: Environment) -> None:
    """A user is in (logged in). When the last one is, the measured part starts: logging in
    (a slow password hash, by design) happens while users arrive, and the ramp is kept apart.
    """
    ARRIVED.append(True)
    runner = environment.runner
    if RAMP or runner is None or len(ARRIVED) < runner.target_user_count:
        return
    RAMP.update(summarise(environment.stats, SERVER_TIMES, SERVER_CPU))
    RAMP["seconds"] = round(time.time() - STARTED, 1)
    environment.stats.reset_all()
    SERVER_TIMES.clear()
    SERVER_CPU.clear()
    RACES.clear()
    UPLOAD_KINDS.clear()
    if STEADY_SECONDS:
        gevent.spawn_later(STEADY_SECONDS, runner.quit)


def _on_init(environment: Environment, **_kwargs: Any) -> None:
    if environment.host:
        loopback(environment.host)
    for host in HOSTS:
        loopback(host)

    def _server_time(request_type: str, name: str, response: Any = None, **_kw: Any) -> None:
        header = (getattr(response, "headers", None) or {}).get("Server-Timing") or ""
        found = SERVER_TIMING_RE.search(header)
        if found:
            SERVER_TIMES.setdefault((request_type, name), []).append(float(found.group(1)))
        cpu = SERVER_CPU_RE.search(header)
        if cpu:
            SERVER_CPU.setdefault((request_type, name), []).append(float(cpu.group(1)))

    environment.events.request.add_listener(_server_time)  # type: ignore[no-untyped-call]

    if MAX_REQUESTS:
        stopping: list[bool] = []

        def _count(**_request: Any) -> None:
            runner = environment.runner
            if stopping or runner is None:
                return
            if environment.stats.total.num_requests >= MAX_REQUESTS:
                stopping.append(True)
                gevent.spawn(runner.quit)  # not from this user's own greenlet

        environment.events.request.add_listener(_count)  # type: ignore[no-untyped-call]


def _on_quitting(environment: Environment, **_kwargs: Any) -> None:
    out = os.environ.get("BENCH_LOAD_OUT")
    if out:
        summary = summarise(environment.stats, SERVER_TIMES, SERVER_CPU)
        summary["uploaded"] = UPLOADED
        summary["completed"] = COMPLETED
        summary["races"] = len(RACES)
        summary["waits_for_checks"] = len(WAITS)
        summary["upload_kinds"] = UPLOAD_KINDS
        summary["ramp"] = RAMP
        summary["hosts"] = HOST_USERS
        Path(out).write_text(json.dumps(summary, indent=1))


events.init.add_listener(_on_init)  # type: ignore[no-untyped-call]
events.quitting.add_listener(_on_quitting)  # type: ignore[no-untyped-call]
