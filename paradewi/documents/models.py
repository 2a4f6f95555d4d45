"""The documents the Dinas issues: the signed PDFs that finish a request (`OutputFile`).

`documents.services` stores them (with their SHA-256 and number), supersedes and revokes
them; the public verification (`documents.verification`) reads them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from paradewi.core.fields import EncryptedTextField
from paradewi.documents.signatures import SignatureStatus
from paradewi.requests.models import (
    VERIFICATION_CODE_LENGTH,
    EveryRowManager,
    ServiceRequest,
    new_verification_code,
    output_path,
)


class RealOutputManager(models.Manager["OutputFile"]):
    """`OutputFile.objects`: documents of real requests only (the public verification, the
    figures). A practice request's sample result is read through its request
    (`request.outputs`, the default manager `everything`)."""

    def get_queryset(self) -> models.QuerySet[OutputFile]:
        return super().get_queryset().filter(request__is_practice=False)


class OutputFile(models.Model):
    """A finished document the Dinas uploaded (an electronically signed PDF).

    Anyone holding a printed copy can check it on the public verification page by its code
    (the QR code leads there): valid or revoked, and byte-identical to what was issued (SHA-256).
    """

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="outputs")
    output_code = models.SlugField(_("document"), max_length=40)
    file = models.FileField(_("file"), upload_to=output_path, max_length=200)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    verification_code = models.CharField(
        _("verification code"),
        max_length=VERIFICATION_CODE_LENGTH,
        unique=True,
        default=new_verification_code,
        editable=False,
    )
    # The number printed on the document (KK number, akta number, ...), when the Dinas gives it;
    # encrypted like the request's NIK and KK (a new family card's number is a KK number).
    document_number = EncryptedTextField(_("document number"), max_length=40, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=200, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # What its electronic signature showed when it was uploaded (documents/signatures.py).
    signature_status = models.CharField(
        _("signature"), max_length=10, choices=SignatureStatus.choices, blank=True, default=""
    )
    signature_signer = models.CharField(_("signed by"), max_length=200, blank=True)
    signature_signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    # The document that replaced this one (a new KK supersedes the old one).
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RealOutputManager()
    everything = EveryRowManager()

    class Meta:
        default_manager_name = "everything"
        # The table kept its name when the model moved here from requests.
        db_table = "requests_outputfile"
        ordering = ["output_code", "uploaded_at"]
        verbose_name = _("output document")
        verbose_name_plural = _("output documents")

    def __str__(self) -> str:
        return self.output_code
