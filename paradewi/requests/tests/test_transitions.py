"""Every legal and illegal transition of the workflow (docs/design.md, "The request and its
workflow")."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core.exceptions import ValidationError

from paradewi.catalogue.models import Service
from paradewi.documents import services as documents_services
from paradewi.requests import services
from paradewi.requests.errors import NotAllowedError, StaleRequestError, WorkflowError
from paradewi.requests.models import ServiceRequest, Status, Transition, Upload
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import (
    add_upload,
    jpeg_file,
    make_draft,
    make_submitted,
    pdf_file,
    upload_all,
)


@pytest.fixture
def p(personas):
    return personas


def verified(p, **kwargs):
    request = make_submitted(p.desa_a, **kwargs)
    return services.request_verify(actor=p.kecamatan_a, request=request)


def claimed(p, **kwargs):
    return services.request_claim(actor=p.clerk, request=verified(p, **kwargs))


def kk_output():
    return [OutputUpload("kk", pdf_file("kk.pdf"))]


def history(request):
    return list(
        Transition.objects.filter(request=request).values_list("action", "from_status", "to_status")
    )


# --- create and submit --------------------------------------------------------------------------


def test_a_village_officer_creates_a_draft_with_a_history_row(p):
    request = make_draft(p.desa_a)
    assert request.status == Status.DRAFT
    assert request.number is None
    assert request.district.code == "35.16.01"
    assert history(request) == [("create", "", "draft")]


def test_the_same_form_posted_twice_creates_one_request(p):
    make_draft(p.desa_a)  # loads the catalogue
    key = uuid.uuid4()
    service = Service.objects.get(code="kk-perubahan")
    first, created = services.request_create(
        actor=p.desa_a, service=service, village=p.desa_a.area, idempotency_key=key
    )
    again, created_again = services.request_create(
        actor=p.desa_a, service=service, village=p.desa_a.area, idempotency_key=key
    )
    assert created
    assert not created_again
    assert first.pk == again.pk
    assert ServiceRequest.objects.filter(idempotency_key=key).count() == 1


@pytest.mark.parametrize(
    "persona", ["desa_b", "desa_c", "kecamatan_c", "clerk", "head", "viewer", "admin"]
)
def test_nobody_creates_a_request_for_a_village_outside_their_area(p, persona):
    make_draft(p.desa_a)
    with pytest.raises(NotAllowedError):
        services.request_create(
            actor=getattr(p, persona),
            service=Service.objects.get(code="kk-perubahan"),
            village=p.desa_a.area,
            idempotency_key=uuid.uuid4(),
        )


def test_a_kecamatan_operator_creates_for_a_village_of_its_kecamatan(p):
    request = make_draft(p.kecamatan_a, village=p.desa_b.area)
    assert request.village == p.desa_b.area


def test_an_incomplete_draft_cannot_be_submitted_and_says_what_is_missing(p):
    request = make_draft(p.desa_a)
    with pytest.raises(WorkflowError, match="Upload") as error:
        services.request_submit(actor=p.desa_a, request=request)
    assert "Kartu Keluarga lama" in str(error.value)
    request.refresh_from_db()
    assert request.status == Status.DRAFT
    assert request.number is None


def test_submitting_gives_a_number_a_pin_and_a_due_time(p):
    request = make_submitted(p.desa_a)
    assert request.status == Status.SUBMITTED
    assert re.fullmatch(r"3516012001-\d{4}-0001", request.number)
    assert re.fullmatch(r"\d{6}", request.pin)
    assert request.due_at > request.submitted_at
    second = make_submitted(p.desa_a)
    assert second.number.endswith("-0002")
    other_village = make_submitted(p.desa_b)
    assert other_village.number.startswith("3516012002-")
    assert other_village.number.endswith("-0001")


def test_a_service_without_the_kecamatan_step_goes_straight_to_the_dinas(p):
    request = make_submitted(p.desa_a, "kk-hilang-rusak", details={"reason": "lost"})
    assert request.status == Status.VERIFIED


def test_a_request_submitted_by_the_kecamatan_skips_its_own_verification(p):
    request = make_submitted(p.kecamatan_a, village=p.desa_a.area)
    assert request.status == Status.VERIFIED


def test_conditional_and_alternative_requirements_decide_completeness(p):
    lost = make_draft(p.desa_a, "kk-hilang-rusak", details={"reason": "lost"})
    upload_all(p.desa_a, lost)
    codes = set(Upload.objects.filter(request=lost).values_list("requirement_code", flat=True))
    assert "surat-kehilangan" in codes
    assert "kk-rusak" not in codes
    birth = make_draft(p.desa_a, "akta-kelahiran")
    upload_all(p.desa_a, birth)  # one option of each "one of" group is enough
    assert services.request_submit(actor=p.desa_a, request=birth).status == Status.SUBMITTED


# --- kecamatan ---------------------------------------------------------------------------------


def test_the_kecamatan_verifies_a_submitted_request(p):
    request = verified(p)
    assert request.status == Status.VERIFIED
    assert history(request)[-1] == ("verify", "submitted", "verified")


@pytest.mark.parametrize("persona", ["desa_a", "kecamatan_c", "clerk", "viewer", "admin"])
def test_only_the_request_s_kecamatan_verifies(p, persona):
    request = make_submitted(p.desa_a)
    with pytest.raises(NotAllowedError):
        services.request_verify(actor=getattr(p, persona), request=request)
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


def test_a_return_needs_a_reason_and_records_what_to_fix(p):
    request = make_submitted(p.desa_a)
    with pytest.raises(WorkflowError, match="fix"):
        services.request_return(actor=p.kecamatan_a, request=request, reason=" ")
    returned = services.request_return(
        actor=p.kecamatan_a, request=request, items={"kk-lama": "Foto buram", "f-102": ""}
    )
    assert returned.status == Status.RETURNED
    last = Transition.objects.filter(request=request).last()
    assert last.details == {"items": {"kk-lama": "Foto buram"}}


def test_the_village_replaces_only_what_was_returned_and_history_keeps_the_old_upload(p):
    request = make_submitted(p.desa_a)
    services.request_return(actor=p.kecamatan_a, request=request, items={"kk-lama": "Buram"})
    request.refresh_from_db()
    old = Upload.objects.get(request=request, requirement_code="kk-lama")
    add_upload(actor=p.desa_a, request=request, requirement_code="kk-lama", file=jpeg_file())
    resubmitted = services.request_submit(actor=p.desa_a, request=request)
    assert (
        resubmitted.status == Status.SUBMITTED
    )  # the kecamatan returned it: back to the kecamatan
    old.refresh_from_db()
    assert old.replaced_at is not None
    assert Upload.objects.filter(request=request, requirement_code="kk-lama").count() == 2
    assert resubmitted.number == request.number


def test_a_request_returned_by_the_dinas_goes_back_to_the_dinas_queue_with_the_clock_paused(p):
    request = claimed(p)
    due = request.due_at
    services.request_return(actor=p.clerk, request=request, reason="NIK ayah tidak terbaca")
    request.refresh_from_db()
    assert request.holder is None
    again = services.request_submit(actor=p.desa_a, request=request)
    assert again.status == Status.VERIFIED
    assert again.due_at >= due


def test_an_upload_is_refused_after_submission(p):
    request = make_submitted(p.desa_a)
    with pytest.raises(WorkflowError):
        add_upload(actor=p.desa_a, request=request, requirement_code="kk-lama", file=jpeg_file())


def test_a_retried_upload_does_not_store_a_second_copy(p):
    request = make_draft(p.desa_a)
    first = add_upload(
        actor=p.desa_a, request=request, requirement_code="kk-lama", file=jpeg_file()
    )
    again = add_upload(
        actor=p.desa_a, request=request, requirement_code="kk-lama", file=jpeg_file()
    )
    assert first.pk == again.pk
    assert Upload.objects.filter(request=request).count() == 1


def test_an_upload_of_the_wrong_type_is_refused_and_nothing_is_stored(p):
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = make_draft(p.desa_a)
    html = SimpleUploadedFile("foto.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    with pytest.raises(ValidationError, match="JPEG, PNG"):
        add_upload(actor=p.desa_a, request=request, requirement_code="kk-lama", file=html)
    assert not Upload.objects.exists()


# --- Dinas ---------------------------------------------------------------------------------------


def test_a_clerk_claims_a_verified_request_and_holds_it(p):
    request = claimed(p)
    assert request.status == Status.IN_PROCESS
    assert request.holder == p.clerk


def test_a_second_claim_on_a_stale_copy_is_refused_with_a_clear_message(p):
    request = verified(p)
    stale = ServiceRequest.objects.get(pk=request.pk)
    services.request_claim(actor=p.clerk, request=request)
    with pytest.raises(StaleRequestError, match="Another clerk took this request first"):
        services.request_claim(actor=p.head, request=stale)
    request.refresh_from_db()
    assert request.holder == p.clerk


def test_another_clerk_cannot_act_on_a_held_request_but_the_head_can(p):
    from paradewi.testing import make_user

    other = make_user("clerk-2", "dinas_clerk", "35.16")
    request = claimed(p)
    with pytest.raises(WorkflowError, match="Another clerk"):
        services.request_release(actor=other, request=request)
    with pytest.raises(WorkflowError, match="Another clerk"):
        documents_services.request_complete(actor=other, request=request, outputs=kk_output())
    reassigned = services.request_reassign(actor=p.head, request=request, clerk=other)
    assert reassigned.holder == other
    assert history(reassigned)[-1] == ("reassign", "in_process", "in_process")
    released = services.request_release(actor=p.head, request=reassigned)
    assert released.status == Status.VERIFIED
    assert released.holder is None


def test_only_the_head_reassigns(p):
    request = claimed(p)
    with pytest.raises(NotAllowedError):
        services.request_reassign(actor=p.clerk, request=request, clerk=p.head)


def test_completing_needs_a_pdf_and_ends_in_done(p):
    request = claimed(p)
    with pytest.raises(WorkflowError, match="at least one"):
        documents_services.request_complete(actor=p.clerk, request=request, outputs=[])
    with pytest.raises(ValidationError):
        documents_services.request_complete(
            actor=p.clerk, request=request, outputs=[OutputUpload("kk", jpeg_file())]
        )
    with pytest.raises(WorkflowError, match="no such document"):
        documents_services.request_complete(
            actor=p.clerk, request=request, outputs=[OutputUpload("akta", pdf_file())]
        )
    request.refresh_from_db()
    assert request.status == Status.IN_PROCESS
    done = documents_services.request_complete(actor=p.clerk, request=request, outputs=kk_output())
    assert done.status == Status.DONE
    assert done.outputs.count() == 1
    assert len(done.outputs.get().sha256) == 64


def test_a_card_service_ends_ready_for_pick_up_at_a_place(p):
    request = claimed(p, service_code="ktp-el-cetak-ulang", details={"reason": "lost"})
    with pytest.raises(WorkflowError, match="picked up"):
        documents_services.request_complete(actor=p.clerk, request=request, outputs=[])
    ready = documents_services.request_complete(
        actor=p.clerk, request=request, outputs=[], pickup_place="Kantor Kecamatan Jatirejo"
    )
    assert ready.status == Status.READY_FOR_PICKUP
    assert ready.pickup_place == "Kantor Kecamatan Jatirejo"
    handed = services.request_hand_over(actor=p.kecamatan_a, request=ready)
    assert handed.status == Status.HANDED_OVER


def test_the_village_hands_over_a_done_request(p):
    request = claimed(p)
    done = documents_services.request_complete(actor=p.clerk, request=request, outputs=kk_output())
    with pytest.raises(NotAllowedError):
        services.request_hand_over(actor=p.desa_b, request=done)
    with pytest.raises(NotAllowedError):
        services.request_hand_over(actor=p.clerk, request=done)  # printed at the village
    handed = services.request_hand_over(actor=p.desa_a, request=done)
    assert handed.status == Status.HANDED_OVER
    assert [row[0] for row in history(handed)] == [
        "create",
        "submit",
        "verify",
        "claim",
        "complete",
        "hand_over",
    ]


def test_a_rejection_is_final_and_needs_a_reason(p):
    request = claimed(p)
    with pytest.raises(WorkflowError, match="why"):
        services.request_reject(actor=p.clerk, request=request, reason="")
    rejected = services.request_reject(actor=p.clerk, request=request, reason="Data ganda di SIAK")
    assert rejected.status == Status.REJECTED
    for action in (services.request_submit, services.request_claim):
        with pytest.raises(WorkflowError):
            action(
                actor=p.desa_a if action is services.request_submit else p.clerk, request=rejected
            )


def test_the_village_cancels_before_processing_but_not_after(p):
    draft = make_draft(p.desa_a)
    with pytest.raises(WorkflowError, match="why"):
        services.request_cancel(actor=p.desa_a, request=draft, reason="")
    assert services.request_cancel(
        actor=p.desa_a, request=draft, reason="Salah layanan"
    ).status == (Status.CANCELLED)
    in_process = claimed(p)
    with pytest.raises(WorkflowError):
        services.request_cancel(actor=p.desa_a, request=in_process, reason="Batal")


ILLEGAL = [
    # (action, starting state builder, actor)
    ("verify", "draft", "kecamatan_a"),
    ("verify", "verified", "kecamatan_a"),
    ("claim", "submitted", "clerk"),
    ("claim", "draft", "clerk"),
    ("complete", "verified", "clerk"),
    ("release", "verified", "clerk"),
    ("reject", "submitted", "clerk"),
    ("hand_over", "in_process", "desa_a"),
    ("hand_over", "submitted", "desa_a"),
    ("submit", "submitted", "desa_a"),
    ("submit", "in_process", "desa_a"),
    ("return", "draft", "kecamatan_a"),
    ("return", "verified", "kecamatan_a"),
]


@pytest.mark.parametrize(("action", "state", "persona"), ILLEGAL)
def test_an_illegal_transition_is_refused_and_changes_nothing(p, action, state, persona):
    builders = {
        "draft": lambda: make_draft(p.desa_a),
        "submitted": lambda: make_submitted(p.desa_a),
        "verified": lambda: verified(p),
        "in_process": lambda: claimed(p),
    }
    request = builders[state]()
    before = history(request)
    call = {
        "verify": lambda a: services.request_verify(actor=a, request=request),
        "claim": lambda a: services.request_claim(actor=a, request=request),
        "complete": lambda a: documents_services.request_complete(
            actor=a, request=request, outputs=kk_output()
        ),
        "release": lambda a: services.request_release(actor=a, request=request),
        "reject": lambda a: services.request_reject(actor=a, request=request, reason="x"),
        "hand_over": lambda a: services.request_hand_over(actor=a, request=request),
        "submit": lambda a: services.request_submit(actor=a, request=request),
        "return": lambda a: services.request_return(actor=a, request=request, reason="x"),
    }[action]
    with pytest.raises(WorkflowError):
        call(getattr(p, persona))
    request.refresh_from_db()
    assert request.status == state
    assert history(request) == before


def test_a_transition_on_a_stale_copy_changes_nothing(p):
    request = make_submitted(p.desa_a)
    stale = ServiceRequest.objects.get(pk=request.pk)
    services.request_return(actor=p.kecamatan_a, request=request, reason="Buram")
    with pytest.raises(StaleRequestError, match="Someone else"):
        services.request_verify(actor=p.kecamatan_a, request=stale)
    request.refresh_from_db()
    assert request.status == Status.RETURNED


def test_the_kecamatan_cancels_only_what_it_made_itself(p):
    from_village = make_submitted(p.desa_a)
    with pytest.raises(NotAllowedError):
        services.request_cancel(actor=p.kecamatan_a, request=from_village, reason="Batal")
    own = make_draft(p.kecamatan_a, village=p.desa_b.area)
    cancelled = services.request_cancel(actor=p.kecamatan_a, request=own, reason="Batal")
    assert cancelled.status == Status.CANCELLED


def test_the_kecamatan_edits_and_submits_only_what_it_made_itself(p):
    from_village = make_submitted(p.desa_a)
    services.request_return(actor=p.kecamatan_a, request=from_village, items={"kk-lama": "Buram"})
    from_village.refresh_from_db()
    with pytest.raises(NotAllowedError):
        services.request_update(actor=p.kecamatan_a, request=from_village, subject_name="X")
    with pytest.raises(NotAllowedError):
        add_upload(
            actor=p.kecamatan_a, request=from_village, requirement_code="kk-lama", file=jpeg_file()
        )
    with pytest.raises(NotAllowedError):
        services.request_submit(actor=p.kecamatan_a, request=from_village)
    assert services.request_submit(actor=p.desa_a, request=from_village).status == (
        Status.SUBMITTED
    )
    own = make_draft(p.kecamatan_a, village=p.desa_b.area)
    upload_all(p.kecamatan_a, own)
    assert services.request_submit(actor=p.kecamatan_a, request=own).status == Status.VERIFIED


def test_a_returned_request_changes_only_what_was_marked_to_fix(p):
    request = make_submitted(p.desa_a)
    services.request_return(actor=p.kecamatan_a, request=request, items={"kk-lama": "Buram"})
    request.refresh_from_db()
    with pytest.raises(WorkflowError, match="Only what was marked to fix"):
        services.request_update(actor=p.desa_a, request=request, subject_name="Slamet R.")
    with pytest.raises(WorkflowError, match="Only the documents marked to fix"):
        add_upload(actor=p.desa_a, request=request, requirement_code="f-102", file=jpeg_file())
    add_upload(actor=p.desa_a, request=request, requirement_code="kk-lama", file=jpeg_file())
    request.refresh_from_db()
    assert request.subject_name == "Slamet Riyadi"


def test_a_return_with_the_data_marked_lets_the_data_change(p):
    request = make_submitted(p.desa_a)
    services.request_return(actor=p.kecamatan_a, request=request, items={"data": "Nama salah"})
    request.refresh_from_db()
    updated = services.request_update(actor=p.desa_a, request=request, subject_name="Slamet R.")
    assert updated.subject_name == "Slamet R."
