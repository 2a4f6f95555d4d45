from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from paradewi.documents.services import signature_of
from paradewi.documents.signatures import SignatureCheck
from paradewi.documents.verification import DOCUMENT_NUMBER_MAX, DOCUMENT_NUMBER_RE
from paradewi.requests.files import check_output_pdf
from paradewi.requests.forms_actions import pickup_places
from paradewi.requests.models import CorrectionCause, ServiceRequest


class CompleteForm(forms.Form):
    """The issued documents (one PDF field per printable output) and, for a card, where it waits.

    Each PDF is checked here so the error shows next to its field; the service checks again.
    """

    OUTPUT_PREFIX = "output-"
    # The number printed on each document, optional: "number-<output code>".
    NUMBER_PREFIX = "number-"

    @staticmethod
    def _file_checks() -> dict[str, Any]:
        """What the page checks before sending (static/js/app.js): type and size."""
        return {
            "accept": "application/pdf,.pdf",
            "data-accept-types": "application/pdf",
            "data-max-bytes": settings.OUTPUT_MAX_BYTES,
            "data-msg-wrong-type": _("Finished documents must be PDF files."),
            "data-msg-too-big": _(
                "The file is {size}; at most {limit} is allowed. It was not sent."
            ),
        }

    def __init__(self, *args: Any, service_request: ServiceRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What each sent PDF's electronic signature showed (filled by clean()).
        self.signatures: dict[str, SignatureCheck] = {}
        self.output_names = {
            output["code"]: output["name"] for output in service_request.definition["outputs"]
        }
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
                widget=forms.ClearableFileInput(attrs=self._file_checks()),
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
                    checked = check_output_pdf(value)
                    self.signatures[name.removeprefix(self.OUTPUT_PREFIX)] = signature_of(checked)
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

    def signature_warnings(self) -> list[str]:
        """A sentence for each sent PDF whose signature is not valid (accepted, not required)."""
        return [
            _("“%(document)s”: %(status)s.")
            % {"document": self.output_names.get(code, code), "status": check.status.label}
            for code, check in self.signatures.items()
            if not check.ok
        ]

    @property
    def pickup_place(self) -> str:
        return str(self.cleaned_data.get("pickup_place") or "")


class CorrectionForm(forms.Form):
    """Ask for the correction of an issued document: which one, why, what is wrong, and the
    evidence (checked by `requests.files.check_upload` in the service, as every upload)."""

    output = forms.TypedChoiceField(
        label=_("Which document is wrong?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the document that is wrong.")},
    )
    cause = forms.ChoiceField(
        label=_("Why is it wrong?"),
        choices=CorrectionCause.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the document is wrong.")},
    )
    wrong = forms.CharField(
        label=_("What is wrong, and what is right?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: the name is printed “Siti Aminh”; the F-2.01 says “Siti Aminah”."
        ),
        error_messages={"required": _("Say what is wrong on the document.")},
    )
    evidence = forms.FileField(
        label=_("Evidence (JPEG, PNG or PDF)"),
        required=False,
        help_text=_(
            "Needed for the Dinas's error: a photo of the wrong document beside the right data. "
            "Nothing else is asked: the requirements given before stay."
        ),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def __init__(self, *args: Any, outputs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["output"].choices = outputs  # type: ignore[attr-defined]
        if len(outputs) == 1:
            self.fields["output"].initial = outputs[0][0]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("cause") == CorrectionCause.CLERICAL and not cleaned.get("evidence"):
            self.add_error("evidence", _("Upload the evidence of the error."))
        return cleaned
