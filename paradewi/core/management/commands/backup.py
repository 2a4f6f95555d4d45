"""Back up the database and the stored files into one archive (docs/backup.md)."""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from paradewi.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write every row of the database and every file the rows reference into one tar "
        "archive (gzip with --gzip or a .tar.gz name), read in one consistent snapshot. Files "
        "and encrypted fields stay encrypted; the keys (ENCRYPTION_KEYS, SEARCH_INDEX_KEY, "
        "HISTORY_CHAIN_KEY or SECRET_KEY) are NOT in the archive: keep them separately, the "
        "restore needs the same ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            help="Archive to write, or a directory (default: the current one) for a dated "
            "name paradewi-backup-YYYYmmdd-HHMMSS.tar[.gz].",
        )
        parser.add_argument("--gzip", action="store_true", help="Compress the archive.")
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        compress = options["gzip"]
        target = Path(options["path"] or ".")
        if target.is_dir():
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            target = target / f"paradewi-backup-{stamp}.tar{'.gz' if compress else ''}"
        elif target.name.endswith((".tar.gz", ".tgz")):
            compress = True
        if target.exists():
            raise CommandError(f"{target} exists already; a backup never overwrites a file.")
        if not target.parent.is_dir():
            raise CommandError(f"{target.parent} is not a directory.")
        try:
            summary = backup(
                target,
                compress=compress,
                using=options["database"],
                warn=lambda message: self.stderr.write(f"WARNING: {message}"),
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(summary.rows.values())
        self.stdout.write(
            f"Backup written to {summary.path}: {rows} rows of {len(summary.rows)} models, "
            f"{summary.files} files ({summary.file_bytes} bytes); archive {summary.archive_bytes} "
            f"bytes in {summary.seconds:.1f} s."
        )
        for name, note in summary.notes.items():
            self.stdout.write(f"{name}: {note.get('summary', note)}")
        if options["verbosity"] >= 2:
            for label, count in summary.rows.items():
                self.stdout.write(f"  {label}: {count}")
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            self.stdout.write(f"Peak memory: {peak} MB.")
        if summary.missing_count:
            self.stderr.write(
                f"WARNING: {summary.missing_count} referenced files were not in the storage "
                "and are recorded as missing in the archive (first: "
                f"{', '.join(summary.missing[:5])})."
            )
