"""Corrections (pembetulan) of issued documents: the workflow, who may start and see one, the
revocation of the wrong document, the figures (the Dinas's error never the village's) and the
public verification page."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from paradewi.documents import services as documents_services
from paradewi.documents.models import OutputFile
from paradewi.documents.verification import CORRECTED, verify_code
from paradewi.reports.models import MonthlyActivity
from paradewi.reports.periods import Period, month_end
from paradewi.reports.scope import Scope
from paradewi.reports.selectors import corrections_report
from paradewi.reports.services import refresh_activity
from paradewi.requests import services, workflow
from paradewi.requests.errors import NotAllowedError, WorkflowError
from paradewi.requests.models import CorrectionCause, ServiceRequest, Status, Transition
from paradewi.requests.selectors.workload import workload
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import add_upload, jpeg_file, make_submitted, pdf_file
from paradewi.requests.workflow import DATA, EVIDENCE, Action
from paradewi.testing import Client
from paradewi.worktime.services import add_working_minutes

WRONG = "Nama tercetak “Slamet Riyadl”, seharusnya “Slamet Riyadi” (F-1.06)."


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in December 2026 (1 December is a Tuesday), local time."""
    return datetime(2026, 12, day, hour, minute, tzinfo=timezone.get_current_timezone())


def issued(p, service: str = "kk-perubahan", **person) -> ServiceRequest:
    """A request of desa A completed by the clerk with its first printable document."""
    request = make_submitted(p.desa_a, service, **person)
    if request.status == Status.SUBMITTED:
        request = services.request_verify(actor=p.kecamatan_a, request=request)
    request = services.request_claim(actor=p.clerk, request=request)
    code = next(o["code"] for o in request.definition["outputs"] if not o["is_card"])
    has_card = any(o["is_card"] for o in request.definition["outputs"])
    return documents_services.request_complete(
        actor=p.clerk,
        request=request,
        outputs=[OutputUpload(code, pdf_file("wrong.pdf", text="Slamet Riyadl"))],
        pickup_place="Kantor Dinas" if has_card else "",
    )


def wrong_output(request: ServiceRequest) -> OutputFile:
    return OutputFile.objects.get(request=request)


def open_correction(actor, request: ServiceRequest) -> ServiceRequest:
    return documents_services.correction_start(
        actor=actor,
        request=request,
        output=wrong_output(request),
        cause=CorrectionCause.CLERICAL,
        wrong=WRONG,
        evidence=jpeg_file(),
    )


def corrected(p, correction: ServiceRequest) -> ServiceRequest:
    """The clerk takes the correction and issues the corrected document."""
    correction = services.request_claim(actor=p.clerk, request=correction)
    return documents_services.request_complete(
        actor=p.clerk,
        request=correction,
        outputs=[
            OutputUpload(correction.correction_output, pdf_file("right.pdf", text="Slamet Riyadi"))
        ],
    )


# --- the workflow ---------------------------------------------------------------------------------


def test_a_clerical_correction_is_a_request_of_its_own_in_the_dinas_queue(personas):
    p = personas
    original = issued(p)
    with time_machine.travel(at(1, 9), tick=False):
        correction = open_correction(p.desa_a, original)
    assert correction.status == Status.VERIFIED
    assert correction.corrects_id == original.pk
    assert correction.correction_cause == CorrectionCause.CLERICAL
    assert correction.correction_output == "kk"
    assert correction.number
    assert correction.number != original.number
    assert correction.subject_nik == original.subject_nik
    assert correction.subject_name == original.subject_name
    # Its own short target (CORRECTION_TARGET_HOURS working hours), not the service's day.
    assert correction.due_at == add_working_minutes(at(1, 9), 4 * 60)
    # No requirement but the evidence, uploaded through the upload checks; no kecamatan step.
    definition = correction.definition
    assert [spec["code"] for spec in definition["requirements"]] == [EVIDENCE]
    assert [output["code"] for output in definition["outputs"]] == ["kk"]
    assert definition["district_step"] is False
    (upload,) = correction.uploads.all()
    assert upload.requirement_code == EVIDENCE
    assert upload.content_type == "image/jpeg"
    # The original keeps its state; both histories name the other.
    original.refresh_from_db()
    assert original.status == Status.DONE
    noted = original.transitions.get(action=Action.CORRECT)
    assert (noted.from_status, noted.to_status) == (Status.DONE, Status.DONE)
    assert noted.details["correction"] == correction.pk
    assert noted.reason == WRONG
    opened = correction.transitions.get()
    assert opened.action == Action.OPEN_CORRECTION
    assert opened.details["corrects"] == original.pk
    assert opened.to_status == Status.VERIFIED


