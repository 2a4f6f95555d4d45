"""The views of requests and documents log through a hook this app fills; without it the site
refuses to show personal data rather than show it unlogged."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from paradewi.audit.models import AccessLog
from paradewi.audit.selectors import may_read_access_log
from paradewi.audit.services import access_record
from paradewi.requests import access_log


@pytest.fixture
def unregistered(monkeypatch):
    monkeypatch.setattr(access_log, "_log", access_log._Log())


def test_the_audit_app_registers_its_writer_and_its_reader_check():
    assert access_log._log.recorder is access_record
    assert access_log._log.may_read is may_read_access_log
    assert access_log.access_log_registered() == []


def test_an_opening_goes_through_the_hook_into_the_log(client, p, done):
    client.force_login(p.desa_a)
    assert client.get(reverse("request_detail", kwargs={"pk": done.pk})).status_code == 200
    assert AccessLog.objects.filter(request=done, user=p.desa_a).count() == 1


@pytest.mark.usefixtures("unregistered")
def test_without_a_registered_log_the_system_check_fails():
    errors = access_log.access_log_registered()
    assert [error.id for error in errors] == ["requests.E001"]


@pytest.mark.usefixtures("unregistered")
def test_without_a_registered_log_a_page_of_personal_data_is_refused_not_shown(client, p, done):
    client.force_login(p.desa_a)
    with pytest.raises(ImproperlyConfigured, match="No access log"):
        client.get(reverse("request_detail", kwargs={"pk": done.pk}))
    assert not AccessLog.objects.exists()
