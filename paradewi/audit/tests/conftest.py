from __future__ import annotations

import pytest

from paradewi.requests.tests.test_action_views import in_state


@pytest.fixture
def p(personas):
    return personas


@pytest.fixture
def done(p):
    """A KK perubahan of desa A, completed by the clerk with one issued document."""
    return in_state(p, "done")
