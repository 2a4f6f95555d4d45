"""`manage.py rotate_keys`: everything encrypted brought under the current key, site running.

Database values under an older key (and plain values from before encryption) are encrypted
again with the first key of ENCRYPTION_KEYS, in batches, each row written only if nobody
changed it since it was read (paradewi/core/rotation.py); then the stored files' data keys are
re-wrapped (paradewi/core/storage.py). `--reindex` recomputes the search hashes after
SEARCH_INDEX_KEY changed, and rebuilds the search tables derived from encrypted columns (the
name words of requests; core.rotation.register_derived_index); `--dry-run` only counts.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paradewi.core.crypto import keyring
from paradewi.core.rotation import BATCH, rebuild_derived_indexes, rotate_all


class Command(BaseCommand):
    help = "Re-encrypt database values and re-wrap file keys under the current encryption key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count values per key id, change nothing"
        )
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="recompute the search hashes (after SEARCH_INDEX_KEY changed)",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH, help="rows per transaction")
        only = parser.add_mutually_exclusive_group()
        only.add_argument("--fields-only", action="store_true", help="the database only")
        only.add_argument("--files-only", action="store_true", help="the stored files only")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        current = keyring().current_id
        self.stdout.write(f"Current key: {current}")
        if not options["files_only"]:
            self._fields(options)
        if not options["fields_only"]:
            self._files(options)

    def _fields(self, options: dict[str, Any]) -> None:
        dry_run: bool = options["dry_run"]
        outcome = rotate_all(
            reindex=options["reindex"], dry_run=dry_run, batch=options["batch_size"]
        )
        for context, counts in sorted(outcome.counts.items()):
            listed = ", ".join(f"{key_id}: {n}" for key_id, n in sorted(counts.items()))
            self.stdout.write(f"  {context}: {listed or 'no values'}")
        would = "would be " if dry_run else ""
        self.stdout.write(
            f"Database: {outcome.reencrypted} value(s) {would}re-encrypted, "
            f"{outcome.reindexed} search hash(es) {would}recomputed."
        )
        if options["reindex"] and not dry_run:
            for name, rows in rebuild_derived_indexes(batch=options["batch_size"]).items():
                self.stdout.write(f"Search table {name}: rebuilt for {rows} row(s).")
        if outcome.changed_meanwhile:
            self.stdout.write(
                f"{outcome.changed_meanwhile} row(s) changed while rotating were left as the "
                "application wrote them; run rotate_keys again to check them."
            )

    def _files(self, options: dict[str, Any]) -> None:
        from paradewi.core.storage import key_ids, rewrap_files

        if options["dry_run"]:
            # The old key may only go once no file needs it either: count files per key id
            # from their headers ("" for files stored in clear before encryption).
            try:
                counts = key_ids()
            except TypeError as error:
                self.stdout.write(f"Files: skipped ({error})")
                return
            listed = ", ".join(
                f"{key_id or 'in clear'}: {n}" for key_id, n in sorted(counts.items())
            )
            self.stdout.write(f"Files: {listed or 'none stored'}.")
            return
        try:
            changed = rewrap_files(log=self.stdout.write)
        except TypeError as error:
            self.stdout.write(f"Files: skipped ({error})")
            return
        self.stdout.write(f"Files: {changed} file key(s) re-wrapped or encrypted.")
