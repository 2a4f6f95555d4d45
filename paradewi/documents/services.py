"""Writes to issued documents: storing the PDFs that finish a request, superseding the
earlier ones they replace, revoking one (docs/documents.md).

Completing a request is `request_complete` here: the workflow transition of `requests` (who
may, the state, what the service issues) and, in the same transaction, the issued PDFs, each
checked and stored with its SHA-256 and number.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from paradewi.accounts.access import may_see_region
from paradewi.accounts.models import User
from paradewi.accounts.policy import DINAS_ROLES
from paradewi.core.crypto import blind_index
from paradewi.core.fields import KK, NIK
from paradewi.documents.models import OutputFile
from paradewi.documents.signatures import SignatureCheck, check_signature
from paradewi.documents.verification import (
    CORRECTED,
    KK_OUTPUT_CODES,
    REASON_MAX,
    SUPERSEDED,
    clean_document_number,
    valid_document_number,
)
from paradewi.requests import services as request_services
from paradewi.requests.errors import NotAllowedError, WorkflowError
from paradewi.requests.files import CheckedFile, check_output_pdf
from paradewi.requests.models import (
    CorrectionCause,
    ServiceRequest,
    Status,
    new_verification_code,
)
from paradewi.requests.services import OutputUpload

logger = logging.getLogger(__name__)


@transaction.atomic
def request_complete(
    *,
    actor: User,
    request: ServiceRequest,
    outputs: list[OutputUpload],
    pickup_place: str = "",
) -> ServiceRequest:
    """The holder finishes the request with the issued documents.

    Every PDF is checked (a PDF, readable, its number well-formed, its electronic signature
    read and, where the regency requires it, valid: `signature_of`); the transition
    (`requests.services.request_complete`) checks the actor, the state, the documents the
    service issues and the pick-up place of a card; then every PDF is stored with its SHA-256
    and number (`output_issue`), and each new document supersedes
    the earlier valid ones of the same kind for the same person (`outputs_supersede`), all in
    this one transaction.
    """
    # The documents are checked first: a refusal leaves the request as it was, in the
    # database and in the caller's hands.
    for output in outputs:
        if not valid_document_number(output.document_number):
            raise WorkflowError(
                _("A document number has at most 40 letters, digits, “-”, “/” and “.”.")
            )
    checked = [(output, check_output_pdf(output.file)) for output in outputs]
    signatures = [signature_of(file) for _output, file in checked]
    request = request_services.request_complete(
        actor=actor, request=request, outputs=outputs, pickup_place=pickup_place
    )
    stored = [
        output_issue(
            request=request,
            actor=actor,
            output_code=output.output_code,
            file=file,
            document_number=output.document_number,
            signature=signature,
        )
        for (output, file), signature in zip(checked, signatures, strict=True)
    ]
    if request.is_clerical_correction:
        outputs_correct(request, stored)
    if not request.is_practice:
        # A practice result never replaces a real document of the same person.
        outputs_supersede(stored)
    return request


# --- corrections (pembetulan) ----------------------------------------------------------------

# A correction still running (not finished, refused or withdrawn): one per document at a time.
_OPEN_CORRECTION_STATES = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.VERIFIED,
    Status.IN_PROCESS,
    Status.RETURNED,
)


def correctable_outputs(request: ServiceRequest) -> list[OutputFile]:
    """The documents of `request` a correction may name: issued, still valid, and not under a
    correction already running."""
    running = set(
        request.corrections.filter(status__in=_OPEN_CORRECTION_STATES).values_list(
            "correction_output", flat=True
        )
    )
    return [
        output
        for output in request.outputs.filter(revoked_at__isnull=True).order_by("output_code", "pk")
        if output.output_code not in running
    ]


@transaction.atomic
def correction_start(
    *,
    actor: User,
    request: ServiceRequest,
    output: OutputFile,
    cause: str,
    wrong: str,
    evidence: UploadedFile | None = None,
) -> ServiceRequest:
    """Ask for the correction of `output`, an issued document of `request`; returns the new
    request: the correction of a clerical error (`requests.services.correction_open`) or the
    draft of a data change (`requests.services.correction_data_change`).

    The request row is locked, so two officers asking at once open one correction.
    """
    ServiceRequest.objects.select_for_update().filter(pk=request.pk).first()
    if output.request_id != request.pk:
        raise NotAllowedError(_("You cannot do this on this request."))
    if output.pk not in {o.pk for o in correctable_outputs(request)}:
        raise WorkflowError(
            _("This document was revoked or replaced already, or its correction is running.")
        )
    if cause == CorrectionCause.CLERICAL:
        if evidence is None:
            raise WorkflowError(_("Upload the evidence of the error."))
        return request_services.correction_open(
            actor=actor,
            original=request,
            output_code=output.output_code,
            wrong=wrong,
            evidence=evidence,
        )
    if cause == CorrectionCause.DATA_CHANGE:
        return request_services.correction_data_change(
            actor=actor, original=request, output_code=output.output_code, wrong=wrong
        )
    raise WorkflowError(_("Choose why the document is wrong."))


def outputs_correct(correction: ServiceRequest, stored: list[OutputFile]) -> int:
    """Revoke the wrong document a clerical correction replaces: the corrected request's
    document of the same kind, marked "corrected" and pointing to the new one. Call inside
    the completion's transaction, before `outputs_supersede`."""
    new = next((o for o in stored if o.output_code == correction.correction_output), None)
    if new is None or correction.corrects_id is None:
        return 0
    return OutputFile.objects.filter(
        request_id=correction.corrects_id,
        output_code=correction.correction_output,
        revoked_at__isnull=True,
    ).update(revoked_at=timezone.now(), revoked_reason=CORRECTED, superseded_by=new)


