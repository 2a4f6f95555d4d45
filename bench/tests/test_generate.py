from __future__ import annotations

import hashlib
import itertools
import re
from collections import defaultdict
from datetime import date
from typing import Any

import pytest
from django.conf import LazySettings
from django.db import connection
from django.db.models import Count, Model

from bench.dataset import Params, generate
from bench.store import BenchDataError
from paradewi.core.crypto import blind_index, is_token
from paradewi.core.validators import validate_phone
from paradewi.documents.models import OutputFile
from paradewi.requests.models import NumberSequence, ServiceRequest, Status, Transition, Upload
from paradewi.requests.validators import parse_kk, parse_nik
from paradewi.surveys.models import SurveyResponse, SurveyTicket
from paradewi.surveys.services import tickets
from paradewi.worktime.services import add_working_minutes, target_minutes, working_minutes_between

PARAMS = Params(requests=300, years=0.5, seed=7, end=date(2026, 3, 2))


@pytest.fixture(autouse=True)
def _fast(settings: LazySettings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "b"},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bl"},
    }


def _quiet(line: str) -> None:
    pass


def _rows(model: type[Model], *fields: str, order: tuple[str, ...]) -> list[tuple[Any, ...]]:
    return list(model._default_manager.order_by(*order).values_list(*fields))


def _digest() -> str:
    request_fields = [f.attname for f in ServiceRequest._meta.concrete_fields]
    tables = [
        _rows(ServiceRequest, *request_fields, order=("id",)),
        _rows(
            Transition,
            "request_id",
            "actor_id",
            "actor_role",
            "action",
            "from_status",
            "to_status",
            "reason",
            "details",
            "created_at",
            order=("request_id", "created_at", "id"),
        ),
        _rows(
            Upload,
            "request_id",
            "requirement_code",
            "file",
            "size",
            "sha256",
            "uploaded_at",
            "replaced_at",
            "purged_at",
            order=("request_id", "uploaded_at", "id"),
        ),
        _rows(OutputFile, "request_id", "output_code", "verification_code", order=("id",)),
        _rows(SurveyResponse, *[f.attname for f in SurveyResponse._meta.fields], order=("id",)),
        _rows(SurveyTicket, "ticket", order=("ticket",)),
        _rows(NumberSequence, "village_id", "period", "last", order=("village_id", "period")),
    ]
    return hashlib.sha256(repr(tables).encode()).hexdigest()


@pytest.mark.django_db
def test_it_makes_the_same_rows_from_the_same_seed_and_reuses_them() -> None:
    generate(PARAMS, refresh=False, out=_quiet)
    first = _digest()

    generate(PARAMS, replace=True, refresh=False, out=_quiet)

    assert _digest() == first
    assert generate(PARAMS, reuse=True, out=_quiet).reused
    other = Params(requests=PARAMS.requests, years=PARAMS.years, seed=8, end=PARAMS.end)
    with pytest.raises(BenchDataError):
        generate(other, reuse=True, out=_quiet)


@pytest.mark.django_db
def test_it_makes_consistent_requests_and_history() -> None:
    summary = generate(PARAMS, out=_quiet)

    requests = {r.pk: r for r in ServiceRequest.objects.select_related("service_version")}
    issued = dict(
        OutputFile.objects.values("request_id")
        .annotate(n=Count("id"))
        .values_list("request_id", "n")
    )
    assert 0.95 * PARAMS.requests <= len(requests) <= PARAMS.requests
    assert summary.rows["requests_servicerequest"] == len(requests)
    history: dict[int, list[Transition]] = defaultdict(list)
    for transition in Transition.objects.order_by("request_id", "created_at", "id"):
        history[transition.request_id].append(transition)
    serials: dict[tuple[int, str], int] = defaultdict(int)
    for pk, request in requests.items():
        steps = history[pk]
        assert steps[0].action == "create"
        assert steps[0].from_status == ""
        for before, after in itertools.pairwise(steps):
            assert after.from_status == before.to_status
            assert after.created_at > before.created_at
        assert steps[-1].to_status == request.status
        assert steps[-1].created_at == request.status_changed_at
        assert (request.status == Status.IN_PROCESS) == (request.holder_id is not None)
        assert (request.number is None) == (request.submitted_at is None)
        if request.submitted_at is not None:
            assert request.due_at is not None
            assert request.due_at > request.submitted_at
            assert request.number is not None
            _village, period, serial = request.number.split("-")
            serials[(request.village_id, period)] = max(
                serials[(request.village_id, period)], int(serial)
            )
        if request.submitted_at is not None and pk % 20 == 0:
            # The due time is the services': the target in working time from the
            # submission, plus the working time spent back at the village after returns.
            target = request.definition["target"]
            minutes = target_minutes(target["amount"], target["unit"])
            for returned, resubmitted in itertools.pairwise(steps):
                if returned.action == "return" and resubmitted.action == "submit":
                    minutes += working_minutes_between(returned.created_at, resubmitted.created_at)
            assert request.due_at == add_working_minutes(request.submitted_at, minutes)
        if request.status in (Status.HANDED_OVER, Status.DONE, Status.READY_FOR_PICKUP):
            assert request.finished_at is not None
            documents = [o for o in request.definition["outputs"] if not o["is_card"]]
            assert issued.get(pk, 0) == len(documents)
        if request.subject_nik:
            assert parse_nik(request.subject_nik, today=PARAMS.end).nik == request.subject_nik
        parse_kk(request.subject_kk, today=PARAMS.end)
        validate_phone(request.reporter_phone)
    sequences = {(s.village_id, s.period): s.last for s in NumberSequence.objects.all()}
    assert sequences == dict(serials)
    codes = OutputFile.objects.values("verification_code").annotate(n=Count("id"))
    assert codes.filter(n__gt=1).count() == 0
    assert OutputFile.objects.count() > 0
    handed_over = {tickets(r)[0] for r in requests.values() if r.status == Status.HANDED_OVER}
    answered = set(SurveyTicket.objects.values_list("ticket", flat=True))
    assert answered
    assert answered <= handed_over
    assert SurveyResponse.objects.count() == len(answered)
    assert Upload.objects.filter(replaced_at__isnull=True).count() > 0
    assert summary.rows["reports_monthlyactivity"] > 0


