"""What the pages load: residents' pages on a phone stay light."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

HTMX = "vendor/htmx/htmx-"


@pytest.mark.parametrize(
    "name", ["index", "track", "verify", "login", "service_list", "complaints"]
)
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


def test_pages_travel_compressed_to_a_browser_that_accepts_gzip(client, personas):
    import gzip

    client.force_login(personas.clerk)
    plain = client.get(reverse("request_list"))
    compressed = client.get(reverse("request_list"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["Vary"].lower().count("accept-encoding") == 1
    assert len(compressed.content) < len(plain.content) / 2
    # The same page (the CSRF token is masked anew on every page, so compare the text around it).
    assert b"</html>" in gzip.decompress(compressed.content)


def test_documents_are_sent_as_they_are_even_to_a_browser_that_accepts_gzip(client, personas):
    from paradewi.documents.models import OutputFile
    from paradewi.requests.tests.test_action_views import in_state

    done = in_state(personas, "done")
    output = OutputFile.objects.get(request=done)
    client.force_login(personas.desa_a)
    response = client.get(
        reverse("request_output_file", args=[done.pk, output.pk]),
        HTTP_ACCEPT_ENCODING="gzip",
    )
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_published_figures_weigh_under_30_kb_with_their_styles(client, db):
    """/figures/ is read on phones over slow links: the page and its stylesheets stay under
    30 KB before compression, and it loads no script."""
    from pathlib import Path

    from django.contrib.staticfiles import finders

    response = client.get(reverse("public_figures"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html
    styles = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html)
    assert styles
    weight = len(response.content) + sum(Path(finders.find(path)).stat().st_size for path in styles)
    assert weight < 30_000, weight
