from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from paradewi.accounts.imports import MAX_BYTES, RowStatus, read_officer_file
from paradewi.accounts.services import officers_import, site_url_from_settings


class Command(BaseCommand):
    help = (
        "Create officer accounts from a CSV or XLSX spreadsheet (columns username, full_name, "
        "phone, email, role, area_code). Fails without writing anything when a row is bad, "
        "unless --skip-bad."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The .csv or .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row, save nothing.")
        parser.add_argument(
            "--skip-bad", action="store_true", help="Import the good rows, report the bad ones."
        )
        parser.add_argument(
            "--site-url",
            default="",
            help="Scheme and host for the password-set links, e.g. https://paradewi.example.go.id "
            "(default: from CSRF_TRUSTED_ORIGINS or ALLOWED_HOSTS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(
                    _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}
                )
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        try:
            rows = read_officer_file(data)
        except ValidationError as error:
            raise CommandError(f"{path}: {' '.join(error.messages)}") from None

        report = officers_import(
            rows=rows,
            dry_run=options["dry_run"],
            skip_bad=options["skip_bad"],
            by=None,
            site_url=options["site_url"] or site_url_from_settings(),
        )
        for entry in report.entries:
            line = f"{entry.row:>5}  {entry.status.label!s:<8}  {entry.username}: " + " ".join(
                entry.messages
            )
            bad = entry.status in (RowStatus.ERROR, RowStatus.SKIPPED)
            self.stdout.write(self.style.ERROR(line) if bad else line)
        if report.failed:
            raise CommandError(report.summary)
        self.stdout.write(self.style.SUCCESS(report.summary))
