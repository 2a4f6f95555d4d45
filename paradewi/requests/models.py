from __future__ import annotations

import secrets
import uuid
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from paradewi.catalogue.models import Service, ServiceVersion
from paradewi.core.fields import (
    KK,
    NAME,
    NIK,
    BlindIndexField,
    EncryptedJSONField,
    EncryptedTextField,
)
from paradewi.regions.models import Region

# The workflow's vocabulary, stored in the columns below; importable from here as well.
from paradewi.requests.workflow import EVIDENCE
from paradewi.requests.workflow import Action as Action
from paradewi.requests.workflow import CorrectionCause as CorrectionCause
from paradewi.requests.workflow import Part as Part
from paradewi.requests.workflow import Status as Status

# States in which the service-level clock runs (the request waits for the kecamatan or Dinas).
OPEN_STATES = frozenset({Status.SUBMITTED, Status.VERIFIED, Status.IN_PROCESS})
# States that end the request's life.
FINAL_STATES = frozenset({Status.HANDED_OVER, Status.REJECTED, Status.CANCELLED})


class Sex(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class Relationship(models.TextChoices):
    SELF = "self", _("The person themselves")
    HEAD_OF_FAMILY = "head", _("Head of the family")
    SPOUSE = "spouse", _("Spouse")
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Sibling")
    RELATIVE = "relative", _("Other relative")
    OTHER = "other", _("Other")


_Row = TypeVar("_Row", bound=models.Model)


class EveryRowManager(models.Manager[_Row]):
    """`everything`: every row, real and practice; for the services that act on one request
    already read through the access helpers, the purge, and a request's own timeline."""


class RealRequestManager(models.Manager["ServiceRequest"]):
    """`ServiceRequest.objects`: real requests only. Every queue, search, figure, export,
    public page, notification and verification reads requests through it, so none of them can
    forget to leave practice requests out (docs/training.md)."""

    def get_queryset(self) -> models.QuerySet[ServiceRequest]:
        return super().get_queryset().filter(is_practice=False)


class PracticeRequestManager(models.Manager["ServiceRequest"]):
    """`ServiceRequest.practice`: practice requests only (training mode, "Latihan")."""

    def get_queryset(self) -> models.QuerySet[ServiceRequest]:
        return super().get_queryset().filter(is_practice=True)


# Open requests first, the most overdue first; then the rest, latest change first. Within
# rank 0 every request has a due time and within rank 1 none has, so no NULLS LAST is needed
# (SQLite's indexes cannot say it).
WORKLIST_ORDER = ("worklist_rank", "open_due_at", "-status_changed_at", "-id")
# Sorted: a frozenset's order changes with the hash seed, and the columns' SQL must not.
_OPEN_SORTED = sorted(OPEN_STATES)


class ServiceRequest(models.Model):
    """One request (permohonan) for a population document, made by a village for a resident.

    The status only changes through the services in `requests/services.py` (compare-and-swap on
    the status), as the workflow table (`requests/workflow.py`) allows, and every change appends
    a Transition row.
    """

    # NULL until the first submission (drafts have no number); unique once given.
    number = models.CharField(
        _("registration number"), max_length=24, unique=True, null=True, blank=True
    )
    pin = models.CharField(_("PIN"), max_length=6, blank=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    service_version = models.ForeignKey(ServiceVersion, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    # Denormalised from the village so the kecamatan queue is one indexed filter.
    district = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # A random key from the form: the same form posted twice creates one request.
    idempotency_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    # The Dinas clerk holding the request while it is in process.
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    pickup_place = models.CharField(_("pick-up place"), max_length=200, blank=True)
    # When the cards were handed over, while the printed documents may still wait ("done").
    cards_handed_over_at = models.DateTimeField(_("cards handed over at"), null=True, blank=True)
    # A correction (pembetulan) of an issued request: the request it corrects, why, and (for
    # the Dinas's clerical error) the output code of the one document it issues again.
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    correction_cause = models.CharField(
        _("cause of the correction"), max_length=12, choices=CorrectionCause.choices, blank=True
    )
    correction_output = models.SlugField(_("document corrected"), max_length=40, blank=True)

    # A practice request (training mode, "Latihan"): made by an officer in training, never
    # real, never counted (docs/training.md). Set when the request is created, never changed.
    is_practice = models.BooleanField(_("practice"), default=False, editable=False)
    # Practice only: the kecamatan and Dinas steps are played by the system from a scenario
    # (training.Scenario), not by colleagues in training.
    played_by_scenario = models.BooleanField(default=False, editable=False)

    # The person the document is for. Names, NIK and KK numbers (and the details, which hold
    # the parents', spouses' and family members' names and NIKs) are encrypted in the
    # database; exact-match searches use the keyed hashes in the *_index columns
    # (core/fields.py), the search by name the keyed word hashes of NameToken.
    subject_nik = EncryptedTextField(_("NIK"), max_length=16, blank=True)
    subject_kk = EncryptedTextField(_("KK number"), max_length=16, blank=True)
    subject_name = EncryptedTextField(_("full name"), max_length=150, blank=True)
    subject_sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    subject_birth_place = models.CharField(_("place of birth"), max_length=100, blank=True)
    subject_birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    # The person reporting (pelapor), who is told about progress.
    reporter_nik = EncryptedTextField(_("reporter's NIK"), max_length=16, blank=True)
    reporter_name = EncryptedTextField(_("reporter's name"), max_length=150, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=16, blank=True)
    reporter_relationship = models.CharField(
        _("relationship to the person"), max_length=10, choices=Relationship.choices, blank=True
    )
    # The service's own fields (birth, death, move, ...), as validated by its detail form.
    details: EncryptedJSONField = EncryptedJSONField(_("details"), default=dict, blank=True)
    # Search hashes: a NIK hashes alike as subject and as reporter (purpose "nik").
    subject_nik_index = BlindIndexField(source="subject_nik", purpose=NIK)
    subject_kk_index = BlindIndexField(source="subject_kk", purpose=KK)
    reporter_nik_index = BlindIndexField(source="reporter_nik", purpose=NIK)
    # The whole name, normalised: the duplicate check's "same KK, birth date and name".
    subject_name_index = BlindIndexField(source="subject_name", purpose=NAME)

    # The worklist's order, kept by the database so that an index can serve it: open requests
    # first (rank 0) by due time, then the rest (rank 1) by their latest change. An ORDER BY on
    # CASE expressions would sort every visible request for each page (0.7 s for the Dinas's
    # 1,000,000); on these columns the first page is the first 25 entries of an index.
    worklist_rank = models.GeneratedField(
        expression=Case(
            When(status__in=_OPEN_SORTED, then=Value(0)),
            default=Value(1),
            output_field=models.SmallIntegerField(),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )
    open_due_at = models.GeneratedField(
        expression=Case(
            When(status__in=_OPEN_SORTED, then=F("due_at")),
            default=None,
            output_field=models.DateTimeField(),
        ),
        output_field=models.DateTimeField(null=True),
        db_persist=True,
    )

    # The default manager (the first one): real requests only. `practice` holds the practice
    # requests; `everything` both, for the services that act on one request already read
    # through the access helpers, the purge and the backups.
    objects = RealRequestManager()
    practice = PracticeRequestManager()
    everything = EveryRowManager()

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [
            # The worklists' order (selectors.worklist.order_worklist): the Dinas's, a village's
            # and a kecamatan's "all requests".
            models.Index(fields=[*WORKLIST_ORDER], name="req_worklist"),
            models.Index(fields=["village", *WORKLIST_ORDER], name="req_village_worklist"),
            models.Index(fields=["district", *WORKLIST_ORDER], name="req_district_worklist"),
            models.Index(fields=["village", "status", "due_at"], name="req_village_queue"),
            models.Index(fields=["district", "status", "due_at"], name="req_district_queue"),
            models.Index(fields=["status", "due_at"], name="req_dinas_queue"),
            models.Index(fields=["holder", "status"], name="req_holder"),
            models.Index(fields=["subject_nik_index"], name="req_subject_nik_index"),
            models.Index(fields=["village", "subject_nik_index"], name="req_village_nik_index"),
            # Supersession of an earlier KK when a new one is issued for the same number.
            models.Index(fields=["subject_kk_index"], name="req_subject_kk_index"),
            # Retention: finished requests by the day they ended.
            models.Index(fields=["status", "status_changed_at"], name="req_status_changed"),
            # Practice requests: a small partial index per officer (their own list, the purge
            # and the progress page); real rows do not enter it.
            models.Index(
                fields=["created_by", "created_at"],
                condition=Q(is_practice=True),
                name="req_practice_by_officer",
            ),
            # The Dinas's clerical errors corrected (reports' corrections block): a few rows
            # in a small partial index, where the regency's report read the whole table
            # (390 ms at 1,000,000 requests on SQLite).
            models.Index(
                fields=["district", "status"],
                condition=Q(correction_cause="clerical"),
                name="req_clerical_corrections",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.IN_PROCESS) | Q(holder__isnull=False),
                name="req_in_process_has_holder",
            ),
            models.CheckConstraint(
                condition=Q(is_practice=True) | Q(played_by_scenario=False),
                name="req_scenario_only_in_practice",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def definition(self) -> dict[str, Any]:
        """The service as it was when this request was made (its ServiceVersion).

        A clerical correction (pembetulan) is the same service narrowed: it issues only the
        document corrected, asks only the evidence (no requirement the resident already gave),
        skips the kecamatan and has the correction's own target (`correction_definition`).
        """
        definition: dict[str, Any] = self.service_version.definition
        if self.correction_cause == CorrectionCause.CLERICAL:
            return correction_definition(definition, self.correction_output)
        return definition

    @property
    def is_clerical_correction(self) -> bool:
        return self.correction_cause == CorrectionCause.CLERICAL

    @property
    def has_card_output(self) -> bool:
        return any(output["is_card"] for output in self.definition["outputs"])

    @property
    def document_names(self) -> list[str]:
        """The documents the Dinas issues as signed PDFs, printed at the village."""
        return [o["name"] for o in self.definition["outputs"] if not o["is_card"]]

    @property
    def card_names(self) -> list[str]:
        """The cards the Dinas makes, picked up at `pickup_place`."""
        return [o["name"] for o in self.definition["outputs"] if o["is_card"]]


def correction_target() -> dict[str, Any]:
    """The target of a clerical correction: CORRECTION_TARGET_HOURS working hours.

    No regulation found sets a time for a pembetulan; the regency chooses it (settings), short
    because the error is the Dinas's own and the data are already in SIAK."""
    return {"amount": settings.CORRECTION_TARGET_HOURS, "unit": "hours"}


def correction_definition(definition: dict[str, Any], output_code: str) -> dict[str, Any]:
    """`definition` narrowed to a clerical correction of its document `output_code`."""
    return {
        **definition,
        "outputs": [o for o in definition["outputs"] if o["code"] == output_code],
        "requirements": [
            {
                "code": EVIDENCE,
                "name": str(_("Evidence of the error")),
                "hint": str(
                    _(
                        "A photo or scan of the wrong document beside the right data "
                        "(akta, ijazah, KK, the F-2.01 as filed)."
                    )
                ),
                "form_code": "",
                "condition": "always",
            }
        ],
        "target": correction_target(),
        "district_step": False,
    }


def upload_path(instance: Upload, filename: str) -> str:
    # The stored name never contains the user's file name (path traversal, odd characters).
    return f"uploads/{instance.request_id}/{uuid.uuid4().hex}"


def output_path(instance: Any, filename: str) -> str:
    """Where an issued document (`documents.OutputFile`) is stored; named here, where the
    migrations that made the table first pointed."""
    return f"outputs/{instance.request_id}/{uuid.uuid4().hex}.pdf"


class NameToken(models.Model):
    """One keyed hash of a word of a request's subject name, or of the start of one
    (core.crypto.name_tokens): what the worklists' search by name looks up.

    The village and kecamatan are copied from the request so that one index answers the
    search of a village officer (token, kecamatan, village) and of a kecamatan operator (token,
    kecamatan), and gives the request ids without reading the requests; a second one, (token,
    request), answers the Dinas's and keeps each word's requests in the order of their ids.
    Written only by `requests.name_index` when a request's name is saved.
    """

    id = models.BigAutoField(primary_key=True)
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="+")
    # Copies of the request's own (which holds the foreign keys): no constraint to check here.
    district = models.ForeignKey(
        Region, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", db_index=False
    )
    village = models.ForeignKey(
        Region, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", db_index=False
    )
    token = models.BigIntegerField()

    class Meta:
        verbose_name = _("name search hash")
        verbose_name_plural = _("name search hashes")
        indexes = [
            models.Index(
                fields=["token", "district", "village", "request"], name="name_token_search"
            ),
            # A word's requests in the order of their ids, over the whole regency: the Dinas's
            # search, the intersection of two words (merged, not probed), and whether a
            # request has a word (one probe, near the previous one when walking in order).
            models.Index(fields=["token", "request"], name="name_token_request"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.token}"


class UploadState(models.TextChoices):
    """Where a sent file stands. A photo is stored as it arrived and checked by the worker:
    decoded in full and written again as a clean JPEG (requests/files.py), off the officer's
    wait. Until then nobody can open it; a photo that cannot be decoded is damaged."""

    CHECKING = "checking", _("Being checked")
    READY = "ready", _("Ready")
    DAMAGED = "damaged", _("Damaged")


class Upload(models.Model):
    """One scanned requirement. A replacement keeps the old row (replaced_at set) for history.

    The current row of a requirement is the last file sent for it, whatever its `state`: a
    damaged one stays current (the checklist counts it as missing and says why) until the
    officer sends another."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="uploads")
    requirement_code = models.SlugField(_("requirement"), max_length=40)
    file = models.FileField(_("file"), upload_to=upload_path, max_length=200)
    # Encrypted: scans are often named after the person's NIK or KK number.
    original_name = EncryptedTextField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    # Pages of a PDF (1 for a photo), for the viewer.
    pages = models.PositiveSmallIntegerField(_("pages"), default=1)
    # Set when the retention task deleted the file (the row, its hash and history remain).
    purged_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=UploadState.choices, default=UploadState.READY
    )
    # The SHA-256 of the bytes as they were sent (`sha256` is of what is stored): a retried
    # upload of the same photo is recognised before and after the worker re-encoded it.
    received_sha256 = models.CharField(max_length=64, blank=True)
    # Why a damaged file was refused: the code of requests.files' message (`refusal_message`).
    refusal = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["requirement_code", "-uploaded_at"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "requirement_code"],
                condition=Q(replaced_at__isnull=True),
                name="upload_one_current_per_requirement",
            )
        ]
        indexes = [
            # Retention reads only the uploads whose file is still stored.
            models.Index(
                fields=["request"], condition=Q(purged_at__isnull=True), name="upload_stored"
            ),
            # The clock looks for photos whose check is overdue (a handful at most).
            models.Index(
                fields=["uploaded_at"],
                condition=Q(state=UploadState.CHECKING),
                name="upload_checking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement_code}: {self.original_name}"

    @property
    def checking(self) -> bool:
        return self.state == UploadState.CHECKING

    @property
    def damaged(self) -> bool:
        return self.state == UploadState.DAMAGED

    @property
    def readable(self) -> bool:
        """The stored file may be shown: checked, and not deleted by retention."""
        return self.state == UploadState.READY and self.purged_at is None


# Crockford's base-32 alphabet: no I, L, O or U, so a code read aloud or typed is not mistaken.
VERIFICATION_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VERIFICATION_CODE_LENGTH = 12  # 60 random bits


def new_verification_code() -> str:
    return "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_CODE_LENGTH))


class RealTransitionManager(models.Manager["Transition"]):
    """`Transition.objects`: the history of real requests only (figures, notifications, the
    tamper-evident chain)."""

    def get_queryset(self) -> models.QuerySet[Transition]:
        return super().get_queryset().filter(is_practice=False)


class Transition(models.Model):
    """Append-only history: every status change (and reassignment) of a request.

    It is the audit trail, the timeline users see and the source of the service-level figures.
    Rows are only ever inserted (by `requests.services`), never updated or deleted; the rows of
    practice requests go when the practice data is purged (they are outside the chain).

    `objects` reads real history only. The default manager (`everything`) serves the reverse
    relation `request.transitions`: one request's own timeline, whatever its kind.
    """

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    # Per-requirement return reasons {"requirement_code": "reason"}, reassignment target, ...
    details: models.JSONField[Any, Any] = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    # HMAC of this row and the previous row's hash (requests/history.py): the history is a
    # chain, and a changed, removed or inserted row breaks it from that row on. Practice rows
    # stay outside the chain (blank), so purging them leaves it whole.
    chain_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Copied from the request: figures read the history without joining the request.
    is_practice = models.BooleanField(default=False, editable=False)

    objects = RealTransitionManager()
    everything = EveryRowManager()

    class Meta:
        default_manager_name = "everything"
        ordering = ["created_at", "pk"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        indexes = [models.Index(fields=["request", "created_at"], name="transition_request")]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} -> {self.to_status}"


class Receiver(models.TextChoices):
    SUBJECT = "subject", _("The person the document is for")
    REPORTER = "reporter", _("The reporter")
    FAMILY = "family", _("Another family member")


class HandOver(models.Model):
    """Who received what of a finished request, recorded with the hand-over's history row.

    The receiver's name is personal data: encrypted like the NIKs (core/fields.py). Rows are
    only ever inserted, with their Transition, by `requests.services.request_hand_over`.
    """

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="handovers")
    transition = models.OneToOneField(Transition, on_delete=models.CASCADE, related_name="handover")
    parts = models.JSONField(_("parts"), default=list)
    receiver = models.CharField(_("received by"), max_length=10, choices=Receiver.choices)
    receiver_name = EncryptedTextField(_("receiver's name"), max_length=150)
    receiver_relationship = models.CharField(
        _("relationship to the person"), max_length=10, choices=Relationship.choices, blank=True
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")

    def __str__(self) -> str:
        return f"{self.request_id}: {', '.join(self.parts)}"

    @property
    def part_labels(self) -> list[str]:
        labels = dict(Part.choices)
        return [str(labels.get(part, part)) for part in self.parts]


class HistoryHead(models.Model):
    """The end of the history chain: the last row's id and hash (one row, locked to append)."""

    last_pk = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.last_pk}: {self.last_hash[:12]}"


class NumberSequence(models.Model):
    """The last registration number used per village and month (row-locked when taken)."""

    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=4)  # YYMM
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["village", "period"], name="number_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.village_id}/{self.period}: {self.last}"
