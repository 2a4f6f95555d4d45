"""The hand-over: each part of a finished request (documents printed at the village, cards
picked up), who received it, recorded only after a confirmation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from paradewi.documents import services as documents_services
from paradewi.requests import services
from paradewi.requests.errors import NotAllowedError, WorkflowError
from paradewi.requests.models import HandOver, Part, Receiver, Relationship, Status
from paradewi.requests.services import OutputUpload, Recipient
from paradewi.requests.tests.factories import make_submitted, pdf_file


@pytest.fixture
def p(personas):
    return personas


def birth_done(p):
    """An akta kelahiran finished by the Dinas: the akta to print, the KIA card at the Dinas."""
    request = make_submitted(p.desa_a, "akta-kelahiran")
    request = services.request_verify(actor=p.kecamatan_a, request=request)
    request = services.request_claim(actor=p.clerk, request=request)
    return documents_services.request_complete(
        actor=p.clerk,
        request=request,
        outputs=[OutputUpload("akta-kelahiran", pdf_file())],
        pickup_place="Kantor Dinas",
    )


def url(request):
    return reverse("request_hand_over", kwargs={"pk": request.pk})


def test_a_birth_with_documents_and_a_card_is_done_to_print_first(p):
    request = birth_done(p)
    assert request.status == Status.DONE
    assert request.document_names == ["Kutipan akta kelahiran", "Kartu Keluarga"]
    assert request.card_names == ["KIA"]


def test_each_part_is_handed_over_on_its_own_and_the_last_ends_the_request(p):
    request = birth_done(p)
    family = Recipient(Receiver.FAMILY, "  Siti   Aminah ", Relationship.PARENT)
    request = services.request_hand_over(
        actor=p.desa_a, request=request, part=Part.DOCUMENTS, recipient=family
    )
    assert request.status == Status.READY_FOR_PICKUP
    with pytest.raises(WorkflowError, match="already handed over"):
        services.request_hand_over(actor=p.desa_a, request=request, part=Part.DOCUMENTS)
    request = services.request_hand_over(actor=p.clerk, request=request)
    assert request.status == Status.HANDED_OVER
    first, second = HandOver.objects.filter(request=request).order_by("pk")
    assert (first.parts, first.receiver_name, first.receiver_relationship) == (
        ["documents"],
        "Siti Aminah",
        "parent",
    )
    assert (second.parts, second.receiver) == (["cards"], "subject")
    assert second.transition.actor == p.clerk


def test_the_dinas_hands_over_only_the_card_even_before_the_village_prints(p):
    request = birth_done(p)
    with pytest.raises(NotAllowedError):
        services.request_hand_over(actor=p.clerk, request=request, part=Part.DOCUMENTS)
    request = services.request_hand_over(actor=p.clerk, request=request)
    assert request.status == Status.DONE  # the documents still wait at the village
    assert request.cards_handed_over_at is not None
    request = services.request_hand_over(actor=p.desa_a, request=request)
    assert request.status == Status.HANDED_OVER


def test_a_family_member_must_be_named_with_the_relationship(p):
    request = birth_done(p)
    for recipient in (
        Recipient(Receiver.FAMILY, "", Relationship.PARENT),
        Recipient(Receiver.FAMILY, "Siti", ""),
        Recipient(Receiver.FAMILY, "Siti", Relationship.SELF),
    ):
        with pytest.raises(WorkflowError):
            services.request_hand_over(actor=p.desa_a, request=request, recipient=recipient)
    assert HandOver.objects.count() == 0


def test_the_receivers_name_is_encrypted_in_the_database(p):
    request = services.request_hand_over(
        actor=p.desa_a,
        request=birth_done(p),
        recipient=Recipient(Receiver.FAMILY, "Siti Aminah", Relationship.PARENT),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT receiver_name FROM requests_handover WHERE request_id = %s", [request.pk]
        )
        [(stored,)] = cursor.fetchall()
    assert "Siti" not in stored


def test_the_page_asks_to_confirm_before_it_records(client, p):
    request = birth_done(p)
    client.force_login(p.desa_a)
    form = client.get(url(request)).content.decode()
    assert 'value="documents"' in form
    assert 'value="cards"' in form
    data = {
        "parts": ["documents"],
        "receiver": "family",
        "receiver_name": "Siti Aminah",
        "receiver_relationship": "parent",
    }
    response = client.post(url(request), data)
    page = response.content.decode()
    assert response.context["confirming"]
    assert not response.context["ends"]
    assert "Siti Aminah (Parent)" in page or "Siti Aminah (Orang tua)" in page
    request.refresh_from_db()
    assert request.status == Status.DONE
    assert not HandOver.objects.exists()
    response = client.post(url(request), {**data, "change": "1"})
    assert not response.context["confirming"]
    assert response.context["form"]["receiver_name"].value() == "Siti Aminah"
    client.post(url(request), {**data, "confirm": "1"})
    request.refresh_from_db()
    assert request.status == Status.READY_FOR_PICKUP
    assert HandOver.objects.get().receiver_name == "Siti Aminah"


def test_the_form_keeps_what_was_typed_and_says_what_is_missing(client, p):
    request = birth_done(p)
    client.force_login(p.desa_a)
    data = {"parts": ["documents", "cards"], "receiver": "family", "receiver_name": "Siti"}
    response = client.post(url(request), data)
    assert not response.context["confirming"]
    assert response.context["form"].errors["receiver_relationship"]
    assert response.context["form"]["receiver_name"].value() == "Siti"
    request.refresh_from_db()
    assert request.status == Status.DONE


def test_the_request_page_puts_what_to_print_first(client, p):
    request = birth_done(p)
    client.force_login(p.desa_a)
    page = client.get(reverse("request_detail", kwargs={"pk": request.pk})).content.decode()
    assert page.index('id="outputs"') < page.index('id="actions"') < page.index('id="person"')
    assert "Kantor Dinas" in page


def test_before_it_is_finished_the_card_does_not_read_as_collected(client, p):
    request = make_submitted(p.desa_a, "akta-kelahiran")
    client.cookies["django_language"] = "en"
    client.force_login(p.desa_a)
    page = client.get(reverse("request_detail", kwargs={"pk": request.pk})).content.decode()
    assert "card, not printed" in page
    assert "Made by the Dinas; it says where to pick it up when it finishes." in page
    assert "picked up" not in page.replace("pick it up", "")
