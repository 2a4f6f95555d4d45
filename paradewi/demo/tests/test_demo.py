from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from paradewi.accounts.models import Role, User
from paradewi.catalogue.services import catalogue_load
from paradewi.demo.services import DEMO_PASSWORD
from paradewi.requests.models import ServiceRequest, Status


def test_it_refuses_to_run_outside_demo_mode(regions, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="PARADEWI_DEMO=true"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_it_creates_the_demo_users_once_and_prints_them(regions, settings):
    settings.DEMO_MODE = True
    catalogue_load()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert User.objects.count() == 8
    assert DEMO_PASSWORD in out.getvalue()
    desa = User.objects.get(username="demo-desa")
    assert desa.role == Role.VILLAGE_OFFICER
    assert desa.area is not None
    assert desa.area.name == "Tawangrejo"
    assert desa.check_password(DEMO_PASSWORD)
    kecamatan = User.objects.get(username="demo-kecamatan")
    assert kecamatan.area is not None
    assert kecamatan.area.code == "35.16.01"
    desa3 = User.objects.get(username="demo-desa3")
    assert desa3.area is not None
    assert desa3.area.code.startswith("35.16.02.")

    desa.set_password("changed-by-the-user")
    desa.save()
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert User.objects.count() == 8
    assert "[kept]" in again.getvalue()
    desa.refresh_from_db()
    assert desa.check_password("changed-by-the-user")


def test_the_demo_holds_requests_in_every_state_and_is_not_duplicated(regions, settings):
    settings.DEMO_MODE = True
    catalogue_load()
    call_command("load_demo", stdout=StringIO())
    states = set(ServiceRequest.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    total = ServiceRequest.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert ServiceRequest.objects.count() == total
    # Some are overdue, and the Gondang village's requests stay outside Jatirejo.
    assert ServiceRequest.objects.filter(
        status__in=["submitted", "verified"], due_at__lt=timezone.now()
    ).exists()
    assert ServiceRequest.objects.filter(district__code="35.16.02").exists()
