from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from paradewi.surveys.questionnaire import ELEMENTS, PROFILE


class SurveyForm(forms.Form):
    """The nine questions (answers 1..4, worst first) and the respondent profile; all required.

    Nothing is asked that names the resident.
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

    def question_fields(self) -> list[forms.BoundField]:
        return [self[element.field] for element in ELEMENTS]

    def profile_fields(self) -> list[forms.BoundField]:
        return [self[field] for field, _label, _choices in PROFILE]

    def answers(self) -> dict[str, int]:
        return {element.field: self.cleaned_data[element.field] for element in ELEMENTS}

    def profile(self) -> dict[str, str]:
        return {field: self.cleaned_data[field] for field, _label, _choices in PROFILE}
