"""Scale-out on one machine: `python -m bench.scaleout --users 100 --run-time 60s`.

Two gunicorn instances on two ports and two db_workers on 127.0.0.1, sharing the PostgreSQL
database of DATABASE_URL and an S3-compatible store (moto's server mode on 127.0.0.1 stands in
for it; STORAGE_BACKEND=s3). The load test's people are spread over both servers. Afterwards it
checks, and prints:

- no errors in the load;
- every upload the load made is in the database exactly once, and its object is in the bucket
  exactly once, with the bytes the row's SHA-256 names (no lost or duplicated upload, no
  orphan object); every completion's issued document likewise;
- no request was processed twice: no request got the same transition twice in a row, and
  each request completed during the run has exactly one `complete`;
- every background task of the run ran exactly once (one worker id), on either worker.

See bench/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import logging
import math
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.load import report
from bench.load.__main__ import dinas_share
from bench.load.run import (
    Sampler,
    default_environ,
    parse_seconds,
    prepare,
    run_locust,
    servers_running,
    setup_django,
    wait_healthy,
)

BUCKET = "paradewi-bench"
REGION = "us-east-1"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.scaleout", description=__doc__)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=2.0)
    parser.add_argument("--run-time", default="60s", help="measured time after the ramp")
    parser.add_argument("--ports", default="8141,8142", help="the two gunicorn ports")
    parser.add_argument("--workers", type=int, default=1, help="worker processes per gunicorn")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=Path("/tmp/paradewi-bench-scaleout"),  # noqa: S108 - scratch files of the run
    )
    return parser.parse_args(argv)


def start_s3() -> tuple[Any, str]:
    """moto's S3 in server mode on 127.0.0.1 (a free port), with the bucket."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3_client(endpoint).create_bucket(Bucket=BUCKET)
    return server, endpoint


def s3_client(endpoint: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="bench",
        aws_secret_access_key="bench-secret",  # noqa: S106 - moto accepts any key
        config=Config(proxies={}),
    )


def bucket_keys(endpoint: str, prefix: str) -> list[str]:
    client = s3_client(endpoint)
    keys: list[str] = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
        keys.extend(item["Key"] for item in page.get("Contents", []))
    return keys


