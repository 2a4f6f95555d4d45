from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# Form numbers of Permendagri 109/2019: F-1.xx population registration, F-2.xx civil registration.
FORM_CODE_RE = re.compile(r"F-[12]\.\d{2}")


# A reason (route) code as the detail forms store it: "marriage", "head_died", "split".
REASON_RE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


def reason_codes(text: str) -> list[str]:
    """The reason codes of a requirement's `reasons` text, in order, without blanks."""
    return [part.strip() for part in text.split(",") if part.strip()]


class TargetUnit(models.TextChoices):
    MINUTES = "minutes", _("working minutes")
    HOURS = "hours", _("working hours")
    DAYS = "days", _("working days")


class Condition(models.TextChoices):
    """When a requirement applies; evaluated against the request's own data."""

    ALWAYS = "always", _("Always")
    IF_LOST = "if_lost", _("Only if the document was lost")
    IF_DAMAGED = "if_damaged", _("Only if the document was damaged")
    IF_MOVED_IN = "if_moved_in", _("Only if the person moved in from elsewhere")
    IF_ELEMENT_CHANGE = "if_element_change", _("Only if data elements change")
    IF_CHILD_5_17 = "if_child_5_17", _("Only if the child is 5 to 17 years old")
    IF_UNDER_21 = "if_under_21", _("Only if a spouse is under 21")
    IF_UNDER_19 = "if_under_19", _("Only if a spouse is under 19")
    IF_MARRIED_BEFORE = "if_married_before", _("Only if a spouse was married before")


