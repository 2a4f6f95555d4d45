"""The complaint forms: the resident's, the officer's, and the steps of handling."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from paradewi.accounts.models import User
from paradewi.catalogue.models import Service
from paradewi.complaints.models import TEXT_MAX_LENGTH, Category, LaporDirection
from paradewi.regions.models import Region

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def _text(label: StrOrPromise, rows: int = 5, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX_LENGTH,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": TEXT_MAX_LENGTH}),
    )


class DistrictField(forms.ModelChoiceField[Region]):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class OfficerField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.get_role_display()})"


def _offered_services(form: forms.Form) -> None:
    field = form.fields["service"]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared on the form
    field.queryset = Service.objects.filter(is_active=True).order_by("name")


class ComplaintForm(forms.Form):
    """What every complaint says: what about, in the complainant's words, and how to answer."""

    category = forms.ChoiceField(
        label=_("What is the complaint about?"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the complaint is about.")},
    )
    text = _text(_("Tell us what happened"))
    contact_name = forms.CharField(label=_("Your name (optional)"), max_length=150, required=False)
    contact_phone = forms.CharField(
        label=_("Mobile number for WhatsApp or SMS (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.CharField(
        label=_("E-mail (optional)"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = _(
            "No need to write a NIK, KK or phone number here: they are hidden when shown."
        )


class PublicComplaintForm(ComplaintForm):
    """The resident's form on /complaints/: about a request (its number and PIN) or in general."""

    request_number = forms.CharField(
        label=_("Registration number of the request (if it is about one)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    request_pin = forms.CharField(
        label=_("PIN of the request"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    district = DistrictField(
        label=_("Your kecamatan (optional)"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("(not about one kecamatan)"),
    )
    service = forms.ModelChoiceField(
        label=_("Which service (optional)"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("(the service in general)"),
    )

    field_order = [
        "request_number",
        "request_pin",
        "category",
        "text",
        "district",
        "service",
        "contact_name",
        "contact_phone",
        "contact_email",
    ]

    def __init__(self, *args: Any, districts: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        assert isinstance(district, forms.ModelChoiceField)  # noqa: S101 - declared above
        district.queryset = districts
        _offered_services(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        number = cleaned.get("request_number", "").strip()
        pin = cleaned.get("request_pin", "").strip()
        if number and not pin:
            self.add_error("request_pin", _("Enter the PIN printed on the receipt."))
        if pin and not number:
            self.add_error("request_number", _("Enter the registration number on the receipt."))
        return cleaned


class OfficeComplaintForm(ComplaintForm):
    """An officer files for a resident at the office (or a manager records one from LAPOR!)."""

    request_number = forms.CharField(
        label=_("Registration number of the request (if it is about one)"),
        max_length=40,
        required=False,
    )
    service = forms.ModelChoiceField(
        label=_("Which service (optional)"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("(the service in general)"),
    )
    lapor_number = forms.CharField(
        label=_("LAPOR! tracking number (only for a complaint received from SP4N-LAPOR!)"),
        max_length=40,
        required=False,
    )

    field_order = [
        "request_number",
        "category",
        "text",
        "service",
        "contact_name",
        "contact_phone",
        "contact_email",
        "lapor_number",
    ]

    def __init__(self, *args: Any, lapor: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offered_services(self)
        if not lapor:
            del self.fields["lapor_number"]


class FollowForm(forms.Form):
    number = forms.CharField(
        label=_("Complaint number"),
        max_length=20,
        help_text=_("As shown when you filed it, for example ADU-2612-0007."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class TextForm(forms.Form):
    text = _text(_("Your message"), rows=4)


class AnswerForm(forms.Form):
    text = _text(_("Answer to the complainant"), rows=5)


class OptionalTextForm(forms.Form):
    text = _text(_("Closing note (optional)"), rows=3, required=False)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        coerce=int,
        choices=[
            (4, _("Very satisfied")),
            (3, _("Satisfied")),
            (2, _("Not quite satisfied")),
            (1, _("Not satisfied")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the four answers.")},
    )


class AssignForm(forms.Form):
    assignee = OfficerField(
        label=_("Give to"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose an officer.")},
    )

    def __init__(self, *args: Any, officers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = officers


class LaporForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("SP4N-LAPOR!"), choices=LaporDirection.choices, widget=forms.RadioSelect
    )
    lapor_number = forms.CharField(label=_("LAPOR! tracking number"), max_length=40)