def test_an_akta_correction_issues_the_akta_only_and_no_card(personas):
    p = personas
    original = issued(p, "akta-kelahiran")
    correction = open_correction(p.desa_a, original)
    assert [output["code"] for output in correction.definition["outputs"]] == ["akta-kelahiran"]
    assert not correction.has_card_output
    done = corrected(p, correction)
    assert done.status == Status.DONE  # printed at the village, then handed over
    assert done.pickup_place == ""


def test_issuing_the_corrected_document_revokes_the_wrong_one(personas):
    p = personas
    original = issued(p)
    wrong = wrong_output(original)
    with time_machine.travel(at(2, 10), tick=False):
        correction = corrected(p, open_correction(p.kecamatan_a, original))
    wrong.refresh_from_db()
    right = OutputFile.objects.get(request=correction)
    assert wrong.revoked_at == at(2, 10)
    assert wrong.revoked_reason == CORRECTED
    assert wrong.superseded_by_id == right.pk
    assert right.revoked_at is None
    # The village hands the corrected print over; no survey for a correction.
    handed = services.request_hand_over(actor=p.desa_a, request=correction)
    assert handed.status == Status.HANDED_OVER
    from paradewi.surveys.services import SurveyState, survey_state

    assert survey_state(handed) is SurveyState.NOT_YET


def test_the_dinas_may_correct_at_its_own_initiative_and_only_it_withdraws_that(personas):
    p = personas
    original = issued(p)
    correction = open_correction(p.clerk, original)
    assert correction.created_by_id == p.clerk.pk
    assert not workflow.may(p.desa_a, correction, Action.CANCEL)
    with pytest.raises(NotAllowedError):
        services.request_cancel(actor=p.desa_a, request=correction, reason="x")
    # The Dinas refuses it instead, when it is no clerical error.
    services.request_claim(actor=p.clerk, request=correction)
    correction.refresh_from_db()
    rejected = services.request_reject(
        actor=p.clerk, request=correction, reason="Bukan kesalahan tulis: perubahan data."
    )
    assert rejected.status == Status.REJECTED
    assert wrong_output(original).revoked_at is None


def test_the_village_may_withdraw_its_own_correction(personas):
    p = personas
    correction = open_correction(p.desa_a, issued(p))
    assert services.request_cancel(actor=p.desa_a, request=correction, reason="Keliru").status == (
        Status.CANCELLED
    )


def test_a_returned_correction_takes_new_evidence_but_never_new_data(personas):
    p = personas
    correction = services.request_claim(actor=p.clerk, request=open_correction(p.desa_a, issued(p)))
    correction = services.request_return(
        actor=p.clerk, request=correction, items={EVIDENCE: "Foto buram"}
    )
    assert not workflow.may(p.desa_a, correction, Action.EDIT, part=DATA)
    with pytest.raises(WorkflowError):
        services.request_update(actor=p.desa_a, request=correction, subject_name="Lain")
    add_upload(
        actor=p.desa_a, request=correction, requirement_code=EVIDENCE, file=jpeg_file(color="red")
    )
    again = services.request_submit(actor=p.desa_a, request=correction)
    assert again.status == Status.VERIFIED  # back to the Dinas queue, no kecamatan step


