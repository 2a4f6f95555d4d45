"""Purging practice data per officer, per kecamatan or all at once leaves real data as it was;
backups say whether they hold practice data."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import TestCase

from paradewi.audit.models import AccessLog
from paradewi.core.backup import manifest_notes
from paradewi.documents.models import OutputFile
from paradewi.regions.models import Region
from paradewi.requests import history
from paradewi.requests.models import HandOver, ServiceRequest, Transition, Upload
from paradewi.testing import DISTRICT_A, Client, Personas
from paradewi.training.models import PracticeRun
from paradewi.training.services import practice_purge
from paradewi.training.tests.factories import finish_real, play_return_and_fix, play_with_colleagues

pytestmark = pytest.mark.django_db


def _real_state() -> dict[str, object]:
    return {
        "requests": list(ServiceRequest.objects.order_by("pk").values()),
        "transitions": list(Transition.objects.order_by("pk").values()),
        "uploads": list(Upload.objects.filter(request__is_practice=False).order_by("pk").values()),
        "outputs": list(OutputFile.objects.order_by("pk").values()),
        "handovers": list(HandOver.objects.filter(request__is_practice=False).values()),
        "access": AccessLog.objects.filter(request__is_practice=False).count(),
        "files": sorted(
            Upload.objects.filter(request__is_practice=False).values_list("file", flat=True)
        ),
    }


def test_purging_one_officer_then_all_leaves_real_data_and_the_chain_as_they_were(
    p: Personas,
) -> None:
    real = finish_real(p)
    played = play_return_and_fix(p)  # desa A
    colleagues = play_with_colleagues(p)  # desa B
    practice_files = [u.file.name for u in Upload.objects.filter(request=played)]
    assert all(default_storage.exists(name) for name in practice_files)
    before = _real_state()
    assert manifest_notes()["practice"]["included"] is True

    with TestCase.captureOnCommitCallbacks(execute=True):  # the files go after the commit
        purged = practice_purge(officer=p.desa_a)
    assert purged.requests == 1
    assert not ServiceRequest.everything.filter(pk=played.pk).exists()
    assert ServiceRequest.practice.filter(pk=colleagues.pk).exists()
    assert not PracticeRun.objects.filter(request_id=played.pk).exists()
    assert not Transition.everything.filter(request_id=played.pk).exists()
    assert not any(default_storage.exists(name) for name in practice_files)

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("training_purge", "--all", stdout=io.StringIO())
    assert not ServiceRequest.practice.exists()
    assert not Transition.everything.filter(is_practice=True).exists()
    assert _real_state() == before
    assert all(default_storage.exists(u.file.name) for u in Upload.objects.filter(request=real))
    assert history.verify_chain().intact
    assert history.verify_state().consistent
    assert manifest_notes()["practice"] == {
        "included": False,
        "requests": 0,
        "summary": "holds no practice data",
    }


def test_the_dinas_head_purges_a_kecamatan_and_an_officer_only_their_own(p: Personas) -> None:
    finish_real(p)
    play_return_and_fix(p)
    colleagues = play_with_colleagues(p)
    officer = Client()
    officer.force_login(p.desa_b)
    # An officer's purge is their own practice, whatever officer it names.
    officer.post("/training/purge/", {"officer": p.desa_a.pk, "confirm": "on"})
    assert ServiceRequest.practice.filter(created_by=p.desa_a).exists()
    assert not ServiceRequest.practice.filter(pk=colleagues.pk).exists()
    head = Client()
    head.force_login(p.head)
    page = head.post("/training/purge/", {"district": DISTRICT_A})
    assert page.status_code == 302  # not confirmed: nothing deleted
    assert ServiceRequest.practice.exists()
    head.post("/training/purge/", {"district": DISTRICT_A, "confirm": "on"})
    assert not ServiceRequest.practice.filter(district=Region.objects.get(code=DISTRICT_A)).exists()
    assert ServiceRequest.objects.count() == 1


@pytest.mark.backup
@pytest.mark.django_db(transaction=True)
def test_a_backup_manifest_says_it_holds_practice_data(p: Personas, tmp_path) -> None:
    import json
    import tarfile

    from paradewi.core.backup import backup

    play_return_and_fix(p)
    summary = backup(tmp_path / "b.tar")
    assert summary.notes["practice"]["included"] is True
    with tarfile.open(tmp_path / "b.tar") as archive:
        member = archive.extractfile("manifest.json")
        assert member is not None
        manifest = json.load(member)
    assert manifest["notes"]["practice"]["requests"] == 1
