"""The form renderer draws Django's widgets from their Jinja2 copies, with the same HTML as
the Django templates (elements, attributes and text; the Jinja2 copies leave out some blank
lines between options), and the admin's widgets from the Django templates."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.forms.renderers import DjangoTemplates, Jinja2, get_default_renderer
from django.test.html import parse_html

from paradewi.core.renderers import FormRenderer
from paradewi.requests.forms_actions import WorklistFilterForm


class Sample(forms.Form):
    name = forms.CharField(max_length=60, help_text="Nama lengkap")
    kind = forms.ChoiceField(choices=[("a", "Satu"), ("b", "Dua <b>")])
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    agree = forms.BooleanField()
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    scan = forms.FileField(required=False)


def test_the_settings_use_it():
    assert isinstance(get_default_renderer(), FormRenderer)


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"name": "Siti", "kind": "b", "many": ["y"], "day": "x"}])
def test_widgets_are_drawn_as_the_django_templates_draw_them(data):
    made: list[tuple[forms.Form, forms.Form]] = [
        (
            Sample(data or None, renderer=FormRenderer()),
            Sample(data or None, renderer=DjangoTemplates()),
        ),
        (
            WorklistFilterForm(data or None, tabs=["open"], renderer=FormRenderer()),
            WorklistFilterForm(data or None, tabs=["open"], renderer=DjangoTemplates()),
        ),
    ]
    for ours, django in made:
        if data:
            ours.is_valid()
            django.is_valid()
        assert parse_html(str(ours)) == parse_html(str(django))
        for name in ours.fields:
            assert parse_html(str(ours[name])) == parse_html(str(django[name]))
            assert ours[name].label_tag() == django[name].label_tag()


def test_django_widgets_come_from_jinja2_and_the_admins_from_django_templates():
    renderer = FormRenderer()
    select = renderer.get_template("django/forms/widgets/select.html")
    assert select.template.__class__.__module__.startswith("jinja2")
    assert isinstance(Jinja2().get_template("django/forms/widgets/select.html"), type(select))
    html = AdminDateWidget().render("day", None, renderer=renderer)
    assert 'class="vDateField' in html
