"""Page weight on a demo server: `python -m bench.load.pageweight_demo --json FILE`.

bench/pageweight.py logs in with the demo accounts, which the bench data set does not have, so
this builds a demo installation in its own SQLite file (PARADEWI_DEMO=true, DEBUG off), serves
it with gunicorn on 127.0.0.1 and runs `python -m bench.pageweight --base-url ... --json FILE`
against it. Page weight does not depend on the database engine.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
from pathlib import Path

from bench.load.env import bench_environ
from bench.load.run import ROOT, servers_running, wait_healthy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load.pageweight_demo")
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument(
        "--var-dir",
        type=Path,
        default=Path("/tmp/paradewi-bench-pageweight"),  # noqa: S108 - scratch demo site
    )
    args = parser.parse_args(argv)
    if importlib.util.find_spec("bench.pageweight") is None:
        print("page weight: bench/pageweight.py is not there yet; skipped.")
        return 0
    base = {k: v for k, v in bench_environ().items() if k != "DATABASE_URL"}
    environ = {**base, "PARADEWI_DEMO": "true", "PARADEWI_VAR_DIR": str(args.var_dir)}
    manage = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["createcachetable"],
        ["collectstatic", "--noinput", "-v", "0"],
        ["load_regions"],
        ["load_catalogue"],
        ["make_signing_key", "--if-missing"],
        ["load_demo"],
    ):
        subprocess.run([*manage, *command], cwd=ROOT, env=environ, check=True)  # noqa: S603
    args.var_dir.mkdir(parents=True, exist_ok=True)
    with servers_running(environ, args.var_dir) as servers:
        url = servers.start_web(args.port, workers=2, threads=4)
        servers.start_worker()
        wait_healthy(url)
        done = subprocess.run(  # noqa: S603 - fixed command
            [sys.executable, "-m", "bench.pageweight", "--base-url", url, "--json", str(args.json)],
            cwd=ROOT,
            env=environ,
            check=False,
        )
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
