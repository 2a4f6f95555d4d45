from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from paradewi.surveys.models import COMMENT_MAX_LENGTH
from paradewi.surveys.questionnaire import ELEMENTS, PROFILE


class SurveyForm(forms.Form):
    """The nine questions (answers 1..4, worst first) and the respondent profile, all
    required, and an optional comment.

    Nothing is asked that names the resident; the comment asks for no names or numbers.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for element in ELEMENTS:
            self.fields[element.field] = forms.TypedChoiceField(
                label=element.question,
                choices=[(score, answer) for score, answer in enumerate(element.answers, start=1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one answer.")},
            )
        for field, label, choices in PROFILE:
            self.fields[field] = forms.ChoiceField(
                label=label,
                choices=choices.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one answer.")},
            )
        self.fields["comment"] = forms.CharField(
            label=_("Comments or suggestions (optional)"),
            help_text=_(
                "Please do not write names, phone numbers or NIK: long numbers are removed."
            ),
            required=False,
            max_length=COMMENT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={
                "max_length": _(
                    "Please keep the comment to %(limit_value)d characters (it has %(show_value)d)."
                )
            },
        )

    def question_fields(self) -> list[forms.BoundField]:
        return [self[element.field] for element in ELEMENTS]

    def profile_fields(self) -> list[forms.BoundField]:
        return [self[field] for field, _label, _choices in PROFILE]

    def unanswered(self) -> bool:
        """Whether a question or a profile answer is missing (the comment is optional)."""
        return any(field.errors for field in (*self.question_fields(), *self.profile_fields()))

    def answers(self) -> dict[str, int]:
        return {element.field: self.cleaned_data[element.field] for element in ELEMENTS}

    def profile(self) -> dict[str, str]:
        return {field: self.cleaned_data[field] for field, _label, _choices in PROFILE}

    def comment(self) -> str:
        return str(self.cleaned_data.get("comment", ""))
