"""Who sees which complaint, and what each role must NOT see (docs/complaints.md)."""

from __future__ import annotations

import pytest
from django.http import Http404

from paradewi.complaints import services
from paradewi.complaints.access import get_complaint_for_user, may_answer, visible_complaints
from paradewi.complaints.models import Category
from paradewi.complaints.tests.factories import file_complaint
from paradewi.regions.models import Region
from paradewi.requests.tests.factories import make_submitted
from paradewi.testing import DISTRICT_C


@pytest.fixture
def about_a(personas):
    """A complaint about a request of desa A (Kecamatan Jatirejo)."""
    return file_complaint(request=make_submitted(personas.desa_a))


def _sees(persona, complaint) -> bool:
    return visible_complaints(persona).filter(pk=complaint.pk).exists()


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("desa_a", True),  # handles the request
        ("kecamatan_a", True),  # its kecamatan
        ("clerk", True),  # the Dinas processes it
        ("head", True),  # manages complaints
        ("desa_b", False),  # another village of the same kecamatan
        ("desa_c", False),
        ("kecamatan_c", False),  # another kecamatan
        ("viewer", False),  # no personal data
        ("admin", False),
    ],
)
def test_a_complaint_about_a_request_is_seen_by_those_who_handle_it(
    personas, about_a, persona, sees
):
    user = getattr(personas, persona)
    assert _sees(user, about_a) is sees
    if not sees:
        with pytest.raises(Http404):
            get_complaint_for_user(user, about_a.pk)


@pytest.mark.parametrize("category", [Category.CONDUCT, Category.FEES])
def test_a_complaint_judging_an_officer_is_not_shown_to_the_village_or_the_kecamatan(
    personas, category
):
    complaint = file_complaint(request=make_submitted(personas.desa_a), category=category)
    assert not _sees(personas.desa_a, complaint)
    assert not _sees(personas.kecamatan_a, complaint)
    assert not _sees(personas.clerk, complaint)
    assert _sees(personas.head, complaint)


def test_a_general_complaint_is_seen_by_the_managers_only(personas):
    complaint = file_complaint(district=Region.objects.get(code=DISTRICT_C))
    assert _sees(personas.head, complaint)
    for name in ("desa_c", "kecamatan_c", "clerk", "viewer", "admin", "kecamatan_a"):
        assert not _sees(getattr(personas, name), complaint), name


def test_a_regency_wide_complaint_is_outside_every_kecamatan(personas):
    complaint = file_complaint()
    assert complaint.district is None
    assert _sees(personas.head, complaint)
    assert not _sees(personas.kecamatan_a, complaint)


def test_the_officer_it_is_given_to_sees_and_answers_it(personas):
    complaint = file_complaint(district=Region.objects.get(code=DISTRICT_C))
    assert not may_answer(personas.kecamatan_c, complaint)
    services.complaint_assign(
        actor=personas.head, complaint=complaint, assignee=personas.kecamatan_c
    )
    assert _sees(personas.kecamatan_c, complaint)
    assert may_answer(personas.kecamatan_c, complaint)
    assert not _sees(personas.kecamatan_a, complaint)


def test_it_cannot_be_given_to_an_officer_outside_its_area(personas):
    complaint = file_complaint(district=Region.objects.get(code=DISTRICT_C))
    with pytest.raises(services.ComplaintError):
        services.complaint_assign(
            actor=personas.head, complaint=complaint, assignee=personas.kecamatan_a
        )


def test_those_who_only_read_it_cannot_answer_it(personas, about_a):
    for name in ("desa_a", "kecamatan_a", "clerk"):
        user = getattr(personas, name)
        assert not may_answer(user, about_a)
        with pytest.raises(services.NotAllowedError):
            services.complaint_answer(actor=user, complaint=about_a, text="Sudah kami proses.")


def test_only_a_manager_assigns_closes_and_records_lapor(personas, about_a):
    for name in ("desa_a", "kecamatan_a", "clerk"):
        user = getattr(personas, name)
        with pytest.raises(services.NotAllowedError):
            services.complaint_assign(actor=user, complaint=about_a, assignee=personas.clerk)
        with pytest.raises(services.NotAllowedError):
            services.complaint_record_lapor(
                actor=user, complaint=about_a, direction="forwarded", lapor_number="1234567"
            )


def test_an_officer_files_only_about_a_request_of_their_area(personas):
    request = make_submitted(personas.desa_a)
    with pytest.raises(services.NotAllowedError):
        file_complaint(request=request, filed_by=personas.desa_c, channel="office")
    complaint = file_complaint(request=request, filed_by=personas.desa_a, channel="office")
    assert complaint.village == request.village
