#!/usr/bin/env python
"""Django's command-line utility. Reads `.env` (if present) for local runs."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    from dotenv import load_dotenv

    # Variables already in the environment win over .env; tests never read .env.
    load_dotenv(Path(__file__).resolve().parent / ".env", override=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paradewi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
