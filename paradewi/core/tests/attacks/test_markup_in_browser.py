"""The payloads in a real browser (Debian's chromium): the request page, the worklist and the
edit page show them as text; no dialog opens and no injected element exists."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from paradewi.catalogue.services import catalogue_load
from paradewi.core.tests.attacks.markup import SCRIPT, TEMPLATE, marked_world
from paradewi.testing import Client, load_mojokerto, make_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INJECTED = """() => ({
    images: document.querySelectorAll('img[src="x"], [onerror], [onclick], [onload]').length,
    scripts: [...document.scripts].filter((s) => s.textContent.includes("alert(1)")).length,
    links: document.querySelectorAll('a[href^="javascript:" i]').length,
    text: document.body.innerText,
    values: [...document.querySelectorAll("input, textarea")].map((e) => e.value).join(" "),
})"""


def test_the_payloads_stay_text_in_the_browser(browser: Any, live_server: Any) -> None:
    load_mojokerto()
    catalogue_load()
    marked = marked_world(make_personas())
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 800})
    client = Client()
    client.force_login(marked.p.desa_a)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    draft = next(iter(marked.drafts.values()))
    try:
        for path in (
            f"/requests/{marked.finished.pk}/",
            "/requests/",
            f"/requests/{draft.pk}/edit/",
            "/notifications/",
        ):
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            found = page.evaluate(INJECTED)
            assert found["images"] == found["scripts"] == found["links"] == 0, (path, found)
            shown = found["text"] + found["values"]  # the edit page has them in its fields
            assert SCRIPT in shown, path
            assert TEMPLATE in shown, path
        assert dialogs == []
    finally:
        context.close()
