"""`field__any_of=[...]`: membership in a long list of values, as one parameter where the
database takes an array.

PostgreSQL gets `field = ANY(%s)` with the list as one array parameter; others get the usual
`field IN (%s, %s, ...)`. With a list of thousands of ids (the search by name hands the
worklist up to 5,000: requests/name_index.py) `__in` makes a parameter, a placeholder and an
adapted value per item, and PostgreSQL parses and plans each: 9 and 16 ms for the count and
the page of a kecamatan's search where the array form took 3 and 10 ms (bench/README.md).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, IntegerField, Lookup


class AnyOf(Lookup):  # type: ignore[type-arg]
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> list[int]:
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if not self.rhs:
            raise EmptyResultSet
        placeholders = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({placeholders})", (*lhs_params, *self.rhs)

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if not self.rhs:
            raise EmptyResultSet
        return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, list(self.rhs))


# Integer columns, primary keys included, and foreign keys by their id.
IntegerField.register_lookup(AnyOf)
ForeignKey.register_lookup(AnyOf)
