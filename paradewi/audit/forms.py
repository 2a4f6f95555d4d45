from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from paradewi.audit.models import REASON_MAX

REASON_MIN = 10


class ExportReasonForm(forms.Form):
    """The reason for an export of personal data: written into the access log with it."""

    reason = forms.CharField(
        label=_("Why do you need this export?"),
        min_length=REASON_MIN,
        max_length=REASON_MAX,
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