def test_one_correction_of_a_document_at_a_time_and_none_of_a_revoked_one(personas):
    p = personas
    original = issued(p)
    correction = open_correction(p.desa_a, original)
    with pytest.raises(WorkflowError):
        open_correction(p.kecamatan_a, original)
    assert documents_services.correctable_outputs(original) == []
    corrected(p, correction)
    original.refresh_from_db()
    with pytest.raises(WorkflowError):
        open_correction(p.desa_a, original)  # the wrong one is revoked now


def test_a_correction_needs_what_is_wrong_and_evidence_that_passes_the_upload_checks(personas):
    p = personas
    original = issued(p)
    output = wrong_output(original)
    start = documents_services.correction_start
    with pytest.raises(WorkflowError):
        start(actor=p.desa_a, request=original, output=output, cause="clerical", wrong=" ")
    with pytest.raises(WorkflowError):
        start(actor=p.desa_a, request=original, output=output, cause="clerical", wrong=WRONG)
    fake = SimpleUploadedFile("scan.jpg", b"not an image at all", "image/jpeg")
    with pytest.raises(ValidationError):
        start(
            actor=p.desa_a,
            request=original,
            output=output,
            cause="clerical",
            wrong=WRONG,
            evidence=fake,
        )
    assert not ServiceRequest.objects.filter(corrects=original).exists()


def test_a_change_of_data_starts_the_existing_data_change_service(personas):
    p = personas
    original = issued(p, "akta-kelahiran")
    change = documents_services.correction_start(
        actor=p.desa_a,
        request=original,
        output=wrong_output(original),
        cause=CorrectionCause.DATA_CHANGE,
        wrong="Nama diganti menurut penetapan pengadilan",
    )
    assert change.service.code == "perubahan-biodata"
    assert change.status == Status.DRAFT
    assert change.corrects_id == original.pk
    assert change.correction_cause == CorrectionCause.DATA_CHANGE
    assert change.subject_nik == original.subject_nik
    assert original.transitions.filter(action=Action.CORRECT).get().details["correction"] == (
        change.pk
    )
    # A family card goes to the KK's own data-change service.
    kk = issued(p)
    kk_change = documents_services.correction_start(
        actor=p.kecamatan_a,
        request=kk,
        output=wrong_output(kk),
        cause=CorrectionCause.DATA_CHANGE,
        wrong="Status perkawinan berubah",
    )
    assert kk_change.service.code == "kk-perubahan"


def test_the_dinas_starts_no_data_change(personas):
    p = personas
    original = issued(p)
    with pytest.raises(WorkflowError):
        documents_services.correction_start(
            actor=p.clerk,
            request=original,
            output=wrong_output(original),
            cause=CorrectionCause.DATA_CHANGE,
            wrong="x",
        )


# --- who may start one, who sees it -----------------------------------------------------------

EVERYONE = [
    "desa_a",
    "desa_b",
    "desa_c",
    "kecamatan_a",
    "kecamatan_c",
    "clerk",
    "head",
    "viewer",
    "admin",
]
MAY_START = {"desa_a", "kecamatan_a", "clerk", "head"}


@pytest.mark.parametrize(
    "persona",
    [
        "desa_a",
        "desa_b",
        "desa_c",
        "kecamatan_a",
        "kecamatan_c",
        "clerk",
        "head",
        "viewer",
        "admin",
    ],
)
def test_who_may_start_a_correction(personas, persona):
    p = personas
    original = issued(p)
    client = Client()
    client.force_login(getattr(p, persona))
    url = reverse("request_correct", args=[original.pk])
    response = client.get(url)
    assert response.status_code == (200 if persona in MAY_START else 404)
    response = client.post(
        url,
        {
            "output": wrong_output(original).pk,
            "cause": "clerical",
            "wrong": WRONG,
            "evidence": jpeg_file(),
        },
    )
    if persona in MAY_START:
        correction = ServiceRequest.objects.get(corrects=original)
        assert response.status_code == 302
        assert response["Location"] == reverse("request_detail", args=[correction.pk])
    else:
        assert response.status_code == 404
        assert not ServiceRequest.objects.filter(corrects=original).exists()


