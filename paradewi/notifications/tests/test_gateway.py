"""The WhatsApp/SMS gateway adapter against a real HTTP server on loopback."""

from __future__ import annotations

import socket

import pytest

from paradewi.notifications import gateway as adapter
from paradewi.notifications.gateway import DeliveryError, TextMessage
from paradewi.notifications.tests.conftest import TOKEN

MESSAGE = TextMessage(
    id="7d1c3a40-0000-4000-8000-000000000001",
    phone="+6281234567890",
    channel="whatsapp",
    text='Yth. Slamet, "dokumen" siap.\nCek: https://x/t/1/ {id}',
)


def test_it_posts_the_configured_json_with_the_token_and_the_idempotency_key(gateway):
    reference = adapter.send(MESSAGE)
    [call] = gateway.calls
    assert call.path == "/send"
    assert call.headers["Authorization"] == f"Bearer {TOKEN}"
    assert call.headers["Idempotency-Key"] == MESSAGE.id
    assert call.headers["Content-Type"].startswith("application/json")
    assert call.body == {
        "to": "+6281234567890",
        "channel": "whatsapp",
        "message": MESSAGE.text,  # quotes, line breaks and braces arrive intact
        "reference": MESSAGE.id,
    }
    assert "gw-1" in reference


def test_the_payload_follows_the_gateway_s_own_shape(gateway, settings):
    settings.NOTIFICATIONS_GATEWAY_PAYLOAD = (
        '{"target": "{phone_62}", "local": "{phone_0}", "data": {"text": "{text}"},'
        ' "tags": ["paradewi", "{channel}"], "priority": 1}'
    )
    settings.NOTIFICATIONS_GATEWAY_AUTH_SCHEME = "none"
    settings.NOTIFICATIONS_GATEWAY_AUTH_HEADER = "X-Api-Key"
    adapter.send(MESSAGE)
    [call] = gateway.calls
    assert call.headers["X-Api-Key"] == TOKEN
    assert "Authorization" not in call.headers
    assert call.body == {
        "target": "6281234567890",
        "local": "081234567890",
        "data": {"text": MESSAGE.text},
        "tags": ["paradewi", "whatsapp"],
        "priority": 1,
    }


@pytest.mark.parametrize("status", [500, 502, 503, 408, 429])
def test_server_errors_and_throttling_are_temporary(gateway, status):
    gateway.answers = [status]
    with pytest.raises(DeliveryError) as error:
        adapter.send(MESSAGE)
    assert not error.value.permanent
    assert f"HTTP {status}" in str(error.value)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_a_refused_request_is_permanent(gateway, status):
    gateway.answers = [status]
    with pytest.raises(DeliveryError) as error:
        adapter.send(MESSAGE)
    assert error.value.permanent


def test_a_gateway_that_does_not_answer_in_time_is_a_temporary_error(gateway, settings):
    settings.NOTIFICATIONS_GATEWAY_TIMEOUT = 1
    gateway.delay = 1.5
    with pytest.raises(DeliveryError) as error:
        adapter.send(MESSAGE)
    assert not error.value.permanent


def test_a_gateway_that_is_down_is_a_temporary_error(settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.NOTIFICATIONS_GATEWAY_URL = f"http://127.0.0.1:{port}/send"
    with pytest.raises(DeliveryError) as error:
        adapter.send(MESSAGE)
    assert not error.value.permanent
    assert "unreachable" in str(error.value)


def test_a_200_that_says_it_failed_is_a_failure_when_the_ok_field_is_set(gateway, settings):
    settings.NOTIFICATIONS_GATEWAY_OK_FIELD = "status"
    gateway.body = b'{"status": false, "reason": "device disconnected"}'
    with pytest.raises(DeliveryError, match="device disconnected"):
        adapter.send(MESSAGE)
    gateway.body = b'{"status": true}'
    assert adapter.send(MESSAGE)


def test_without_a_url_messages_are_logged_in_demo_and_not_made_in_production(settings, caplog):
    settings.NOTIFICATIONS_GATEWAY_URL = ""
    settings.DEBUG = False
    settings.DEMO_MODE = True
    assert adapter.mode() == "log"
    with caplog.at_level("INFO", logger="paradewi.notifications.gateway"):
        assert adapter.send(MESSAGE) == "logged"
    assert "Yth. Slamet" in caplog.text
    settings.DEMO_MODE = False
    assert adapter.mode() == "off"
    with pytest.raises(DeliveryError) as error:
        adapter.send(MESSAGE)
    assert error.value.permanent


def test_only_http_urls_are_used(settings):
    settings.NOTIFICATIONS_GATEWAY_URL = "file:///etc/passwd"
    with pytest.raises(DeliveryError) as error:
        adapter.send(MESSAGE)
    assert error.value.permanent
