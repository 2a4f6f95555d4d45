from __future__ import annotations

from paradewi.accounts import policy
from paradewi.accounts.models import Role


def test_the_administrator_and_the_viewer_handle_no_request_and_see_no_personal_data():
    for role in (Role.ADMIN, Role.VIEWER):
        assert role not in policy.HANDLING_ROLES
        assert not policy.has_permission(role, "see_personal_data")


def test_the_administrator_reads_no_figures_and_no_access_log():
    assert Role.ADMIN not in policy.REPORT_ROLES
    assert Role.ADMIN not in policy.AUDIT_ROLES
    assert policy.has_permission(Role.ADMIN, "administer")


def test_a_village_officer_sees_no_ranking_of_areas():
    assert Role.VILLAGE_OFFICER not in policy.RANKING_ROLES
    assert Role.DISTRICT_OPERATOR in policy.RANKING_ROLES


def test_groups_are_listed_in_the_order_of_the_roles_whatever_the_set_order():
    assert policy.in_order(policy.ANNOUNCEMENT_ROLES) == [
        Role.VILLAGE_OFFICER,
        Role.DISTRICT_OPERATOR,
        Role.DINAS_CLERK,
        Role.DINAS_HEAD,
        Role.VIEWER,
    ]
    assert policy.in_order({"dinas_head", "village_officer"}) == [
        Role.VILLAGE_OFFICER,
        Role.DINAS_HEAD,
    ]
