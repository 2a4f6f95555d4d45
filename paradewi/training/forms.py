from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _


class SwitchForm(forms.Form):
    on = forms.TypedChoiceField(
        choices=[("1", _("On")), ("0", _("Off"))],
        coerce=lambda value: value == "1",
        error_messages={"invalid_choice": _("Choose on or off.")},
    )


class StartForm(forms.Form):
    scenario = forms.SlugField(error_messages={"required": _("Choose a scenario.")})
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class PurgeForm(forms.Form):
    """What to purge: the practice of one officer, of a kecamatan, or all (the Dinas head)."""

    officer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    district = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    everything = forms.BooleanField(required=False, widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("Yes, delete this practice data (real requests are not touched)."),
        error_messages={"required": _("Tick the box to confirm.")},
    )
