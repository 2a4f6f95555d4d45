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
  the child joins). The child's name, sex, place and date of birth are the subject fields;
  the details add time of birth (optional), birth order, attendant, the mother's NIK
  (required) and the father's (optional: a father not recorded). The father's NIK is a man's,
  the mother's a woman's, neither is the child's, and each parent is at least 10 years older
  than the child. The reporter cannot be the child.
- akta-kematian: the subject is the deceased. The date of death is not in the future and not
  before the birth. The reporter cannot be the deceased.
- kia: the subject is the child, under 17 today; nothing else to fill. Reporter not the child.
- pindah: destination address, desa/kelurahan, kecamatan and kabupaten/kota (a known one, by
  name or code), reason, and the NIKs of those who move (one or more valid NIKs).
- kedatangan: SKPWNI number, kabupaten/kota of origin (a known one) and address of origin.
- kk-hilang-rusak: reason lost or damaged; ktp-el-cetak-ulang: lost, damaged or data change.
- kk-baru: reason (marriage, divorce, other) and whether a member moved in (SKPWNI needed).
- kk-perubahan: at least one change (member added, member removed, data elements); the
  element change asks for the F-1.06 statement.
- perubahan-biodata: which data change (free text).
- akta-perkawinan: groom (a man's NIK) and bride (a woman's NIK) with names and dates of birth
  agreeing with their NIKs; the subject is one of them. The marriage date is not in the future
  and not before either birth. Spouses under 19/21 are no error: the checklist then asks for
  the court dispensation and the parents' permit.
- akta-perceraian: court, decision number and the date the decision became final: not in the
  future, not before the subject's birth.
Legal reporting limits (births 60, deaths 30 days, ...) are never errors: the edit page warns
that the late-registration procedure applies (details.late_warning).
"""

from __future__ import annotations

import re
import uuid
from datetime import date, time
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

    def subject_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.SUBJECT_FIELDS]

    def reporter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.REPORTER_FIELDS]

    def clean_subject_nik(self) -> str:
        value: str = self.cleaned_data["subject_nik"]
        self.subject_nik_info = clean_optional_nik(value)
        return self.subject_nik_info.nik if self.subject_nik_info else ""

    def clean_subject_kk(self) -> str:
        return parse_kk(self.cleaned_data["subject_kk"])

    def clean_subject_name(self) -> str:
        return clean_name(self.cleaned_data["subject_name"])

    def clean_subject_birth_place(self) -> str:
        return " ".join(self.cleaned_data["subject_birth_place"].split())

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
    return value


class DetailForm(forms.Form):
    """The fields of one service (none by default). `person` is the page's PersonForm.

    Call `is_valid()` of the person form first (data_forms_valid does), so cross-checks can
    read its cleaned data.
    """

    def __init__(self, *args: Any, person: PersonForm | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self._nik_infos: dict[str, NikInfo] = {}

    def person_value(self, name: str) -> Any:
        if self.person is None or not hasattr(self.person, "cleaned_data"):
            return None
        return self.person.cleaned_data.get(name)

    def to_details(self) -> dict[str, Any]:
        """The cleaned data as JSON for ServiceRequest.details.

        A kabupaten/kota (RegencyField) is stored as its name plus `<field>_code`.
        """
        details = {name: _json_value(value) for name, value in self.cleaned_data.items()}
        for name, field in self.fields.items():
            region = self.cleaned_data.get(name)
            if isinstance(field, RegencyField) and isinstance(region, Region):
                details[name] = region.name
                details[f"{name}_code"] = region.code
        return details

    @classmethod
    def initial_from(cls, details: dict[str, Any]) -> dict[str, Any]:
        """The form's initial values from stored details (unknown keys ignored)."""
        initial = {name: value for name, value in details.items() if name in cls.base_fields}
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


