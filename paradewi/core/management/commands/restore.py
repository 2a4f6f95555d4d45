"""Restore an archive of `manage.py backup` into a freshly migrated database (docs/backup.md)."""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paradewi.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive into this database (freshly migrated: `manage.py migrate` "
        "first) and this file storage. Every member's checksum is checked before anything is "
        "changed; afterwards the rows, every file's SHA-256 and the history chain are "
        "verified. Needs the same ENCRYPTION_KEYS, SEARCH_INDEX_KEY and HISTORY_CHAIN_KEY "
        "(or SECRET_KEY) as the installation that made the backup; they are not in it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The archive made by `manage.py backup`.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Restore even if the database already holds requests: its data is deleted "
            "first (its stored files are left as they are).",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        verbose = options["verbosity"] >= 2
        try:
            report = restore(
                path,
                using=options["database"],
                replace=options["replace"],
                progress=(lambda message: self.stdout.write(message)) if verbose else print_none,
            )
        except BackupError as error:
            raise CommandError(f"Restore refused or failed, nothing restored: {error}") from None
        rows = sum(report.rows.values())
        self.stdout.write(
            f"Restored {rows} rows of {len(report.rows)} models and {report.files} files "
            f"({report.file_bytes} bytes) in {report.seconds:.1f} s."
        )
        self.stdout.write(
            f"Verified: row counts, {report.checked_files} files against their SHA-256, "
            f"history chain of {report.chain_rows} rows."
        )
        if verbose:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            self.stdout.write(f"Peak memory: {peak} MB.")
        for warning in report.warnings:
            self.stderr.write(f"WARNING: {warning}")
        if report.failures:
            for failure in report.failures[:50]:
                self.stderr.write(f"FAILED: {failure}")
            raise CommandError(f"The restored data failed {len(report.failures)} checks.")
        self.stdout.write("Restore complete.")


def print_none(message: str) -> None:
    return None
