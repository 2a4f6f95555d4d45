"""The worklists' search by name, timed on the bench data set: `python -m bench.namesearch`.

Runs in one process against the database `bench.generate` filled (DATABASE_URL, or the SQLite
file in PARADEWI_VAR_DIR), with the bench keys of `bench/load/env.py`. Each search is a GET of
the worklist's widest tab, "all requests" (`/requests/?tab=all&q=...`), through Django's whole
middleware stack, as a village officer, a kecamatan operator and a Dinas clerk; the time is
the server's own (`Server-Timing`, core.middleware.ServerTimingMiddleware), and beside it the
CPU time of this process (on SQLite the database's work is in it; on a shared machine the CPU
time moves less than the wall clock). What is typed: whole first and
second names, prefixes of three or four letters, two words, a name in another case and with
extra spaces, and a name nobody has. Every search runs `--rounds` times after one warm-up
round; the p50, p95 and p99 are printed per role and over all searches. Beside the page, the
worklist's own queries are timed alone (`requests.selectors.worklist`: the count up to 1,001
and the first page of 25, without the template), which is the part the search's design
decides; and the load average of the machine before and after, since the times are wall
clock.

The target is docs/design.md's read target: p95 of the server time under 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from typing import Any

TIMING_RE = re.compile(r"app;dur=([\d.]+)")

# Words of bench/people.py's names, typed as people type them.
QUERIES = (
    "Siti",
    "sri",
    "Nur",
    "Muhammad",
    "rahmawati",
    "Santoso",
    "wah",
    "Hida",
    "pra",
    "Agus Santoso",
    "  dewi   LESTARI ",
    "Sri Hand",
    "Xylofon",
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.namesearch", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds per search")
    parser.add_argument("--villages", type=int, default=4, help="village officers")
    parser.add_argument("--districts", type=int, default=2, help="kecamatan operators")
    parser.add_argument("--seed", type=int, default=1, help="which officers are picked")
    parser.add_argument("--json", help="write the times to this file")
    return parser.parse_args(argv)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _summary(values: list[float]) -> str:
    return (
        f"n={len(values)} p50={_percentile(values, 0.5):.1f} "
        f"p95={_percentile(values, 0.95):.1f} p99={_percentile(values, 0.99):.1f} "
        f"max={max(values):.1f} ms"
    )


def _client_for(user: Any) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from paradewi.accounts.two_factor import two_factor_required

    client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="127.0.0.1")
    client.force_login(user)
    if two_factor_required(user):
        from paradewi.accounts.models import AppDevice

        device = AppDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = AppDevice.objects.create(user=user, name="authenticator", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.load.env import bench_environ

    os.environ.update(bench_environ())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paradewi.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    from paradewi.accounts.models import Role, User

    rng = random.Random(args.seed)  # noqa: S311 - picks officers to time, reproducibly
    officers = list(
        User.objects.filter(username__startswith="bench-desa-", role=Role.VILLAGE_OFFICER)
        .order_by("username")
        .only("pk", "username", "role", "area_id")
    )
    operators = list(
        User.objects.filter(username__startswith="bench-kec-", role=Role.DISTRICT_OPERATOR)
        .order_by("username")
        .only("pk", "username", "role", "area_id")
    )
    clerk = User.objects.get(username="bench-dinas-01")
    people = [
        *(("village", user) for user in rng.sample(officers, args.villages)),
        *(("kecamatan", user) for user in rng.sample(operators, args.districts)),
        ("dinas", clerk),
    ]
    times: dict[str, list[float]] = {}
    counts: dict[tuple[str, str], int] = {}
    # The plain static storage: the page is timed, not the manifest of collected files.
    storages = {**settings.STORAGES}
    storages["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    from paradewi.requests.selectors import worklist

    load_before = os.getloadavg()
    with override_settings(STORAGES=storages):
        for role, user in people:
            client = _client_for(user)
            for round_ in range(args.rounds + 1):
                for query in QUERIES:
                    started = time.perf_counter()
                    cpu_started = time.process_time()
                    response = client.get("/requests/", {"q": query, "tab": "all"})
                    wall = (time.perf_counter() - started) * 1000
                    cpu = (time.process_time() - cpu_started) * 1000
                    if response.status_code != 200:
                        print(f"{user.username} {query!r}: HTTP {response.status_code}")
                        return 1
                    found = TIMING_RE.search(response.headers.get("Server-Timing", ""))
                    server = float(found.group(1)) if found else wall
                    started = time.perf_counter()
                    requests = worklist.worklist_with_count(user, tab="all", query=query)
                    page, _rows = worklist.paginate(requests, None)
                    _ = page.paginator.count
                    queries = (time.perf_counter() - started) * 1000
                    if round_ == 0:
                        continue  # warm-up: connections, templates, caches
                    times.setdefault(role, []).append(server)
                    times.setdefault(f"q:{query.strip()}", []).append(server)
                    times.setdefault("all", []).append(server)
                    times.setdefault(f"cpu:{role}", []).append(cpu)
                    times.setdefault("cpu:all", []).append(cpu)
                    times.setdefault(f"queries:{role}", []).append(queries)
                    times.setdefault("queries:all", []).append(queries)
                    counts[(role, query.strip())] = max(
                        counts.get((role, query.strip()), 0), page.paginator.count
                    )
    load_after = os.getloadavg()
    database = settings.DATABASES["default"]
    print(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    print(f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f}")
    print("page, server time (Server-Timing):")
    for key in ("village", "kecamatan", "dinas", "all"):
        if key not in times:
            continue
        print(f"{key:10} {_summary(times[key])}")
    for key, values in times.items():
        if key.startswith("q:"):
            print(f"  {key[2:]!r:22} {_summary(values)}")
    print("page, CPU time of this process:")
    for key in ("village", "kecamatan", "dinas", "all"):
        if f"cpu:{key}" in times:
            print(f"{key:10} {_summary(times[f'cpu:{key}'])}")
    print("the worklist's queries alone (count and first page):")
    for key in ("village", "kecamatan", "dinas", "all"):
        if f"queries:{key}" in times:
            print(f"{key:10} {_summary(times[f'queries:{key}'])}")
    print("matches (counted up to 1,001):")
    for (role, query), count in sorted(counts.items()):
        print(f"  {role:10} {query!r:22} {count}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(
                {
                    "times": times,
                    "counts": [[*key, count] for key, count in counts.items()],
                    "load": [load_before, load_after],
                },
                out,
                indent=1,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
