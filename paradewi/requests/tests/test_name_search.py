"""Residents' names are encrypted in the database, and the worklists still find them by name.

A copy of the database holds no name in clear (every column of every table is read with a
plain cursor); the search finds a request by whole words or their beginnings, in any case and
spacing, only inside the user's area, through the keyed hashes of requests/name_index.py.
"""

from __future__ import annotations

from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from paradewi.core.crypto import is_token, name_query_tokens, name_tokens, normalise_name
from paradewi.requests import name_index, services
from paradewi.requests.models import NameToken, ServiceRequest
from paradewi.requests.tests.factories import make_draft, make_submitted
from paradewi.requests.tests.test_raw_database import every_value_in_the_database

pytestmark = pytest.mark.django_db

SUBJECT = "Kusumawardhani Prameswari"
REPORTER = "Wicaksono Hartadi"
WORDS = ("KUSUMAWARDHANI", "PRAMESWARI", "WICAKSONO", "HARTADI")


@pytest.fixture
def p(personas):
    return personas


@pytest.fixture
def named(p) -> ServiceRequest:
    return make_submitted(
        p.desa_a,
        subject_name=SUBJECT,
        reporter_name=REPORTER,
        reporter_nik="3516015204900012",
        reporter_relationship="parent",
    )


def found(client, user, query: str) -> set[int]:
    client.force_login(user)
    response = client.get(reverse("request_list"), {"q": query, "tab": "all"})
    assert response.status_code == 200
    return {row.request.pk for row in response.context["rows"]}


# --- at rest ------------------------------------------------------------------------------------


def test_no_table_holds_a_residents_name_in_clear(named):
    values = [value.upper() for value in every_value_in_the_database()]
    assert [word for word in WORDS if any(word in value for value in values)] == []


def test_the_request_row_holds_tokens_and_the_application_reads_the_names(named):
    table = connection.ops.quote_name(ServiceRequest._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT subject_name, reporter_name FROM {table} WHERE id = %s",  # noqa: S608
            [named.pk],
        )
        subject, reporter = cursor.fetchone()
    assert is_token(subject)
    assert is_token(reporter)
    fresh = ServiceRequest.objects.get(pk=named.pk)
    assert (fresh.subject_name, fresh.reporter_name) == (SUBJECT, REPORTER)


def test_a_name_is_compared_without_case_accents_punctuation_or_extra_spaces():
    assert normalise_name("  Ma'ruf   Nur-Aini, M. Dédé ") == "MARUF NUR AINI M DEDE"
    assert name_query_tokens("sri  WAH") == name_query_tokens("Sri Wah")
    # Every word whole and each beginning of three letters and more; short words whole.
    assert name_query_tokens("Sri")[0] in name_tokens("Sri Wahyuni")
    assert name_query_tokens("wah")[0] in name_tokens("Sri Wahyuni")
    assert name_query_tokens("wa")[0] not in name_tokens("Sri Wahyuni")
    assert name_query_tokens("M")[0] in name_tokens("M. Ali")


# --- the search ---------------------------------------------------------------------------------


def test_the_search_finds_a_name_by_words_and_their_beginnings_in_any_case(client, p, named):
    for query in (
        "kusumawardhani",
        "PRAMESWARI",
        "Kusuma",
        "pram",
        "  prameswari   KUSUMA ",
        "Kusumawardhani-Prameswari",
    ):
        assert found(client, p.desa_a, query) == {named.pk}, query


def test_the_search_does_not_find_a_part_inside_a_word_or_another_persons_name(client, p, named):
    assert found(client, p.desa_a, "wardhani") == set()
    assert found(client, p.desa_a, "Kusuma Slamet") == set()
    # The reporter's name is not what the worklist searches.
    assert found(client, p.desa_a, "Wicaksono") == set()
    assert found(client, p.desa_a, "--") == set()


def test_the_search_stays_inside_the_users_area(client, p, named):
    other = make_submitted(p.desa_b, subject_name="Kusuma Dewi")
    assert found(client, p.desa_a, "kusuma") == {named.pk}
    assert found(client, p.desa_b, "kusuma") == {other.pk}
    assert found(client, p.desa_c, "kusuma") == set()
    assert found(client, p.kecamatan_a, "kusuma") == {named.pk, other.pk}
    assert found(client, p.kecamatan_c, "kusuma") == set()
    assert found(client, p.clerk, "kusuma") == {named.pk, other.pk}


