"""The project's fixtures the bench's tests use (personas and the regions they need)."""

from paradewi.conftest import personas, regions  # noqa: F401
