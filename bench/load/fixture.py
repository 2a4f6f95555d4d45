"""What the load test needs from the database, written to a JSON file the locustfile reads.

Run inside Django (the runner calls `prepare`). It gives every Dinas account of the bench (the
generator's `bench-dinas-NN` and `bench-kadis`, and extra `bench-load-dinas-NNN` clerks when
the load needs more) an authenticator device with one known key, so the load test can compute
the codes of the second login step as a phone would. Then it samples, from the data set, what
simulated people type: registration numbers, NIKs and names to search for in each village, and
(number, PIN) pairs residents track.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from bench.dataset import CLERKS, PASSWORD
from paradewi.accounts.models import AppDevice, Role, User
from paradewi.accounts.two_factor import APP_DEVICE_NAME
from paradewi.regions.models import Region
from paradewi.requests.models import ServiceRequest, Status, Upload

# The authenticator key of every bench Dinas account (20 bytes, hex as django-otp keeps it).
# Published on purpose: these accounts exist only in bench databases.
TOTP_KEY_HEX = "62656e63682d6f6e6c792d746f74702d6b65792d"
SAMPLES_PER_VILLAGE = 4
TRACKED = 2000


# The Dinas clerk the authenticated floor probe signs in as (an account of its own).
FLOOR_ACCOUNT = "bench-load-floor"


def _accounts(names: list[str], role: Role, label: str) -> None:
    """Create the load's own accounts of `names` that are missing (kept for later runs)."""
    regency = Region.objects.get(code=settings.REGENCY_CODE)
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    missing = [name for name in names if name not in have]
    if missing:
        password = make_password(PASSWORD)
        User.objects.bulk_create(
            User(
                username=name,
                password=password,
                role=role,
                area=regency,
                full_name=f"{label} {name[-3:]}",
                email=f"{name}@bench.invalid",
            )
            for name in missing
        )


def _dinas_accounts(extra_clerks: int) -> list[User]:
    wanted = [f"bench-load-dinas-{n:03d}" for n in range(1, extra_clerks + 1)]
    _accounts([*wanted, FLOOR_ACCOUNT], Role.DINAS_CLERK, "Petugas Dinas")
    names = [f"bench-dinas-{n:02d}" for n in range(1, CLERKS + 1)] + ["bench-kadis", *wanted]
    return list(User.objects.filter(username__in=[*names, FLOOR_ACCOUNT]).order_by("username"))


def _leader_accounts(leaders: int) -> list[str]:
    """The Dinas head once (a second factor, whose code is accepted once) and leadership
    viewers: the generator's and extra `bench-load-viewer-NNN` ones, one per person."""
    extra = [f"bench-load-viewer-{n:03d}" for n in range(1, max(0, leaders - 2) + 1)]
    _accounts(extra, Role.VIEWER, "Pimpinan")
    return ["bench-kadis", "bench-viewer", *extra]


def _give_devices(users: list[User]) -> None:
    """One confirmed authenticator per account, with the known key (replacing any other)."""
    with transaction.atomic():
        # The key is encrypted at rest: compared here, after reading, not in the query.
        devices = list(AppDevice.objects.filter(user__in=users))
        AppDevice.objects.filter(
            pk__in=[d.pk for d in devices if d.key != TOTP_KEY_HEX or not d.confirmed]
        ).delete()
        have = {d.user_id for d in devices if d.key == TOTP_KEY_HEX and d.confirmed}
        AppDevice.objects.bulk_create(
            AppDevice(user=user, name=APP_DEVICE_NAME, key=TOTP_KEY_HEX, confirmed=True)
            for user in users
            if user.pk not in have
        )


