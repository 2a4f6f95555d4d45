"""The detail page, the action views and the downloads, through the test client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from paradewi.documents import services as documents_services
from paradewi.documents.models import OutputFile
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest, Status, Transition, Upload
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import (
    NIK_MAN,
    add_upload,
    jpeg_file,
    make_draft,
    make_submitted,
    pdf_file,
)
from paradewi.testing import make_user

SUBJECT = "Slamet Riyadi"


def in_state(p, state: str, **kwargs) -> ServiceRequest:
    """A request of desa A in `state`; "ready" is a KTP-el re-print waiting at the village."""
    if state == "draft":
        return make_draft(p.desa_a, **kwargs)
    if state == "ready":
        kwargs = {"service_code": "ktp-el-cetak-ulang", "details": {"reason": "lost"}}
        request = in_state(p, "in_process", **kwargs)
        return documents_services.request_complete(
            actor=p.clerk, request=request, outputs=[], pickup_place="Kantor Desa Tawangrejo"
        )
    code = kwargs.pop("service_code", "kk-perubahan")
    request = make_submitted(p.desa_a, code, **kwargs)
    if state == "submitted":
        return request
    if state == "returned":
        return services.request_return(
            actor=p.kecamatan_a, request=request, reason="Buram", items={"kk-lama": "Foto buram"}
        )
    if request.status == Status.SUBMITTED:
        request = services.request_verify(actor=p.kecamatan_a, request=request)
    if state == "verified":
        return request
    request = services.request_claim(actor=p.clerk, request=request)
    if state == "in_process":
        return request
    if state == "done":
        return documents_services.request_complete(
            actor=p.clerk, request=request, outputs=[OutputUpload("kk", pdf_file("kk.pdf"))]
        )
    raise ValueError(state)


@pytest.fixture
def p(personas):
    return personas


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def as_user(client, user):
    client.force_login(user)
    return client


def url(name, request, **kwargs):
    return reverse(name, kwargs={"pk": request.pk, **kwargs})


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# --- detail -------------------------------------------------------------------------------------


def test_the_detail_page_shows_the_request_with_its_full_nik_and_history(en, p):
    request = in_state(p, "in_process")
    response = as_user(en, p.desa_a).get(url("request_detail", request))
    assert response.status_code == 200
    content = response.content.decode()
    assert request.number in content
    assert NIK_MAN in content
    assert SUBJECT in content
    assert "version 1" in content
    assert "Desa Tawangrejo" in content
    labels = [entry.label for entry in response.context["timeline"]]
    assert labels == [
        "Created",
        "Submitted",
        "Verified by the kecamatan",
        "Taken for processing",
    ]
    assert "Fitri Handayani" in content  # the clerk who holds it, in the timeline
    for upload in Upload.objects.filter(request=request):
        assert url("request_upload_file", request, upload_pk=upload.pk) in content


def test_a_returned_request_says_what_to_fix_per_requirement(en, p):
    request = in_state(p, "returned")
    response = as_user(en, p.desa_a).get(url("request_detail", request))
    content = response.content.decode()
    assert "What the village must fix" in content
    assert "Foto buram" in content
    assert response.context["last_return"].reason == "Buram"
    entry = response.context["timeline"][-1]
    assert entry.items == [("Kartu Keluarga lama", "Foto buram")]
    assert {"edit", "submit", "cancel"} == response.context["actions"]
    assert url("request_edit", request) in content


@pytest.mark.parametrize(
    ("state", "persona", "expected"),
    [
        ("draft", "desa_a", {"edit", "submit", "cancel"}),
        ("submitted", "desa_a", {"cancel"}),
        ("submitted", "kecamatan_a", {"verify", "return"}),
        ("verified", "clerk", {"claim", "return", "reject"}),
        ("verified", "head", {"claim", "return", "reject", "reassign"}),
        ("in_process", "clerk", {"release", "complete", "return", "reject"}),
        ("in_process", "head", {"release", "complete", "return", "reject", "reassign"}),
        ("in_process", "desa_a", set()),
        ("done", "desa_a", {"hand_over", "correct"}),
        ("done", "clerk", {"correct"}),
        ("ready", "kecamatan_a", {"hand_over"}),
        ("ready", "clerk", {"hand_over"}),
    ],
)
def test_the_detail_page_offers_the_actions_of_the_user_and_state(
    client, p, state, persona, expected
):
    request = in_state(p, state)
    response = as_user(client, getattr(p, persona)).get(url("request_detail", request))
    assert response.context["actions"] == expected
    action_urls = {
        "submit": "request_submit",
        "verify": "request_verify",
        "claim": "request_claim",
        "release": "request_release",
    }
    content = response.content.decode()
    for action, name in action_urls.items():
        assert (f'action="{url(name, request)}"' in content) == (action in expected)
    hand_over = f'href="{url("request_hand_over", request)}"'
    assert (hand_over in content) == ("hand_over" in expected)


def test_another_clerk_sees_a_held_request_without_buttons(client, p):
    other = make_user("clerk-2", "dinas_clerk", "35.16")
    request = in_state(p, "in_process")
    response = as_user(client, other).get(url("request_detail", request))
    assert response.context["actions"] == set()


def test_the_detail_page_lists_outputs_and_the_pick_up_place(en, p):
    done = in_state(p, "done")
    output = OutputFile.objects.get(request=done)
    content = as_user(en, p.desa_a).get(url("request_detail", done)).content.decode()
    assert url("request_output_file", done, output_pk=output.pk) in content
    ready = in_state(p, "ready")
    content = en.get(url("request_detail", ready)).content.decode()
    assert "Kantor Desa Tawangrejo" in content


def test_the_detail_page_runs_a_bounded_number_of_queries(client, p, django_assert_max_num_queries):
    request = in_state(p, "returned")
    as_user(client, p.desa_a)
    with django_assert_max_num_queries(12):
        assert client.get(url("request_detail", request)).status_code == 200


# --- simple actions -----------------------------------------------------------------------------


def test_the_kecamatan_verifies_through_a_post_and_sees_a_message(en, p):
    request = in_state(p, "submitted")
    response = as_user(en, p.kecamatan_a).post(url("request_verify", request), follow=True)
    assert response.redirect_chain[-1] == (url("request_detail", request), 302)
    assert "The request was verified and goes to the Dinas queue." in messages_of(response)
    request.refresh_from_db()
    assert request.status == Status.VERIFIED


def test_a_get_on_an_action_changes_nothing_and_leads_to_the_detail_page(client, p):
    request = in_state(p, "submitted")
    response = as_user(client, p.kecamatan_a).get(url("request_verify", request))
    assert response.status_code == 302
    assert response["Location"] == url("request_detail", request)
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


def test_a_clerk_who_loses_the_claim_is_told_so(en, p):
    request = in_state(p, "verified")
    services.request_claim(actor=p.clerk, request=request)
    response = as_user(en, p.head).post(url("request_claim", request), follow=True)
    assert "Another clerk took this request first." in messages_of(response)
    request.refresh_from_db()
    assert request.holder == p.clerk


def test_claim_and_release(client, p):
    request = in_state(p, "verified")
    as_user(client, p.clerk).post(url("request_claim", request))
    request.refresh_from_db()
    assert (request.status, request.holder) == (Status.IN_PROCESS, p.clerk)
    client.post(url("request_release", request))
    request.refresh_from_db()
    assert (request.status, request.holder) == (Status.VERIFIED, None)


def test_a_refused_transition_goes_back_with_the_reason(en, p):
    request = in_state(p, "submitted")
    response = as_user(en, p.desa_a).post(url("request_hand_over", request), follow=True)
    assert any("cannot be handed over" in text for text in messages_of(response))
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


def test_an_action_the_role_may_not_take_on_this_request_is_a_404(client, p):
    done = in_state(p, "done")  # printed at the village: the Dinas does not hand it over
    assert as_user(client, p.clerk).post(url("request_hand_over", done)).status_code == 404
    done.refresh_from_db()
    assert done.status == Status.DONE


def test_the_village_hands_over_a_done_request(client, p):
    done = in_state(p, "done")
    confirmed = {"parts": ["documents"], "receiver": "subject", "confirm": "1"}
    as_user(client, p.desa_a).post(url("request_hand_over", done), confirmed)
    done.refresh_from_db()
    assert done.status == Status.HANDED_OVER


def test_the_kecamatan_hands_over_a_card_picked_up_there(client, p):
    ready = in_state(p, "ready")
    confirmed = {"parts": ["cards"], "receiver": "subject", "confirm": "1"}
    as_user(client, p.kecamatan_a).post(url("request_hand_over", ready), confirmed)
    ready.refresh_from_db()
    assert ready.status == Status.HANDED_OVER


# --- actions with a form ------------------------------------------------------------------------


def test_the_return_form_has_a_field_per_requirement_the_data_and_a_general_reason(client, p):
    request = in_state(p, "submitted")
    response = as_user(client, p.kecamatan_a).get(url("request_return", request))
    assert response.status_code == 200
    fields = set(response.context["form"].fields)
    codes = {spec["code"] for spec in request.definition["requirements"]}
    assert fields == {f"item-{code}" for code in codes} | {"item-data", "reason"}
    assert len(response.context["requirement_rows"]) == len(codes)


def test_each_return_reason_is_a_box_of_several_lines_that_grows_with_the_text(client, p):
    request = in_state(p, "submitted")
    page = as_user(client, p.kecamatan_a).get(url("request_return", request)).content.decode()
    for name in ("item-kk-lama", "item-data", "reason"):
        start = page.index(f'name="{name}"')
        tag = page[page.rindex("<", 0, start) : page.index(">", start)]
        assert tag.startswith("<textarea")
        assert 'class="grows"' in tag


def test_a_refused_return_starts_with_its_error_summary(en, p):
    request = in_state(p, "submitted")
    page = as_user(en, p.kecamatan_a).post(url("request_return", request), {"reason": " "})
    html = page.content.decode()
    assert html.index('id="error-summary"') < html.index('<form method="post" class="card">')


def test_a_return_needs_something_to_fix(en, p):
    request = in_state(p, "submitted")
    response = as_user(en, p.kecamatan_a).post(url("request_return", request), {"reason": " "})
    assert response.status_code == 200
    assert "Say what the village must fix" in response.content.decode()
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


def test_a_return_records_the_reasons_per_requirement(client, p):
    request = in_state(p, "in_process")
    response = as_user(client, p.clerk).post(
        url("request_return", request),
        {"item-kk-lama": "Tidak terbaca", "item-data": "Tanggal lahir salah", "reason": ""},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.RETURNED
    last = Transition.objects.filter(request=request).last()
    assert last.details == {"items": {"kk-lama": "Tidak terbaca", "data": "Tanggal lahir salah"}}


def test_a_form_is_not_shown_when_the_action_is_not_possible_now(en, p):
    request = in_state(p, "submitted")
    response = as_user(en, p.clerk).get(url("request_reject", request), follow=True)
    assert response.redirect_chain == [(url("request_detail", request), 302)]
    assert messages_of(response) == ["This cannot be done on the request in its present state."]


def test_a_refusal_at_post_time_re_renders_the_form_with_the_message(en, p):
    request = in_state(p, "submitted")
    response = as_user(en, p.clerk).post(url("request_reject", request), {"reason": "Data ganda"})
    assert response.status_code == 200
    assert "cannot be rejected" in response.content.decode()
    assert "Data ganda" in response.content.decode()  # what was typed is kept


def test_a_rejection_needs_a_reason(client, p):
    request = in_state(p, "in_process")
    as_user(client, p.clerk)
    assert client.post(url("request_reject", request), {"reason": ""}).status_code == 200
    response = client.post(url("request_reject", request), {"reason": "Data ganda di SIAK"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.REJECTED
    assert Transition.objects.filter(request=request).last().reason == "Data ganda di SIAK"


def test_the_village_cancels_with_a_reason(client, p):
    request = in_state(p, "submitted")
    as_user(client, p.desa_a)
    assert client.get(url("request_cancel", request)).status_code == 200
    client.post(url("request_cancel", request), {"reason": "Salah layanan"})
    request.refresh_from_db()
    assert request.status == Status.CANCELLED


def test_the_head_reassigns_to_an_active_clerk(client, p):
    other = make_user("clerk-2", "dinas_clerk", "35.16", full_name="Joko Susilo")
    gone = make_user("clerk-3", "dinas_clerk", "35.16", full_name="Kartika Sari")
    gone.is_active = False
    gone.save()
    request = in_state(p, "in_process")
    response = as_user(client, p.head).get(url("request_reassign", request))
    choices = list(response.context["form"].fields["clerk"].queryset)
    assert choices == [other]  # not the holder, not an inactive account, not the head
    client.post(url("request_reassign", request), {"clerk": other.pk})
    request.refresh_from_db()
    assert request.holder == other


def test_only_the_head_reassigns(client, p):
    request = in_state(p, "in_process")
    assert as_user(client, p.clerk).get(url("request_reassign", request)).status_code == 404


def test_the_complete_form_has_one_pdf_field_per_printed_output(client, p):
    request = in_state(p, "in_process", service_code="akta-kelahiran")
    form = as_user(client, p.clerk).get(url("request_complete", request)).context["form"]
    assert [field.name for field in form.output_fields()] == [
        f"output-{o['code']}" for o in request.definition["outputs"] if not o["is_card"]
    ]
    assert form.card_names == ["KIA"]  # the KIA comes as a card to pick up
    assert "pickup_place" in form.fields
    plain = as_user(client, p.clerk).get(url("request_complete", in_state(p, "in_process")))
    assert "pickup_place" not in plain.context["form"].fields


def test_completing_needs_a_readable_pdf(en, p):
    request = in_state(p, "in_process")
    as_user(en, p.clerk)
    response = en.post(url("request_complete", request), {})
    assert "Upload at least one finished document (PDF)." in response.content.decode()
    response = en.post(url("request_complete", request), {"output-kk": jpeg_file("kk.pdf")})
    assert response.status_code == 200
    assert "Finished documents must be PDF files." in response.content.decode()
    request.refresh_from_db()
    assert request.status == Status.IN_PROCESS
    response = en.post(url("request_complete", request), {"output-kk": pdf_file("kk.pdf")})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.DONE
    assert OutputFile.objects.get(request=request).output_code == "kk"


def test_a_card_is_completed_with_a_pick_up_place_prefilled_with_names(en, p):
    request = in_state(
        p, "in_process", service_code="ktp-el-cetak-ulang", details={"reason": "lost"}
    )
    response = as_user(en, p.clerk).get(url("request_complete", request))
    field = response.context["form"].fields["pickup_place"]
    names = [value for value, _label in field.choices]
    assert names == [
        "Kantor Desa Tawangrejo",
        "Kantor Kecamatan Jatirejo",
        "Kantor Dinas Kependudukan dan Pencatatan Sipil Kabupaten Mojokerto",
    ]
    assert field.initial == "Kantor Desa Tawangrejo"
    assert response.context["form"].output_fields() == []
    en.post(url("request_complete", request), {"pickup_place": "Kantor Kecamatan Jatirejo"})
    request.refresh_from_db()
    assert request.status == Status.READY_FOR_PICKUP
    assert request.pickup_place == "Kantor Kecamatan Jatirejo"


def test_a_pick_up_place_outside_the_choices_is_refused(client, p):
    request = in_state(
        p, "in_process", service_code="ktp-el-cetak-ulang", details={"reason": "lost"}
    )
    response = as_user(client, p.clerk).post(
        url("request_complete", request), {"pickup_place": "Rumah saya"}
    )
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == Status.IN_PROCESS


# --- downloads ----------------------------------------------------------------------------------


def test_an_upload_is_streamed_with_its_stored_type_and_nosniff(client, p):
    request = in_state(p, "submitted")
    upload = Upload.objects.filter(request=request).first()
    response = as_user(client, p.kecamatan_a).get(
        url("request_upload_file", request, upload_pk=upload.pk)
    )
    assert response.status_code == 200
    assert response["Content-Type"] == upload.content_type == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_type_is_the_stored_one_not_guessed_from_the_name(client, p):
    request = make_draft(p.desa_a)
    upload = add_upload(
        actor=p.desa_a, request=request, requirement_code="kk-lama", file=jpeg_file("kk.pdf")
    )
    response = as_user(client, p.desa_a).get(
        url("request_upload_file", request, upload_pk=upload.pk)
    )
    assert response["Content-Type"] == "image/jpeg"


def test_a_replaced_upload_stays_downloadable_for_the_history(client, p):
    request = in_state(p, "returned")
    old = Upload.objects.get(request=request, requirement_code="kk-lama")
    add_upload(actor=p.desa_a, request=request, requirement_code="kk-lama", file=jpeg_file())
    as_user(client, p.desa_a)
    response = client.get(url("request_upload_file", request, upload_pk=old.pk))
    assert response.status_code == 200
    detail = client.get(url("request_detail", request)).content.decode()
    assert url("request_upload_file", request, upload_pk=old.pk) in detail


def test_an_upload_of_another_request_is_a_404(client, p):
    mine = in_state(p, "submitted")
    other = make_submitted(p.desa_b)
    foreign = Upload.objects.filter(request=other).first()
    as_user(client, p.desa_a)
    assert client.get(url("request_upload_file", mine, upload_pk=foreign.pk)).status_code == 404
    done = in_state(p, "done")
    output = OutputFile.objects.get(request=done)
    assert client.get(url("request_output_file", mine, output_pk=output.pk)).status_code == 404


def test_an_output_is_served_as_a_pdf_named_after_the_number(client, p):
    done = in_state(p, "done")
    output = OutputFile.objects.get(request=done)
    response = as_user(client, p.desa_a).get(url("request_output_file", done, output_pk=output.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{done.number}-kk.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_file_is_sent_decrypted_by_django_never_by_the_proxy(client, p):
    done = in_state(p, "done")
    output = OutputFile.objects.get(request=done)
    response = as_user(client, p.desa_a).get(url("request_output_file", done, output_pk=output.pk))
    assert response.status_code == 200
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
