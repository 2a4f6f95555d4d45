"""Fixtures for notifications: a WhatsApp/SMS gateway on loopback, officers with e-mail
addresses, and running the after-commit hooks of the workflow."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from paradewi.testing import Personas

TOKEN = "gateway-secret-token"


@dataclass
class Call:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeGateway:
    """A small HTTP server standing in for the regency's gateway.

    `calls` holds every request it received; `delivered` the messages a resident would get:
    like a real gateway that honours idempotency keys, it delivers each key once.
    `answers` is a list of HTTP statuses to give in turn (then 200); `delay` seconds to wait.
    """

    url: str = ""
    calls: list[Call] = field(default_factory=list)
    delivered: dict[str, dict[str, Any]] = field(default_factory=dict)
    answers: list[int] = field(default_factory=list)
    delay: float = 0.0
    body: bytes = b'{"status": true, "id": "gw-1"}'
    lock: threading.Lock = field(default_factory=threading.Lock)

    def texts_to(self, phone: str) -> list[str]:
        return [m["message"] for m in self.delivered.values() if m["to"] == phone]


def _handler(gateway: FakeGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            with gateway.lock:
                gateway.calls.append(Call(self.path, dict(self.headers.items()), body))
                status = gateway.answers.pop(0) if gateway.answers else 200
            if gateway.delay:
                time.sleep(gateway.delay)
            if status == 200:
                key = self.headers.get("Idempotency-Key", "")
                with gateway.lock:
                    gateway.delivered.setdefault(key, body)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            answer = gateway.body if status == 200 else b'{"status": false, "reason": "down"}'
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(answer)  # the client may have given up (timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return Handler


@pytest.fixture
def gateway(settings) -> Iterator[FakeGateway]:
    """The gateway on 127.0.0.1 (a free port), with paradewi's settings pointing at it."""
    fake = FakeGateway()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    settings.NOTIFICATIONS_GATEWAY_URL = fake.url
    settings.NOTIFICATIONS_GATEWAY_TOKEN = TOKEN
    settings.NOTIFICATIONS_GATEWAY_TIMEOUT = 2
    settings.SITE_URL = "https://paradewi.example.go.id"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def people(personas: Personas) -> Personas:
    """The personas, each with an e-mail address (username@example.org)."""
    for user in personas.all().values():
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return personas


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs the after-commit hooks (the test's transaction never
    commits), including those the hooks register in turn."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
