from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paradewi.accounts.models import AppDevice, Role, User
from paradewi.catalogue.services import catalogue_load
from paradewi.complaints.models import Complaint
from paradewi.demo.services import DEMO_PASSWORD, demo_totp_secret
from paradewi.requests.history import verify_chain, verify_state
from paradewi.requests.models import ServiceRequest, Status


def test_it_refuses_to_run_outside_demo_mode(regions, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="PARADEWI_DEMO=true"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()


@pytest.mark.slow
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


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_demo_users_start_with_only_their_newest_notifications_unread(regions, settings):
    from paradewi.demo.services import DEMO_UNREAD_KEPT
    from paradewi.notifications.models import Notification

    settings.DEMO_MODE = True
    catalogue_load()
    call_command("load_demo", stdout=StringIO())
    assert Notification.objects.filter(read_at__isnull=False).exists()
    for user in User.objects.filter(username__startswith="demo-"):
        unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
        assert unread <= DEMO_UNREAD_KEPT, (user.username, unread)
    desa = User.objects.get(username="demo-desa")
    assert Notification.objects.filter(user=desa, read_at__isnull=True).count() == DEMO_UNREAD_KEPT


@pytest.mark.slow
def test_the_demo_holds_requests_in_every_state_and_is_not_duplicated(regions, settings):
    settings.DEMO_MODE = True
    catalogue_load()
    call_command("load_demo", stdout=StringIO())
    states = set(ServiceRequest.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    total = ServiceRequest.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert ServiceRequest.objects.count() == total
    # The back-dated demo history is linked again: the chain holds.
    assert verify_chain().intact
    assert verify_state().consistent, verify_state()
    # Some are overdue, and the Gondang village's requests stay outside Jatirejo.
    assert ServiceRequest.objects.filter(
        status__in=["submitted", "verified"], due_at__lt=timezone.now()
    ).exists()
    assert ServiceRequest.objects.filter(district__code="35.16.02").exists()
    # Complaints through the services: waiting, past the target, answered, reopened; once.
    complaints = set(Complaint.objects.values_list("status", flat=True))
    assert {"open", "closed"} <= complaints
    assert Complaint.objects.filter(due_at__lt=timezone.now(), status="open").exists()
    assert Complaint.objects.exclude(lapor_number="").exists()
    count = Complaint.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert Complaint.objects.count() == count


@pytest.mark.slow
def test_the_demo_dinas_accounts_pass_the_second_step_with_the_published_key(regions, settings):
    settings.DEMO_MODE = True
    catalogue_load()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert demo_totp_secret() in out.getvalue()
    client = Client()
    response = client.post(
        reverse("login"), {"username": "demo-kadis", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.request["PATH_INFO"] == reverse("two_factor_verify")
    code = StringIO()
    call_command("demo_code", stdout=code)
    response = client.post(reverse("two_factor_verify"), {"code": code.getvalue().strip()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    # Accounts without the second step get no device.
    assert not AppDevice.objects.filter(user__username="demo-desa").exists()


def test_demo_codes_are_refused_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="PARADEWI_DEMO=true"):
        call_command("demo_code", stdout=StringIO())
