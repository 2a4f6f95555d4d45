"""Forms of the pages where a village (or kecamatan) officer creates and edits a request.

- PersonForm: the subject (the person the document is for) and the reporter (pelapor).
  CreateForm adds the hidden idempotency key and, for a kecamatan operator, the village.
- One detail form per service (`details.py` says which): the service's own fields. It is
  bound together with the person form and checks its fields against the person's.
- UploadForm: one file for one requirement (checked by content in the service).

Rules per service (the choices made where the issue is silent):

- Every service: the subject's KK number, full name, sex, place and date of birth are
  required; the date of birth is not in the future; a NIK entered must agree with the sex
  (day + 40 for women) and the date of birth. The reporter's relationship is required; when it
  is "the person themselves" the reporter's NIK and name are the subject's, otherwise both are
  required (and the NIK differs from the subject's). The phone is optional (no notifications
  without it) and stored as +62...
- NIK of the subject: required, except for akta-kelahiran.
- akta-kelahiran: the subject is the child (a newborn has no NIK yet; the KK number is the card
  the child joins). The child's name, sex, place and date of birth are the subject fields; the
  details add what the KELAHIRAN part of F-2.01 (Permendagri 109/2019) asks: the kind of place of
  birth (RS/RB, Puskesmas, Polindes, home, other), time of birth (optional), single or multiple
  birth, birth order, attendant (doctor, midwife/nurse, dukun, other), weight and length; whether
  the parents are known; and the parents of DATA AYAH / DATA IBU: the mother's NIK, name and place
  of birth (required unless the child is of unknown origin: then the police report is asked for),
  the father's (optional: a father not recorded; his name and place of birth are required once his
  NIK is given). A parent's name left empty is taken from the reporter when the reporter's NIK is
  that parent's. The father's NIK is a man's, the mother's a woman's, neither is the child's, and
  each parent is at least 10 years older than the child. The reporter cannot be the child.
- akta-kelahiran and akta-kematian: two witnesses (DATA SAKSI I and II of F-2.01), each with
  NIK, name and KK number: since SE Dirjen Dukcapil 470/13287/Dukcapil (28 September 2021) the
  witnesses' identity is written in F-2.01 instead of attaching a copy of their KTP-el. The
  two are different people, and neither is the child or the deceased.
- akta-kematian: the subject is the deceased. The date of death is not in the future and not
  before the birth. The reporter cannot be the deceased.
- kk-baru and pindah (F-1.01 and F-1.03): the head of the family's name (taken from the
  reporter when reporting as head, or from the person reporting for themselves, when left
  empty), the street address, RT, RW and postcode (optional).
- kk-baru (F-1.01): the number of family members, the other members as rows (name, NIK
  optional, sex and date of birth read from the NIK when left empty, place of birth, SHDK,
  religion, marital status, education, occupation, blood type, parents' names): the count
  is the applicant plus the rows, exactly one person is Kepala Keluarga, no NIK twice; and
  the applicant's elements as SIAK lists
  them (elements.py): SHDK, religion, marital status, education, occupation, blood type; the
  birth certificate's number (optional: none), disability, the parents' names (their NIKs
  optional, a mother's a woman's, a father's a man's); a recorded marriage (Kawin Tercatat) or
  divorce (Cerai Hidup Tercatat) needs its certificate number and date, not in the future.
- pindah (F-1.03): jenis kepindahan, the KK status of those who move and (unless the whole
  family moves) of those who stay, and the planned date of the move.
- kia: the subject is the child, under 17 today; nothing else to fill. Reporter not the child.
- pindah: destination address, RT, RW, postcode (optional, five digits), desa/kelurahan,
  kecamatan and kabupaten/kota (a known one, by name or code), reason, and those who move,
  one row each (F-1.03 KELUARGA YANG PINDAH): NIK, name and SHDK; no NIK twice; "head of the
  family alone" is one person; the head (SHDK Kepala Keluarga) is among them exactly once
  unless only members move, then not at all.
- kedatangan: SKPWNI number, kabupaten/kota of origin (a known one) and address of origin.
- kk-hilang-rusak: reason lost or damaged; ktp-el-cetak-ulang: lost, damaged or data change.
- kk-baru: reason, one of the routes of Permendagri 108/2019 Pasal 10 (marriage or divorce,
  recorded or not; the head of the family died; a separate card at the same address), and
  whether a member moved in (SKPWNI needed). The reason decides the documents.
- kk-perubahan: at least one change (member added, member removed, data elements); the
  element change asks for the F-1.06 statement.
- perubahan-biodata: which data change (free text).
- akta-perkawinan: groom (a man's NIK) and bride (a woman's NIK) with names and dates of birth
  agreeing with their NIKs; the subject is one of them. The marriage date is not in the future
  and not before either birth. Spouses under 19/21 are no error: the checklist then asks for
  the court dispensation and the parents' permit.
- akta-perceraian: court, decision number and the date the decision became final: not in the
  future, not before the subject's birth; witnesses optional (each given in full).
- akta-perkawinan: two witnesses (PP 9/1975 Pasal 10 ayat 3; F-2.01 DATA SAKSI), neither the
  groom nor the bride.
Legal reporting limits (births 60, deaths 30 days, ...) are never errors: the edit page warns
that the late-registration procedure applies (details.late_warning).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from paradewi.accounts.models import User
from paradewi.accounts.policy import VILLAGE_CHOOSERS
from paradewi.core.validators import normalize_phone
from paradewi.regions.models import Region
from paradewi.regions.selectors import villages_of
from paradewi.requests import elements
from paradewi.requests.models import Relationship, Sex
from paradewi.requests.requirements import age_on
from paradewi.requests.services import PERSON_FIELDS
from paradewi.requests.validators import (
    FEMALE,
    MALE,
    NikInfo,
    display_date,
    find_regency,
    nik_mismatches,
    parse_kk,
    parse_nik,
)

BLANK: list[tuple[str, Any]] = [("", "---------")]
# Services whose subject is not the reporter: a newborn, a child, a deceased person.
NOT_SELF_REPORTED = frozenset({"akta-kelahiran", "akta-kematian", "kia"})
NIK_OPTIONAL = frozenset({"akta-kelahiran"})
# A death may be of an unidentified body (Perpres 96/2018; UU 24/2013 Pasal 44): its NIK, KK,
# place and date of birth are then unknown. The death's detail form requires them for an
# identified person (DeathForm.clean).
DEATH_UNKNOWN_FIELDS = ("subject_nik", "subject_kk", "subject_birth_place", "subject_birth_date")
# A parent is at least this old when a child is born (younger is a typing error).
MIN_PARENT_AGE = 10
KIA_MAX_AGE = 17


def nik_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def clean_name(value: str) -> str:
    value = " ".join(value.split())
    if value and any(ch.isdigit() for ch in value):
        raise ValidationError(_("A name has no digits."), code="digits")
    return value


def not_in_future(value: date | None, message: str) -> date | None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(message, code="future")
    return value


def clean_optional_nik(value: str) -> NikInfo | None:
    return parse_nik(value) if value.strip() else None


# --- subject and reporter -----------------------------------------------------------------------


class PersonForm(forms.Form):
    """The subject and the reporter; `service_code` adapts labels and rules to the service."""

    subject_nik = forms.CharField(label=_("NIK"), required=False, max_length=24, widget=nik_input())
    subject_kk = forms.CharField(label=_("KK number"), max_length=24, widget=nik_input())
    subject_name = forms.CharField(label=_("Full name"), max_length=150)
    subject_sex = forms.ChoiceField(label=_("Sex"), choices=[*BLANK, *Sex.choices])
    subject_birth_place = forms.CharField(label=_("Place of birth"), max_length=100)
    subject_birth_date = forms.DateField(label=_("Date of birth"), widget=date_input())
    reporter_relationship = forms.ChoiceField(
        label=_("Who reports"), choices=[*BLANK, *Relationship.choices]
    )
    reporter_nik = forms.CharField(
        label=_("Reporter's NIK"),
        required=False,
        max_length=24,
        widget=nik_input(),
        help_text=_("Leave empty when the person reports for themselves."),
    )
    reporter_name = forms.CharField(
        label=_("Reporter's name"),
        required=False,
        max_length=150,
        help_text=_("Leave empty when the person reports for themselves."),
    )
    reporter_phone = forms.CharField(
        label=_("Reporter's mobile phone"),
        required=False,
        max_length=24,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("For notifications about the request, e.g. 0812 3456 7890. Optional."),
    )

    SUBJECT_FIELDS = (
        "subject_nik",
        "subject_kk",
        "subject_name",
        "subject_sex",
        "subject_birth_place",
        "subject_birth_date",
    )
    REPORTER_FIELDS = ("reporter_relationship", "reporter_nik", "reporter_name", "reporter_phone")

    def __init__(self, *args: Any, service_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service_code = service_code
        self.subject_nik_info: NikInfo | None = None
        if service_code not in NIK_OPTIONAL:
            self.fields["subject_nik"].required = True
        if service_code in ("akta-kelahiran", "kia"):
            self.fields["subject_nik"].label = _("Child's NIK")
            self.fields["subject_name"].label = _("Child's full name")
            self.fields["subject_sex"].label = _("Child's sex")
        if service_code == "akta-kelahiran":
            self.fields["subject_nik"].help_text = _("Leave empty if the child has no NIK yet.")
            self.fields["subject_kk"].help_text = _("The family card the child is added to.")
        if service_code == "akta-kematian":
            self.fields["subject_nik"].label = _("NIK of the deceased")
            self.fields["subject_name"].label = _("Full name of the deceased")
            for name in DEATH_UNKNOWN_FIELDS:
                self.fields[name].required = False

    def subject_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.SUBJECT_FIELDS]

    def reporter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.REPORTER_FIELDS]

    def clean_subject_nik(self) -> str:
        value: str = self.cleaned_data["subject_nik"]
        self.subject_nik_info = clean_optional_nik(value)
        return self.subject_nik_info.nik if self.subject_nik_info else ""

    def clean_subject_kk(self) -> str:
        value = self.cleaned_data["subject_kk"]
        return parse_kk(value) if value or self.fields["subject_kk"].required else ""

    def clean_subject_name(self) -> str:
        return clean_name(self.cleaned_data["subject_name"])

    def clean_subject_birth_place(self) -> str:
        return " ".join((self.cleaned_data["subject_birth_place"] or "").split())

    def clean_subject_birth_date(self) -> date | None:
        return not_in_future(
            self.cleaned_data["subject_birth_date"],
            gettext("The date of birth cannot be in the future."),
        )

    def clean_reporter_nik(self) -> str:
        info = clean_optional_nik(self.cleaned_data["reporter_nik"])
        return info.nik if info else ""

    def clean_reporter_name(self) -> str:
        return clean_name(self.cleaned_data["reporter_name"])

    def clean_reporter_phone(self) -> str:
        value: str = self.cleaned_data["reporter_phone"].strip()
        return normalize_phone(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        info = self.subject_nik_info
        if info is not None:
            for problem in nik_mismatches(
                info, sex=data.get("subject_sex"), birth_date=data.get("subject_birth_date")
            ):
                self.add_error("subject_nik", problem)
        relationship = data.get("reporter_relationship")
        if relationship == Relationship.SELF:
            if self.service_code in NOT_SELF_REPORTED:
                self.add_error(
                    "reporter_relationship",
                    gettext("Someone else reports for this person: choose who it is."),
                )
            else:
                data["reporter_nik"] = data.get("subject_nik", "")
                data["reporter_name"] = data.get("subject_name", "")
        elif relationship:
            for name in ("reporter_nik", "reporter_name"):
                if name in data and not data[name]:
                    self.add_error(name, gettext("Fill in the reporter, or choose the person."))
            reporter_nik = data.get("reporter_nik")
            if reporter_nik and reporter_nik == data.get("subject_nik"):
                self.add_error(
                    "reporter_nik",
                    gettext("This is the person's own NIK: choose “%(self)s” as who reports.")
                    % {"self": Relationship.SELF.label},
                )
        return data

    def person_data(self) -> dict[str, Any]:
        """The cleaned values as keyword arguments of request_create/request_update."""
        return {
            name: self.cleaned_data.get(name) or ("" if name != "subject_birth_date" else None)
            for name in PERSON_FIELDS
        }


class VillageChoiceField(forms.ModelChoiceField[Region]):
    def label_from_instance(self, obj: Region) -> str:
        return obj.display_name


class CreateForm(PersonForm):
    """The person form of a new request: a hidden idempotency key, and the village if needed.

    The key is generated when the form is first shown; posting the same form again finds the
    request it created instead of making a second one.
    """

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        if actor.role in VILLAGE_CHOOSERS and actor.area is not None:
            self.fields["village"] = VillageChoiceField(
                queryset=villages_of(actor.area).order_by("name"),
                label=_("Village of the resident"),
                error_messages={"invalid_choice": _("Choose a village of your kecamatan.")},
            )

    def village(self) -> Region:
        """The village the request is for: the officer's own, or the one chosen."""
        if "village" in self.fields:
            chosen: Region = self.cleaned_data["village"]
            return chosen
        assert self.actor.area is not None  # noqa: S101 - role_required guarantees an area
        return self.actor.area

    def village_field(self) -> forms.BoundField | None:
        return self["village"] if "village" in self.fields else None


