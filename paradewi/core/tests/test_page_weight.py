"""What the pages load: residents' pages on a phone stay light."""

from __future__ import annotations

import pytest
from django.urls import reverse

HTMX = "vendor/htmx/htmx-"


@pytest.mark.parametrize("name", ["index", "track", "verify", "login", "service_list"])
def test_public_pages_do_not_load_htmx(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    content = response.content.decode()
    assert HTMX not in content
    assert "htmx-config" not in content
    assert "css/app" in content


@pytest.mark.parametrize("persona", ["desa_a", "kecamatan_a", "clerk", "head", "viewer"])
def test_officers_pages_load_htmx_once(client, personas, persona):
    client.force_login(getattr(personas, persona))
    content = client.get(reverse("home")).content.decode()
    assert content.count(HTMX) == 1
    assert '"allowEval": false' in content
