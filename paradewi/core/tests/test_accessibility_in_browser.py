"""Every main page of every role, in a real browser on a phone (360x740): axe-core finds no
serious or critical accessibility violation, every link, button and field is reached with the
Tab key, the console stays clean (no CSP refusal, no htmx error), and the site can be added to
the phone's home screen (manifest, icons, favicon).

The demo is loaded once and each role visits its pages in one test, which keeps the run short.
axe-core is vendored beside the tests (vendor/axe-core, MPL-2.0) and never served.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from paradewi.catalogue.services import catalogue_load
from paradewi.demo.services import DEMO_PASSWORD, demo_load
from paradewi.documents.models import OutputFile
from paradewi.regions.services import regions_load
from paradewi.requests.models import ServiceRequest, Status
from paradewi.testing import pass_two_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
PHONE = {"width": 360, "height": 740}

# Everything a keyboard user must be able to reach, as the browser decides what is visible.
MARK_REACHABLE = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[tabindex]:not([tabindex="-1"])';
  let count = 0;
  for (const element of document.querySelectorAll(selector)) {
    if (element.disabled) continue;
    // Inside a closed <details> only its summary is a stop: the keyboard opens it there.
    const closed = element.closest('details:not([open])');
    if (closed && element !== closed.querySelector(':scope > summary')) continue;
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if ((box.width === 0 && box.height === 0) || style.visibility === 'hidden') continue;
    // One stop for a group of radio buttons (the arrow keys move inside it).
    const key = element.type === 'radio' ? 'radio:' + element.name : String(count);
    element.setAttribute('data-kb', key);
    count += 1;
  }
  window.kbSeen = new Set();
  document.addEventListener('focusin', (event) => {
    const key = event.target.getAttribute && event.target.getAttribute('data-kb');
    if (key !== null) window.kbSeen.add(key);
  }, true);
  if (document.activeElement) document.activeElement.blur();
  return count;
}"""
NOT_REACHED = """() => Array.from(document.querySelectorAll('[data-kb]'))
  .filter((element) => !window.kbSeen.has(element.getAttribute('data-kb')))
  .map((element) => element.outerHTML.slice(0, 140))"""
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}));
}"""


@pytest.fixture
def demo(settings) -> None:
    settings.DEMO_MODE = True
    regions_load(regency_code="35.16")
    catalogue_load()
    demo_load()


def axe_source() -> str:
    data = AXE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == AXE_SHA256, "vendored axe-core changed"
    return data.decode()


def first(**filters: Any) -> ServiceRequest:
    request = ServiceRequest.objects.filter(**filters).order_by("pk").first()
    assert request is not None, filters
    return request


def pages_of_each_role() -> dict[str | None, list[str]]:
    """The main pages of each demo account (None: a visitor without an account)."""
    tawangrejo = {"village__code": "35.16.01.2001"}
    draft = first(status=Status.DRAFT, **tawangrejo)
    returned = first(status=Status.RETURNED, **tawangrejo)
    finished = first(status__in=[Status.DONE, Status.READY_FOR_PICKUP], **tawangrejo)
    submitted = first(status=Status.SUBMITTED, district__code="35.16.01")
    in_process = first(status=Status.IN_PROCESS, holder__username="demo-dinas")
    verified = first(status=Status.VERIFIED)
    output = OutputFile.objects.order_by("pk").first()
    assert output is not None
    common = [reverse("home"), reverse("notification_list"), reverse("account")]
    return {
        "demo-desa": [
            *common,
            reverse("request_list"),
            reverse("request_new"),
            reverse("request_create", args=[draft.service.code]),
            reverse("request_edit", args=[draft.pk]),
            reverse("request_edit", args=[returned.pk]),
            reverse("request_detail", args=[finished.pk]),
            reverse("service_list"),
        ],
        "demo-kecamatan": [
            *common,
            reverse("request_list"),
            reverse("request_detail", args=[submitted.pk]),
            reverse("request_return", args=[submitted.pk]),
        ],
        "demo-dinas": [
            *common,
            reverse("request_list"),
            reverse("request_detail", args=[in_process.pk]),
            reverse("request_complete", args=[in_process.pk]),
            reverse("request_reject", args=[in_process.pk]),
        ],
        "demo-kadis": [
            *common,
            reverse("request_detail", args=[verified.pk]),
            reverse("request_reassign", args=[in_process.pk]),
            reverse("reports_speed"),
            reverse("announcement_list"),
            reverse("announcement_new"),
            reverse("audit_user_list"),
        ],
        "demo-viewer": [
            *common,
            reverse("reports_speed"),
            reverse("reports_ikm"),
            reverse("reports_returns"),
            reverse("reports_ranking"),
        ],
        "demo-admin": [*common, reverse("admin:index")],
        None: [
            reverse("index"),
            reverse("login"),
            reverse("password_reset"),
            reverse("service_list"),
            reverse("track"),
            reverse("verify"),
            reverse("verify_result", args=[output.verification_code]),
        ],
    }


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    pass_two_factor(page, username)
    page.wait_for_url(base + reverse("home"))


def keyboard_misses(page: Any) -> list[str]:
    """Press Tab through the page once; what was never focused."""
    count = page.evaluate(MARK_REACHABLE)
    # A date field is three stops (day, month, year): up to three presses per element.
    for _ in range(0, 3 * count + 10, 10):
        for _ in range(10):
            page.keyboard.press("Tab")
        if not page.evaluate(NOT_REACHED):
            break
    return list(page.evaluate(NOT_REACHED))


def test_every_main_page_of_every_role_is_accessible_and_keyboard_reachable(
    browser, live_server, demo
):
    base = live_server.url
    axe = axe_source()
    problems: dict[str, Any] = {}
    visited = 0
    for username, paths in pages_of_each_role().items():
        context = browser.new_context(locale="id-ID", viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(20_000)
        console: list[str] = []
        page.on("console", lambda m, c=console: c.append(m.text) if m.type == "error" else None)
        page.add_init_script(
            "document.addEventListener('htmx:evalDisallowedError', () =>"
            " console.error('htmx:evalDisallowedError'));"
        )
        if username:
            log_in(page, base, username)
        for path in paths:
            where = f"{username or 'visitor'} {path}"
            response = page.goto(base + path)
            assert response is not None
            assert response.status == 200, where
            page.evaluate(axe)
            violations = page.evaluate(AXE_RUN)
            if violations:
                problems[where + " axe"] = violations
            # Django's admin is Django's own; its keyboard order is not ours to test.
            if not path.startswith("/admin/"):
                missed = keyboard_misses(page)
                if missed:
                    problems[where + " keyboard"] = missed
            visited += 1
        if console:
            problems[f"{username or 'visitor'} console"] = console
        context.close()
    assert visited >= 40
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)


def test_the_phone_can_install_it_from_the_browser(browser, live_server):
    context = browser.new_context(locale="id-ID", viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.evaluate("async (href) => (await fetch(href)).json()", href)
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/home/"
    for icon in manifest["icons"]:
        size = page.evaluate(
            """async (src) => { const image = new Image(); image.src = src; await image.decode();
               return image.naturalWidth + 'x' + image.naturalHeight; }""",
            icon["src"],
        )
        assert size == icon["sizes"]
    assert page.evaluate("async () => (await fetch('/favicon.ico')).status") == 200
    assert page.locator("meta[name=theme-color]").count() == 1
    context.close()