class Service(models.Model):
    """A population-document service as the administrator edits it today.

    Requests never point here directly: they point at the ServiceVersion that was current
    when they were created, so later edits do not change what an earlier request required.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    target_amount = models.PositiveIntegerField(_("target time"), default=1)
    target_unit = models.CharField(
        _("target unit"), max_length=10, choices=TargetUnit.choices, default=TargetUnit.DAYS
    )
    district_step = models.BooleanField(
        _("kecamatan verification"),
        default=True,
        help_text=_("Whether the kecamatan operator checks the request before the Dinas."),
    )
    reporting_limit_days = models.PositiveIntegerField(
        _("legal reporting limit (days)"),
        null=True,
        blank=True,
        help_text=_("Days after the event within which it must be reported, if the law sets one."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name

    @property
    def target_display(self) -> str:
        return target_display(self.target_amount, self.target_unit)


def target_display(amount: int, unit: str) -> str:
    if unit == TargetUnit.MINUTES:
        return ngettext("%(n)d working minute", "%(n)d working minutes", amount) % {"n": amount}
    if unit == TargetUnit.HOURS:
        return ngettext("%(n)d working hour", "%(n)d working hours", amount) % {"n": amount}
    return ngettext("%(n)d working day", "%(n)d working days", amount) % {"n": amount}


class Requirement(models.Model):
    """One upload a request of the service needs.

    Requirements that share an `alternative_group` are alternatives: one `alternative_option`
    of the group must be complete (an option may consist of several uploads, e.g. an akta
    kematian plus the old KK).

    A requirement applies when its `condition` holds and, if it names `reasons`, when the
    reason the officer chose for the request is one of them: the legal routes of a service
    (KK baru after a marriage, after the death of the head of the family, ... in
    Permendagri 108/2019 Pasal 10) each have their own documents.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="requirements")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    hint = models.CharField(_("hint"), max_length=300, blank=True)
    form_code = models.CharField(
        _("official form"),
        max_length=10,
        blank=True,
        help_text=_("Form number (e.g. F-1.01) when the system can print it filled in."),
    )
    alternative_group = models.SlugField(_("alternative group"), max_length=40, blank=True)
    alternative_option = models.SlugField(_("alternative option"), max_length=40, blank=True)
    condition = models.CharField(
        _("applies"), max_length=20, choices=Condition.choices, default=Condition.ALWAYS
    )
    reasons = models.CharField(
        _("only for the reasons"),
        max_length=200,
        blank=True,
        help_text=_(
            "Codes of the request's reason (route), separated by commas, e.g. "
            "“marriage, marriage_unrecorded”. Empty: whatever the reason."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="requirement_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reason_list(self) -> list[str]:
        return reason_codes(self.reasons)

    def clean(self) -> None:
        super().clean()
        bad = [code for code in self.reason_list if not REASON_RE.fullmatch(code)]
        if bad:
            raise ValidationError(
                {
                    "reasons": _(
                        "%(code)r is not a reason code (lower-case letters, digits, -, _)."
                    )
                    % {"code": bad[0]}
                }
            )
        self.reasons = ", ".join(self.reason_list)
        if bool(self.alternative_group) != bool(self.alternative_option):
            field = "alternative_group" if self.alternative_option else "alternative_option"
            raise ValidationError(
                {field: _("An alternative needs both a group and an option, or neither.")}
            )
        if self.form_code and not FORM_CODE_RE.fullmatch(self.form_code):
            raise ValidationError({"form_code": _("Write the form number like F-1.01 or F-2.03.")})


class OutputDocument(models.Model):
    """A document the Dinas issues for the service: a PDF to print, or a card to pick up."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="outputs")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    is_card = models.BooleanField(
        _("card to pick up"),
        default=False,
        help_text=_("A physical card (KTP-el, KIA) instead of a PDF printed at the village."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("output document")
        verbose_name_plural = _("output documents")
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="output_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ServiceVersion(models.Model):
    """An immutable snapshot of a service's definition; requests keep the one they started with."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition: models.JSONField[Any, Any] = models.JSONField(_("definition"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["service", "-number"]
        verbose_name = _("service version")
        verbose_name_plural = _("service versions")
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="service_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service.code} v{self.number}"


# --- The published service standard (standar pelayanan) and the maklumat pelayanan -------------
#
# UU 25/2009 tentang Pelayanan Publik obliges every provider to draw up, set and apply a service
# standard (Pasal 15 huruf a, Pasal 20) and to draw up, set and publish a maklumat pelayanan
# (Pasal 15 huruf b, Pasal 22); Pasal 21 lists the components, and PermenPAN-RB 15/2014
# (Pedoman Standar Pelayanan) splits them into the six of service delivery, published to the
# public (legal basis, requirements, procedure, time, cost, product, complaint handling) and
# the components of the provider's own management (facilities, staff competence, internal
# supervision, number of staff, service guarantee, security guarantee, performance
# evaluation). What differs per service (legal basis, requirements, time, product) is read
# from the catalogue above and never copied here; the rest is one text for every service,
# edited by the administrator (docs/design.md, "Service standard").

DEFAULT_LEGAL_BASIS = (
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik; Undang-Undang Nomor 23 Tahun "
    "2006 tentang Administrasi Kependudukan sebagaimana diubah dengan Undang-Undang Nomor 24 "
    "Tahun 2013; Peraturan Menteri PAN-RB Nomor 15 Tahun 2014 tentang Pedoman Standar "
    "Pelayanan."
)
DEFAULT_COST = (
    "Tidak dipungut biaya (Rp0). Pengurusan dan penerbitan dokumen kependudukan tidak dipungut "
    "biaya (Pasal 79A Undang-Undang Nomor 24 Tahun 2013); pejabat atau petugas yang memungut "
    "biaya dapat dipidana (Pasal 95B)."
)
DEFAULT_COMPLAINT_HANDLING = (
    "Pengaduan, saran dan masukan dapat disampaikan di kantor desa/kelurahan, kecamatan atau "
    "Dinas, melalui SP4N-LAPOR! (www.lapor.go.id), atau langsung kepada Kepala Dinas. Setiap "
    "pengaduan dicatat, dijawab dan ditindaklanjuti sesuai ketentuan peraturan perundang-"
    "undangan."
)
DEFAULT_FACILITIES = (
    "Ruang pelayanan dan ruang tunggu di kantor Dinas; layanan permohonan melalui kantor "
    "desa/kelurahan dan kecamatan dengan sistem paradewi; komputer, pemindai dan printer; "
    "penelusuran permohonan tanpa akun dengan nomor dan PIN; pemeriksaan keaslian dokumen "
    "melalui kode QR."
)
DEFAULT_STAFF_COMPETENCE = (
    "Pelaksana memahami peraturan administrasi kependudukan, persyaratan dan tata cara setiap "
    "layanan, mampu mengoperasikan sistem paradewi dan SIAK, serta bersikap ramah, sopan dan "
    "menjaga kerahasiaan data pribadi penduduk."
)
DEFAULT_INTERNAL_SUPERVISION = (
    "Pengawasan melekat oleh atasan langsung dan Kepala Dinas; riwayat setiap permohonan dan "
    "setiap akses data pribadi tercatat dan dapat diperiksa; pemeriksaan oleh Inspektorat "
    "Kabupaten."
)
DEFAULT_STAFF_COUNT = (
    "Petugas desa/kelurahan di setiap desa/kelurahan, operator di setiap kecamatan, dan petugas "
    "pelayanan serta Kepala Dinas di kantor Dinas, sesuai keputusan penugasan yang berlaku."
)
DEFAULT_SERVICE_GUARANTEE = (
    "Pelayanan diberikan sesuai standar pelayanan ini: persyaratan yang jelas, jangka waktu "
    "yang terukur dalam hari kerja, tanpa biaya; penduduk dapat memantau permohonan setiap "
    "saat dengan nomor dan PIN."
)
DEFAULT_SECURITY_GUARANTEE = (
    "Data pribadi penduduk dilindungi: disimpan terenkripsi, hanya dapat dibuka oleh petugas "
    "yang menangani permohonan di wilayahnya, dan setiap pembukaan tercatat. Dokumen yang "
    "diterbitkan dapat diperiksa keasliannya melalui kode QR."
)
DEFAULT_PERFORMANCE_EVALUATION = (
    "Evaluasi kinerja pelaksana dilakukan secara berkala oleh Kepala Dinas berdasarkan "
    "ketepatan waktu penyelesaian, permohonan yang dikembalikan, pengaduan, dan Indeks "
    "Kepuasan Masyarakat (Survei Kepuasan Masyarakat menurut Peraturan Menteri PAN-RB Nomor 14 "
    "Tahun 2017); hasilnya diumumkan kepada publik."
)
DEFAULT_CHARTER = (
    "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan "
    "yang telah ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi "
    "sesuai peraturan perundang-undangan yang berlaku."
)
DEFAULT_SIGNATORY_TITLE = "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Mojokerto"


def _component(label: _StrPromise, default: str) -> models.TextField[str, str]:
    return models.TextField(label, default=default)


class StandardTerms(models.Model):
    """The parts of the service standard that are the same for every service, and the
    maklumat pelayanan: one row (pk 1), created with defaults for Kabupaten Mojokerto by the
    migration and edited by the administrator.

    The components follow UU 25/2009 Pasal 21 and PermenPAN-RB 15/2014; the cost is free by
    UU 23/2006 Pasal 79A as inserted by UU 24/2013. The maklumat (UU 25/2009 Pasal 22) is the
    provider's written promise to keep the standard, signed by the head of the Dinas.
    """

    legal_basis = _component(_("legal basis (all services)"), DEFAULT_LEGAL_BASIS)
    cost = _component(_("cost"), DEFAULT_COST)
    complaint_handling = _component(_("complaint handling"), DEFAULT_COMPLAINT_HANDLING)
    facilities = _component(_("facilities"), DEFAULT_FACILITIES)
    staff_competence = _component(_("staff competence"), DEFAULT_STAFF_COMPETENCE)
    internal_supervision = _component(_("internal supervision"), DEFAULT_INTERNAL_SUPERVISION)
    staff_count = _component(_("number of staff"), DEFAULT_STAFF_COUNT)
    service_guarantee = _component(_("service guarantee"), DEFAULT_SERVICE_GUARANTEE)
    security_guarantee = _component(_("security guarantee"), DEFAULT_SECURITY_GUARANTEE)
    performance_evaluation = _component(_("performance evaluation"), DEFAULT_PERFORMANCE_EVALUATION)
    charter = _component(_("maklumat pelayanan"), DEFAULT_CHARTER)
    signatory_title = models.CharField(
        _("signed by (title)"), max_length=200, default=DEFAULT_SIGNATORY_TITLE
    )
    signatory_name = models.CharField(_("signed by (name)"), max_length=120, blank=True)
    decree = models.CharField(
        _("set by decree"),
        max_length=200,
        blank=True,
        help_text=_("The number of the decision that set the standard, if there is one."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service standard (all services)")
        verbose_name_plural = _("service standard (all services)")

    def __str__(self) -> str:
        return str(_("Service standard and maklumat pelayanan"))


class ServiceStandard(models.Model):
    """What the standard of one service says beyond the catalogue: its own procedure.

    Without a row (or with an empty procedure) the procedure is the one the workflow follows
    for the service (`catalogue.selectors.standard_procedure`)."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="standard")
    procedure = models.TextField(
        _("procedure"),
        blank=True,
        help_text=_("One step per line. Empty: the steps of the workflow for this service."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("service procedure")
        verbose_name_plural = _("service procedures")

    def __str__(self) -> str:
        return str(self.service)
