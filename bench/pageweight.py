"""Page weight: the bytes each role's main pages transfer, cold and warm, and how long they take
on a 3G link with a cheap phone's CPU.

    python -m bench.pageweight --base-url http://127.0.0.1:8000 [--json FILE]

Drives Debian's chromium (never a downloaded browser) through Playwright. Each role logs in
once with its demo account (the Dinas roles pass the second step with the published demo
authenticator key); then every page is loaded

- cold: in a fresh browser context (empty HTTP cache; only the session cookie is carried over),
- warm: the same page again in that context, after the cold load (what a later visit costs
  once the style sheet and scripts are cached).

Transferred bytes are the sum of Chrome's `encodedDataLength` (headers and compressed bodies as
they come over the wire) of every `Network.loadingFinished`, per resource type too; resources
served from the browser's cache transfer nothing. Times are the navigation's
DOMContentLoaded and load events, with the network throttled through the DevTools protocol
(`Network.emulateNetworkConditions`) and the CPU slowed 4x (`Emulation.setCPUThrottlingRate`).

Targets (docs/design.md, "Targets"): first load of an officer's page <= 100 KB, later pages
<= 20 KB.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from django_otp.oath import hotp

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

COLD_LIMIT = 100 * 1000
WARM_LIMIT = 20 * 1000

# Network profiles (throughput in bits per second, latency in ms added to every request).
# "fast-3g" is Lighthouse's mobile throttling, the preset DevTools called "Fast 3G":
# 150 ms round trip, 1.6 Mbps down, 750 kbps up. "slow-3g" is DevTools' "Slow 3G" preset
# (2 s latency, 400 kbps both ways: 500 kbps less 20 % packet overhead).
PROFILES: dict[str, dict[str, float]] = {
    "fast-3g": {"latency": 150, "down": 1_600_000, "up": 750_000},
    "slow-3g": {"latency": 2000, "down": 400_000, "up": 400_000},
    "none": {"latency": 0, "down": -1, "up": -1},
}
CPU_SLOWDOWN = 4

# The published demo accounts (paradewi/demo/services.py): password and authenticator key.
DEMO_PASSWORD = "paradewi-demo"  # noqa: S105 - published on purpose, demo mode only
DEMO_TOTP_KEY = b"paradewi-demo-totp!!"


@dataclass(frozen=True)
class Find:
    """A page found on another one: the first link matching `pattern` on `source`."""

    source: str
    pattern: str
    suffix: str = ""


@dataclass(frozen=True)
class PageSpec:
    name: str
    path: str | tuple[Find, ...]


@dataclass(frozen=True)
class RoleSpec:
    role: str
    username: str
    two_factor: bool
    pages: tuple[PageSpec, ...]


REQUEST_LINK = r'href="(/requests/\d+/)"'
EDIT_LINK = r'href="(/requests/\d+/edit/)[^"]*"'
DASHBOARDS = (
    PageSpec("speed dashboard", "/reports/"),
    PageSpec("IKM dashboard", "/reports/ikm/"),
    PageSpec("returns dashboard", "/reports/returns/"),
    PageSpec("ranking dashboard", "/reports/ranking/"),
)

ROLES: tuple[RoleSpec, ...] = (
    RoleSpec(
        "village_officer",
        "demo-desa",
        False,
        (
            PageSpec("home", "/home/"),
            PageSpec("worklist", "/requests/"),
            PageSpec("new request: choose", "/requests/new/"),
            PageSpec(
                "new request: form", (Find("/requests/new/", r'href="(/requests/new/[\w-]+/)"'),)
            ),
            PageSpec("request page", (Find("/requests/", REQUEST_LINK),)),
            PageSpec(
                "edit page",
                (
                    Find("/home/", EDIT_LINK),
                    Find("/requests/?status=draft", REQUEST_LINK, "edit/"),
                    Find("/requests/?status=returned", REQUEST_LINK, "edit/"),
                ),
            ),
        ),
    ),
    RoleSpec(
        "district_operator",
        "demo-kecamatan",
        False,
        (
            PageSpec("queue", "/requests/?tab=verify"),
            PageSpec(
                "request page",
                (
                    Find("/requests/?tab=verify", REQUEST_LINK),
                    Find("/requests/?tab=all", REQUEST_LINK),
                ),
            ),
        ),
    ),
    RoleSpec(
        "dinas_clerk",
        "demo-dinas",
        True,
        (
            PageSpec("queue", "/requests/?tab=unclaimed"),
            PageSpec(
                "request page",
                (
                    Find("/requests/?tab=unclaimed", REQUEST_LINK),
                    Find("/requests/?tab=all", REQUEST_LINK),
                ),
            ),
        ),
    ),
    RoleSpec("dinas_head", "demo-kadis", True, DASHBOARDS),
    RoleSpec("viewer", "demo-viewer", False, DASHBOARDS),
    RoleSpec(
        "resident",
        "",
        False,
        (
            PageSpec("front page", "/"),
            PageSpec("public tracking", "/track/"),
            PageSpec("document verification", "/verify/"),
        ),
    ),
)
OFFICER_ROLES = {"village_officer", "district_operator", "dinas_clerk", "dinas_head", "viewer"}


# --- the second login step ----------------------------------------------------------------------


def totp(key: bytes, at: float | None = None, *, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 code of `key` (what django-otp and authenticator apps compute)."""
    counter = int((time.time() if at is None else at) // step)
    return f"{hotp(key, counter, digits):0{digits}d}"


# --- measuring ----------------------------------------------------------------------------------


@dataclass
class Load:
    bytes: int = 0
    requests: int = 0
    from_cache: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    dom_content_loaded_ms: float = 0.0
    load_ms: float = 0.0
    status: int = 0


@dataclass
class PageResult:
    role: str
    page: str
    url: str
    cold: Load
    warm: Load
    officer: bool

    @property
    def passed(self) -> bool:
        return self.cold.bytes <= COLD_LIMIT and self.warm.bytes <= WARM_LIMIT


class Recorder:
    """Network events of one page through a CDP session, throttled as asked."""

    def __init__(self, context: BrowserContext, page: Page, profile: str, cpu: float) -> None:
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        figures = PROFILES[profile]
        self.cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": figures["latency"],
                "downloadThroughput": figures["down"] / 8 if figures["down"] > 0 else -1,
                "uploadThroughput": figures["up"] / 8 if figures["up"] > 0 else -1,
            },
        )
        self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
        self.types: dict[str, str] = {}
        self.finished: dict[str, int] = {}
        self.cached: set[str] = set()
        self.pending: set[str] = set()
        self.last_event = time.monotonic()
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.loadingFailed", self._failed)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.requestServedFromCache", self._cached)

    def _sent(self, event: dict[str, Any]) -> None:
        self.pending.add(event["requestId"])
        self.last_event = time.monotonic()

    def _failed(self, event: dict[str, Any]) -> None:
        self.pending.discard(event["requestId"])
        self.last_event = time.monotonic()

    def _response(self, event: dict[str, Any]) -> None:
        self.types[event["requestId"]] = event.get("type", "Other")

    def _finished(self, event: dict[str, Any]) -> None:
        self.finished[event["requestId"]] = int(event["encodedDataLength"])
        self.pending.discard(event["requestId"])
        self.last_event = time.monotonic()

    def _cached(self, event: dict[str, Any]) -> None:
        self.cached.add(event["requestId"])
        self.pending.discard(event["requestId"])

    def reset(self) -> None:
        self.types.clear()
        self.finished.clear()
        self.cached.clear()
        self.pending.clear()

    def settle(self, page: Page, quiet: float = 1.0, limit: float = 15.0) -> None:
        """Wait until no request is in flight and none started for `quiet` seconds (images
        loaded after the load event count too; a poll that never stops does not hang us)."""
        started = time.monotonic()
        while time.monotonic() - started < limit:
            page.wait_for_timeout(200)
            if not self.pending and time.monotonic() - self.last_event >= quiet:
                return

    def load(self, page: Page, url: str) -> Load:
        self.reset()
        response = page.goto(url, wait_until="load", timeout=120_000)
        self.settle(page)
        timing = page.evaluate(
            """() => {
                const n = performance.getEntriesByType('navigation')[0];
                return n ? {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd} : null;
            }"""
        )
        result = Load(status=response.status if response is not None else 0)
        for request_id, size in self.finished.items():
            kind = self.types.get(request_id, "Other")
            if request_id in self.cached:
                result.from_cache += 1
                continue
            result.bytes += size
            result.requests += 1
            result.by_type[kind] = result.by_type.get(kind, 0) + size
        if timing:
            result.dom_content_loaded_ms = round(float(timing["dcl"]), 1)
            result.load_ms = round(float(timing["load"]), 1)
        return result


