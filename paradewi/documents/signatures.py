"""The electronic signature of a PDF the Dinas issues, checked with pyHanko when it is uploaded.

Documents the Dinas issues are signed with its electronic signature (tanda tangan elektronik,
TTE) before upload. An electronic signature has legal force only while any change to the
signature and to the signed information after the time of signing can be detected, and there
is a way to identify the signer (UU 11/2008 tentang ITE Pasal 11 ayat (1) huruf c, d and e,
as amended by UU 19/2016). Population documents other than the KTP-el and KIA are printed on
plain A4 paper with a TTE instead of a wet signature and stamp (Permendagri 109/2019 tentang
Formulir dan Buku yang Digunakan dalam Administrasi Kependudukan, Pasal 12 and 21, as
Dukcapil's own notices quote them; the regulation's text itself was not at hand), after
Permendagri 7/2019 (online services) brought the TTE in. So paradewi checks, on upload:

- that the PDF carries a signature at all;
- that the signed bytes are intact (the digest and the cryptographic signature hold);
- that nothing but what a signature may allow was added after it (pyHanko's difference
  analysis: an appended page or changed text is "modified");
- the signer (the certificate's name) and the signing time (a timestamp token's time when there
  is one, otherwise the time the signer's software wrote);
- when SIGNATURE_TRUST_ROOTS names the certificates of the authorities the regency trusts (for
  example the root of BSrE, BSSN), that the signer's certificate chains to one of them.

Nothing is fetched from the network (no revocation lists, no OCSP): the upload must not wait on
an outside server, and the server may have no way out. Revocation is therefore not checked;
docs/documents.md says so.

`OUTPUT_SIGNATURE_REQUIRED` (a setting of the deployment, i.e. of the regency) refuses a PDF
whose signature is not valid; without it such a PDF is accepted with a warning, and the
request page and the public verification page say what was found.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from paradewi.core.signing import outside_any_event_loop

logger = logging.getLogger(__name__)


class SignatureStatus(models.TextChoices):
    # Intact, unmodified, and the certificate chains to a trusted authority.
    VALID = "valid", _("valid electronic signature")
    # Intact and unmodified; no trusted authorities configured, so the signer is not checked.
    INTACT = "intact", _("electronic signature intact, signer not checked against an authority")
    # Intact and unmodified, but the certificate does not chain to a trusted authority.
    UNTRUSTED = "untrusted", _("electronic signature from an authority that is not trusted")
    UNSIGNED = "unsigned", _("not signed electronically")
    # Broken, changed after signing, or unreadable.
    INVALID = "invalid", _("electronic signature NOT valid")
    # Stored before signatures were checked.
    UNKNOWN = "", _("signature not checked")


# What counts as a valid signature where one is required.
ACCEPTED = frozenset({SignatureStatus.VALID, SignatureStatus.INTACT})


@dataclass(frozen=True)
class SignatureCheck:
    status: SignatureStatus
    signer: str = ""
    signed_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.status in ACCEPTED


@cache
def _trust_roots(paths: tuple[str, ...]) -> tuple[object, ...]:
    from pyhanko.keys import load_certs_from_pemder

    return tuple(load_certs_from_pemder(list(paths))) if paths else ()  # type: ignore[no-untyped-call]


def trust_roots() -> tuple[object, ...]:
    return _trust_roots(tuple(settings.SIGNATURE_TRUST_ROOTS))


def _signer_name(cert: object) -> str:
    subject = getattr(cert, "subject", None)
    if subject is None:
        return ""
    try:
        native = subject.native
        return str(native.get("common_name") or subject.human_friendly)
    except (AttributeError, ValueError, TypeError):
        return ""


def check_signature(data: bytes) -> SignatureCheck:
    """What the last signature of the PDF says (the one that covers the most of the file)."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, OSError):
        return SignatureCheck(SignatureStatus.UNSIGNED)
    if not signatures:
        return SignatureCheck(SignatureStatus.UNSIGNED)
    signature = signatures[-1]
    roots = list(trust_roots())
    try:
        # Without trusted authorities the chain is not judged: the signer's own certificate
        # stands in as the root, so pyHanko checks the rest without a path-building failure.
        anchors = roots or [signature.signer_cert]
        context = ValidationContext(trust_roots=anchors, allow_fetching=False)
        status = outside_any_event_loop(validate_pdf_signature, signature, context)
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as error:
        logger.info("An uploaded PDF's signature could not be validated: %s", error)
        return SignatureCheck(SignatureStatus.INVALID)
    signer = _signer_name(status.signing_cert)
    timestamp = status.timestamp_validity
    signed_at = timestamp.timestamp if timestamp is not None else status.signer_reported_dt
    modified = status.modification_level not in (
        None,
        ModificationLevel.NONE,
        ModificationLevel.LTA_UPDATES,
        ModificationLevel.FORM_FILLING,
    )
    if not (status.intact and status.valid) or modified or not status.docmdp_ok:
        result = SignatureStatus.INVALID
    elif not roots:
        result = SignatureStatus.INTACT
    elif status.trusted:
        result = SignatureStatus.VALID
    else:
        result = SignatureStatus.UNTRUSTED
    return SignatureCheck(result, signer=signer[:200], signed_at=signed_at)
