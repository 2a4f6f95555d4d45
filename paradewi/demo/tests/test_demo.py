from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from paradewi.accounts.models import Role, User
from paradewi.demo.services import DEMO_PASSWORD


def test_it_refuses_to_run_outside_demo_mode(regions, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="PARADEWI_DEMO=true"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_it_creates_the_demo_users_once_and_prints_them(regions, settings):
    settings.DEMO_MODE = True
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
