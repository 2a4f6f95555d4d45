"""`manage.py new_encryption_key`: a fresh key for ENCRYPTION_KEYS (and one for SEARCH_INDEX_KEY).

Prints the key as settings write it (``id:base64``) on the first line, then how to use it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from paradewi.core.crypto import new_key_text


class Command(BaseCommand):
    help = "Print a new random encryption key (id:base64) and a SEARCH_INDEX_KEY suggestion."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--id",
            dest="key_id",
            default="",
            help="the key's id (letters and digits, at most 16; default: k<today's date>)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key_id: str = options["key_id"] or f"k{timezone.localdate():%Y%m%d}"
        if not key_id.isalnum() or len(key_id) > 16:
            raise CommandError("The key id is letters and digits only, at most 16 of them.")
        key = f"{key_id}:{new_key_text()}"
        self.stdout.write(key)
        self.stdout.write(
            "\nTo rotate: put it first in ENCRYPTION_KEYS and keep the old keys after it\n"
            f"  ENCRYPTION_KEYS={key},<the current keys>\n"
            "restart the application, run `manage.py rotate_keys`, and remove the old key\n"
            "only after rotate_keys --dry-run counts no value under it.\n"
            "\nA search-index key, for a new installation (changing it later needs\n"
            "`manage.py rotate_keys --reindex`):\n"
            f"  SEARCH_INDEX_KEY={new_key_text()}"
        )
