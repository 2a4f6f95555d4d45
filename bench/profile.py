"""Where a page's time goes: `python -m bench.profile [--repeat 30] [--pages a,b] [--top 25]`.

Runs in one process with Django's test client against the bench database (DATABASE_URL or
the SQLite file in PARADEWI_VAR_DIR, built by bench/generate.py), with the bench environment
(production settings, bench keys). Each page is asked for by the role that uses it, signed in
with the second factor done; first a few warm-up requests, then `--repeat` timed ones, then
`--repeat` under cProfile. It prints, per page, the CPU milliseconds of one answer (median,
process time, timed without the profiler) and where they go, from the profiled round: the CPU
time of every function grouped by where its code lives (templates, middleware, sessions and
users, queries, encryption, images and PDFs, the project's own code, the rest), and with
`--profile` the functions with the most time.

CPU time in one process is valid relatively on a shared machine (another process's work does
not count in it), which wall-clock times under load are not. The absolute figures depend on
the machine: compare them with bench.load.run.reference(), printed at the top.

Uploads post real files (bench/load/media.py) to a fresh draft each time; the thumbnail pages
draw a preview anew each time (the stored preview is deleted before each answer).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.load.env import bench_environ
from bench.load.run import cpu_model, reference, setup_django

# Where a function's code lives -> the group its own time counts in (first match wins).
GROUPS: list[tuple[str, str]] = [
    ("PIL/", "images (Pillow)"),
    ("pypdfium2", "PDF (pdfium)"),
    ("pypdf/", "PDF (pypdf)"),
    ("reportlab", "PDF (reportlab)"),
    ("paradewi/core/crypto", "encryption"),
    ("paradewi/core/fields", "encryption"),
    ("cryptography/", "encryption"),
    ("paradewi/core/storage", "storage"),
    ("django/core/files", "storage"),
    ("django/template/", "templates"),
    ("django/utils/html", "templates"),
    ("django/utils/safestring", "templates"),
    ("django/templatetags", "templates"),
    ("templatetags", "templates"),
    ("django/utils/translation", "translations"),
    ("gettext", "translations"),
    ("django/contrib/sessions", "sessions and users"),
    ("django/contrib/auth", "sessions and users"),
    ("django_otp", "sessions and users"),
    ("django/core/signing", "sessions and users"),
    ("psycopg", "queries (driver)"),
    ("sqlite3", "queries (driver)"),
    ("django/db/backends", "queries (driver)"),
    ("django/db/models/sql", "queries (ORM)"),
    ("django/db/models", "queries (ORM)"),
    ("django/db/", "queries (ORM)"),
    ("django/middleware", "middleware"),
    ("paradewi/core/middleware", "middleware"),
    ("paradewi/accounts/middleware", "middleware"),
    ("whitenoise", "middleware"),
    ("axes", "middleware"),
    ("django/forms", "forms"),
    ("django/urls", "URLs"),
    ("django/", "Django, other"),
    ("paradewi/", "paradewi, own code"),
]


def group_of(filename: str) -> str:
    if filename.startswith("~") or filename.startswith("<"):
        return "interpreter built-ins"
    for fragment, name in GROUPS:
        if fragment in filename:
            return name
    return "other libraries"


@dataclass
class Page:
    name: str
    role: str
    ask: Callable[[Any], Any]  # client -> response
    before: Callable[[], None] | None = None  # run before each answer, not measured


def _pages(context: dict[str, Any]) -> list[Page]:
    from django.core.files.storage import default_storage

    from bench.load.media import cached_library, unique
    from paradewi.requests import previews

    media = cached_library(Path("/tmp/paradewi-bench-media"))  # noqa: S108
    detail = context["detail"]
    photo, scan = context["photo_upload"], context["scan_upload"]

    def fresh_preview(upload: Any) -> Callable[[], None]:
        def drop() -> None:
            default_storage.delete(previews.preview_name(upload, 1, "thumb"))

        return drop

    drafts: list[int] = []

    def next_draft() -> None:
        drafts.append(context["new_draft"]())

    def upload(kind: str) -> Callable[[Any], Any]:
        item = media[kind][0]

        def ask(client: Any) -> Any:
            code = context["requirement"]
            return client.post(
                f"/requests/{drafts[-1]}/uploads/{code}/",
                {f"{code}-file": _named(unique(item), f"{code}-{item.name}")},
                HTTP_HX_REQUEST="true",
            )

        return ask

    received: list[int] = []

    def receive(kind: str) -> Callable[[], None]:
        """A new draft and a photo sent for it (not measured): what the worker then checks."""
        send = upload(kind)

        def before() -> None:
            from paradewi.requests.models import Upload, UploadState

            next_draft()
            send(context["officer_client"])
            received.append(
                Upload.objects.filter(request_id=drafts[-1], state=UploadState.CHECKING)
                .values_list("pk", flat=True)
                .get()
            )

        return before

    def check(_client: Any) -> Any:
        """The worker's check of the photo just received (requests.services.upload_check)."""
        from paradewi.requests import services

        state = services.upload_check(received[-1])
        return SimpleNamespace(status_code=200 if state == "ready" else 500)

    return [
        Page("signed-in floor", "clerk", lambda c: c.get("/bench/floor/signed-in/")),
        Page("worklist (village)", "officer", lambda c: c.get("/requests/")),
        Page("home (village)", "officer", lambda c: c.get("/home/")),
        Page("new request form", "officer", lambda c: c.get("/requests/new/kk-perubahan/")),
        Page("edit page", "officer", lambda c: c.get(f"/requests/{context['draft']}/edit/")),
        Page("verification queue", "operator", lambda c: c.get("/requests/?tab=verify")),
        Page("request page (kecamatan)", "operator", lambda c: c.get(f"/requests/{detail}/")),
        Page("Dinas queue", "clerk", lambda c: c.get("/requests/?tab=unclaimed")),
        Page(
            "thumbnail: photo (drawn)",
            "operator",
            lambda c: c.get(f"/requests/{photo.request_id}/files/{photo.pk}/pages/1/thumb.jpg"),
            fresh_preview(photo),
        ),
        Page(
            "thumbnail: PDF page (drawn)",
            "operator",
            lambda c: c.get(f"/requests/{scan.request_id}/files/{scan.pk}/pages/1/thumb.jpg"),
            fresh_preview(scan),
        ),
        Page(
            "thumbnail: stored",
            "operator",
            lambda c: c.get(f"/requests/{photo.request_id}/files/{photo.pk}/pages/1/thumb.jpg"),
        ),
        Page("upload: phone photo", "officer", upload("photo"), next_draft),
        Page("upload: camera photo", "officer", upload("camera"), next_draft),
        Page("upload: scan PDF", "officer", upload("scan"), next_draft),
        Page("worker: check of a phone photo", "officer", check, receive("photo")),
        Page("worker: check of a camera photo", "officer", check, receive("camera")),
        Page("dashboard: IKM", "leader", lambda c: c.get("/reports/ikm/")),
        Page("dashboard: speed", "leader", lambda c: c.get("/reports/")),
        Page("dashboard: returns", "leader", lambda c: c.get("/reports/returns/")),
        Page("dashboard: ranking", "leader", lambda c: c.get("/reports/ranking/")),
        Page("home (leadership)", "leader", lambda c: c.get("/home/")),
    ]


