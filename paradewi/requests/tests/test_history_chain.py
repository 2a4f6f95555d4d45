"""The tamper-evident history: every change to a row, a removed row or a cut-off end is found."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from paradewi.requests.history import rechain, verify_chain
from paradewi.requests.models import HistoryHead, Transition
from paradewi.requests.tests.test_action_views import in_state


@pytest.fixture
def history(personas):
    """Two requests' histories, written through the workflow."""
    in_state(personas, "done")
    in_state(personas, "verified")
    rows = list(Transition.objects.order_by("pk"))
    assert len(rows) >= 8
    return rows


def test_the_workflow_writes_an_intact_chain(history):
    assert all(len(row.chain_hash) == 64 for row in history)
    assert len({row.chain_hash for row in history}) == len(history)
    check = verify_chain()
    assert check.intact
    assert check.rows == len(history)
    head = HistoryHead.objects.get()
    assert (head.last_pk, head.last_hash) == (history[-1].pk, history[-1].chain_hash)
    out = StringIO()
    call_command("verify_history", stdout=out)
    assert f"intact: {len(history)} rows" in out.getvalue()


@pytest.mark.parametrize(
    "change",
    [
        {"reason": "Berkas lengkap"},
        {"action": "verify"},
        {"to_status": "rejected"},
        {"details": {"kk-lama": "buram"}},
    ],
)
def test_a_changed_row_is_named(history, change):
    target = history[3]
    Transition.objects.filter(pk=target.pk).update(**change)
    check = verify_chain()
    assert check.broken is not None
    assert check.broken.pk == target.pk
    with pytest.raises(CommandError, match=f"broken at row {target.pk} "):
        call_command("verify_history", stdout=StringIO())


def test_a_back_dated_row_is_named(history):
    target = history[2]
    Transition.objects.filter(pk=target.pk).update(
        created_at=target.created_at.replace(year=target.created_at.year - 1)
    )
    check = verify_chain()
    assert check.broken is not None
    assert check.broken.pk == target.pk


def test_a_removed_row_breaks_the_chain_at_the_next_one(history):
    Transition.objects.filter(pk=history[4].pk).delete()
    check = verify_chain()
    assert check.broken is not None
    assert check.broken.pk == history[5].pk


def test_a_hash_copied_from_elsewhere_does_not_fit(history):
    Transition.objects.filter(pk=history[1].pk).update(chain_hash=history[2].chain_hash)
    check = verify_chain()
    assert check.broken is not None
    assert check.broken.pk == history[1].pk


def test_rows_removed_from_the_end_are_noticed(history):
    Transition.objects.filter(pk=history[-1].pk).delete()
    check = verify_chain()
    assert check.broken is None
    assert check.truncated
    with pytest.raises(CommandError, match="removed from its end"):
        call_command("verify_history", stdout=StringIO())


def test_another_key_does_not_verify(history, settings):
    settings.HISTORY_CHAIN_KEY = "another-key-than-the-one-that-wrote-the-chain"
    check = verify_chain()
    assert check.broken is not None
    assert check.broken.pk == history[0].pk


def test_rechain_links_data_made_outside_the_workflow(history):
    Transition.objects.update(chain_hash="")
    assert not verify_chain().intact
    assert rechain() == len(history)
    assert verify_chain().intact
