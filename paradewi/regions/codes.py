"""Areas nest by their Kemendagri code: the one test of "is this code inside that area".

`35.16` (Kabupaten Mojokerto) contains `35.16.01` (Kecamatan Jatirejo), which contains
`35.16.01.2001` (Desa Tawangrejo). An area contains itself and every code that continues its
own after a dot; `35.16.1` is not inside `35.16.10`, and `35.160` not inside `35.16`, which is
why the test is never a bare prefix. Every "inside my area" in the code (the access rule, the
account's area, the region lists, announcements, reports) asks here.
"""

from __future__ import annotations

from django.db.models import Q


def code_within(code: str, area_code: str) -> bool:
    """True when `code` is `area_code` itself or an area inside it."""
    return code == area_code or code.startswith(area_code + ".")


def code_within_q(field: str, area_code: str) -> Q:
    """The same test as a filter: rows whose code (reached through `field`, e.g.
    "area__code") is `area_code` or inside it. An index on the code serves both halves."""
    return Q(**{field: area_code}) | Q(**{f"{field}__startswith": area_code + "."})
