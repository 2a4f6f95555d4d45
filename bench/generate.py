"""Generate the benchmark data set: `python -m bench.generate --requests 1000000 --years 3`.

Sets up Django (DJANGO_SETTINGS_MODULE, default paradewi.settings), migrates, loads the regions
and the catalogue when missing, then fills the database named by DATABASE_URL (or the SQLite
file in PARADEWI_VAR_DIR). See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("--requests", type=int, default=1_000_000, help="how many requests")
    parser.add_argument("--years", type=float, default=3.0, help="how many years of history")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random generator")
    parser.add_argument(
        "--end",
        type=date.fromisoformat,
        default=date.today(),  # noqa: DTZ011 - a calendar date given on the command line
        help="the history ends at 00:00 (local time) of this date (default: today)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="do nothing if this data set is already there"
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="empty a previous generated data set first (never other requests)",
    )
    parser.add_argument(
        "--no-refresh", action="store_true", help="skip rebuilding the report pre-aggregates"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paradewi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.dataset import Params, generate
    from bench.store import BenchDataError

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    params = Params(requests=args.requests, years=args.years, seed=args.seed, end=args.end)
    try:
        summary = generate(
            params, reuse=args.reuse, replace=args.replace, refresh=not args.no_refresh
        )
    except BenchDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print("\n".join(summary.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