def test_an_outsider_is_sent_to_log_in(personas):
    original = issued(personas)
    response = Client().get(reverse("request_correct", args=[original.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


SEES = {"desa_a", "kecamatan_a", "clerk", "head"}


@pytest.mark.parametrize(
    "persona",
    [
        "desa_a",
        "desa_b",
        "desa_c",
        "kecamatan_a",
        "kecamatan_c",
        "clerk",
        "head",
        "viewer",
        "admin",
    ],
)
def test_who_sees_a_correction_and_its_link_from_the_original(personas, persona):
    p = personas
    original = issued(p)
    correction = open_correction(p.clerk, original)
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(getattr(p, persona))
    response = client.get(reverse("request_detail", args=[correction.pk]))
    assert response.status_code == (200 if persona in SEES else 404)
    page = client.get(reverse("request_detail", args=[original.pk]))
    assert page.status_code == (200 if persona in SEES else 404)
    if persona in SEES:
        link = reverse("request_detail", args=[correction.pk])
        assert link in page.content.decode()  # the original's timeline and correction card
        back = reverse("request_detail", args=[original.pk])
        assert back in response.content.decode()  # the correction's timeline names it


def test_the_correct_button_comes_from_the_table(personas):
    p = personas
    original = issued(p)
    client = Client()
    client.force_login(p.desa_a)
    page = client.get(reverse("request_detail", args=[original.pk])).content.decode()
    assert reverse("request_correct", args=[original.pk]) in page
    running = make_submitted(p.desa_a)
    page = client.get(reverse("request_detail", args=[running.pk])).content.decode()
    assert reverse("request_correct", args=[running.pk]) not in page


def test_the_form_keeps_what_was_typed_and_says_what_is_missing(personas):
    p = personas
    original = issued(p)
    client = Client()
    client.cookies["django_language"] = "id"
    client.force_login(p.desa_a)
    response = client.post(
        reverse("request_correct", args=[original.pk]),
        {"output": wrong_output(original).pk, "cause": "clerical", "wrong": WRONG},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Slamet Riyadl" in content  # kept
    assert "Unggah bukti kesalahan" in content
    assert not ServiceRequest.objects.filter(corrects=original).exists()


# --- the figures --------------------------------------------------------------------------------


def test_the_dinas_error_is_never_counted_against_the_village(personas):
    p = personas
    with time_machine.travel(at(1, 9), tick=False) as clock:
        original = issued(p)
        clock.move_to(at(2, 9))
        correction = open_correction(p.desa_a, original)
        clock.move_to(at(4, 15))  # a late correction: after its 4 working hours
        correction = corrected(p, correction)
        services.request_hand_over(actor=p.desa_a, request=correction)
        clock.move_to(at(7, 9))
        open_correction(p.desa_a, issued(p, "akta-kelahiran"))  # open now, overdue later
        refresh_activity(rebuild=True)
    village_rows = MonthlyActivity.objects.filter(village=p.desa_a.area)
    sums = {
        field: sum(getattr(row, field) for row in village_rows)
        for field in ("submitted", "completed", "completed_on_time", "handed_over", "queue_stays")
    }
    # Two requests of the village, both complete on time; the corrections are not there.
    assert sums["submitted"] == 2
    assert sums["completed"] == 2
    assert sums["completed_on_time"] == 2
    assert sums["handed_over"] == 0
    regency = p.head.area
    period = Period("2026-12", at(1, 0).date(), month_end(at(1, 0).date()))
    with time_machine.travel(at(9, 9), tick=False):
        figures = corrections_report(Scope(p.head, regency), period)
        assert corrections_report(Scope(p.head, p.desa_a.area.parent), period) is None
        open_now = Scope(p.head, regency).requests().filter(status=Status.VERIFIED).count()
    assert figures is not None
    assert (figures.opened, figures.completed, figures.completed_on_time) == (2, 1, 0)
    assert (figures.open_now, figures.overdue_now) == (1, 1)
    assert open_now == 0  # the village's open requests: the correction is not one


def test_the_workload_counts_the_error_against_the_clerk_who_issued_it(personas):
    p = personas
    with time_machine.travel(at(1, 9), tick=False) as clock:
        original = issued(p)
        clock.move_to(at(2, 9))
        corrected(p, open_correction(p.desa_a, original))
        (load,) = workload([p.clerk], at(1, 0), at(31, 0))
    assert load.completed == 1  # the original only: the correction is no new work
    assert load.taken == 1
    assert load.corrections == 1


def test_the_speed_page_shows_the_dinas_its_corrections(personas):
    p = personas
    open_correction(p.desa_a, issued(p))
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(p.viewer)
    content = client.get(reverse("reports_speed")).content.decode()
    assert "clerical errors corrected" in content
    assert "Slamet" not in content


def test_the_exports_carry_the_dinas_its_corrections_and_a_kecamatan_s_do_not(personas):
    """The XLSX and the PDF report of the regency count the Dinas's clerical errors apart
    (UU 23/2006 Pasal 71 as amended by UU 24/2013); a kecamatan's exports have no such part."""
    p = personas
    open_correction(p.desa_a, issued(p))
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(p.head)
    book = load_workbook(io.BytesIO(client.get(reverse("reports_speed_xlsx")).content))
    sheet = book["Corrections (Dinas)"]
    figures = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert figures["Corrections asked for"] == 1
    assert figures["Open now"] == 1
    pdf = client.get(reverse("reports_pdf")).content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "clerical errors corrected" in text
    assert "Slamet" not in text
    client.force_login(p.kecamatan_a)
    book = load_workbook(io.BytesIO(client.get(reverse("reports_speed_xlsx")).content))
    assert "Corrections (Dinas)" not in book.sheetnames


# --- the public verification page -------------------------------------------------------------


def test_the_wrong_documents_page_says_corrected_and_when_without_the_new_data(personas):
    p = personas
    original = issued(p)
    wrong = wrong_output(original)
    with time_machine.travel(at(3, 10), tick=False):
        correction = corrected(p, open_correction(p.desa_a, original))
    right = OutputFile.objects.get(request=correction)
    result = verify_code(wrong.verification_code)
    assert result is not None
    assert result.corrected
    assert not result.superseded
    assert result.revoked_on == at(3, 10).date()
    assert result.revoked_reason == ""
    client = Client()
    client.cookies["django_language"] = "en"
    content = client.get(reverse("verify_result", args=[wrong.verification_code])).content.decode()
    assert "Corrected: this copy is not valid" in content
    assert "3 December 2026" in content
    assert right.verification_code not in content
    assert correction.number not in content
    new_page = client.get(reverse("verify_result", args=[right.verification_code]))
    assert "and not revoked" in new_page.content.decode()
    assert Transition.objects.filter(request=original, action=Action.CORRECT).count() == 1


# --- the history and the clock ------------------------------------------------------------------


def test_the_history_chain_and_the_states_stay_consistent(personas):
    from paradewi.requests.history import verify_chain, verify_state

    p = personas
    corrected(p, open_correction(p.desa_a, issued(p)))
    assert verify_chain().intact
    assert verify_state().consistent


def test_a_calendar_change_keeps_the_correction_on_its_own_target(personas):
    from paradewi.worktime.services import CalendarChange

    p = personas
    with time_machine.travel(at(1, 9), tick=False):
        correction = open_correction(p.desa_a, issued(p))
        due = correction.due_at
        services.due_times_recompute(CalendarChange(first=None, reason="Jam kantor"))
    correction.refresh_from_db()
    assert correction.due_at == due  # 4 working hours, not the service's working day


def test_the_dinas_queue_is_told_of_a_new_correction(personas, django_capture_on_commit_callbacks):
    from paradewi.notifications.models import Event, Notification

    p = personas
    original = issued(p)
    with django_capture_on_commit_callbacks(execute=True):
        correction = open_correction(p.desa_a, original)
    told = Notification.objects.filter(request=correction, event=Event.QUEUED)
    assert {n.user_id for n in told} >= {p.clerk.pk}