def _village_samples(rng: random.Random) -> list[dict[str, Any]]:
    officers = list(
        User.objects.filter(
            username__startswith="bench-desa-", role=Role.VILLAGE_OFFICER, is_active=True
        )
        .select_related("area")
        .order_by("username")
    )
    by_village: dict[int, list[ServiceRequest]] = defaultdict(list)
    recent = (
        ServiceRequest.objects.filter(number__isnull=False)
        .only("id", "village_id", "number", "subject_nik", "subject_name")
        .order_by("-id")[: SAMPLES_PER_VILLAGE * 3 * max(len(officers), 1)]
    )
    for request in recent:
        if len(by_village[request.village_id]) < SAMPLES_PER_VILLAGE:
            by_village[request.village_id].append(request)
    villages = []
    for officer in officers:
        area = officer.area
        assert area is not None  # noqa: S101 - village officers have a village
        found = by_village.get(area.pk, [])
        villages.append(
            {
                "username": officer.username,
                "village": area.code,
                "numbers": [r.number for r in found if r.number],
                "niks": [r.subject_nik for r in found if r.subject_nik],
                "names": [r.subject_name.split()[0] for r in found if r.subject_name],
            }
        )
    rng.shuffle(villages)
    return villages


# Requests the load's operators and clerks open: their uploads need bytes for the thumbnails.
OPEN = [Status.SUBMITTED, Status.VERIFIED, Status.IN_PROCESS, Status.RETURNED]


def _give_files(media_dir: Path) -> int:
    """The generator writes upload rows without bytes. The requests the load opens (in the
    queues) get real files: one stored photo and one stored scan (bench/load/media.py, at
    their real sizes, stored and encrypted through the storage as an upload is), shared by
    the rows, so every thumbnail a browser asks for is drawn from a real file (each upload's
    previews are its own). Returns how many rows now point at a file."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from bench.load.media import cached_library
    from paradewi.requests.files import JPEG, PDF

    library = cached_library(media_dir)
    stored = {}
    for kind, content_type in (("photo", JPEG), ("scan", PDF)):
        media = library[kind][0]
        name = f"bench-load/{kind}-{hashlib.sha256(media.data).hexdigest()[:16]}"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(media.data))
        stored[content_type] = (name, media, hashlib.sha256(media.data).hexdigest())
    rows = Upload.objects.filter(
        request__status__in=OPEN, purged_at__isnull=True, replaced_at__isnull=True
    )
    count = 0
    for content_type, (name, media, sha) in stored.items():
        chosen = (
            rows.filter(content_type=PDF) if content_type == PDF else rows.exclude(content_type=PDF)
        )
        count += chosen.update(
            file=name,
            content_type=content_type,
            size=len(media.data),
            sha256=sha,
            pages=media.pages,
        )
    return count


def prepare(
    path: Path,
    *,
    dinas_users: int,
    leaders: int = 2,
    seed: int = 1,
    media_dir: Path = Path("/tmp/paradewi-bench-media"),  # noqa: S108 - made anew if missing
) -> dict[str, Any]:
    """Write the load test's fixture to `path` and return it."""
    rng = random.Random(seed)  # noqa: S311 - sampling, not secrets
    _give_files(media_dir)
    extra = max(0, dinas_users - CLERKS)
    dinas = _dinas_accounts(extra)
    _give_devices(dinas)
    tracked = list(
        ServiceRequest.objects.filter(number__isnull=False)
        .exclude(status=Status.DRAFT)
        .order_by("-id")
        .values_list("number", "pin")[:TRACKED]
    )
    fixture: dict[str, Any] = {
        "password": PASSWORD,
        "totp_key": TOTP_KEY_HEX,
        "villages": _village_samples(rng),
        "operators": sorted(
            User.objects.filter(
                username__startswith="bench-kec-", role=Role.DISTRICT_OPERATOR, is_active=True
            ).values_list("username", flat=True)
        ),
        "clerks": [
            u.username for u in dinas if u.role == Role.DINAS_CLERK and u.username != FLOOR_ACCOUNT
        ],
        "floor": [FLOOR_ACCOUNT],
        "leaders": _leader_accounts(leaders),
        "tracking": [[number, pin] for number, pin in tracked if number and pin],
    }
    if not fixture["villages"] or not fixture["operators"] or not fixture["clerks"]:
        raise SystemExit(
            "The database holds no bench accounts: build the data set first "
            "(python -m bench.generate, see bench/README.md)."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(fixture, indent=1))
    return fixture