def _raw_cells(*, skip: tuple[str, ...] = ()) -> list[str]:
    """Every text value of every table (but `skip`), as the database holds it."""
    quote = connection.ops.quote_name
    cells: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in skip:
                continue
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from the database
            cells.extend(
                str(value) for row in cursor.fetchall() for value in row if value is not None
            )
    return cells


@pytest.mark.django_db
def test_it_writes_no_nik_or_kk_number_in_clear() -> None:
    generate(PARAMS, refresh=False, out=_quiet)

    numbers: set[str] = set()
    for request in ServiceRequest.objects.all():
        numbers.update(
            n for n in (request.subject_nik, request.subject_kk, request.reporter_nik) if n
        )
        numbers.update(
            str(value) for key, value in request.details.items() if key.endswith("_nik") and value
        )
        numbers.update(str(member) for member in request.details.get("members") or [])
    numbers.update(n for n in OutputFile.objects.values_list("document_number", flat=True) if n)
    assert len(numbers) > PARAMS.requests
    in_clear = {
        run for cell in _raw_cells() for run in re.findall(r"\d{16}", cell) if run in numbers
    }
    assert in_clear == set()
    sample = ServiceRequest.objects.exclude(subject_nik="").first()
    assert sample is not None
    assert sample.subject_nik_index == blind_index(sample.subject_nik, purpose="nik")
    assert sample.subject_kk_index == blind_index(sample.subject_kk, purpose="kk")
    table = connection.ops.quote_name(ServiceRequest._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT subject_nik, details FROM {table} WHERE id = %s", [sample.pk])  # noqa: S608
        row = cursor.fetchone()
    assert is_token(row[0])
    assert is_token(row[1])


@pytest.mark.django_db
def test_its_details_pass_the_forms_a_user_fills() -> None:
    """The generated requests' data, as the officer's pages would take it: every request's
    person and details validate through PersonForm and the service's detail form (the same
    check as the demo's), with no key those forms do not store."""
    import time_machine

    from paradewi.requests.details import stored_keys, validated_details

    generate(PARAMS, refresh=False, out=_quiet)
    checked = 0
    # The forms judge dates against today: check on the data set's last day.
    with time_machine.travel(date(2026, 3, 1), tick=False):
        for request in ServiceRequest.objects.select_related("service").order_by("id")[:150]:
            person = {
                "subject_nik": request.subject_nik,
                "subject_kk": request.subject_kk,
                "subject_name": request.subject_name,
                "subject_sex": request.subject_sex,
                "subject_birth_place": request.subject_birth_place,
                "subject_birth_date": request.subject_birth_date,
                "reporter_relationship": request.reporter_relationship,
                "reporter_nik": request.reporter_nik,
                "reporter_name": request.reporter_name,
                "reporter_phone": request.reporter_phone,
            }
            code = request.service.code
            assert set(request.details) <= stored_keys(code), code
            validated_details(code, person, request.details)
            checked += 1
    assert checked == 150


@pytest.mark.django_db
def test_names_are_encrypted_and_found_by_the_search_hashes() -> None:
    """The names as the application writes them: tokens in the columns, the whole name's hash
    beside them and the words' hashes in NameToken, so the worklists' search finds them."""
    from paradewi.core.crypto import name_query_tokens
    from paradewi.requests.models import NameToken

    generate(PARAMS, refresh=False, out=_quiet)
    names: set[str] = set()
    for subject, reporter in ServiceRequest.objects.values_list("subject_name", "reporter_name"):
        # Words long enough not to turn up by chance inside a token's base64.
        names.update(word for word in f"{subject} {reporter}".split() if len(word) >= 6)
    assert names
    # The bench officers' names come from the same list, and a village of Mojokerto is called
    # Sugeng: neither is a resident's name.
    cells = _raw_cells(skip=("accounts_user", "regions_region"))
    assert [name for name in names if any(name in cell for cell in cells)] == []
    sample = ServiceRequest.objects.exclude(subject_name="").order_by("id").first()
    assert sample is not None
    first_word = sample.subject_name.split()[0]
    (token,) = name_query_tokens(first_word)
    assert NameToken.objects.filter(
        token=token, district_id=sample.district_id, village_id=sample.village_id, request=sample
    ).exists()
    assert sample.subject_name_index != ""
