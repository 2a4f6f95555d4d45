from __future__ import annotations

import pytest

from paradewi.requests.tests.factories import load_catalogue
from paradewi.testing import Personas
from paradewi.training.services import scenarios_load


@pytest.fixture
def p(personas: Personas) -> Personas:
    """The personas, with the catalogue and the shipped scenarios loaded."""
    load_catalogue()
    scenarios_load()
    return personas
