"""The pieces of a load run: prepare the database, start the servers, sample their memory,
run locust, and put the numbers together. `python -m bench.load` and bench/scaleout.py use
them."""

from __future__ import annotations

import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]

from bench.load.env import bench_environ

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).resolve().with_name("locustfile.py")


def setup_django(environ: dict[str, str]) -> None:
    """Django in this process, with the bench environment (before anything imports settings)."""
    os.environ.update(environ)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paradewi.settings")
    import django

    django.setup()


def prepare(
    fixture: Path, *, dinas_users: int, leaders: int = 2, out: Any = print
) -> dict[str, Any]:
    """Migrations, cache table and static files in place, then the load test's fixture."""
    from django.core.management import call_command
    from django.db import connections

    from bench.load.fixture import prepare as write_fixture

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    data = write_fixture(fixture, dinas_users=dinas_users, leaders=leaders)
    out(
        f"fixture: {len(data['villages'])} village officers, {len(data['operators'])} kecamatan "
        f"operators, {len(data['clerks'])} Dinas clerks, {len(data['tracking'])} numbers to track"
    )
    connections.close_all()
    return data


def database_kind() -> str:
    from django.db import connection

    return str(connection.vendor)


def wait_healthy(base_url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{base_url}/healthz did not answer within {timeout:.0f} s.")
        time.sleep(0.5)


@dataclass
class Servers:
    """Gunicorn instances and db_workers started for a run (stopped by `stop`)."""

    environ: dict[str, str]
    web: list[subprocess.Popen[bytes]] = field(default_factory=list)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    log_dir: Path = Path("/tmp")  # noqa: S108 - overwritten by the runner

    def start_web(self, port: int, *, workers: int, threads: int) -> str:
        log = (self.log_dir / f"gunicorn-{port}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603 - fixed command
            [
                sys.executable,
                "-m",
                "gunicorn",
                "paradewi.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "120",
                "--graceful-timeout",
                "10",
            ],
            cwd=ROOT,
            env=self.environ,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.web.append(process)
        return f"http://127.0.0.1:{port}"

    def start_worker(self) -> None:
        log = (self.log_dir / f"db_worker-{len(self.workers) + 1}.log").open("ab")
        # At a lower CPU priority, as the Procfile and the systemd unit run it: thumbnails and
        # the reports' refresh give way to the pages people wait for.
        command = [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--interval", "1"]
        process = subprocess.Popen(  # noqa: S603 - fixed command
            ["/usr/bin/nice", "-n", "10", *command],
            cwd=ROOT,
            env=self.environ,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(process)

    def stop(self) -> None:
        for process in [*self.web, *self.workers]:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in [*self.web, *self.workers]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def _shared_mb(processes: list[psutil.Process]) -> float:
    """The shared part of the PSS (PSS minus USS) of these processes, MB."""
    total = 0
    for process in processes:
        try:
            info = process.memory_full_info()
            total += getattr(info, "pss", info.rss) - getattr(info, "uss", 0)
        except psutil.Error:
            continue
    return total / 1_048_576


def _pss_mb(processes: list[psutil.Process]) -> float:
    """Proportional set size (shared pages split among the processes mapping them), MB."""
    total = 0
    for process in processes:
        try:
            info = process.memory_full_info()
            total += getattr(info, "pss", info.rss)
        except psutil.Error:
            continue
    return total / 1_048_576


def _rss_mb(processes: list[psutil.Process]) -> float:
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            continue
    return total / 1_048_576


def _cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            continue
    return total


def postgres_backends(database: str) -> list[int]:
    """PIDs of the PostgreSQL server processes serving this database (not this process's)."""
    return postgres_processes(database)[0]


def postgres_processes(database: str) -> tuple[list[int], list[int]]:
    """(ours, others) of the PostgreSQL server's processes.

    Ours: the postmaster, every background process (checkpointer, background writer, WAL
    writer, autovacuum launcher and workers, logical replication launcher, ...) and the client
    backends of this database (this process's own connection apart). Others: client backends
    of other databases on the same server (other people's work on a shared machine).
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, datname, backend_type FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
        )
        rows = cursor.fetchall()
    ours: list[int] = []
    others: list[int] = []
    for pid, datname, backend_type in rows:
        if backend_type == "client backend" and datname != database:
            others.append(pid)
        else:
            ours.append(pid)
    # The postmaster is not in pg_stat_activity: the parent of any backend.
    for pid in ours + others:
        try:
            ours.append(psutil.Process(pid).ppid())
            break
        except psutil.Error:
            continue
    return ours, others


def redis_processes() -> list[psutil.Process]:
    """The Redis server's processes when CACHE_URL names Redis (else none)."""
    if not os.environ.get("CACHE_URL", "").startswith("redis"):
        return []
    found = []
    for process in psutil.process_iter(["name"]):
        if (process.info.get("name") or "").startswith("redis-server"):
            found.append(process)
    return found


def cpu_model() -> str:
    """The CPU's model name and the number of cores this process may use."""
    name = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{name}, {len(os.sched_getaffinity(0))} cores"


def reference() -> dict[str, float]:
    """A single-thread reference: a fixed piece of pure-Python work (string formatting,
    dictionaries, sorting: what a Django page does most) timed in CPU and wall clock. The CPU
    milliseconds compare machines; wall over CPU says how much the machine was shared."""
    started, cpu = time.perf_counter(), time.thread_time()
    rows = [{"id": n, "name": f"nama-{n:06d}", "score": (n * 7919) % 1000} for n in range(60_000)]
    rows.sort(key=lambda row: (row["score"], row["name"]))
    text = "".join(f"<tr><td>{row['id']}</td><td>{row['name']}</td></tr>" for row in rows)
    assert len(text) > 0  # noqa: S101 - keeps the work from being skipped
    return {
        "cpu_ms": round((time.thread_time() - cpu) * 1000, 1),
        "wall_ms": round((time.perf_counter() - started) * 1000, 1),
    }


class Sampler(threading.Thread):
    """Every second: PSS and RSS of web, worker and database processes, CPU seconds of each
    group and of locust, and the machine's load average."""

    # Seconds between two single-thread reference figures during the run.
    REFERENCE_EVERY = 30.0

    def __init__(self, servers: Servers, *, database: str | None) -> None:
        super().__init__(daemon=True)
        self.references: list[dict[str, float]] = []
        self._last_reference = 0.0
        self._other_pids: list[int] = []
        self.servers = servers
        self.database = database
        self.locust_pid: int | None = None
        self.samples: list[dict[str, float]] = []
        self.cpu: dict[str, float] = {}
        self.cpu_start: dict[str, float] = {}
        self._halt = threading.Event()
        self._db_pids: list[int] = []
        self._db_processes: dict[int, psutil.Process] = {}
        self._last_db_lookup = 0.0

    def groups(self) -> dict[str, list[psutil.Process]]:
        web = [p for process in self.servers.web for p in _tree(process.pid)]
        worker = [p for process in self.servers.workers for p in _tree(process.pid)]
        groups = {"web": web, "worker": worker}
        if self.database:
            now = time.monotonic()
            if now - self._last_db_lookup > 5:
                self._last_db_lookup = now
                try:
                    self._db_pids, self._other_pids = postgres_processes(self.database)
                except Exception:
                    self._db_pids, self._other_pids = [], []
            processes = []
            for pid in self._db_pids:
                if pid not in self._db_processes:
                    try:
                        self._db_processes[pid] = psutil.Process(pid)
                    except psutil.Error:
                        continue
                processes.append(self._db_processes[pid])
            groups["database"] = processes
            others = []
            for pid in self._other_pids:
                try:
                    others.append(psutil.Process(pid))
                except psutil.Error:
                    continue
            groups["other_databases"] = others
        redis = redis_processes()
        if redis:
            groups["redis"] = redis
        if self.locust_pid:
            groups["locust"] = _tree(self.locust_pid)
        return groups

    def run(self) -> None:
        psutil.cpu_percent()
        while not self._halt.wait(1.0):
            groups = self.groups()
            sample: dict[str, float] = {"t": time.time(), "load1": os.getloadavg()[0]}
            sample["machine_cpu_pct"] = psutil.cpu_percent()
            for name, processes in groups.items():
                if name == "other_databases":
                    # Their own memory is other people's; the shared buffers they map are ours.
                    sample["database_shared_elsewhere_mb"] = _shared_mb(processes)
                    continue
                if name != "locust":
                    sample[f"{name}_pss_mb"] = _pss_mb(processes)
                    sample[f"{name}_rss_mb"] = _rss_mb(processes)
                seconds = _cpu_seconds(processes)
                # CPU of processes that ended is lost; keep the highest total seen per group.
                self.cpu[name] = max(self.cpu.get(name, 0.0), seconds)
                self.cpu_start.setdefault(name, seconds)
            self.samples.append(sample)
            if time.monotonic() - self._last_reference >= self.REFERENCE_EVERY:
                self._last_reference = time.monotonic()
                self.references.append({"t": time.time(), **reference()})

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=10)

    def summary(self, *, since: float = 0.0) -> dict[str, Any]:
        samples = [s for s in self.samples if s["t"] >= since] or self.samples
        out: dict[str, Any] = {"samples": len(samples)}
        for key in sorted({k for s in samples for k in s if k.endswith("_mb")}):
            values = [s[key] for s in samples if key in s]
            out[key] = {"peak": round(max(values), 1), "mean": round(sum(values) / len(values), 1)}
        totals = [
            sum(
                s.get(f"{g}_pss_mb", 0.0)
                for g in ("web", "worker", "database", "database_shared_elsewhere", "redis")
            )
            for s in samples
        ]
        out["stack_pss_mb"] = {
            "peak": round(max(totals, default=0.0), 1),
            "mean": round(sum(totals) / max(len(totals), 1), 1),
        }
        loads = [s["load1"] for s in samples]
        cpus = [s["machine_cpu_pct"] for s in samples]
        out["load1"] = {
            "min": round(min(loads, default=0), 2),
            "mean": round(sum(loads) / max(len(loads), 1), 2),
            "max": round(max(loads, default=0), 2),
        }
        references = [r for r in self.references if r["t"] >= since] or self.references
        if references:
            cpu_ms = sorted(r["cpu_ms"] for r in references)
            wall_ms = sorted(r["wall_ms"] for r in references)
            out["reference"] = {
                "count": len(references),
                "cpu_ms_median": cpu_ms[len(cpu_ms) // 2],
                "wall_ms_median": wall_ms[len(wall_ms) // 2],
                "wall_ms_max": wall_ms[-1],
            }
        out["machine_cpu_pct_mean"] = round(sum(cpus) / max(len(cpus), 1), 1)
        out["cpu_seconds"] = {
            name: round(self.cpu[name] - self.cpu_start.get(name, 0.0), 1) for name in self.cpu
        }
        return out


def run_locust(
    *,
    host: str,
    users: int,
    spawn_rate: float,
    run_time: str,
    fixture: Path,
    out: Path,
    max_requests: int,
    probes: bool,
    steady_seconds: int = 0,
    hosts: list[str] | None = None,
    sampler: Sampler | None = None,
    log: Path | None = None,
    leaders: int = 0,
) -> dict[str, Any]:
    """Locust headless in its own process (its CPU is measured apart); the summary it wrote."""
    environ = dict(os.environ)
    environ.update(
        {
            "BENCH_LOAD_FIXTURE": str(fixture),
            "BENCH_LOAD_OUT": str(out),
            "BENCH_MAX_REQUESTS": str(max_requests),
            "BENCH_STEADY_SECONDS": str(steady_seconds),
            "BENCH_PROBES": "1" if probes else "0",
            "BENCH_HOSTS": ",".join(hosts or []),
            "BENCH_LEADERS": str(leaders),
        }
    )
    out.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        run_time,
        "--host",
        host,
        "--only-summary",
        "--stop-timeout",
        "10",
        "--exit-code-on-error",
        "0",
        "--loglevel",
        "WARNING",
    ]
    handle = log.open("w") if log else subprocess.DEVNULL
    process = subprocess.Popen(  # noqa: S603 - fixed command
        command, cwd=ROOT, env=environ, stdout=handle, stderr=subprocess.STDOUT
    )
    if sampler is not None:
        sampler.locust_pid = process.pid
    process.wait()
    if not out.exists():
        raise SystemExit(f"locust wrote no summary (exit status {process.returncode}); see {log}.")
    summary: dict[str, Any] = json.loads(out.read_text())
    return summary


def parse_seconds(text: str) -> int:
    """'120s', '2m', '1h30m' or '90' in seconds."""
    total, number = 0, ""
    units = {"h": 3600, "m": 60, "s": 1}
    for char in text.strip():
        if char.isdigit():
            number += char
        elif char in units and number:
            total += int(number) * units[char]
            number = ""
        else:
            raise ValueError(f"not a duration: {text!r}")
    return total + (int(number) if number else 0)


@contextmanager
def servers_running(environ: dict[str, str], log_dir: Path) -> Iterator[Servers]:
    servers = Servers(environ=environ, log_dir=log_dir)
    try:
        yield servers
    finally:
        servers.stop()


def default_environ() -> dict[str, str]:
    return bench_environ()
