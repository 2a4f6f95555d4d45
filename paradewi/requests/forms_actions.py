"""Forms of the worklist and of the workflow actions (return, reject, cancel, reassign, complete).

They check what a person typed or sent; the rules of the workflow stay in `services`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from paradewi.accounts.access import scope_to_area
from paradewi.accounts.models import Role, User
from paradewi.catalogue.models import Service
from paradewi.documents.verification import DOCUMENT_NUMBER_MAX, DOCUMENT_NUMBER_RE
from paradewi.regions.selectors import deployed_regency
from paradewi.requests.files import check_output_pdf
from paradewi.requests.models import ServiceRequest, Status
from paradewi.requests.selectors.worklist import TAB_LABELS

REASON_MAX = 1000


class WorklistFilterForm(forms.Form):
    """Filters of a worklist (GET). Invalid values are ignored, not shown as errors."""

    tab = forms.CharField(required=False, widget=forms.HiddenInput)
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=60,
        help_text=_("Registration number (or its start), NIK (16 digits) or name"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)

    def __init__(self, *args: Any, tabs: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tabs = tabs
        status, service = self.fields["status"], self.fields["service"]
        assert isinstance(status, forms.ChoiceField)  # noqa: S101 - declared above
        assert isinstance(service, forms.ChoiceField)  # noqa: S101
        status.choices = [("", _("Any status")), *Status.choices]
        service.choices = [
            ("", _("Any service")),
            *Service.objects.order_by("position", "name").values_list("code", "name"),
        ]

    def value(self, name: str) -> str:
        """The cleaned value of a field, or "" when it is missing or invalid."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return str(self.cleaned_data.get(name) or "")

    @property
    def current_tab(self) -> str:
        tab = self.value("tab")
        return tab if tab in self.tabs else self.tabs[0]

    @property
    def tab_links(self) -> list[tuple[str, str]]:
        return [(tab, str(TAB_LABELS[tab])) for tab in self.tabs]


