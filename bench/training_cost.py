"""What training mode costs a regency in data: the database rows and the stored files of the
practice requests its officers make (docs/training.md, "What it costs").

    DEBUG=true SECRET_KEY=x PARADEWI_VAR_DIR=<an empty folder> \
        python -m bench.training_cost [--runs 25]

Starts from an empty SQLite database under PARADEWI_VAR_DIR, loads the regions, the catalogue
and the scenarios, then plays `--runs` times each shipped scenario as a village officer would
(data, one scan per requirement, the return and its fix where the scenario has one, the sample
result, the hand-over) through the same services the pages call. The scans are phone photos
of a page as the phone sends them (about 1600x1200, JPEG quality 80, from `--scan-kb`): the
server re-encodes them as it does every upload. It measures the database (VACUUMed, before and
after) and the stored files (encrypted at rest, as in production), and prints the cost per
practice request and for a whole regency: every village office's officer playing every
scenario `--rounds` times (Kabupaten Mojokerto: 304 offices).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import uuid
from pathlib import Path
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paradewi.settings")
    # The scenario's steps run right after each commit, as a worker would a moment later.
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    if "PARADEWI_VAR_DIR" not in os.environ:
        sys.exit("Set PARADEWI_VAR_DIR to an empty folder (the database and files go there).")
    var = Path(os.environ["PARADEWI_VAR_DIR"])
    if (var / "paradewi.sqlite3").exists():
        sys.exit(f"{var} already holds a database: give an empty PARADEWI_VAR_DIR.")
    var.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _scan(kb: int, seed: int) -> bytes:
    """A phone photo of a page: text-like strokes and noise, about `kb` KB as JPEG."""
    import random

    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)  # noqa: S311 - a picture, not a secret
    image = Image.new("RGB", (1600, 1200), (238, 236, 228))
    draw = ImageDraw.Draw(image)
    for row in range(40):
        y = 60 + row * 27
        x = 80
        while x < 1500:
            width = rng.randint(10, 60)
            draw.rectangle((x, y, x + width, y + 12), fill=(40, 40, 50))
            x += width + rng.randint(8, 20)
    noise = Image.effect_noise((1600, 1200), 24).convert("RGB")
    image = Image.blend(image, noise, 0.12).filter(ImageFilter.GaussianBlur(0.6))
    best = b""
    for quality in (92, 85, 80, 72, 65, 55, 45):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality)
        best = out.getvalue()
        if len(best) <= kb * 1024:
            break
    return best


def _database_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        size = cursor.fetchone()[0]
    return int(pages * size)


def _files_bytes() -> int:
    from django.conf import settings

    media = Path(settings.VAR_DIR) / "media"
    return sum(path.stat().st_size for path in media.rglob("*") if path.is_file())


def _play(officer: Any, scenario: Any, scan: bytes, fix: bytes) -> None:
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from paradewi.requests import services
    from paradewi.requests.models import ServiceRequest
    from paradewi.requests.requirements import checklist
    from paradewi.training.services import practice_start

    def photo(name: str, content: bytes) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, content, "image/jpeg")

    def fresh(request: ServiceRequest) -> ServiceRequest:
        return ServiceRequest.everything.get(pk=request.pk)

    request = practice_start(actor=officer, scenario=scenario, idempotency_key=uuid.uuid4())
    details = {"reason": "lost"} if scenario.service.code == "ktp-el-cetak-ulang" else {}
    services.request_update(
        actor=officer,
        request=request,
        details=details,
        subject_kk="3516010101080001",
        subject_sex="L",
        subject_birth_place="Mojokerto",
        subject_birth_date=date(2020, 1, 1),
        reporter_nik="3516011205900001",
        reporter_name="Pelapor Latihan",
        reporter_phone="+6281234567890",
        reporter_relationship="parent",
    )
    seen: set[str] = set()
    for item in checklist(fresh(request)).items:
        if item.applies and (not item.group or item.group not in seen):
            seen.add(item.group or item.code)
            services.upload_add(
                actor=officer,
                request=fresh(request),
                requirement_code=item.code,
                file=photo("s", scan),
            )
    for _attempt in range(3):
        services.request_submit(actor=officer, request=fresh(request))
        current = fresh(request)
        if current.status != "returned":
            break
        services.upload_add(
            actor=officer,
            request=current,
            requirement_code=scenario.return_requirement,
            file=photo("fix", fix),
        )
    services.request_hand_over(actor=officer, request=fresh(request))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="plays of each scenario")
    parser.add_argument("--scan-kb", type=int, default=300, help="size of a phone scan")
    parser.add_argument("--offices", type=int, default=304)
    parser.add_argument("--rounds", type=int, default=2, help="plays per scenario per officer")
    args = parser.parse_args(argv)
    _setup()
    from paradewi.accounts.models import Role, User
    from paradewi.catalogue.services import catalogue_load
    from paradewi.regions.models import Region
    from paradewi.regions.services import regions_load
    from paradewi.requests.models import ServiceRequest, Transition, Upload
    from paradewi.training.models import Scenario
    from paradewi.training.services import practice_purge, scenarios_load

    regions_load(regency_code="35.16")
    catalogue_load()
    scenarios_load()
    officer = User.objects.create_user(
        username="latihan",
        password=uuid.uuid4().hex,
        role=Role.VILLAGE_OFFICER,
        area=Region.objects.get(code="35.16.01.2001"),
        full_name="Petugas Latihan",
    )
    officer.in_training = True
    # The fix is another photo of the page (the same bytes would be the same upload).
    scan, fix = _scan(args.scan_kb, 1), _scan(args.scan_kb, 2)
    database_before, files_before = _database_bytes(), _files_bytes()
    scenarios = list(Scenario.objects.all())
    for _run in range(args.runs):
        for scenario in scenarios:
            _play(officer, scenario, scan, fix)
    requests = ServiceRequest.practice.count()
    database = _database_bytes() - database_before
    files = _files_bytes() - files_before
    uploads = Upload.objects.filter(request__is_practice=True).count()
    rows = Transition.everything.filter(is_practice=True).count()
    per_request_db = database / requests
    per_request_files = files / requests
    regency = args.offices * len(scenarios) * args.rounds
    print(f"practice requests played: {requests} ({len(scenarios)} scenarios x {args.runs})")
    print(f"  history rows: {rows}, scans stored: {uploads} (a scan sent: {len(scan)} bytes)")
    print(f"  database: {database} bytes, {per_request_db / 1024:.1f} KB per practice request")
    print(f"  files:    {files} bytes, {per_request_files / 1024:.1f} KB per practice request")
    print(
        f"a regency: {args.offices} offices x {len(scenarios)} scenarios x {args.rounds} rounds"
        f" = {regency} practice requests: database {regency * per_request_db / 2**20:.1f} MB,"
        f" files {regency * per_request_files / 2**20:.1f} MB"
    )
    purged = practice_purge()
    print(
        f"purged: {purged.requests} requests, {purged.files} files; "
        f"database now {_database_bytes() - database_before} bytes above the start, "
        f"files {_files_bytes() - files_before} bytes"
    )


if __name__ == "__main__":
    main()