class PrefillForm(forms.Form):
    """The “fill from an earlier request” form: a NIK (and the village for a kecamatan).

    `by_kk`: for a person who has no NIK yet (a newborn), the family's KK number instead: the
    people of that KK known from earlier requests are then offered to pick.
    """

    nik = forms.CharField(label=_("NIK of the person"), max_length=24, widget=nik_input())

    def __init__(self, *args: Any, actor: User, by_kk: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "prefill_%s")
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.by_kk = by_kk
        if by_kk:
            del self.fields["nik"]
            self.fields["kk"] = forms.CharField(
                label=_("KK number of the family"),
                max_length=24,
                widget=nik_input(),
                help_text=_(
                    "The parents and the reporter known from earlier requests of this family "
                    "can then be picked instead of typed."
                ),
            )
        if actor.role in VILLAGE_CHOOSERS and actor.area is not None:
            self.fields["village"] = VillageChoiceField(
                queryset=villages_of(actor.area).order_by("name"),
                label=_("Village of the resident"),
                error_messages={"invalid_choice": _("Choose a village of your kecamatan.")},
            )
            self.order_fields(["village", "kk" if by_kk else "nik"])

    def clean_nik(self) -> str:
        return parse_nik(self.cleaned_data["nik"]).nik

    def clean_kk(self) -> str:
        return parse_kk(self.cleaned_data["kk"])

    def village(self) -> Region:
        if "village" in self.fields:
            chosen: Region = self.cleaned_data["village"]
            return chosen
        assert self.actor.area is not None  # noqa: S101 - role_required guarantees an area
        return self.actor.area


