from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    AuthenticationForm,
    PasswordResetForm,
    UserChangeForm,
    UsernameField,
)
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paradewi.accounts import guessing
from paradewi.accounts.imports import MAX_BYTES, OfficerRow, read_officer_file
from paradewi.accounts.models import User
from paradewi.core.validators import normalize_phone


class _ContactFieldsMixin:
    """Store contact data as user_create does: phone as +628..., e-mail in lower case."""

    cleaned_data: dict[str, object]

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data.get("phone") or "").strip()
        return normalize_phone(phone) if phone else ""

    def clean_email(self) -> str:
        return str(self.cleaned_data.get("email") or "").strip().lower()


class UserAdminCreationForm(_ContactFieldsMixin, AdminUserCreationForm):
    """The admin's "add user" form for our user model (Django's is bound to auth.User)."""

    class Meta:
        model = User
        fields = ("username", "full_name", "email", "phone", "role", "area")
        field_classes = {"username": UsernameField}


class UserAdminChangeForm(_ContactFieldsMixin, UserChangeForm[User]):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"username": UsernameField}


class OfficerImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy(
            "CSV (UTF-8, comma or semicolon separated) or Excel workbook (.xlsx), first row "
            "naming the columns."
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: only check the rows, save nothing"),
        required=False,
        initial=True,
    )
    skip_bad = forms.BooleanField(
        label=gettext_lazy("Skip bad rows and import the good ones"), required=False
    )

    rows: list[OfficerRow]

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}
            )
        self.rows = read_officer_file(upload.read())
        return upload


class PasswordSetOrResetForm(PasswordResetForm):
    """Django's reset form, also for accounts that never had a password.

    Imported officers start without a usable password; if the first link expires they must be
    able to ask for another one themselves.
    """

    def get_users(self, email: str) -> Iterator[User]:
        return (
            user
            for user in User.objects.filter(email__iexact=email, is_active=True)
            if user.email and user.email.lower() == email.lower()
        )


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "Please enter a correct %(username)s and password. Note that both fields may be "
            "case-sensitive."
        ),
        "address_closed": gettext_lazy(
            "Too many failed log-ins for different accounts from your network. Try again in "
            "%(minutes)d minutes. Officers who have logged in on this device before can log in "
            "now."
        ),
    }

    def clean(self) -> dict[str, Any]:
        """Stop a password login from an address closed for guessing across usernames
        (accounts/guessing.py); count every wrong password against the address."""
        username = str(self.cleaned_data.get("username") or "")
        if self.request is not None and guessing.address_closed(self.request, username):
            minutes = max(1, math.ceil(settings.LOGIN_ADDRESS_LOCKOUT / 60))
            raise ValidationError(
                self.error_messages["address_closed"] % {"minutes": minutes},
                code="address_closed",
            )
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login" and self.request is not None:
                guessing.record_failure(self.request)
            raise


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}
        ),
    )
