"""The environment of the bench's servers: production settings, with bench keys by default.

`python -m bench.load.env COMMAND...` runs COMMAND with these defaults (the Makefile builds the
data set through it, so the generator and the load test encrypt and search with the same keys).
Variables already set win. The keys below are published: they protect nothing but bench data.
"""

from __future__ import annotations

import os
import sys

DEFAULTS = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-secret-key-for-generation",
    "ENCRYPTION_KEYS": "bench:YmVuY2gtZW5jcnlwdGlvbi1rZXktMzItYnl0ZXMhISE",
    "SEARCH_INDEX_KEY": "YmVuY2gtc2VhcmNoLWluZGV4LWtleS0zMi1ieXRlcyE",
    # Plain HTTP on 127.0.0.1: no HTTPS redirect, cookies without the Secure flag.
    "SECURE_COOKIES": "false",
    "SECURE_SSL_REDIRECT": "false",
    "ALLOWED_HOSTS": "127.0.0.1",
    # Every simulated person comes with an address of their own in X-Forwarded-For.
    "TRUSTED_PROXY_COUNT": "1",
    "BENCH_FLOOR_VIEW": "true",
    # The server's own time of every answer, in a header the load test reads.
    "SERVER_TIMING": "true",
    "LOG_LEVEL": "WARNING",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


def bench_environ(base: dict[str, str] | None = None) -> dict[str, str]:
    """`base` (default: this process's environment) with the bench defaults filled in."""
    environ = dict(os.environ if base is None else base)
    for name, value in DEFAULTS.items():
        environ.setdefault(name, value)
    return environ


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m bench.load.env COMMAND [ARGS...]", file=sys.stderr)
        return 2
    os.execvpe(argv[0], argv, bench_environ())  # noqa: S606 - runs the given bench command


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
