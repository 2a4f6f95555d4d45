"""Forms of the worklist and of the workflow actions (return, reject, cancel, reassign, complete).

They check what a person typed or sent; the rules of the workflow stay in `services`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from paradewi.accounts.access import scope_to_area
from paradewi.accounts.models import Role, User
from paradewi.catalogue.models import Service
from paradewi.regions.selectors import deployed_regency
from paradewi.requests.access_log import REASON_MAX as LOG_REASON_MAX
from paradewi.requests.models import Part, Receiver, Relationship, ServiceRequest, Status
from paradewi.requests.selectors.worklist import TAB_LABELS
from paradewi.requests.services import Recipient

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
        widget=forms.Textarea(attrs={"rows": 3, "class": "grows"}),
    )


ITEM_MAX = 300


def _item_field(label: Any) -> forms.CharField:
    """What to fix in one part: several lines, the box growing with the text (app.css)."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=ITEM_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "class": "grows"}),
    )


class ReturnForm(forms.Form):
    """What the village must fix: a reason per requirement, for the typed data, or in general."""

    ITEM_PREFIX = "item-"

    def __init__(self, *args: Any, service_request: ServiceRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for spec in service_request.definition["requirements"]:
            self.fields[self.ITEM_PREFIX + spec["code"]] = _item_field(spec["name"])
        self.fields[self.ITEM_PREFIX + "data"] = _item_field(
            _("The typed data (names, dates, numbers)")
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


class HandOverForm(forms.Form):
    """Which waiting parts were received, and by whom (the person, the reporter, or another
    family member named with their relationship). The page asks to confirm before the service
    records it."""

    parts = forms.MultipleChoiceField(
        label=_("What was handed over"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick what was handed over.")},
    )
    receiver = forms.ChoiceField(
        label=_("Received by"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Say who received it.")},
    )
    receiver_name = forms.CharField(
        label=_("Name of the family member"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    receiver_relationship = forms.ChoiceField(
        label=_("Relationship to the person"),
        required=False,
        choices=[("", "-"), *[c for c in Relationship.choices if c[0] != Relationship.SELF]],
    )

    def __init__(
        self, *args: Any, service_request: ServiceRequest, parts: tuple[str, ...], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.part_codes = parts
        req = service_request
        described = {
            Part.DOCUMENTS: _("Printed documents: %(names)s")
            % {"names": ", ".join(req.document_names)},
            Part.CARDS: _("Cards: %(names)s") % {"names": ", ".join(req.card_names)},
        }
        field = self.fields["parts"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - declared above
        field.choices = [(part, described[Part(part)]) for part in parts]
        field.initial = list(parts)
        receivers = [
            (Receiver.SUBJECT, f"{req.subject_name or '-'} ({_('the person themselves')})"),
        ]
        if req.reporter_name and req.reporter_relationship != Relationship.SELF:
            relation = req.get_reporter_relationship_display() or _("the reporter")
            receivers.append(
                (Receiver.REPORTER, f"{req.reporter_name} ({_('reporter')}, {relation})")
            )
        receivers.append((Receiver.FAMILY, str(_("Another family member (type the name)"))))
        receiver = self.fields["receiver"]
        assert isinstance(receiver, forms.ChoiceField)  # noqa: S101
        receiver.choices = receivers

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("receiver") == Receiver.FAMILY:
            if not " ".join(str(cleaned.get("receiver_name", "")).split()):
                self.add_error(
                    "receiver_name", _("Write the name of the family member who received it.")
                )
            if not cleaned.get("receiver_relationship"):
                self.add_error(
                    "receiver_relationship",
                    _("Choose how the family member is related to the person."),
                )
        return cleaned

    def part(self) -> str | None:
        """The one part ticked, or None when every waiting part was."""
        chosen = self.cleaned_data["parts"]
        return None if len(chosen) == len(self.part_codes) else chosen[0]

    def recipient(self) -> Recipient:
        data = self.cleaned_data
        family = data["receiver"] == Receiver.FAMILY
        return Recipient(
            receiver=Receiver(data["receiver"]),
            name=data["receiver_name"] if family else "",
            relationship=data["receiver_relationship"] if family else "",
        )

    def summary(self) -> dict[str, str]:
        """What the confirmation repeats: the parts and the receiver, in words."""
        data = self.cleaned_data
        parts = dict(self.fields["parts"].choices)  # type: ignore[attr-defined]
        receivers = dict(self.fields["receiver"].choices)  # type: ignore[attr-defined]
        if data["receiver"] == Receiver.FAMILY:
            relation = dict(Relationship.choices)[data["receiver_relationship"]]
            who = f"{' '.join(data['receiver_name'].split())} ({relation})"
        else:
            who = str(receivers[data["receiver"]])
        return {"parts": "; ".join(str(parts[p]) for p in data["parts"]), "who": who}


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


# The shortest reason an export of personal data is accepted with (the access log keeps it).
EXPORT_REASON_MIN = 10


class ExportReasonForm(forms.Form):
    """The reason for an export of personal data: written into the access log with it."""

    reason = forms.CharField(
        label=_("Why do you need this export?"),
        min_length=EXPORT_REASON_MIN,
        max_length=LOG_REASON_MAX,
        help_text=_(
            "For example the letter or the case it is for. At least 10 characters; "
            "the Dinas head can read it in the access log."
        ),
        error_messages={
            "required": _("Write the reason for this export."),
            "min_length": _(
                "The reason is too short: write at least %(limit_value)d characters "
                "(you wrote %(show_value)d)."
            ),
            "max_length": _(
                "The reason is too long: at most %(limit_value)d characters "
                "(you wrote %(show_value)d)."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 3}),
    )