def signature_required_message(check: SignatureCheck) -> str:
    return _(
        "The PDF must carry a valid electronic signature of the Dinas (found: %(status)s). "
        "Sign it with the TTE first, then upload the signed file."
    ) % {"status": check.status.label}


def signature_of(file: CheckedFile) -> SignatureCheck:
    """The signature of a checked PDF; refused (ValidationError) where the regency requires a
    valid one (OUTPUT_SIGNATURE_REQUIRED) and it is not."""
    data = file.content.read()
    file.content.seek(0)
    check = check_signature(data)
    if settings.OUTPUT_SIGNATURE_REQUIRED and not check.ok:
        raise ValidationError(signature_required_message(check), code="signature")
    return check


def output_issue(
    *,
    request: ServiceRequest,
    actor: User,
    output_code: str,
    file: CheckedFile,
    document_number: str = "",
    signature: SignatureCheck | None = None,
) -> OutputFile:
    """Store one checked PDF of `request` with its SHA-256 and the number printed on it.

    Call inside the transaction of the request's completion (`request_complete`)."""
    output = OutputFile(
        request=request,
        output_code=output_code,
        size=file.size,
        sha256=file.sha256,
        uploaded_by=actor,
        document_number=clean_document_number(document_number),
    )
    if request.is_practice:
        # Never a real verification code: "LATIHAN" holds letters no real code has (I, L), and
        # the public lookup reads real requests' documents only (OutputFile.objects).
        output.verification_code = practice_verification_code()
    if signature is not None:
        output.signature_status = signature.status
        output.signature_signer = signature.signer
        output.signature_signed_at = signature.signed_at
    output.file.save("output.pdf", file.content, save=False)
    output.save()
    return output


def practice_verification_code() -> str:
    """A practice result's code: "LATIHAN" and 5 random characters (12, the column's length)."""
    return "LATIHAN" + new_verification_code()[:5]


def output_revoke(output: OutputFile, *, actor: User, reason: str) -> OutputFile:
    """The Dinas (clerk or head) withdraws an issued document, with the reason the public sees.

    Compare-and-swap on `revoked_at`: a document is revoked once; a second attempt (another
    clerk a moment later) is refused with a message.
    """
    if not actor.is_active or actor.role not in DINAS_ROLES:
        raise NotAllowedError(_("You cannot do this on this request."))
    if not may_see_region(actor, output.request.village):
        raise NotAllowedError(_("You cannot do this on this request."))
    reason = " ".join(reason.split())
    if not reason:
        raise WorkflowError(_("Say why the document is revoked."))
    if len(reason) > REASON_MAX:
        raise WorkflowError(
            _("Write the reason in at most %(limit)d characters.") % {"limit": REASON_MAX}
        )
    now = timezone.now()
    changed = OutputFile.objects.filter(pk=output.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_reason=reason, revoked_by=actor
    )
    if changed != 1:
        raise WorkflowError(_("This document was already revoked."))
    logger.info(
        "Output %s (request %s) revoked by user %s: %s",
        output.pk,
        output.request_id,
        actor.pk,
        reason,
    )
    output.refresh_from_db()
    return output


def _same_document_of_same_person(output: OutputFile) -> Q | None:
    """Which earlier outputs `output` replaces; None when the request names nobody to match.

    A family card is matched on the KK number, any other document on the output code and the
    NIK of the person it is for.
    """
    request = output.request
    if output.output_code in KK_OUTPUT_CODES:
        kk = request.subject_kk.strip()
        if not kk:
            return None
        return Q(
            output_code__in=KK_OUTPUT_CODES,
            request__subject_kk_index=blind_index(kk, purpose=KK),
        )
    nik = request.subject_nik.strip()
    if not nik:
        return None
    return Q(
        output_code=output.output_code,
        request__subject_nik_index=blind_index(nik, purpose=NIK),
    )


def outputs_supersede(outputs: list[OutputFile]) -> int:
    """Revoke the valid documents that the newly stored `outputs` replace; return how many.

    Call inside the transaction that stores `outputs` (`request_complete` here), so the new
    document and the end of the old one commit together. Documents of the same request are
    never touched.
    """
    if not outputs:
        return 0
    now = timezone.now()
    revoked = 0
    for output in outputs:
        match = _same_document_of_same_person(output)
        if match is None:
            continue
        revoked += (
            OutputFile.objects.filter(match, revoked_at__isnull=True)
            .exclude(request_id=output.request_id)
            .update(revoked_at=now, revoked_reason=SUPERSEDED, superseded_by=output)
        )
    return revoked