def _reason_field(label: Any, *, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(forms.Form):
    """What the village must fix: a reason per requirement, for the typed data, or in general."""

    ITEM_PREFIX = "item-"

    def __init__(self, *args: Any, service_request: ServiceRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for spec in service_request.definition["requirements"]:
            self.fields[self.ITEM_PREFIX + spec["code"]] = forms.CharField(
                label=spec["name"], required=False, max_length=300
            )
        self.fields[self.ITEM_PREFIX + "data"] = forms.CharField(
            label=_("The typed data (names, dates, numbers)"), required=False, max_length=300
        )
        self.fields["reason"] = _reason_field(_("General reason"), required=False)

    def requirement_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in self.fields
            if name.startswith(self.ITEM_PREFIX) and name != self.ITEM_PREFIX + "data"
        ]

    def general_fields(self) -> list[forms.BoundField]:
        return [self[self.ITEM_PREFIX + "data"], self["reason"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("reason", "").strip() and not self.items():
            raise ValidationError(
                _("Say what the village must fix: for a document, for the data or in general.")
            )
        return cleaned

    def items(self) -> dict[str, str]:
        """{requirement code or "data": what to fix}, only the ones filled in."""
        return {
            name.removeprefix(self.ITEM_PREFIX): value.strip()
            for name, value in self.cleaned_data.items()
            if name.startswith(self.ITEM_PREFIX) and value and value.strip()
        }


class RejectForm(forms.Form):
    reason = _reason_field(_("Why is the request rejected?"), required=True)


class CancelForm(forms.Form):
    reason = _reason_field(_("Why is the request cancelled?"), required=True)


class ClerkChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name()


class ReassignForm(forms.Form):
    clerk = ClerkChoiceField(
        label=_("Give the request to"), queryset=User.objects.none(), empty_label=None
    )

    def __init__(
        self, *args: Any, actor: User, service_request: ServiceRequest, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        clerks = scope_to_area(
            actor,
            User.objects.filter(role=Role.DINAS_CLERK, is_active=True),
            code_field="area__code",
        ).order_by("full_name", "username")
        if service_request.holder_id is not None:
            clerks = clerks.exclude(pk=service_request.holder_id)
        field = self.fields["clerk"]
        assert isinstance(field, ClerkChoiceField)  # noqa: S101 - declared above
        field.queryset = clerks


def pickup_places(service_request: ServiceRequest) -> list[tuple[str, str]]:
    """Where a card can be picked up: (the place's name, how the choice reads)."""
    village = service_request.village
    district = service_request.district
    regency = deployed_regency()
    dinas = "Kantor Dinas Kependudukan dan Pencatatan Sipil"
    if regency is not None:
        dinas = f"{dinas} {regency.name}"
    places = [
        (f"Kantor {village.display_name}", _("Village office")),
        (f"Kantor {district.display_name}", _("Kecamatan office")),
        (dinas, _("Dinas office")),
    ]
    return [(name, f"{label}: {name}") for name, label in places]


class CompleteForm(forms.Form):
    """The issued documents (one PDF field per printable output) and, for a card, where it waits.

    Each PDF is checked here so the error shows next to its field; the service checks again.
    """

    OUTPUT_PREFIX = "output-"
    # The number printed on each document, optional: "number-<output code>".
    NUMBER_PREFIX = "number-"

    def __init__(self, *args: Any, service_request: ServiceRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outputs = service_request.definition["outputs"]
        self.pdf_codes = [output["code"] for output in outputs if not output["is_card"]]
        self.card_names = [output["name"] for output in outputs if output["is_card"]]
        for output in outputs:
            if output["is_card"]:
                continue
            self.fields[self.OUTPUT_PREFIX + output["code"]] = forms.FileField(
                label=output["name"],
                required=False,
                help_text=_("The electronically signed PDF."),
                widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
            )
            self.fields[self.NUMBER_PREFIX + output["code"]] = forms.CharField(
                label=_("Number of the %(document)s (optional)") % {"document": output["name"]},
                required=False,
                max_length=DOCUMENT_NUMBER_MAX,
                help_text=_(
                    "As printed on it: the KK number, the akta number. Shown on the "
                    "verification page; without it, the registration number is shown."
                ),
                validators=[
                    RegexValidator(
                        DOCUMENT_NUMBER_RE,
                        _("Use only letters, digits, “-”, “/” and “.”, without spaces."),
                    )
                ],
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            )
        if self.card_names:
            places = pickup_places(service_request)
            self.fields["pickup_place"] = forms.ChoiceField(
                label=_("Where can the card be picked up?"),
                choices=places,
                initial=places[0][0],
                widget=forms.RadioSelect,
            )

    def output_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(self.OUTPUT_PREFIX)]

    def output_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """(PDF field, number field) of every printable document."""
        return [
            (field, self[self.NUMBER_PREFIX + field.name.removeprefix(self.OUTPUT_PREFIX)])
            for field in self.output_fields()
        ]

    def document_number(self, code: str) -> str:
        return str(self.cleaned_data.get(self.NUMBER_PREFIX + code) or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in list(cleaned.items()):
            if name.startswith(self.OUTPUT_PREFIX) and value:
                try:
                    check_output_pdf(value)
                except ValidationError as error:
                    self.add_error(name, error)
        if self.pdf_codes and not self.outputs() and not self.errors:
            raise ValidationError(_("Upload at least one finished document (PDF)."))
        return cleaned

    def outputs(self) -> list[tuple[str, UploadedFile]]:
        """(output code, file) of every document sent."""
        return [
            (name.removeprefix(self.OUTPUT_PREFIX), value)
            for name, value in self.cleaned_data.items()
            if name.startswith(self.OUTPUT_PREFIX) and value
        ]

    @property
    def pickup_place(self) -> str:
        return str(self.cleaned_data.get("pickup_place") or "")
