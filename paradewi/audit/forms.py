from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Username or name"),
        required=False,
        max_length=150,
        error_messages={"max_length": _("Type at most %(limit_value)d characters.")},
    )

    def query(self) -> str:
        if self.is_valid():
            return str(self.cleaned_data["q"])
        return ""