def wait_for_tasks(since: Any, timeout: float = 60.0) -> int:
    """Wait until the workers have taken every task enqueued during the run; how many wait."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + timeout
    while True:
        waiting: int = DBTaskResult.objects.filter(
            enqueued_at__gte=since,
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        ).count()
        if not waiting or time.monotonic() > deadline:
            return waiting
        time.sleep(1)


def check_files(summary: dict[str, Any], endpoint: str, prefix: str) -> dict[str, Any]:
    """Uploads and issued documents: rows, objects and bytes agree, nothing twice or lost."""
    from django.core.files.storage import default_storage

    from paradewi.documents.models import OutputFile
    from paradewi.requests.models import Upload

    sent = Counter((pk, code) for pk, code, _sha in summary.get("uploaded", []))
    requests = sorted({pk for pk, _code in sent})
    rows = list(Upload.objects.filter(request_id__in=requests))
    stored = Counter((row.request_id, row.requirement_code) for row in rows)
    lost = [key for key, count in sent.items() if stored.get(key, 0) < count]
    extra = [key for key, count in stored.items() if count > sent.get(key, 0)]
    completed = sorted(set(summary.get("completed", [])))
    outputs = list(OutputFile.objects.filter(request_id__in=completed))
    output_requests = Counter(row.request_id for row in outputs)
    missing_outputs = [pk for pk in completed if not output_requests.get(pk)]
    stored_rows: list[Upload | OutputFile] = [*rows, *outputs]
    keys = Counter(
        bucket_keys(endpoint, f"{prefix}/uploads/") + bucket_keys(endpoint, f"{prefix}/outputs/")
    )
    referenced = Counter(f"{prefix}/{row.file.name}" for row in stored_rows)
    run_requests = {str(pk) for pk in (*requests, *completed)}
    load_keys = {key for key in keys if key.split("/")[2] in run_requests}
    orphans = sorted(key for key in load_keys if key not in referenced)
    shared = sorted(key for key, count in referenced.items() if count > 1)
    absent = sorted(key for key in referenced if key not in keys)
    bad_bytes = []
    for row in stored_rows:
        if f"{prefix}/{row.file.name}" in keys:
            with default_storage.open(row.file.name, "rb") as handle:
                if hashlib.sha256(handle.read()).hexdigest() != row.sha256:
                    bad_bytes.append(row.file.name)
    return {
        "uploads_sent": sum(sent.values()),
        "upload_rows": len(rows),
        "issued_documents": len(outputs),
        "objects_checked": len(rows) + len(outputs),
        "lost": [list(key) for key in lost],
        "duplicated": [list(key) for key in extra],
        "completions_without_document": missing_outputs,
        "objects_missing": absent,
        "orphan_objects": orphans,
        "objects_shared_by_rows": shared,
        "bytes_not_matching_sha256": bad_bytes,
        "ok": not (lost or extra or missing_outputs or absent or orphans or shared or bad_bytes),
    }


def check_processing(since: Any, summary: dict[str, Any]) -> dict[str, Any]:
    """No request processed twice; every task of the run ran once."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from paradewi.requests.models import Transition
    from paradewi.requests.workflow import Action

    touched = set(
        Transition.objects.filter(created_at__gte=since).values_list("request_id", flat=True)
    )
    history: dict[int, list[tuple[str, Any]]] = defaultdict(list)
    for request_id, action, created_at in (
        Transition.objects.filter(request_id__in=touched)
        .order_by("request_id", "id")
        .values_list("request_id", "action", "created_at")
    ):
        history[request_id].append((action, created_at))
    # The same transition twice in a row, the second made during the run (a reassignment may
    # follow a reassignment; nothing else may repeat).
    repeated = sorted(
        pk
        for pk, actions in history.items()
        if any(
            a[0] == b[0] and b[0] != Action.REASSIGN and b[1] >= since
            for a, b in itertools.pairwise(actions)
        )
    )
    completes = Counter(
        Transition.objects.filter(created_at__gte=since, action=Action.COMPLETE).values_list(
            "request_id", flat=True
        )
    )
    twice_completed = sorted(pk for pk, count in completes.items() if count > 1)
    tasks = list(
        DBTaskResult.objects.filter(enqueued_at__gte=since).values_list(
            "status", "worker_ids", "task_path"
        )
    )
    statuses = Counter(status for status, _workers, _path in tasks)
    ran_twice = [path for _status, workers, path in tasks if len(workers or []) > 1]
    workers = Counter(worker for _status, ids, _path in tasks for worker in ids or [])
    return {
        "requests_touched": len(touched),
        "completed_in_run": len(completes),
        "completions_reported_by_load": len(set(summary.get("completed", []))),
        "repeated_transitions": repeated,
        "completed_twice": twice_completed,
        "tasks": dict(statuses),
        "tasks_per_worker": dict(workers),
        "tasks_ran_twice": ran_twice,
        "tasks_failed": statuses.get(TaskResultStatus.FAILED, 0),
        "ok": not (repeated or twice_completed or ran_twice)
        and not statuses.get(TaskResultStatus.FAILED, 0),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ports = [int(port) for port in args.ports.split(",")]
    if len(ports) != 2:
        raise SystemExit("--ports takes two ports, e.g. 8141,8142.")
    environ = default_environ()
    if not environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("The scale-out run needs PostgreSQL: set DATABASE_URL.")
    server, endpoint = start_s3()
    prefix = f"scaleout-{int(time.time())}"
    environ.update(
        {
            "STORAGE_BACKEND": "s3",
            "S3_ENDPOINT_URL": endpoint,
            "S3_BUCKET": BUCKET,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": "bench",
            "S3_SECRET_ACCESS_KEY": "bench-secret",
            "S3_PREFIX": prefix,
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
    )
    try:
        return run(args, ports, environ, endpoint, prefix)
    finally:
        server.stop()


def run(
    args: argparse.Namespace, ports: list[int], environ: dict[str, str], endpoint: str, prefix: str
) -> int:
    setup_django(environ)
    from django.conf import settings
    from django.db import connections
    from django.utils import timezone

    args.work_dir.mkdir(parents=True, exist_ok=True)
    fixture = args.work_dir / "fixture.json"
    prepare(fixture, dinas_users=dinas_share(args.users))
    database = str(settings.DATABASES["default"]["NAME"])
    ramp = math.ceil(args.users / args.spawn_rate)
    steady = parse_seconds(args.run_time)
    since = timezone.now()
    print(
        f"scale-out: 2 gunicorn ({args.workers} x {args.threads} threads each) on ports "
        f"{ports[0]} and {ports[1]}, 2 db_workers, PostgreSQL {database}, S3 {endpoint}/{BUCKET}"
    )
    with servers_running(environ, args.work_dir) as servers:
        hosts = [
            servers.start_web(port, workers=args.workers, threads=args.threads) for port in ports
        ]
        servers.start_worker()
        servers.start_worker()
        for host in hosts:
            wait_healthy(host)
        sampler = Sampler(servers, database=database)
        sampler.start()
        summary = run_locust(
            host=hosts[0],
            hosts=hosts,
            users=args.users,
            spawn_rate=args.spawn_rate,
            run_time=f"{ramp + steady + max(300, 4 * args.users)}s",
            steady_seconds=steady,
            fixture=fixture,
            out=args.work_dir / "locust-summary.json",
            max_requests=1_000_000,
            probes=False,
            sampler=sampler,
            log=args.work_dir / "locust.log",
        )
        waiting = wait_for_tasks(since)
        sampler.stop()
    connections.close_all()
    report.add_ratios(summary)
    files = check_files(summary, endpoint, prefix)
    processing = check_processing(since, summary)
    memory = sampler.summary()
    result = {
        "users": args.users,
        "hosts": summary.get("hosts", {}),
        "requests": summary["requests"],
        "errors": summary["errors"],
        "failures": summary["failures"],
        "rps": summary["rps"],
        "p95_ms": summary["p95_ms"],
        "tasks_still_waiting": waiting,
        "files": files,
        "processing": processing,
        "memory": memory,
    }
    print(report.endpoint_table(summary))
    print(json.dumps({k: v for k, v in result.items() if k != "memory"}, indent=1))
    print(
        f"memory peak (PSS, MB): stack {memory['stack_pss_mb']['peak']}; CPU seconds "
        + ", ".join(f"{k} {v}" for k, v in memory["cpu_seconds"].items())
    )
    ok = summary["errors"] == 0 and files["ok"] and processing["ok"] and not waiting
    rows = [
        ["no errors", f"{summary['errors']} of {summary['requests']}", summary["errors"] == 0],
        [
            "no lost or duplicated uploads",
            f"{files['upload_rows']} rows for {files['uploads_sent']} uploads, "
            f"{files['objects_checked']} objects checked by SHA-256",
            files["ok"],
        ],
        [
            "no request processed twice",
            f"{processing['requests_touched']} requests, {processing['completed_in_run']} "
            "completed",
            not (processing["repeated_transitions"] or processing["completed_twice"]),
        ],
        [
            "every task ran once",
            f"{sum(processing['tasks'].values())} tasks on "
            f"{len(processing['tasks_per_worker'])} workers",
            not processing["tasks_ran_twice"] and not processing["tasks_failed"] and not waiting,
        ],
    ]
    print(report.table(["scale-out check", "measured", "pass/fail"], rows))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