def test_a_word_with_many_matches_is_searched_as_a_subquery(client, p, named, monkeypatch):
    other = make_submitted(p.desa_a, subject_name="Kusuma Dewi")
    monkeypatch.setattr(name_index, "FEW_MATCHES", 1)
    # "kusuma" matches two (a subquery), "prames" one (a list of ids): both ways agree.
    assert found(client, p.desa_a, "kusuma") == {named.pk, other.pk}
    assert found(client, p.desa_a, "kusuma prames") == {named.pk}
    assert found(client, p.clerk, "kusuma dewi") == {other.pk}


@pytest.mark.parametrize("few", [1, 2, 3, 5000])
def test_every_way_of_intersecting_the_words_finds_the_same_requests(
    client, p, named, few, monkeypatch
):
    """1: every word common, their intersection too (a probe per request in the worklist's
    query); 2: the intersection of common words is a list; 3: a rare word's list checked
    against the common ones; 5000: every word is a list."""
    first = make_submitted(p.desa_a, subject_name="Kusuma Dewi")
    second = make_submitted(p.desa_a, subject_name="Dewi Kusumaningrum")
    make_submitted(p.desa_a, subject_name="Dewi Sartika")
    make_submitted(p.desa_b, subject_name="Kusuma Dewi")  # another village
    monkeypatch.setattr(name_index, "FEW_MATCHES", few)
    assert found(client, p.desa_a, "kusuma dewi") == {first.pk, second.pk}
    assert found(client, p.desa_a, "dewi kusumaning") == {second.pk}
    assert found(client, p.desa_a, "kus prames") == {named.pk}
    assert found(client, p.desa_a, "kusuma xylofon") == set()
    assert len(found(client, p.clerk, "kusuma dewi")) == 3
    # The count (made from the rarest word's requests when the words stay probes) agrees.
    client.force_login(p.desa_a)
    response = client.get(reverse("request_list"), {"q": "kusuma dewi", "tab": "all"})
    assert response.context["page"].paginator.count == 2


def test_the_dinas_does_not_find_a_draft_by_name(client, p):
    make_draft(p.desa_a, subject_name="Kusuma Dewi")
    assert found(client, p.clerk, "kusuma") == set()


def test_a_changed_name_is_found_under_the_new_name_only(client, p):
    draft = make_draft(p.desa_a, subject_name="Kusuma Dewi")
    services.request_update(actor=p.desa_a, request=draft, subject_name="Larasati Putri")
    assert found(client, p.desa_a, "kusuma") == set()
    assert found(client, p.desa_a, "laras") == {draft.pk}


# --- the migration of existing rows -------------------------------------------------------------


def test_the_migration_encrypts_existing_names_and_indexes_them(client, p, named):
    migration = __import__(
        "paradewi.requests.migrations.0017_encrypted_names", fromlist=["encrypt_existing"]
    )
    table = connection.ops.quote_name(ServiceRequest._meta.db_table)
    # A row as it was before: names in clear, no hashes.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET subject_name = %s, reporter_name = %s, "  # noqa: S608
            "subject_name_index = '' WHERE id = %s",
            [SUBJECT, REPORTER, named.pk],
        )
    NameToken.objects.all().delete()
    migration.encrypt_existing(apps, SimpleNamespace(connection=connection))
    values = [value.upper() for value in every_value_in_the_database()]
    assert [word for word in WORDS if any(word in value for value in values)] == []
    fresh = ServiceRequest.objects.get(pk=named.pk)
    assert (fresh.subject_name, fresh.reporter_name) == (SUBJECT, REPORTER)
    assert fresh.subject_name_index == named.subject_name_index != ""
    assert found(client, p.desa_a, "prames") == {named.pk}


def test_a_new_search_key_is_followed_by_the_name_hashes(client, p, named):
    with override_settings(SEARCH_INDEX_KEY=b"n" * 32):
        assert found(client, p.desa_a, "prames") == set()
        call_command("rotate_keys", "--reindex", "--fields-only", stdout=StringIO())
        assert found(client, p.desa_a, "prames") == {named.pk}