def _named(data: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def _context() -> tuple[dict[str, Any], dict[str, Any]]:
    """The users of each role and the requests the pages show."""
    import random
    import re

    from django.db.models import Count

    from bench.load.forms import person_data
    from paradewi.accounts.models import User
    from paradewi.requests.files import PDF
    from paradewi.requests.models import ServiceRequest, Status, Upload
    from paradewi.testing import Client

    # The busiest kecamatan's queue, one of its villages' officers.
    busiest = (
        ServiceRequest.objects.filter(status=Status.SUBMITTED)
        .values("district")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        raise SystemExit("No submitted request: build the data set (bench.generate) first.")
    detail = (
        ServiceRequest.objects.filter(status=Status.SUBMITTED, district_id=busiest["district"])
        .annotate(files=Count("uploads"))
        .order_by("-files")
        .first()
    )
    if detail is None:
        raise SystemExit("No submitted request.")
    officer = User.objects.get(username__startswith="bench-desa-", area_id=detail.village_id)
    operator = User.objects.get(username__startswith="bench-kec-", area_id=busiest["district"])
    users = {
        "officer": officer,
        "operator": operator,
        "clerk": User.objects.get(username="bench-load-floor"),
        "leader": User.objects.get(username="bench-viewer"),
    }
    clients = {}
    for role, user in users.items():
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="id")
        client.force_login(user)
        clients[role] = client
    photo = (
        Upload.objects.filter(request=detail, purged_at__isnull=True)
        .exclude(content_type=PDF)
        .first()
    )
    scan = Upload.objects.filter(
        request__status=Status.SUBMITTED, content_type=PDF, purged_at__isnull=True
    ).first()
    if photo is None or scan is None or not photo.file:
        raise SystemExit("The queue's uploads have no files: run bench.load once (its fixture).")
    rng = random.Random(1)  # noqa: S311 - form data, not secrets
    village = officer.area.code  # type: ignore[union-attr]
    officer_client = clients["officer"]
    found: dict[str, Any] = {}

    def new_draft() -> int:
        form = officer_client.get("/requests/new/kk-perubahan/").content.decode()
        key = re.search(r'name="idempotency_key" value="([^"]+)"', form)
        response = officer_client.post(
            "/requests/new/kk-perubahan/",
            {"idempotency_key": key.group(1) if key else "", **person_data(village, rng)},
        )
        match = re.search(r"/requests/(\d+)/edit/", response.headers.get("Location", ""))
        if match is None:
            raise SystemExit(f"No draft made: status {response.status_code}")
        pk = int(match.group(1))
        if "requirement" not in found:
            page = officer_client.get(f"/requests/{pk}/edit/").content.decode()
            codes = re.findall(r'action="/requests/\d+/uploads/([a-z0-9-]+)/"', page)
            found["requirement"] = codes[0]
        return pk

    context: dict[str, Any] = {
        "detail": detail.pk,
        "photo_upload": photo,
        "scan_upload": scan,
        "new_draft": new_draft,
        "officer_client": officer_client,
    }
    context["draft"] = new_draft()
    context["requirement"] = found["requirement"]
    return context, clients


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warm", type=int, default=3)
    parser.add_argument("--pages", default="", help="comma-separated page names (default all)")
    parser.add_argument("--top", type=int, default=15, help="functions listed per page")
    parser.add_argument("--profile", default="", help="comma-separated pages to profile in full")
    parser.add_argument(
        "--own", action="store_true", help="with --profile: only the project's own functions"
    )
    args = parser.parse_args(argv)
    environ = bench_environ()
    environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    setup_django(environ)
    context, clients = _context()
    print(f"machine: {cpu_model()}; single-thread reference {reference()}")
    wanted = {name.strip() for name in args.pages.split(",") if name.strip()}
    full = {name.strip() for name in args.profile.split(",") if name.strip()}
    for page in _pages(context):
        if wanted and page.name not in wanted:
            continue
        client = clients[page.role]
        for _ in range(args.warm):
            if page.before:
                page.before()
            response = page.ask(client)
        if response.status_code not in (200, 302):
            print(f"\n## {page.name}: status {response.status_code}, skipped")
            continue
        # Timed without the profiler (it costs more than the pages), then profiled.
        times = []
        for _ in range(args.repeat):
            if page.before:
                page.before()
            started = time.process_time()
            page.ask(client)
            times.append((time.process_time() - started) * 1000)
        # CPU time of this process: waiting for the database server is not counted in it.
        profile = cProfile.Profile(time.process_time)
        for _ in range(args.repeat):
            if page.before:
                page.before()
            profile.enable()
            page.ask(client)
            profile.disable()
        report(page.name, times, profile, top=args.top, full=page.name in full, own=args.own)
    return 0


def report(
    name: str,
    times: list[float],
    profile: cProfile.Profile,
    *,
    top: int,
    full: bool,
    own: bool = False,
) -> None:
    stats = pstats.Stats(profile)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values()) or 1e-9
    groups: dict[str, float] = defaultdict(float)
    for (filename, _line, _function), entry in raw.items():
        groups[group_of(filename)] += entry[2]
    print(
        f"\n## {name}: CPU median {statistics.median(times):.1f} ms, "
        f"min {min(times):.1f}, max {max(times):.1f} ({len(times)} answers)"
    )
    print(
        "where (share of the profiled time): "
        + ", ".join(
            f"{group} {share / total:.0%}"
            for group, share in sorted(groups.items(), key=lambda g: -g[1])
            if share / total >= 0.01
        )
    )
    if full:
        out = io.StringIO()
        restrict: list[Any] = ["paradewi/", top] if own else [top]
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(*restrict)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(top)
        print(out.getvalue())


if __name__ == "__main__":
    sys.exit(main())