def _new_context(browser: Browser, state: Any = None) -> BrowserContext:
    return browser.new_context(
        locale="id-ID",
        viewport={"width": 390, "height": 800},
        storage_state=state,
        service_workers="block",
    )


def log_in(
    context: BrowserContext, base_url: str, spec: RoleSpec, password: str, key: bytes
) -> None:
    page = context.new_page()
    page.goto(urljoin(base_url, "/login/"))
    page.locator("main input[name=username]").fill(spec.username)
    page.locator("main input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    if "/login/" in page.url:
        raise SystemExit(f"{spec.username} could not log in at {base_url} (password?)")
    if "/account/two-factor/" in page.url:
        # The current code, or the next one when the current step was used already (the
        # server accepts one step of drift and never the same step twice).
        for offset in (0, 30, 60):
            page.locator("main input[name=code]").fill(totp(key, time.time() + offset))
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state("load")
            if "/account/two-factor/" not in page.url:
                break
            if offset == 30:
                time.sleep(31)
        else:
            raise SystemExit(f"{spec.username}: the second login step refused the demo code")
    page.close()


def resolve(context: BrowserContext, base_url: str, spec: PageSpec) -> str | None:
    """The page's address: a path, or the first link found on one of the source pages."""
    if isinstance(spec.path, str):
        return urljoin(base_url, spec.path)
    for find in spec.path:
        response = context.request.get(urljoin(base_url, find.source))
        if not response.ok:
            continue
        match = re.search(find.pattern, response.text())
        if match:
            path: str = match.group(1)
            return urljoin(base_url, path + find.suffix)
    return None


def measure_role(
    browser: Browser,
    base_url: str,
    spec: RoleSpec,
    *,
    pages: set[str] | None,
    password: str,
    key: bytes,
    profile: str,
    cpu: float,
) -> list[PageResult]:
    state = None
    if spec.username:
        login_context = _new_context(browser)
        log_in(login_context, base_url, spec, password, key)
        state = login_context.storage_state()
        targets = [
            (page_spec, resolve(login_context, base_url, page_spec))
            for page_spec in spec.pages
            if pages is None or page_spec.name in pages
        ]
        login_context.close()
    else:
        targets = [
            (page_spec, urljoin(base_url, str(page_spec.path)))
            for page_spec in spec.pages
            if pages is None or page_spec.name in pages
        ]
    results = []
    for page_spec, url in targets:
        if url is None:
            print(f"  {spec.role}: no {page_spec.name} found, skipped", file=sys.stderr)
            continue
        context = _new_context(browser, state)
        page = context.new_page()
        recorder = Recorder(context, page, profile, cpu)
        cold = recorder.load(page, url)
        warm = recorder.load(page, url)
        context.close()
        results.append(
            PageResult(spec.role, page_spec.name, url, cold, warm, spec.role in OFFICER_ROLES)
        )
    return results


# --- the report ---------------------------------------------------------------------------------


def _kb(size: int) -> str:
    return f"{size / 1000:.1f}"


def table(results: Sequence[PageResult]) -> str:
    header = (
        f"{'role':<18} {'page':<22} {'cold KB':>8} {'req':>4} {'warm KB':>8} {'req':>4} "
        f"{'DCL ms':>7} {'load ms':>8} {'warm ms':>8}  result"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        verdict = "pass" if r.passed else "FAIL"
        lines.append(
            f"{r.role:<18} {r.page:<22} {_kb(r.cold.bytes):>8} {r.cold.requests:>4} "
            f"{_kb(r.warm.bytes):>8} {r.warm.requests:>4} {r.cold.dom_content_loaded_ms:>7.0f} "
            f"{r.cold.load_ms:>8.0f} {r.warm.load_ms:>8.0f}  {verdict}"
        )
    return "\n".join(lines)


def report(
    results: Sequence[PageResult], *, base_url: str, profile: str, cpu: float
) -> dict[str, Any]:
    figures = PROFILES[profile]
    return {
        "base_url": base_url,
        "network": {
            "profile": profile,
            "latency_ms": figures["latency"],
            "download_bps": figures["down"],
            "upload_bps": figures["up"],
        },
        "cpu_slowdown": cpu,
        "limits": {"cold_bytes": COLD_LIMIT, "warm_bytes": WARM_LIMIT},
        "pages": [
            {
                "role": r.role,
                "page": r.page,
                "url": r.url,
                "officer": r.officer,
                "cold": asdict(r.cold),
                "warm": asdict(r.warm),
                "passed": r.passed,
            }
            for r in results
        ],
        "passed": all(r.passed for r in results),
    }


def run(
    base_url: str,
    *,
    roles: set[str] | None = None,
    pages: set[str] | None = None,
    password: str = DEMO_PASSWORD,
    key: bytes = DEMO_TOTP_KEY,
    profile: str = "fast-3g",
    cpu: float = CPU_SLOWDOWN,
    executable: str | None = None,
) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from paradewi.core.browser import CHROMIUM, CHROMIUM_ARGS

    results: list[PageResult] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable or CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            for spec in ROLES:
                if roles is not None and spec.role not in roles:
                    continue
                results += measure_role(
                    browser,
                    base_url,
                    spec,
                    pages=pages,
                    password=password,
                    key=key,
                    profile=profile,
                    cpu=cpu,
                )
        finally:
            browser.close()
    return report(results, base_url=base_url, profile=profile, cpu=cpu)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.pageweight", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--base-url", required=True, help="the running server, e.g. http://127.0.0.1:8000"
    )
    parser.add_argument("--json", help="write the report to this file")
    parser.add_argument(
        "--roles", help="comma-separated roles (default: all): " + ",".join(s.role for s in ROLES)
    )
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    parser.add_argument("--password", default=DEMO_PASSWORD, help="password of the accounts")
    parser.add_argument(
        "--totp-key",
        default=base64.b32encode(DEMO_TOTP_KEY).decode(),
        help="base32 authenticator key of the Dinas accounts (default: the demo key)",
    )
    parser.add_argument("--network", choices=sorted(PROFILES), default="fast-3g")
    parser.add_argument("--cpu", type=float, default=CPU_SLOWDOWN, help="CPU slowdown factor")
    parser.add_argument("--chromium", help="chromium executable (default: /usr/bin/chromium)")
    options = parser.parse_args(argv)
    roles = set(options.roles.split(",")) if options.roles else None
    unknown = (roles or set()) - {spec.role for spec in ROLES}
    if unknown:
        parser.error(f"unknown role: {', '.join(sorted(unknown))}")
    result = run(
        options.base_url.rstrip("/") + "/",
        roles=roles,
        pages=set(options.pages.split(",")) if options.pages else None,
        password=options.password,
        key=base64.b32decode(options.totp_key.replace(" ", "").upper()),
        profile=options.network,
        cpu=options.cpu,
        executable=options.chromium,
    )
    figures = PROFILES[options.network]
    print(
        f"network {options.network}: {figures['latency']:.0f} ms latency, "
        f"{figures['down'] / 1e6:g} Mbps down, {figures['up'] / 1e6:g} Mbps up; "
        f"CPU {options.cpu:g}x slower"
    )
    pages = [
        PageResult(
            p["role"], p["page"], p["url"], Load(**p["cold"]), Load(**p["warm"]), p["officer"]
        )
        for p in result["pages"]
    ]
    print(table(pages))
    print(
        f"limits: cold <= {COLD_LIMIT // 1000} KB, warm <= {WARM_LIMIT // 1000} KB; "
        f"{'all pass' if result['passed'] else 'some pages FAIL'}"
    )
    if options.json:
        with open(options.json, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