# --- the service's own fields -------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Region):
        return value.code
    if isinstance(value, Decimal):
        return str(value)
    return value


class RowForm(forms.Form):
    """One row of a table a detail form asks for (a family member, a person who moves)."""

    # The row's fields whose values are a name (cleaned as names).
    NAMES: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._nik_info: NikInfo | None = None

    def clean_nik(self) -> str:
        self._nik_info = clean_optional_nik(self.cleaned_data["nik"])
        return self._nik_info.nik if self._nik_info else ""

    def _clean_names(self, data: dict[str, Any]) -> None:
        for name in self.NAMES:
            if isinstance(data.get(name), str):
                try:
                    data[name] = clean_name(data[name])
                except ValidationError as error:
                    self.add_error(name, error)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_names(data)
        return data

    def title(self, number: int) -> str:
        """The row's heading on the page: its number and, once typed, the name."""
        name = self["name"].value() if "name" in self.fields else ""
        return f"{number}. {name}" if name else str(number)


class RowFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if forms.formsets.DELETION_FIELD_NAME in form.fields:
            form.fields[forms.formsets.DELETION_FIELD_NAME].label = _("Remove this row")


@dataclass(frozen=True)
class Rows:
    """A table of a detail form: stored under `key` as a list of the rows' cleaned data.

    `label` heads it on the page; at most `max_rows` rows, `spare` empty ones shown after the
    filled ones (a page without JavaScript cannot add a row), at least `min_shown` in all.
    """

    key: str
    form: type[RowForm]
    label: Any
    help_text: Any = ""
    max_rows: int = 29
    spare: int = 2
    min_shown: int = 3


