"""The WhatsApp/SMS gateway: a generic HTTP JSON webhook, so a regency plugs in the gateway it
has contracted by setting a URL, a token and the shape of the JSON it expects.

`NOTIFICATIONS_GATEWAY_PAYLOAD` is a JSON object whose string values may hold placeholders:
{phone} (+62812...), {phone_62} (62812...), {phone_0} (0812...), {text}, {channel}
(whatsapp or sms) and {id} (the outbox row's UUID). Values are substituted after the JSON is
parsed, so a message with quotes or line breaks never breaks the JSON. Every request also
carries the UUID in an `Idempotency-Key` header: a gateway that honours it delivers a message
once even when paradewi sends it twice (after a worker died between sending and recording it).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

RESPONSE_EXCERPT = 300


class DeliveryError(Exception):
    """Sending failed. `permanent` errors are not retried (a refused number, a bad request)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class TextMessage:
    id: str
    phone: str  # +628...
    channel: str  # whatsapp or sms
    text: str


def mode() -> str:
    """ "webhook" with a URL; without one "log" in DEBUG or demo mode (like the console e-mail
    backend), else "off": no text messages are made at all."""
    if settings.NOTIFICATIONS_GATEWAY_URL:
        return "webhook"
    if settings.DEBUG or settings.DEMO_MODE:
        return "log"
    return "off"


def _substitute(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        for key, replacement in values.items():
            value = value.replace("{" + key + "}", replacement)
        return value
    if isinstance(value, dict):
        return {key: _substitute(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute(item, values) for item in value]
    return value


def payload(message: TextMessage) -> dict[str, Any]:
    template = json.loads(settings.NOTIFICATIONS_GATEWAY_PAYLOAD)
    national = message.phone.removeprefix("+62")
    values = {
        "phone": message.phone,
        "phone_62": "62" + national,
        "phone_0": "0" + national,
        "channel": message.channel,
        "id": message.id,
        # last: a message that happens to contain "{id}" stays as written
        "text": message.text,
    }
    result: dict[str, Any] = _substitute(template, values)
    return result


def _headers(message: TextMessage) -> dict[str, str]:
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
        "User-Agent": "paradewi-notifications",
        "Idempotency-Key": message.id,
    }
    token = settings.NOTIFICATIONS_GATEWAY_TOKEN
    if token:
        scheme = settings.NOTIFICATIONS_GATEWAY_AUTH_SCHEME
        value = token if scheme.lower() in ("", "none") else f"{scheme} {token}"
        headers[settings.NOTIFICATIONS_GATEWAY_AUTH_HEADER] = value
    return headers


def _check_answer(body: bytes) -> str:
    """The gateway's reference from a 2xx answer; DeliveryError if it says it failed."""
    excerpt = body[:RESPONSE_EXCERPT].decode("utf-8", "replace")
    ok_field = settings.NOTIFICATIONS_GATEWAY_OK_FIELD
    if not ok_field:
        return excerpt
    try:
        answer = json.loads(body)
    except ValueError:
        raise DeliveryError(f"The gateway's answer is not JSON: {excerpt}") from None
    if not isinstance(answer, dict) or not answer.get(ok_field):
        raise DeliveryError(f"The gateway refused the message: {excerpt}")
    return excerpt


def send(message: TextMessage) -> str:
    """Send one WhatsApp or SMS; return the gateway's answer (an excerpt) as its reference.

    Raises DeliveryError: permanent for 4xx answers other than 408 and 429 (the request itself
    is wrong, retrying will not help), temporary for timeouts, connection errors and 5xx.
    """
    if mode() == "log":
        logger.info("WhatsApp/SMS to %s (%s): %s", message.phone, message.channel, message.text)
        return "logged"
    if mode() == "off":
        raise DeliveryError("No WhatsApp/SMS gateway is configured.", permanent=True)
    url = settings.NOTIFICATIONS_GATEWAY_URL
    if not url.startswith(("http://", "https://")):
        raise DeliveryError("NOTIFICATIONS_GATEWAY_URL is not an http(s) address.", permanent=True)
    data = json.dumps(payload(message), ensure_ascii=False).encode()
    http_request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, data=data, headers=_headers(message), method="POST"
    )
    try:
        with urllib.request.urlopen(  # noqa: S310 - the scheme is checked above
            http_request, timeout=settings.NOTIFICATIONS_GATEWAY_TIMEOUT
        ) as response:
            body = response.read(64 * 1024)
    except urllib.error.HTTPError as error:
        excerpt = error.read(RESPONSE_EXCERPT).decode("utf-8", "replace")
        permanent = 400 <= error.code < 500 and error.code not in (408, 425, 429)
        raise DeliveryError(f"HTTP {error.code}: {excerpt}", permanent=permanent) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DeliveryError(f"Gateway unreachable: {reason}") from None
    return _check_answer(body)
