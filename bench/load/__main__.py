"""Load test: `python -m bench.load --users 200 --spawn-rate 2 --run-time 120s`.

Starts gunicorn and one db_worker on 127.0.0.1 against the database of DATABASE_URL (or the
SQLite file in PARADEWI_VAR_DIR), with production settings (DEBUG off) and the bench keys of
bench/load/env.py unless set; waits for /healthz; runs locust headless (bench/load/locustfile.py)
while sampling the memory and CPU of web, worker, database and locust every second; then prints
per endpoint count, errors, p50/p95/p99, requests per second and the ratio to the bare Django
view of the same run, and the targets of docs/design.md, "Targets". See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

from bench.load import report
from bench.load.run import (
    Sampler,
    cpu_model,
    database_kind,
    default_environ,
    parse_seconds,
    prepare,
    reference,
    run_locust,
    servers_running,
    setup_django,
    wait_healthy,
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--users", type=int, default=200, help="simulated people (default 200)")
    parser.add_argument(
        "--spawn-rate", type=float, default=2.0, help="people arriving per second (default 2)"
    )
    parser.add_argument(
        "--run-time",
        default="120s",
        help="measured time once everyone has arrived (e.g. 120s, 5m; the ramp comes first)",
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=1_000_000,
        help="stop after this many measured requests (default 1,000,000)",
    )
    parser.add_argument("--port", type=int, default=8130, help="gunicorn's port on 127.0.0.1")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--no-probes", action="store_true", help="no floor/list probes")
    parser.add_argument(
        "--leaders",
        type=int,
        default=0,
        help="leadership users (default: enough for 100 samples of every dashboard in the "
        "measured time, at least 2 %% of --users)",
    )
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=Path("/tmp/paradewi-bench-load"),  # noqa: S108 - scratch files of the run
        help="fixture, logs and locust's summary (default /tmp/paradewi-bench-load)",
    )
    return parser.parse_args(argv)


def dinas_share(users: int) -> int:
    """How many Dinas clerks the load has (each gets an account of its own, for 2FA)."""
    return max(1, math.ceil(users * 6 / 100)) + 1


def leaders_needed(users: int, steady_seconds: int) -> int:
    """Leadership users for at least DASHBOARD_SAMPLES answers of every dashboard in the
    measured time: each person shows the five dashboards in turn, one every 20 s on average
    (THINK["leader"]); a fifth more for luck. At least 2 % of the users (the usual share)."""
    dashboards, mean_wait = 5, 20.0
    needed = math.ceil(
        report.DASHBOARD_SAMPLES * 1.2 * dashboards * mean_wait / max(steady_seconds, 1)
    )
    return max(needed, math.ceil(users * 2 / 100), 1)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    environ = default_environ()
    setup_django(environ)
    from django.conf import settings

    args.work_dir.mkdir(parents=True, exist_ok=True)
    fixture = args.work_dir / "fixture.json"
    steady = parse_seconds(args.run_time)
    leaders = args.leaders or leaders_needed(args.users, steady)
    prepare(fixture, dinas_users=dinas_share(args.users), leaders=leaders)
    kind = database_kind()
    database = str(settings.DATABASES["default"]["NAME"]) if kind == "postgresql" else None
    ramp = math.ceil(args.users / args.spawn_rate)
    # The statistics restart when everyone has logged in, and the run stops `steady` seconds
    # later; locust's own clock only bounds the whole (logins queue behind the password hash).
    locust_time = f"{ramp + steady + max(300, 4 * args.users)}s"
    print(
        f"{kind}: {args.users} users and {leaders} leadership users arriving at "
        f"{args.spawn_rate}/s (~{ramp} s), then {steady} s measured; gunicorn {args.workers} "
        f"workers x {args.threads} threads, one db_worker"
    )
    machine = {"cpu": cpu_model(), "reference_before": reference()}
    print(f"machine: {machine['cpu']}; single-thread reference {machine['reference_before']}")
    with servers_running(environ, args.work_dir) as servers:
        base = servers.start_web(args.port, workers=args.workers, threads=args.threads)
        servers.start_worker()
        wait_healthy(base)
        sampler = Sampler(servers, database=database)
        sampler.start()
        started = time.time()
        summary = run_locust(
            host=base,
            users=args.users,
            spawn_rate=args.spawn_rate,
            run_time=locust_time,
            fixture=fixture,
            out=args.work_dir / "locust-summary.json",
            max_requests=args.max_requests,
            probes=not args.no_probes,
            steady_seconds=steady,
            sampler=sampler,
            log=args.work_dir / "locust.log",
            leaders=leaders,
        )
        sampler.stop()
    machine["reference_after"] = reference()
    result = assemble(summary, sampler, kind=kind, started=started, ramp=ramp, args=args)
    result["machine"] = machine
    result["leaders"] = leaders
    print_result(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
        print(f"written: {args.json}")
    return 0


def assemble(
    summary: dict[str, Any],
    sampler: Sampler,
    *,
    kind: str,
    started: float,
    ramp: int,
    args: argparse.Namespace,
) -> dict[str, Any]:
    report.add_ratios(summary)
    ramp_seconds = float((summary.get("ramp") or {}).get("seconds") or ramp)
    memory = sampler.summary(since=started + ramp_seconds)
    memory_all = sampler.summary()
    stack = memory_all["stack_pss_mb"]["peak"]
    return {
        "database": kind,
        "users": args.users,
        "spawn_rate": args.spawn_rate,
        "gunicorn": {"workers": args.workers, "threads": args.threads},
        "summary": {k: v for k, v in summary.items() if k not in ("uploaded", "completed")},
        "uploads": len(summary.get("uploaded", [])),
        "completions": len(summary.get("completed", [])),
        "memory_steady": memory,
        "memory_whole_run": memory_all,
        "targets": report.target_rows(summary, stack),
    }


def print_result(result: dict[str, Any]) -> None:
    summary = result["summary"]
    print()
    print(
        f"## {result['database']}: {result['users']} users, {summary['requests']} requests in "
        f"{summary['duration_s']} s (steady state), {summary['rps']} req/s, "
        f"{summary['errors']} errors"
    )
    print(report.endpoint_table(summary))
    ramp = summary.get("ramp") or {}
    if not ramp:
        print("\nnot every user logged in before the end: the numbers include the ramp")
    if ramp.get("endpoints"):
        print(f"\nwhile users arrived and logged in ({ramp.get('seconds')} s):")
        print(
            report.endpoint_table(
                {
                    "endpoints": [
                        e for e in ramp["endpoints"] if report.category(e["name"]) == "login"
                    ]
                }
            )
        )
    memory = result["memory_whole_run"]
    steady = result["memory_steady"]
    print("\nmemory (MB, PSS; peak / mean over the whole run):")
    for key in (
        "web_pss_mb",
        "worker_pss_mb",
        "database_pss_mb",
        "database_shared_elsewhere_mb",
        "redis_pss_mb",
        "stack_pss_mb",
    ):
        if key in memory:
            print(
                f"  {key.removesuffix('_pss_mb').removesuffix('_mb'):<26} "
                f"{memory[key]['peak']:>8} / {memory[key]['mean']}"
            )
    print(
        "  (web: gunicorn's master and workers; worker: the db_worker; database: PostgreSQL's "
        "postmaster, every background process and this database's backends, and the shared "
        "memory other databases' backends map; Redis only when CACHE_URL names it)"
    )
    machine = result.get("machine") or {}
    load = steady["load1"]
    print(
        f"\nmachine: {machine.get('cpu')}; load average during the measured window "
        f"{load['min']:.1f} / {load.get('mean', 0):.1f} / {load['max']:.1f} (min / mean / max)"
    )
    ref = steady.get("reference") or {}
    print(
        "single-thread reference (bench.load.run.reference): "
        f"before {machine.get('reference_before')}, after {machine.get('reference_after')}; "
        f"during the window: CPU {ref.get('cpu_ms_median')} ms, "
        f"wall {ref.get('wall_ms_median')} ms (median of {ref.get('count', 0)}), wall max "
        f"{ref.get('wall_ms_max')} ms"
    )
    print(
        "samples per page: "
        + ", ".join(f"{e['name']} {e['count']}" for e in summary["endpoints"] if e["count"])
    )
    print(f"ratios: {summary.get('ratio_basis')}, floor {summary.get('floor_p50_ms')} ms")
    print(
        "CPU seconds during the run: "
        + ", ".join(f"{k} {v}" for k, v in memory["cpu_seconds"].items())
        + f"; machine CPU {memory['machine_cpu_pct_mean']} % on average, load average "
        f"{memory['load1']['min']:.1f}-{memory['load1']['max']:.1f}"
    )
    print(
        f"uploads accepted: {result['uploads']} ({summary.get('upload_kinds', {})}), "
        f"completions: {result['completions']}, lost races (a colleague acted first, judged "
        f"from the message on the page the answer led to): {summary.get('races', 0)}, "
        f"submissions repeated because a photo was still being checked: "
        f"{summary.get('waits_for_checks', 0)}"
    )
    if summary.get("failures"):
        print("failures:")
        for failure in summary["failures"][:20]:
            print(
                f"  {failure['count']:>5} {failure['method']} {failure['name']}: {failure['error']}"
            )
    print()
    print(
        report.table(
            ["target", "measured", "ratio to floor", "pass/fail"],
            [[r["target"], r["measured"], r["vs_floor"], r["pass"]] for r in result["targets"]],
        )
    )


if __name__ == "__main__":
    sys.exit(main())
