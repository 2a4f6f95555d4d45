"""Verifying issued documents (docs/design.md, "Documents"): is a printed copy genuine and
still valid?

Every PDF the Dinas issues (`documents.OutputFile`, stored by `documents.services`) is kept
with its SHA-256 and a random verification code (12 characters of Crockford's base-32, 60
bits). The QR code on the slip the village staples to the printed document opens the public
page of that code, which tells anyone: valid or revoked (and when, and why), the type of
document, its number, the issue date, the masked name and the issuing Dinas; nothing else.
Anyone may also upload a PDF there to learn whether it is byte-identical to the one issued.

A document stops being valid in three ways:
- the Dinas revokes it with a reason (`services.output_revoke`), shown on the public page;
- a newer document of the same kind for the same person supersedes it
  (`services.outputs_supersede`, called by `services.request_complete` in the same
  transaction): a new KK replaces every earlier KK of that KK number, a new birth
  certificate the earlier one of that NIK;
- a correction of the Dinas's clerical error (pembetulan) issues it again, right
  (`services.outputs_correct`): the page says "corrected" and the day, nothing of the new one.

Revocations are not written to the request's history (`Transition`): those rows are status
changes that feed the timeline, the notifications and the service-level figures, and a
revocation changes no request's status. The output row itself keeps when and why; the actor
of a manual revocation goes to the log.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from paradewi.accounts.access import may_see_region
from paradewi.accounts.models import User
from paradewi.accounts.policy import DINAS_ROLES
from paradewi.core.masking import mask_name
from paradewi.core.ratelimit import Limit
from paradewi.documents.models import OutputFile
from paradewi.requests.models import VERIFICATION_ALPHABET, VERIFICATION_CODE_LENGTH
from paradewi.requests.receipts import dinas_name
from paradewi.requests.tracking import LOCKOUT, WINDOW

logger = logging.getLogger(__name__)

# The reason stored on an output that a newer document replaced.
SUPERSEDED = "superseded"
# The reason stored on an output the Dinas corrected (pembetulan of its clerical error).
CORRECTED = "corrected"
REASON_MAX = 200  # OutputFile.revoked_reason

# Outputs that are a family card: whatever the service, a new one replaces the earlier cards
# of the same KK number (the card for those who stay behind after a move is a new KK too).
KK_OUTPUT_CODES = frozenset({"kk", "kk-tinggal"})

# The number printed on a document: KK numbers, akta numbers such as 3516-LT-12012024-0001.
DOCUMENT_NUMBER_MAX = 40
# Anchored, so that a form's RegexValidator (which searches) accepts only whole numbers.
DOCUMENT_NUMBER_RE = re.compile(r"\A[A-Za-z0-9./-]{1,40}\Z")

_CODE_RE = re.compile(f"[{VERIFICATION_ALPHABET}]{{{VERIFICATION_CODE_LENGTH}}}")
# Spaces and every kind of dash a phone keyboard may produce are ignored.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]")
# Crockford's decoding: letters that look like digits are read as those digits.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
GROUP = 4


# --- codes --------------------------------------------------------------------------------------


def normalise_code(raw: str) -> str | None:
    """The stored form of a typed or scanned code, or None if it cannot be one.

    Case, spaces and dashes do not matter, and O, I and L are read as 0, 1 and 1:
    "abcd-efgh-jk0o" and "ABCDEFGHJK00" are the same code.
    """
    code = _SEPARATORS.sub("", raw or "").upper().translate(_LOOKALIKES)
    return code if _CODE_RE.fullmatch(code) else None


def display_code(code: str) -> str:
    """The code in groups of four for reading aloud and typing: "ABCD-EFGH-JK00"."""
    return "-".join(code[start : start + GROUP] for start in range(0, len(code), GROUP))


def verification_path(code: str) -> str:
    return reverse("verify_result", args=[code])


def verification_url(code: str) -> str:
    """The absolute address the QR code of a document opens."""
    return f"{settings.SITE_URL}{verification_path(code)}"


def valid_document_number(number: str) -> bool:
    """Empty, or up to 40 letters, digits, "-", "/" and "."."""
    number = number.strip()
    return not number or DOCUMENT_NUMBER_RE.fullmatch(number) is not None


def clean_document_number(number: str) -> str:
    """The number as stored: without surrounding spaces, letters in capitals."""
    return number.strip().upper()


# --- what the public page shows -----------------------------------------------------------------


@dataclass(frozen=True)
class VerificationResult:
    """Everything the public verification page shows, and nothing more."""

    code: str
    display_code: str
    document_type: str
    document_number: str
    # True when the document has no number of its own and the registration number is shown.
    number_is_reference: bool
    issued_on: date
    masked_name: str
    issuer: str
    revoked_on: date | None
    revoked_reason: str  # the Dinas's reason; empty for a superseded or corrected document
    superseded: bool
    # Replaced by a corrected document (pembetulan): the page says so and when, and shows
    # nothing of the new document (its data are the person's, and the right ones).
    corrected: bool = False
    # What the PDF's electronic signature showed when it was issued (documents/signatures.py):
    # the signer is the Dinas's official named on the document itself.
    signature_status: str = ""
    signature_signer: str = ""
    signature_signed_at: datetime | None = None

    @property
    def is_valid(self) -> bool:
        return self.revoked_on is None

    @property
    def signature_doubtful(self) -> bool:
        """Issued, but its PDF had no signature, a broken one, or one nobody trusted here
        vouches for (documents issued before signatures were checked are not doubted)."""
        return self.signature_status in ("unsigned", "invalid", "untrusted")


def find_output(code: str) -> OutputFile | None:
    """The issued document with this code (in any typed form), or None. One query."""
    canonical = normalise_code(code)
    if canonical is None:
        return None
    return (
        OutputFile.objects.select_related("request__service_version")
        .filter(verification_code=canonical)
        .first()
    )


def is_corrected(output: OutputFile) -> bool:
    return output.revoked_at is not None and output.revoked_reason == CORRECTED


def is_superseded(output: OutputFile) -> bool:
    return (
        output.revoked_at is not None
        and not is_corrected(output)
        and (output.superseded_by_id is not None or output.revoked_reason == SUPERSEDED)
    )


def document_type(output: OutputFile) -> str:
    """The document's name as the request's service defined it ("Kartu Keluarga")."""
    names = {o["code"]: o["name"] for o in output.request.definition["outputs"]}
    return str(names.get(output.output_code, output.output_code))


def verification_result(output: OutputFile) -> VerificationResult:
    request = output.request
    superseded = is_superseded(output)
    corrected = is_corrected(output)
    return VerificationResult(
        code=output.verification_code,
        display_code=display_code(output.verification_code),
        document_type=document_type(output),
        document_number=output.document_number or request.number or "",
        number_is_reference=not output.document_number,
        issued_on=timezone.localdate(output.uploaded_at),
        masked_name=mask_name(request.subject_name),
        issuer=dinas_name(),
        revoked_on=timezone.localdate(output.revoked_at) if output.revoked_at else None,
        revoked_reason="" if superseded or corrected else output.revoked_reason,
        superseded=superseded,
        corrected=corrected,
        signature_status=output.signature_status,
        signature_signer=output.signature_signer,
        signature_signed_at=output.signature_signed_at,
    )


def verify_code(code: str) -> VerificationResult | None:
    """What the public page says about a code; None when no document has it."""
    output = find_output(code)
    return verification_result(output) if output is not None else None


# --- checking a copy ----------------------------------------------------------------------------


def check_copy(output: OutputFile, uploaded_file: UploadedFile) -> bool:
    """Whether the uploaded file is byte for byte the document that was issued.

    The file is hashed in chunks as it is read (never stored) and the digests are compared in
    constant time. A file above OUTPUT_MAX_BYTES is refused with a ValidationError: no issued
    document is that large.
    """
    limit = settings.OUTPUT_MAX_BYTES
    declared = uploaded_file.size or 0
    if declared > limit:
        raise ValidationError(
            _("The file is %(size)s; at most %(limit)s is allowed.")
            % {"size": filesizeformat(declared), "limit": filesizeformat(limit)},
            code="too_big",
        )
    digest = hashlib.sha256()
    size = 0
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        size += len(chunk)
        if size > limit:
            raise ValidationError(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
                code="too_big",
            )
        digest.update(chunk)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    return hmac.compare_digest(digest.hexdigest(), output.sha256)


# --- rate limits --------------------------------------------------------------------------------

# Per client address and WINDOW seconds (15 minutes): lookups of a code, and PDFs checked
# (each one up to OUTPUT_MAX_BYTES to read and hash). The LIMIT-th opens a LOCKOUT. Codes carry
# 60 random bits, so the limit is not what keeps them from being guessed; it keeps one client
# from scraping the page or loading the server with uploads.
LOOKUP_LIMIT = 60
CHECK_LIMIT = 10
LIMITS = {
    scope: Limit(prefix="verify", scope=scope, limit=limit, window=WINDOW, lockout=LOCKOUT)
    for scope, limit in (("lookup", LOOKUP_LIMIT), ("check", CHECK_LIMIT))
}


class TooManyChecksError(Exception):
    """Too many lookups or checks from one client address lately: refused without looking."""


def count_attempt(scope: str, client_ip: str) -> None:
    """Count one lookup ("lookup") or one file check ("check") from the client address.

    Raises TooManyChecksError while the address is locked out. The counting is the shared
    one of `core.ratelimit`, as for the tracking page's PINs: the limit holds across app
    servers.
    """
    limit = LIMITS[scope]
    ip = client_ip or "unknown"
    if limit.is_locked(ip):
        raise TooManyChecksError(
            _(
                "Too many checks from this connection. Wait %(minutes)d minutes and try again, "
                "or ask the village office or the Dinas."
            )
            % {"minutes": LOCKOUT // 60}
        )
    limit.record(ip)


# --- revoking -----------------------------------------------------------------------------------


def may_revoke(user: User, output: OutputFile) -> bool:
    return (
        user.is_active
        and user.role in DINAS_ROLES
        and output.revoked_at is None
        and may_see_region(user, output.request.village)
    )
