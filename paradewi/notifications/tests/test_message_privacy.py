"""What a copy of a resident's message can still reach: the administrator never sees its text,
and its status link stops opening the page after TRACKING_LINK_DAYS (the receipt's PIN and QR
code keep working)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paradewi.notifications.models import Outbox
from paradewi.requests import services
from paradewi.requests.tests.factories import make_submitted
from paradewi.requests.tracking import make_token

TOKEN_LINK = re.compile(r"/t/([^/\s]+)/")


@pytest.fixture
def returned_message(personas, committed, gateway):
    """A request returned to the village: the resident gets a WhatsApp message with a link."""
    request = make_submitted(personas.desa_a, reporter_phone="081234567890")
    with committed():
        services.request_return(
            actor=personas.kecamatan_a,
            request=request,
            reason="Foto KK buram, mohon difoto ulang",
            items={"kk-lama": "Foto KK buram"},
        )
    message = Outbox.objects.filter(request=request, recipient__startswith="+62").latest(
        "created_at"
    )
    return request, message


def test_the_administrator_does_not_see_the_text_of_a_message(client, personas, returned_message):
    """Before: the change page showed the first name, the number, the reasons and the link."""
    request, message = returned_message
    token = TOKEN_LINK.search(message.body).group(1)
    client.force_login(personas.admin)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("admin:notifications_outbox_change", args=[message.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Not shown: the text holds personal data" in content
    assert token not in content
    assert "Foto KK buram" not in content
    first_name = (request.reporter_name or request.subject_name).split()[0]
    assert first_name not in content


def test_a_message_link_opens_the_status_for_a_while(returned_message):
    request, message = returned_message
    path = TOKEN_LINK.search(message.body).group(0)
    response = Client().get(path)
    assert response.status_code == 200
    assert response.context["status"].number == request.number


def test_a_message_link_expires_and_asks_for_the_pin(returned_message, settings):
    """Before: the link in the message opened the status page without the PIN for ever."""
    request, message = returned_message
    path = TOKEN_LINK.search(message.body).group(0)
    later = timezone.now() + timedelta(days=settings.TRACKING_LINK_DAYS, hours=1)
    with time_machine.travel(later):
        response = Client(HTTP_ACCEPT_LANGUAGE="en").get(path)
        assert response.status_code == 200
        assert "status" not in response.context or response.context.get("status") is None
        content = response.content.decode()
        assert "This link from a message has expired" in content
        assert f'value="{request.number}"' in content
        # The receipt's QR code still opens it.
        receipt = Client().get(reverse("track_token", args=[make_token(request)]))
        assert receipt.context["status"].number == request.number


def test_a_message_link_for_another_request_or_altered_is_not_found(returned_message, personas):
    _request, message = returned_message
    token = TOKEN_LINK.search(message.body).group(1)
    other = make_submitted(personas.desa_a)
    number, stamp, signature = token.split(":")
    for bad in (f"{other.number}:{stamp}:{signature}", f"{number}:{stamp}x:{signature}"):
        assert Client().get(reverse("track_token", args=[bad])).status_code == 404