class BirthForm(DetailForm):
    ATTENDANTS = [
        ("doctor", _("Doctor")),
        ("midwife", _("Midwife")),
        ("other", _("Other")),
    ]

    birth_time = forms.TimeField(
        label=_("Time of birth"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    birth_order = forms.IntegerField(
        label=_("Birth order"),
        min_value=1,
        max_value=25,
        help_text=_("1 for the mother's first child."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    attendant = forms.ChoiceField(label=_("Birth attended by"), choices=[*BLANK, *ATTENDANTS])
    mother_nik = forms.CharField(label=_("Mother's NIK"), max_length=24, widget=nik_input())
    father_nik = forms.CharField(
        label=_("Father's NIK"),
        required=False,
        max_length=24,
        widget=nik_input(),
        help_text=_("Leave empty if the father is not recorded."),
    )

    def clean_mother_nik(self) -> str:
        return self._clean_nik("mother_nik")

    def clean_father_nik(self) -> str:
        return self._clean_nik("father_nik")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
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
        return data


class DeathForm(DetailForm):
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

    death_date = forms.DateField(label=_("Date of death"), widget=date_input())
    death_place = forms.CharField(label=_("Place of death"), max_length=100)
    cause = forms.ChoiceField(label=_("Cause of death"), choices=[*BLANK, *CAUSES])
    certified_by = forms.ChoiceField(label=_("Death certified by"), choices=[*BLANK, *CERTIFIERS])

    def clean_death_date(self) -> date | None:
        return not_in_future(
            self.cleaned_data["death_date"], gettext("The date of death cannot be in the future.")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
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


def _split_niks(text: str) -> list[str]:
    # One NIK a line (or separated by commas/semicolons); spaces inside a NIK are allowed.
    return [part.strip() for part in re.split(r"[\n,;]+", text) if part.strip()]


class MoveForm(DetailForm):
    REASONS = [
        ("work", _("Work")),
        ("education", _("Education")),
        ("security", _("Security")),
        ("health", _("Health")),
        ("housing", _("Housing")),
        ("family", _("Family")),
        ("other", _("Other")),
    ]

    destination_address = forms.CharField(
        label=_("Destination address"), max_length=200, help_text=_("Street, house, RT/RW.")
    )
    destination_village = forms.CharField(label=_("Destination desa/kelurahan"), max_length=100)
    destination_district = forms.CharField(label=_("Destination kecamatan"), max_length=100)
    destination_regency = RegencyField(label=_("Destination kabupaten/kota"))
    reason = forms.ChoiceField(label=_("Reason for moving"), choices=[*BLANK, *REASONS])
    members = forms.CharField(
        label=_("NIKs of the people who move"),
        widget=forms.Textarea(attrs={"rows": 4, "inputmode": "numeric"}),
        help_text=_("One NIK per line."),
    )

    def clean_members(self) -> list[str]:
        niks: list[str] = []
        problems: list[str] = []
        for line in _split_niks(self.cleaned_data["members"]):
            try:
                nik = parse_nik(line).nik
            except ValidationError as error:
                problems.extend(f"{line}: {message}" for message in error.messages)
                continue
            if nik not in niks:
                niks.append(nik)
        if problems:
            raise ValidationError(problems)
        if not niks:
            raise ValidationError(gettext("Give the NIK of at least one person who moves."))
        return niks

    @classmethod
    def initial_from(cls, details: dict[str, Any]) -> dict[str, Any]:
        initial = super().initial_from(details)
        if isinstance(details.get("members"), list):
            initial["members"] = "\n".join(details["members"])
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


class NewFamilyCardForm(DetailForm):
    reason = forms.ChoiceField(
        label=_("Why a new family card"),
        choices=[
            *BLANK,
            ("marriage", _("Marriage")),
            ("divorce", _("Divorce")),
            ("other", _("Other")),
        ],
    )
    moved_in = forms.BooleanField(
        label=_("A member moved in from another kabupaten/kota (with an SKPWNI)"), required=False
    )


class FamilyCardChangeForm(DetailForm):
    CHANGES = [
        ("add_member", _("A member is added")),
        ("remove_member", _("A member is removed")),
        ("element", _("Data elements change (name, date of birth, religion, ...)")),
    ]

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


class MarriageForm(DetailForm):
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


class DivorceForm(DetailForm):
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
