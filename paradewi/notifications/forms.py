"""Forms of the notification pages: what people type; the rules stay in `services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from paradewi.accounts.models import Role
from paradewi.accounts.policy import ANNOUNCEMENT_ROLES, in_order
from paradewi.core.validators import normalize_phone
from paradewi.notifications import texts
from paradewi.notifications.models import MessageTemplate, OptOut
from paradewi.regions.models import Region
from paradewi.regions.selectors import districts_of


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    body = forms.CharField(
        label=_("Text"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("New requirement rules, office closures, training dates, ..."),
    )
    roles = forms.MultipleChoiceField(
        label=_("For"),
        widget=forms.CheckboxSelectMultiple,
        initial=[Role.VILLAGE_OFFICER],
    )
    area = forms.ChoiceField(
        label=_("Where"),
        help_text=_(
            "The whole regency, or only the accounts of one kecamatan (its village officers "
            "and its operator; Dinas accounts belong to the regency)."
        ),
    )
    expires_on = forms.DateField(
        label=_("Show until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional: after this day it is no longer shown, read or not."),
    )

    def __init__(self, *args: Any, regency: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regency = regency
        roles = dict(Role.choices)
        roles_field = self.fields["roles"]
        area_field = self.fields["area"]
        assert isinstance(roles_field, forms.MultipleChoiceField)  # noqa: S101 - declared above
        assert isinstance(area_field, forms.ChoiceField)  # noqa: S101
        roles_field.choices = [(role.value, roles[role]) for role in in_order(ANNOUNCEMENT_ROLES)]
        self.districts = {district.code: district for district in districts_of(regency)}
        area_field.choices = [
            (regency.code, regency.name),
            *((code, district.display_name) for code, district in self.districts.items()),
        ]
        area_field.initial = regency.code

    def clean_area(self) -> Region:
        code = self.cleaned_data["area"]
        if code == self.regency.code:
            return self.regency
        if code in self.districts:
            return self.districts[code]
        raise ValidationError(_("Choose the regency or one of its kecamatan."))


class MessageTemplateForm(forms.ModelForm[MessageTemplate]):
    """The administrator's form: placeholders and SMS length are checked on save."""

    class Meta:
        model = MessageTemplate
        fields = ["event", "channel", "language", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10, "cols": 80})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        texts.validate_template(
            data.get("event", ""),
            data.get("channel", ""),
            data.get("language", ""),
            data.get("subject", ""),
            data.get("body", ""),
        )
        return data


class OptOutAdminForm(forms.ModelForm[OptOut]):
    """The administrator records a resident's wish (told at the office or by phone)."""

    class Meta:
        model = OptOut
        fields = ["phone"]

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])
