"""The load test's numbers: per endpoint count, errors, percentiles, throughput, and the
targets of docs/design.md, "Targets", checked against them."""

from __future__ import annotations

import math
from typing import Any

FLOOR = "probe: GET /bench/floor/"
SIGNED_IN_FLOOR = "probe: GET /bench/floor/signed-in/"
# The village officers' worklist: the list page whose throughput is compared with the floor's.
WORKLIST = "GET /requests/"
# Added to the name of an answer that says a colleague acted on the request first.
LOST_RACE = "(lost race)"
# Added to the name of a submission refused because a photo was still being checked: a write
# like any other (the server did the work), which the simulated officer repeats after a pause.
STILL_CHECKING = "(photo still being checked)"
# Samples each dashboard needs in a run for its p95 to mean something.
DASHBOARD_SAMPLES = 100
PERCENTILES = (0.5, 0.95, 0.99)


def percentile(values: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile (as locust reports its own)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def summarise(
    stats: Any,
    server_times: dict[tuple[str, str], list[float]] | None = None,
    server_cpu: dict[tuple[str, str], list[float]] | None = None,
) -> dict[str, Any]:
    """Locust's RequestStats as plain data (milliseconds, requests per second).

    `server_times`: the server's own time of each answer (its Server-Timing header) by
    (method, name); its percentiles are given beside the client's as `server_p95_ms` etc.
    `server_cpu`: the serving thread's CPU time of each answer (`cpu_p50_ms` etc.).
    """
    server_times = server_times or {}
    server_cpu = server_cpu or {}
    total = stats.total
    duration = max((total.last_request_timestamp or 0) - (total.start_time or 0), 1e-9)
    endpoints = []
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        endpoints.append(
            {
                "name": entry.name,
                "method": entry.method,
                "count": entry.num_requests,
                "errors": entry.num_failures,
                "mean_ms": round(entry.avg_response_time, 1),
                **{
                    f"p{round(p * 100)}_ms": round(entry.get_response_time_percentile(p) or 0, 1)
                    for p in PERCENTILES
                },
                **{
                    f"server_p{round(p * 100)}_ms": _rounded(
                        percentile(server_times.get((entry.method, entry.name), []), p)
                    )
                    for p in PERCENTILES
                },
                **{
                    f"cpu_p{round(p * 100)}_ms": _rounded(
                        percentile(server_cpu.get((entry.method, entry.name), []), p)
                    )
                    for p in (0.5, 0.95)
                },
                "rps": round(entry.num_requests / duration, 2),
            }
        )
    return {
        "duration_s": round(duration, 1),
        "requests": total.num_requests,
        "errors": total.num_failures,
        "rps": round(total.num_requests / duration, 2),
        "p95_ms": round(total.get_response_time_percentile(0.95) or 0, 1),
        "endpoints": endpoints,
        "failures": [
            {"name": e.name, "method": e.method, "error": str(e.error), "count": e.occurrences}
            for e in stats.errors.values()
        ],
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def category(name: str) -> str:
    """Which target of docs/design.md, "Targets", an endpoint falls under."""
    if name.startswith("probe:"):
        return "probe"
    if name.endswith(LOST_RACE):  # neither a success nor an error: counted apart
        return "race"
    if "login" in name or "two-factor" in name:  # the password hash is slow by design
        return "login"
    if name.startswith("POST") and name != "POST /track/":  # tracking is a look-up
        return "write"
    if "/reports/" in name or "/home/" in name:
        return "dashboard"
    return "read"


def add_ratios(summary: dict[str, Any]) -> None:
    """Each endpoint's median server time as a multiple of the authenticated floor's.

    The floor is `/bench/floor/signed-in/` in the same run: the same middleware, session,
    user and second factor as every page, one query and a one-line template. Server times
    (the Server-Timing header) leave out the wait for a free thread, which the client's times
    are mostly made of under load. `x_floor` is page / floor (12 means the page costs twelve
    floors); `vs_floor` its inverse, the page's throughput relative to the floor's, since one
    server thread serves 1/t answers a second of a page that takes t. `list_vs_floor` is that
    for the village officers' worklist. A run without server times (or without the
    signed-in floor) falls back on the bare floor view and the client's means, and says so in
    `ratio_basis`.
    """
    by_name = {e["name"]: e for e in summary["endpoints"]}
    floor = by_name.get(SIGNED_IN_FLOOR)
    key = "server_p50_ms"
    if not floor or not floor.get(key):
        floor, key = by_name.get(FLOOR), "mean_ms"
    summary["ratio_basis"] = (
        "server p50, signed-in floor" if key == "server_p50_ms" else "client mean, bare floor"
    )
    base = float(floor[key]) if floor and floor.get(key) else None
    for entry in summary["endpoints"]:
        entry["category"] = category(entry["name"])
        value = entry.get(key)
        entry["x_floor"] = round(float(value) / base, 1) if base and value else None
        entry["vs_floor"] = round(base / float(value), 3) if base and value else None
    listed = by_name.get(WORKLIST)
    summary["list_vs_floor"] = listed.get("vs_floor") if listed else None
    summary["floor_p50_ms"] = base


def worst_of(summary: dict[str, Any], kind: str, key: str = "p95_ms") -> dict[str, Any] | None:
    """The endpoint of one category with the highest `key` (the one a target is held to)."""
    return max(
        (
            e
            for e in summary["endpoints"]
            if e.get("category") == kind and e["count"] and e.get(key) is not None
        ),
        key=lambda e: float(e[key]),
        default=None,
    )


TARGETS: list[tuple[str, str, float]] = [
    # (target, what is measured, limit)
    ("reads: server time p95 <= 50 ms (queues, detail, search)", "read", 50.0),
    ("writes: server time p95 <= 150 ms", "write", 150.0),
    ("dashboards: server time p95 <= 300 ms", "dashboard", 300.0),
]


def target_rows(summary: dict[str, Any], memory_mb: float | None) -> list[dict[str, Any]]:
    """target | measured | ratio to floor | pass, for one run.

    docs/design.md, "Targets", sets the read, write and dashboard targets on the server's
    time: they are held to the Server-Timing header (from the first middleware to the finished page,
    under the run's load). The time the simulated person waited, the wait for a free server
    thread and the network included, is shown beside it and held to the 300 ms under load.
    """
    rows = []
    for label, kind, limit in TARGETS:
        key = "server_p95_ms"
        worst = worst_of(summary, kind, key)
        if worst is None:  # a run without Server-Timing: the client's time
            key = "p95_ms"
            worst = worst_of(summary, kind, key)
        value = None if worst is None else float(worst[key])
        client = worst_of(summary, kind)
        measured = None
        if worst is not None:
            measured = f"{value:.0f} ms ({worst['name']})"
            if key != "p95_ms" and client is not None:
                measured += f"; as the client waited: {client['p95_ms']:.0f} ms"
        rows.append(
            {
                "target": label,
                "measured": measured,
                "vs_floor": worst.get("x_floor") if worst else None,
                "pass": None if value is None else value <= limit,
            }
        )
    people = [e for e in summary["endpoints"] if e.get("category") not in ("probe", "login")]
    all_p95 = max((e["p95_ms"] for e in people if e["count"]), default=None)
    errors = summary["errors"]
    rows.append(
        {
            "target": "every page p95 <= 300 ms under load (logins apart)",
            "measured": None if all_p95 is None else f"{all_p95:.0f} ms (worst endpoint)",
            "vs_floor": None,
            "pass": None if all_p95 is None else all_p95 <= 300,
        }
    )
    # Logins happen while users arrive: the ramp's numbers.
    arrived = (summary.get("ramp") or {}).get("endpoints") or summary["endpoints"]
    logins = [e["p95_ms"] for e in arrived if category(e["name"]) == "login" and e["count"]]
    rows.append(
        {
            "target": "login p95 (no target: the password hash is slow by design)",
            "measured": f"{max(logins):.0f} ms" if logins else None,
            "vs_floor": None,
            "pass": None,
        }
    )
    rows.append(
        {
            "target": "no errors",
            "measured": f"{errors} of {summary['requests']} requests",
            "vs_floor": None,
            "pass": errors == 0,
        }
    )
    rows.append(
        {
            "target": "web + worker + database <= 1 GB",
            "measured": None if memory_mb is None else f"{memory_mb:.0f} MB (peak)",
            "vs_floor": None,
            "pass": None if memory_mb is None else memory_mb <= 1024,
        }
    )
    dashboards = [e for e in summary["endpoints"] if e.get("category") == "dashboard"]
    fewest = min(dashboards, key=lambda e: e["count"], default=None)
    rows.append(
        {
            "target": f"samples: >= {DASHBOARD_SAMPLES} per dashboard (for its p95)",
            "measured": None if fewest is None else f"{fewest['count']} (fewest: {fewest['name']})",
            "vs_floor": None,
            "pass": None if fewest is None else fewest["count"] >= DASHBOARD_SAMPLES,
        }
    )
    races = [e for e in summary["endpoints"] if e.get("category") == "race"]
    rows.append(
        {
            "target": "lost races (a colleague acted first; neither success nor error)",
            "measured": ", ".join(f"{e['name']}: {e['count']}" for e in races) or "0",
            "vs_floor": None,
            "pass": None,
        }
    )
    ratio = summary.get("list_vs_floor")
    rows.append(
        {
            # Reported, as docs/design.md asks for every page's ratio to the floor; no target.
            "target": "list page throughput as a share of the authenticated floor's (server p50)",
            "measured": None if ratio is None else f"{ratio:.0%}",
            "vs_floor": ratio,
            "pass": None,
        }
    )
    return rows


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """A plain Markdown table."""

    def cell(value: Any) -> str:
        if value is None:
            return "-"
        if value is True:
            return "pass"
        if value is False:
            return "FAIL"
        return str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def endpoint_table(summary: dict[str, Any]) -> str:
    return table(
        [
            "endpoint",
            "count",
            "errors",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "server p50 / p95 ms",
            "server CPU p50 / p95 ms",
            "rps",
            "x floor (server p50)",
        ],
        [
            [
                e["name"],
                e["count"],
                e["errors"],
                e["p50_ms"],
                e["p95_ms"],
                e["p99_ms"],
                f"{e.get('server_p50_ms')} / {e.get('server_p95_ms')}"
                if e.get("server_p95_ms") is not None
                else None,
                f"{e.get('cpu_p50_ms')} / {e.get('cpu_p95_ms')}"
                if e.get("cpu_p95_ms") is not None
                else None,
                e["rps"],
                e.get("x_floor"),
            ]
            for e in summary["endpoints"]
        ],
    )