class DetailForm(forms.Form):
    """The fields of one service (none by default). `person` is the page's PersonForm.

    Call `is_valid()` of the person form first (data_forms_valid does), so cross-checks can
    read its cleaned data. A form with ROWS also validates their tables (one Django formset
    each, prefix = the table's key); an empty row is ignored, a wrong one fails the form.
    """

    # Keys to_details adds that no field names (see details.stored_keys).
    DERIVED: tuple[str, ...] = ()
    ROWS: tuple[Rows, ...] = ()

    def __init__(self, *args: Any, person: PersonForm | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self._nik_infos: dict[str, NikInfo] = {}
        self.row_sets: dict[str, forms.BaseFormSet[RowForm]] = {
            rows.key: self._row_set(rows) for rows in self.ROWS
        }

    def rows_wanted(self, rows: Rows) -> int:
        """How many rows of `rows` the page should offer at least (a family's size)."""
        return 0

    def _row_set(self, rows: Rows) -> forms.BaseFormSet[RowForm]:
        formset_class = forms.formset_factory(
            rows.form,
            formset=RowFormSet,
            extra=0,
            max_num=rows.max_rows,
            validate_max=True,
            absolute_max=60,
            can_delete=True,  # a pre-filled row that does not belong is ticked away
        )
        prefix = rows.key
        if not self.is_bound:
            initial = self.initial.get(rows.key) or []
            shown = max(len(initial) + rows.spare, rows.min_shown, self.rows_wanted(rows))
            formset_class.extra = max(0, min(shown, rows.max_rows) - len(initial))
            return formset_class(initial=initial, prefix=prefix)
        # Posted: as many rows as posted, plus spare ones when the page is shown again (an
        # error elsewhere); a post without the table (an older page) has no rows.
        data: dict[str, Any] = {name: self.data.get(name) for name in self.data}
        total_key = f"{prefix}-TOTAL_FORMS"
        try:
            posted = int(data.get(total_key, 0))
        except (TypeError, ValueError):
            posted = 0
        shown = max(posted, rows.min_shown, self.rows_wanted(rows))
        data[total_key] = str(min(shown, rows.max_rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        return formset_class(data, prefix=prefix)

    def row_data(self, key: str) -> list[dict[str, Any]]:
        """The filled rows of table `key`, cleaned (call after is_valid)."""
        return [
            {
                name: _json_value(value)
                for name, value in row.cleaned_data.items()
                if name != forms.formsets.DELETION_FIELD_NAME
            }
            for row in self.row_sets[key].forms
            if row.has_changed()
            and getattr(row, "cleaned_data", None)
            and not row.cleaned_data.get(forms.formsets.DELETION_FIELD_NAME)
        ]

    def full_clean(self) -> None:
        # The tables first, so that clean() can read their rows.
        invalid = [rows for rows in self.ROWS if not self.row_sets[rows.key].is_valid()]
        super().full_clean()
        for rows in invalid if self.is_bound else []:
            self.add_error(
                None, gettext("%(table)s: check the rows marked below.") % {"table": rows.label}
            )

    def row_tables(self) -> list[tuple[Rows, forms.BaseFormSet[RowForm]]]:
        """The tables with their formsets, for the page."""
        return [(rows, self.row_sets[rows.key]) for rows in self.ROWS]

    def person_value(self, name: str) -> Any:
        if self.person is None or not hasattr(self.person, "cleaned_data"):
            return None
        return self.person.cleaned_data.get(name)

    def to_details(self) -> dict[str, Any]:
        """The cleaned data as JSON for ServiceRequest.details.

        A kabupaten/kota (RegencyField) is stored as its name plus `<field>_code`.
        """
        details = {name: _json_value(value) for name, value in self.cleaned_data.items()}
        for rows in self.ROWS:
            details[rows.key] = self.row_data(rows.key)
        for name, field in self.fields.items():
            region = self.cleaned_data.get(name)
            if isinstance(field, RegencyField) and isinstance(region, Region):
                details[name] = region.name
                details[f"{name}_code"] = region.code
        return details

    @classmethod
    def initial_from(cls, details: dict[str, Any]) -> dict[str, Any]:
        """The form's initial values from stored details (unknown keys ignored)."""
        tables = {rows.key for rows in cls.ROWS}
        initial = {
            name: value
            for name, value in details.items()
            if name in cls.base_fields or name in tables
        }
        for name, field in cls.base_fields.items():
            if isinstance(field, RegencyField) and details.get(f"{name}_code"):
                initial[name] = f"{details.get(name, '')} ({details[f'{name}_code']})"
        return initial

    def nik_info(self, name: str) -> NikInfo | None:
        """What the NIK field `name` says, once it cleaned without error."""
        return self._nik_infos.get(name)

    def _clean_nik(self, name: str) -> str:
        info = clean_optional_nik(self.cleaned_data[name])
        if info is not None:
            self._nik_infos[name] = info
        return info.nik if info else ""


def data_forms_valid(person: PersonForm, details: DetailForm) -> bool:
    """Validate both forms of the data page; the detail form may add errors to the person's."""
    person.is_valid()
    details.person = person
    details.is_valid()
    return not person.errors and not details.errors


def decimal_input() -> forms.NumberInput:
    return forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"})


def element_field(label: Any, options: elements.Options, **kwargs: Any) -> forms.ChoiceField:
    """A choice of one SIAK element (elements.py), stored as the option's number."""
    return forms.ChoiceField(label=label, choices=[*BLANK, *elements.choices(options)], **kwargs)


def _required_if_filled(row: RowForm, data: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if name in data and not data[name] and name not in row.errors:
            row.add_error(name, gettext("This field is required."))


class FamilyMemberForm(RowForm):
    """One other member of a new family card: a row of F-1.01's ANGGOTA KELUARGA (Permendagri
    109/2019), with the elements SIAK keeps of every member (elements.py).

    The NIK is optional (a baby without one yet); when given, the sex and the date of birth left
    empty are read from it, and when typed they must agree with it. Without a NIK both are
    required.
    """

    NAMES = ("name", "mother_name", "father_name")

    name = forms.CharField(label=_("Full name"), max_length=150)
    nik = forms.CharField(
        label=_("NIK"),
        required=False,
        max_length=24,
        widget=nik_input(),
        help_text=_("Leave empty if the member has no NIK yet."),
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[*BLANK, *Sex.choices])
    birth_place = forms.CharField(label=_("Place of birth"), max_length=100)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=date_input())
    relationship = element_field(_("Relationship in the family (SHDK)"), elements.SHDK)
    religion = element_field(_("Religion or belief"), elements.AGAMA)
    marital_status = element_field(_("Marital status"), elements.STATUS_PERKAWINAN)
    education = element_field(_("Education (last completed)"), elements.PENDIDIKAN)
    occupation = element_field(_("Occupation"), elements.PEKERJAAN)
    blood_type = element_field(_("Blood type"), elements.GOLONGAN_DARAH)
    mother_name = forms.CharField(label=_("Mother's full name"), max_length=150)
    father_name = forms.CharField(label=_("Father's full name"), max_length=150)

    def clean_birth_date(self) -> date | None:
        return not_in_future(
            self.cleaned_data["birth_date"], gettext("The date of birth cannot be in the future.")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        info = self._nik_info
        if info is not None:
            data["sex"] = data.get("sex") or info.sex
            data["birth_date"] = data.get("birth_date") or info.birth_date
            for problem in nik_mismatches(
                info, sex=data.get("sex"), birth_date=data.get("birth_date")
            ):
                self.add_error("nik", problem)
        elif "nik" not in self.errors:
            _required_if_filled(self, data, ("sex", "birth_date"))
        return data


class MoverForm(RowForm):
    """One person who moves: a row of F-1.03's KELUARGA YANG PINDAH (Permendagri 109/2019):
    NIK, full name and the relationship in the family (SHDK)."""

    NAMES = ("name",)

    nik = forms.CharField(label=_("NIK"), max_length=24, widget=nik_input())
    name = forms.CharField(label=_("Full name"), max_length=150)
    relationship = element_field(_("Relationship in the family (SHDK)"), elements.SHDK)


class WitnessesForm(DetailForm):
    """The two witnesses of F-2.01 (DATA SAKSI I and II), after the service's own fields.

    SE Dirjen Dukcapil 470/13287/Dukcapil (28 September 2021): the witnesses' identity is
    written in F-2.01, so no copy of their KTP-el is attached; F-2.01 of Permendagri 109/2019
    asks each witness's NIK, full name, KK number and citizenship.
    """

    witness1_nik = forms.CharField(
        label=_("First witness's NIK"), max_length=24, widget=nik_input()
    )
    witness1_name = forms.CharField(label=_("First witness's full name"), max_length=150)
    witness1_kk = forms.CharField(
        label=_("First witness's KK number"), max_length=24, widget=nik_input()
    )
    witness2_nik = forms.CharField(
        label=_("Second witness's NIK"), max_length=24, widget=nik_input()
    )
    witness2_name = forms.CharField(label=_("Second witness's full name"), max_length=150)
    witness2_kk = forms.CharField(
        label=_("Second witness's KK number"), max_length=24, widget=nik_input()
    )

    WITNESS_FIELDS = (
        "witness1_nik",
        "witness1_name",
        "witness1_kk",
        "witness2_nik",
        "witness2_name",
        "witness2_kk",
    )

    # False: the witnesses are optional, but a witness given is given in full.
    WITNESSES_REQUIRED = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The witnesses come last on the page, as on the form's signature lines.
        self.order_fields([name for name in self.fields if name not in self.WITNESS_FIELDS])
        if not self.WITNESSES_REQUIRED:
            for name in self.WITNESS_FIELDS:
                self.fields[name].required = False

    def clean_witness1_nik(self) -> str:
        return self._clean_nik("witness1_nik")

    def clean_witness2_nik(self) -> str:
        return self._clean_nik("witness2_nik")

    def clean_witness1_name(self) -> str:
        return clean_name(self.cleaned_data["witness1_name"])

    def clean_witness2_name(self) -> str:
        return clean_name(self.cleaned_data["witness2_name"])

    def clean_witness1_kk(self) -> str:
        value: str = self.cleaned_data["witness1_kk"]
        return parse_kk(value) if value.strip() else ""

    def clean_witness2_kk(self) -> str:
        value: str = self.cleaned_data["witness2_kk"]
        return parse_kk(value) if value.strip() else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in (1, 2):
            names = [f"witness{number}_{part}" for part in ("nik", "name", "kk")]
            if any(data.get(name) for name in names):
                for name in names:
                    if name in data and not data[name]:
                        self.add_error(name, gettext("Give this witness in full, or leave empty."))
        first, second = self.nik_info("witness1_nik"), self.nik_info("witness2_nik")
        if first and second and first.nik == second.nik:
            self.add_error("witness2_nik", gettext("The two witnesses are two different people."))
        subject = self.person_value("subject_nik")
        for name, info in (("witness1_nik", first), ("witness2_nik", second)):
            if subject and info and info.nik == subject:
                self.add_error(
                    name, gettext("A witness is someone else than the person of the request.")
                )
        return data


class BirthForm(WitnessesForm):
    """The KELAHIRAN, DATA AYAH and DATA IBU parts of F-2.01 (Permendagri 109/2019)."""

    REASONS = [
        ("parents_known", _("The parents are known")),
        (
            "unknown_origin",
            _("Child of unknown origin, or whose parents' whereabouts are unknown"),
        ),
    ]
    PLACES = [
        ("hospital", _("Hospital or maternity clinic (RS/RB)")),
        ("puskesmas", _("Puskesmas")),
        ("polindes", _("Polindes")),
        ("home", _("At home")),
        ("other", _("Other")),
    ]
    BIRTH_TYPES = [
        ("single", _("Single")),
        ("twins", _("Twins")),
        ("triplets", _("Triplets")),
        ("quadruplets", _("Quadruplets")),
        ("other", _("Other")),
    ]
    ATTENDANTS = [
        ("doctor", _("Doctor")),
        ("midwife", _("Midwife or nurse")),
        ("traditional", _("Traditional birth attendant (dukun)")),
        ("other", _("Other")),
    ]

    birth_facility = forms.ChoiceField(label=_("Kind of place of birth"), choices=[*BLANK, *PLACES])
    birth_time = forms.TimeField(
        label=_("Time of birth"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    birth_type = forms.ChoiceField(
        label=_("Single or multiple birth"), choices=[*BLANK, *BIRTH_TYPES]
    )
    birth_order = forms.IntegerField(
        label=_("Birth order"),
        min_value=1,
        max_value=25,
        help_text=_("1 for the mother's first child."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    attendant = forms.ChoiceField(label=_("Birth attended by"), choices=[*BLANK, *ATTENDANTS])
    reason = forms.ChoiceField(
        label=_("Parents"),
        choices=REASONS,
        initial="parents_known",
        required=False,
        widget=forms.RadioSelect,
        help_text=_("For a child of unknown origin the police report replaces the parents' data."),
    )
    weight_kg = forms.DecimalField(
        label=_("Weight at birth (kg)"),
        min_value=Decimal("0.30"),
        max_value=Decimal("7.00"),
        max_digits=3,
        decimal_places=2,
        help_text=_("e.g. 3.2"),
        widget=decimal_input(),
    )
    length_cm = forms.DecimalField(
        label=_("Length at birth (cm)"),
        min_value=Decimal("20"),
        max_value=Decimal("70"),
        max_digits=3,
        decimal_places=1,
        help_text=_("e.g. 49"),
        widget=decimal_input(),
    )
    mother_nik = forms.CharField(
        label=_("Mother's NIK"),
        required=False,
        max_length=24,
        widget=nik_input(),
        help_text=_("Required unless the child's origin is unknown."),
    )
    mother_name = forms.CharField(
        label=_("Mother's full name"),
        required=False,
        max_length=150,
        help_text=_("Leave empty when the mother reports."),
    )
    mother_birth_place = forms.CharField(
        label=_("Mother's place of birth"),
        required=False,
        max_length=100,
        help_text=_("Required unless the child's origin is unknown."),
    )
    father_nik = forms.CharField(
        label=_("Father's NIK"),
        required=False,
        max_length=24,
        widget=nik_input(),
        help_text=_("Leave empty if the father is not recorded."),
    )
    father_name = forms.CharField(
        label=_("Father's full name"),
        required=False,
        max_length=150,
        help_text=_("Leave empty when the father reports, or is not recorded."),
    )
    father_birth_place = forms.CharField(
        label=_("Father's place of birth"), required=False, max_length=100
    )

    def clean_reason(self) -> str:
        # Not chosen (a form posted before the question existed): the parents are known.
        return str(self.cleaned_data["reason"] or "parents_known")

    def clean_mother_nik(self) -> str:
        return self._clean_nik("mother_nik")

    def clean_father_nik(self) -> str:
        return self._clean_nik("father_nik")

    def clean_mother_name(self) -> str:
        return clean_name(self.cleaned_data["mother_name"])

    def clean_father_name(self) -> str:
        return clean_name(self.cleaned_data["father_name"])

    def clean_mother_birth_place(self) -> str:
        return " ".join(self.cleaned_data["mother_birth_place"].split())

    def clean_father_birth_place(self) -> str:
        return " ".join(self.cleaned_data["father_birth_place"].split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("reason") == "parents_known"
            and "mother_nik" in data
            and not data["mother_nik"]
        ):
            # Perpres 96/2018: the birth of a child of known parents is recorded with them; only a
            # child of unknown origin is recorded on the police report instead.
            self.add_error(
                "mother_nik",
                gettext("Fill in the mother's NIK, or choose a child of unknown origin."),
            )
        if data.get("reason") == "parents_known" and not data.get("mother_birth_place"):
            self.add_error("mother_birth_place", gettext("This field is required."))
        child_nik = self.person_value("subject_nik")
        child_birth: date | None = self.person_value("subject_birth_date")
        parents = (
            ("mother_nik", FEMALE, gettext("The mother's NIK is a man's NIK.")),
            ("father_nik", MALE, gettext("The father's NIK is a woman's NIK.")),
        )
        for name, sex, wrong_sex in parents:
            info = self.nik_info(name)
            if info is None:
                continue
            if info.sex != sex:
                self.add_error(name, wrong_sex)
            if child_nik and info.nik == child_nik:
                self.add_error(name, gettext("A parent's NIK cannot be the child's NIK."))
            elif child_birth is not None and info.birth_date >= child_birth:
                self.add_error(
                    name,
                    gettext("This NIK gives %(date)s as the date of birth, after the child's.")
                    % {"date": display_date(info.birth_date)},
                )
            elif child_birth is not None and age_on(info.birth_date, child_birth) < MIN_PARENT_AGE:
                self.add_error(
                    name,
                    gettext(
                        "This NIK gives %(date)s as the date of birth: too young to be the parent."
                    )
                    % {"date": display_date(info.birth_date)},
                )
        mother, father = self.nik_info("mother_nik"), self.nik_info("father_nik")
        if mother and father and mother.nik == father.nik:
            self.add_error("father_nik", gettext("The father's and the mother's NIK are the same."))
        self._parent_name(data, "mother", mother)
        self._parent_name(data, "father", father)
        if father and not data.get("father_birth_place") and "father_birth_place" in data:
            self.add_error("father_birth_place", gettext("Fill in the father's place of birth."))
        if not father:
            for name in ("father_name", "father_birth_place"):
                if data.get(name):
                    self.add_error(
                        name, gettext("Give the father's NIK, or leave the father empty.")
                    )
        return data

    def _parent_name(self, data: dict[str, Any], parent: str, info: NikInfo | None) -> None:
        """A parent's name: as typed, else the reporter's when the reporter is that parent."""
        name = f"{parent}_name"
        if info is None or name not in data or data[name]:
            return
        if info.nik == self.person_value("reporter_nik") and self.person_value("reporter_name"):
            data[name] = self.person_value("reporter_name")
        else:
            self.add_error(
                name,
                gettext("Fill in the mother's full name.")
                if parent == "mother"
                else gettext("Fill in the father's full name."),
            )


class DeathForm(WitnessesForm):
    CAUSES = [
        ("illness", _("Illness or old age")),
        ("epidemic", _("Epidemic")),
        ("accident", _("Accident")),
        ("crime", _("Crime")),
        ("suicide", _("Suicide")),
        ("other", _("Other")),
    ]
    CERTIFIERS = [
        ("doctor", _("Doctor")),
        ("village_head", _("Village head or lurah")),
        ("other", _("Other")),
    ]

    IDENTITIES = [
        ("identified", _("The deceased is known (NIK, KK)")),
        (
            "unidentified",
            _("An unidentified body (the police's statement replaces the NIK, KK and KTP-el)"),
        ),
    ]

    reason = forms.ChoiceField(
        label=_("The deceased"),
        choices=IDENTITIES,
        initial="identified",
        required=False,
        widget=forms.RadioSelect,
    )
    death_date = forms.DateField(label=_("Date of death"), widget=date_input())
    death_place = forms.CharField(label=_("Place of death"), max_length=100)
    cause = forms.ChoiceField(label=_("Cause of death"), choices=[*BLANK, *CAUSES])
    certified_by = forms.ChoiceField(label=_("Death certified by"), choices=[*BLANK, *CERTIFIERS])

    def clean_death_date(self) -> date | None:
        return not_in_future(
            self.cleaned_data["death_date"], gettext("The date of death cannot be in the future.")
        )

    def clean_reason(self) -> str:
        # Not chosen (a form posted before the question existed): the deceased is known.
        return str(self.cleaned_data["reason"] or "identified")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == "identified" and self.person is not None:
            # Perpres 96/2018: a known person's death is recorded on their NIK and KK; only
            # an unidentified body is recorded on the police's statement without them.
            person_data = getattr(self.person, "cleaned_data", {})
            for name in DEATH_UNKNOWN_FIELDS:
                if name not in self.person.errors and not person_data.get(name):
                    self.person.add_error(
                        name,
                        gettext("Fill this in, or choose an unidentified body."),
                    )
        death: date | None = data.get("death_date")
        birth: date | None = self.person_value("subject_birth_date")
        if death is not None and birth is not None and death < birth:
            self.add_error(
                "death_date",
                gettext("The date of death is before the date of birth (%(birth)s).")
                % {"birth": display_date(birth)},
            )
        return data


class ChildCardForm(DetailForm):
    """KIA: nothing to fill; the child must be under 17."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        birth: date | None = self.person_value("subject_birth_date")
        if birth is not None and self.person is not None:
            age = age_on(birth, timezone.localdate())
            if age >= KIA_MAX_AGE:
                self.person.add_error(
                    "subject_birth_date",
                    gettext("A KIA is for children under 17; this person is %(age)d.")
                    % {"age": age},
                )
        return data


def _regency_text(region: Region) -> str:
    return f"{region.name} ({region.code})"


class RegencyField(forms.CharField):
    """A kabupaten/kota typed by name or code; cleans to the Region."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("help_text", _("Name or code, e.g. Kota Malang or 35.73."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        return find_regency(text) if text else None


class FamilyForm(DetailForm):
    """The DATA KEPALA KELUARGA / DATA DAERAH ASAL part of F-1.01 and F-1.03 (Permendagri
    109/2019): the head of the family's name and the family's address in the village.

    The head's name left empty is taken from the reporter reporting as head of the family, or
    from the person reporting for themselves (who then heads the family); otherwise it is asked.
    """

    head_name = forms.CharField(
        label=_("Name of the head of the family"),
        required=False,
        max_length=150,
        help_text=_("Leave empty when the head of the family reports, or the person is the head."),
    )
    address = forms.CharField(
        label=_("Address"), max_length=200, help_text=_("Street, house number or dusun.")
    )
    rt = forms.CharField(
        label=_("RT"), max_length=3, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    rw = forms.CharField(
        label=_("RW"), max_length=3, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def clean_head_name(self) -> str:
        return clean_name(self.cleaned_data["head_name"])

    def _clean_neighbourhood(self, name: str) -> str:
        value: str = self.cleaned_data[name].strip()
        if not value.isdigit() or int(value) == 0:
            raise ValidationError(gettext("A number, e.g. 3 or 003."), code="number")
        return f"{int(value):03d}"

    def clean_rt(self) -> str:
        return self._clean_neighbourhood("rt")

    def clean_rw(self) -> str:
        return self._clean_neighbourhood("rw")

    def _clean_postcode(self, name: str) -> str:
        value: str = self.cleaned_data[name].strip()
        if value and not re.fullmatch(r"[1-9]\d{4}", value):
            raise ValidationError(gettext("A postcode has five digits."), code="postcode")
        return value

    def clean_postcode(self) -> str:
        return self._clean_postcode("postcode")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "head_name" in data and not data["head_name"]:
            relationship = self.person_value("reporter_relationship")
            if relationship == Relationship.HEAD_OF_FAMILY:
                data["head_name"] = self.person_value("reporter_name") or ""
            elif relationship == Relationship.SELF:
                data["head_name"] = self.person_value("subject_name") or ""
            if not data["head_name"]:
                self.add_error("head_name", gettext("Fill in the name of the head of the family."))
        return data


class MoveForm(FamilyForm):
    REASONS = [
        ("work", _("Work")),
        ("education", _("Education")),
        ("security", _("Security")),
        ("health", _("Health")),
        ("housing", _("Housing")),
        ("family", _("Family")),
        ("other", _("Other")),
    ]
    DERIVED = ("members", "member_names", "member_relationships")
    ROWS = (
        Rows(
            "movers",
            MoverForm,
            _("The people who move"),
            _("Everyone who moves, the head of the family first if he or she moves."),
            max_rows=29,
        ),
    )
    # F-1.03 (Permendagri 109/2019), DATA KEPINDAHAN 4-6, in the form's order.
    MOVE_KINDS = [
        ("head", _("The head of the family alone")),
        ("head_and_all", _("The head of the family and all members")),
        ("head_and_some", _("The head of the family and some members")),
        ("members", _("Members only")),
    ]
    KK_STATUS_STAYING = [
        ("join", _("Join another family card (numpang KK)")),
        ("new", _("A new family card")),
        ("keep", _("The family card number stays")),
    ]
    KK_STATUS_MOVING = [
        ("join", _("Join another family card (numpang KK)")),
        ("new", _("A new family card")),
        ("keep", _("The head of the family and the family card number stay")),
    ]

    destination_address = forms.CharField(
        label=_("Destination address"), max_length=200, help_text=_("Street, house, RT/RW.")
    )
    destination_village = forms.CharField(label=_("Destination desa/kelurahan"), max_length=100)
    destination_district = forms.CharField(label=_("Destination kecamatan"), max_length=100)
    destination_regency = RegencyField(label=_("Destination kabupaten/kota"))
    reason = forms.ChoiceField(label=_("Reason for moving"), choices=[*BLANK, *REASONS])
    move_kind = forms.ChoiceField(label=_("Who moves"), choices=[*BLANK, *MOVE_KINDS])
    kk_status_moving = forms.ChoiceField(
        label=_("Family card of those who move"), choices=[*BLANK, *KK_STATUS_MOVING]
    )
    kk_status_staying = forms.ChoiceField(
        label=_("Family card of those who stay"),
        required=False,
        choices=[*BLANK, *KK_STATUS_STAYING],
        help_text=_("Leave empty when the whole family moves."),
    )
    planned_date = forms.DateField(label=_("Planned date of the move"), widget=date_input())

    destination_rt = forms.CharField(
        label=_("Destination RT"),
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    destination_rw = forms.CharField(
        label=_("Destination RW"),
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    destination_postcode = forms.CharField(
        label=_("Destination postcode"),
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("Five digits, if known."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The destination's RT, RW and postcode right after its street address, as F-1.03.
        order = list(self.fields)
        for name in ("destination_rt", "destination_rw", "destination_postcode"):
            order.remove(name)
        at = order.index("destination_address") + 1
        order[at:at] = ["destination_rt", "destination_rw", "destination_postcode"]
        self.order_fields(order)

    def clean_destination_rt(self) -> str:
        return self._clean_neighbourhood("destination_rt")

    def clean_destination_rw(self) -> str:
        return self._clean_neighbourhood("destination_rw")

    def clean_destination_postcode(self) -> str:
        return self._clean_postcode("destination_postcode")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("move_kind")
        if kind and kind != "head_and_all" and not data.get("kk_status_staying"):
            self.add_error(
                "kk_status_staying",
                gettext("Someone stays: choose what happens to their family card."),
            )
        if kind == "head_and_all":
            data["kk_status_staying"] = ""
        if not self.row_sets["movers"].is_valid():
            return data
        movers = self.row_data("movers")
        niks = [row["nik"] for row in movers]
        if not movers:
            self.add_error(None, gettext("Give at least one person who moves."))
        elif len(set(niks)) != len(niks):
            self.add_error(None, gettext("The same NIK is given for two people who move."))
        heads = sum(1 for row in movers if row["relationship"] == elements.SHDK_HEAD)
        # F-1.03 DATA KEPINDAHAN 4, jenis kepindahan: who moves decides whether the head of
        # the family is among them.
        if kind == "head" and len(movers) > 1:
            self.add_error(None, gettext("The head of the family moves alone: give one person."))
        if movers and kind in ("head", "head_and_all", "head_and_some") and heads != 1:
            self.add_error(
                "move_kind",
                gettext("The head of the family moves: exactly one person is “Kepala Keluarga”."),
            )
        if movers and kind == "members" and heads:
            self.add_error(
                "move_kind",
                gettext("Members only move: no one who moves is “Kepala Keluarga”."),
            )
        return data

    def to_details(self) -> dict[str, Any]:
        details = super().to_details()
        movers = details.pop("movers", [])
        details["members"] = [row["nik"] for row in movers]
        details["member_names"] = {row["nik"]: row["name"] for row in movers}
        details["member_relationships"] = {row["nik"]: row["relationship"] for row in movers}
        return details

    @classmethod
    def initial_from(cls, details: dict[str, Any]) -> dict[str, Any]:
        initial = super().initial_from(details)
        niks = details.get("members")
        names = details.get("member_names")
        relationships = details.get("member_relationships")
        names = names if isinstance(names, dict) else {}
        relationships = relationships if isinstance(relationships, dict) else {}
        if isinstance(niks, list):
            initial["movers"] = [
                {
                    "nik": nik,
                    "name": names.get(nik, ""),
                    "relationship": relationships.get(nik, ""),
                }
                for nik in niks
            ]
        return initial


class ArrivalForm(DetailForm):
    skpwni_number = forms.CharField(label=_("SKPWNI number"), max_length=40)
    origin_regency = RegencyField(label=_("Kabupaten/kota of origin"))
    origin_address = forms.CharField(label=_("Address of origin"), max_length=200)


class LostDamagedForm(DetailForm):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("lost", _("Lost")), ("damaged", _("Damaged"))],
        widget=forms.RadioSelect,
    )


class ReprintForm(DetailForm):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("lost", _("Lost")), ("damaged", _("Damaged")), ("change", _("Data changed"))],
        widget=forms.RadioSelect,
    )


class NewFamilyCardForm(FamilyForm):
    """KK baru: the reason is one of the routes of Permendagri 108/2019 Pasal 10, and decides
    which documents the checklist asks for (the catalogue's `reasons`); and what F-1.01
    (Permendagri 109/2019) asks beyond the person's own data: the number of family members and
    the applicant's elements, from the SIAK lists."""

    REASONS = [
        ("marriage", _("Marriage (recorded: buku nikah or akta perkawinan)")),
        ("marriage_unrecorded", _("Marriage not yet recorded (SPTJM, F-1.05)")),
        ("divorce", _("Divorce (recorded: akta perceraian)")),
        ("divorce_unrecorded", _("Divorce not yet recorded (SPTJM, F-1.05)")),
        ("head_died", _("The head of the family died")),
        ("split", _("Separate family card at the same address")),
    ]

    ROWS = (
        Rows(
            "other_members",
            FamilyMemberForm,
            _("The other members of the family"),
            _(
                "Everyone else on the new family card, as F-1.01 lists them. Sex and date of "
                "birth left empty are read from the NIK."
            ),
        ),
    )

    reason = forms.ChoiceField(
        label=_("Why a new family card"),
        choices=[*BLANK, *REASONS],
        error_messages={"invalid_choice": _("Choose one of the reasons in the list.")},
    )
    moved_in = forms.BooleanField(
        label=_("A member moved in from another kabupaten/kota (with an SKPWNI)"), required=False
    )
    members_count = forms.IntegerField(
        label=_("Number of family members"),
        min_value=1,
        max_value=30,
        help_text=_("Everyone on the new family card, the head and the applicant included."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    relationship_in_family = element_field(_("Relationship in the family (SHDK)"), elements.SHDK)
    religion = element_field(_("Religion or belief"), elements.AGAMA)
    marital_status = element_field(_("Marital status"), elements.STATUS_PERKAWINAN)
    education = element_field(_("Education (last completed)"), elements.PENDIDIKAN)
    occupation = element_field(_("Occupation"), elements.PEKERJAAN)
    blood_type = element_field(_("Blood type"), elements.GOLONGAN_DARAH)
    birth_certificate_number = forms.CharField(
        label=_("Number of the birth certificate"),
        required=False,
        max_length=60,
        help_text=_("Leave empty if the person has no birth certificate."),
    )
    marriage_certificate_number = forms.CharField(
        label=_("Number of the marriage certificate or buku nikah"),
        required=False,
        max_length=60,
        help_text=_("For a recorded marriage."),
    )
    marriage_date = forms.DateField(
        label=_("Date of the marriage"), required=False, widget=date_input()
    )
    divorce_certificate_number = forms.CharField(
        label=_("Number of the divorce certificate"),
        required=False,
        max_length=60,
        help_text=_("For a recorded divorce."),
    )
    divorce_date = forms.DateField(
        label=_("Date of the divorce"), required=False, widget=date_input()
    )
    disability = forms.ChoiceField(
        label=_("Physical or mental disability"),
        choices=[*BLANK, ("no", _("No disability")), ("yes", _("With a disability"))],
    )
    mother_nik = forms.CharField(
        label=_("Mother's NIK"),
        required=False,
        max_length=24,
        widget=nik_input(),
        help_text=_("Leave empty if the mother has no NIK."),
    )
    mother_name = forms.CharField(label=_("Mother's full name"), max_length=150)
    father_nik = forms.CharField(
        label=_("Father's NIK"),
        required=False,
        max_length=24,
        widget=nik_input(),
        help_text=_("Leave empty if the father has no NIK."),
    )
    father_name = forms.CharField(label=_("Father's full name"), max_length=150)

    def clean_mother_nik(self) -> str:
        return self._clean_nik("mother_nik")

    def clean_father_nik(self) -> str:
        return self._clean_nik("father_nik")

    def clean_mother_name(self) -> str:
        return clean_name(self.cleaned_data["mother_name"])

    def clean_father_name(self) -> str:
        return clean_name(self.cleaned_data["father_name"])

    def rows_wanted(self, rows: Rows) -> int:
        """As many member rows as the family has other members (the count typed or stored)."""
        raw = self.data.get("members_count") if self.is_bound else self.initial.get("members_count")
        try:
            return int(raw) - 1 + rows.spare if raw else 0
        except (TypeError, ValueError):
            return 0

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_members(data)
        # The certificate of a recorded marriage or divorce, as F-1.01 items 15-18 ask.
        status = data.get("marital_status")
        needs = {"2": ("marriage_certificate_number", "marriage_date")}
        needs["4"] = ("divorce_certificate_number", "divorce_date")
        for name in needs.get(status or "", ()):
            if name in data and not data[name]:
                self.add_error(name, gettext("Fill this in for a recorded marriage or divorce."))
        for name in ("marriage_date", "divorce_date"):
            if data.get(name) and data[name] > timezone.localdate():
                self.add_error(name, gettext("This date cannot be in the future."))
        mother, father = self.nik_info("mother_nik"), self.nik_info("father_nik")
        if mother and mother.sex != FEMALE:
            self.add_error("mother_nik", gettext("The mother's NIK is a man's NIK."))
        if father and father.sex != MALE:
            self.add_error("father_nik", gettext("The father's NIK is a woman's NIK."))
        return data

    def _check_members(self, data: dict[str, Any]) -> None:
        """F-1.01 lists every member of the new card: the applicant and the others, one of
        them the head of the family (SHDK "Kepala Keluarga"), each NIK once."""
        if not self.row_sets["other_members"].is_valid():
            return
        others = self.row_data("other_members")
        count = data.get("members_count")
        if count is not None and count != len(others) + 1:
            self.add_error(
                "members_count",
                gettext(
                    "The family has %(count)d members: give the other %(others)d below "
                    "(%(given)d given)."
                )
                % {"count": count, "others": count - 1, "given": len(others)},
            )
        relationships = [data.get("relationship_in_family"), *(r["relationship"] for r in others)]
        if data.get("relationship_in_family") and relationships.count(elements.SHDK_HEAD) != 1:
            self.add_error(
                None,
                gettext(
                    "Exactly one person of the family is “Kepala Keluarga” (the applicant or one "
                    "of the other members)."
                ),
            )
        niks = [r["nik"] for r in others if r["nik"]]
        subject = self.person_value("subject_nik")
        if len(set(niks)) != len(niks) or (subject and subject in niks):
            self.add_error(None, gettext("The same NIK is given for two members of the family."))


class FamilyCardChangeForm(DetailForm):
    CHANGES = [
        ("add_member", _("A member is added")),
        ("remove_member", _("A member is removed")),
        ("element", _("Data elements change (name, date of birth, religion, ...)")),
    ]
    DERIVED = ("element_change",)

    changes = forms.MultipleChoiceField(
        label=_("What changes"), choices=CHANGES, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Describe the change"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def to_details(self) -> dict[str, Any]:
        details = super().to_details()
        details["element_change"] = "element" in details["changes"]
        return details


class BiodataChangeForm(DetailForm):
    description = forms.CharField(
        label=_("Which data change, from what to what"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MarriageForm(WitnessesForm):
    """The PERKAWINAN part of F-2.01 (Permendagri 109/2019) and its DATA SAKSI I and II: a
    marriage takes place before two witnesses (PP 9/1975 Pasal 10 ayat 3), whom F-2.01 names
    (NIK, name, KK number); since SE Dirjen Dukcapil 470/13287/Dukcapil (2021) no copy of
    their KTP-el is attached. A witness is neither the groom nor the bride."""

    groom_name = forms.CharField(label=_("Groom's full name"), max_length=150)
    groom_nik = forms.CharField(label=_("Groom's NIK"), max_length=24, widget=nik_input())
    groom_birth_date = forms.DateField(label=_("Groom's date of birth"), widget=date_input())
    bride_name = forms.CharField(label=_("Bride's full name"), max_length=150)
    bride_nik = forms.CharField(label=_("Bride's NIK"), max_length=24, widget=nik_input())
    bride_birth_date = forms.DateField(label=_("Bride's date of birth"), widget=date_input())
    marriage_date = forms.DateField(label=_("Date of the marriage"), widget=date_input())
    religious_leader = forms.CharField(
        label=_("Religious leader who married them"),
        max_length=150,
        help_text=_("Name (and church, temple or community)."),
    )
    married_before = forms.BooleanField(
        label=_("The groom or the bride was married before"), required=False
    )

    def clean_groom_name(self) -> str:
        return clean_name(self.cleaned_data["groom_name"])

    def clean_bride_name(self) -> str:
        return clean_name(self.cleaned_data["bride_name"])

    def clean_groom_nik(self) -> str:
        return self._clean_nik("groom_nik")

    def clean_bride_nik(self) -> str:
        return self._clean_nik("bride_nik")

    def clean_marriage_date(self) -> date | None:
        return not_in_future(
            self.cleaned_data["marriage_date"],
            gettext("The date of the marriage cannot be in the future."),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        spouses = (
            ("groom", MALE, gettext("The groom's NIK is a woman's NIK.")),
            ("bride", FEMALE, gettext("The bride's NIK is a man's NIK.")),
        )
        marriage: date | None = data.get("marriage_date")
        for prefix, sex, wrong_sex in spouses:
            info = self.nik_info(f"{prefix}_nik")
            birth: date | None = data.get(f"{prefix}_birth_date")
            if info is not None:
                if info.sex != sex:
                    self.add_error(f"{prefix}_nik", wrong_sex)
                for problem in nik_mismatches(info, birth_date=birth):
                    self.add_error(f"{prefix}_nik", problem)
            if marriage is not None and birth is not None and marriage < birth:
                self.add_error(
                    "marriage_date",
                    gettext("The marriage is before the birth of the groom or the bride."),
                )
        groom, bride = self.nik_info("groom_nik"), self.nik_info("bride_nik")
        if groom and bride and groom.nik == bride.nik:
            self.add_error("bride_nik", gettext("The groom's and the bride's NIK are the same."))
        for name in ("witness1_nik", "witness2_nik"):
            witness = self.nik_info(name)
            if witness and witness.nik in {info.nik for info in (groom, bride) if info}:
                self.add_error(name, gettext("A witness is someone else than the groom or bride."))
        subject = self.person_value("subject_nik")
        if subject and groom and bride and subject not in (groom.nik, bride.nik):
            assert self.person is not None  # noqa: S101 - person_value found its data
            self.person.add_error(
                "subject_nik",
                gettext(
                    "For a marriage the person is the groom or the bride: use one of their NIKs."
                ),
            )
        return data


class DivorceForm(WitnessesForm):
    """The PERCERAIAN part of F-2.01 (Permendagri 109/2019). The court's decision is the proof
    (Perpres 96/2018 asks for it, the akta perkawinan, KK and KTP-el: no witnesses), so the
    witnesses of F-2.01's DATA SAKSI are optional here; one given is given in full."""

    WITNESSES_REQUIRED = False

    court = forms.CharField(
        label=_("Court"), max_length=150, help_text=_("e.g. Pengadilan Negeri Mojokerto.")
    )
    decision_number = forms.CharField(label=_("Number of the decision"), max_length=60)
    decision_date = forms.DateField(
        label=_("Date the decision became final"),
        widget=date_input(),
        help_text=_("The reporting limit counts from this date."),
    )

    def clean_decision_date(self) -> date | None:
        return not_in_future(
            self.cleaned_data["decision_date"],
            gettext("The date of the decision cannot be in the future."),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision: date | None = data.get("decision_date")
        birth: date | None = self.person_value("subject_birth_date")
        if decision is not None and birth is not None and decision < birth:
            self.add_error(
                "decision_date", gettext("The decision is before the person's date of birth.")
            )
        return data


# --- uploads ------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    """One file for one requirement; prefix it with the requirement code (ids stay unique)."""

    file = forms.FileField(
        label=_("File (JPEG, PNG or PDF)"),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
        error_messages={"required": _("Choose a file to upload.")},
    )
