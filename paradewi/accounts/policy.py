"""The policy vocabulary: every group of roles, named once (docs/design.md, "People and roles").

Code asks for a group by its name here (`actor.role in policy.DINAS_ROLES`,
`@role_required(*policy.REPORT_ROLES)`) and templates ask `can.<permission>` (the context
processor `accounts.context_processors.can` reads `PERMISSIONS`); nothing else spells out a
list of roles. A check of one role by name is left only where the rule is about that role
itself (each role's home page, who receives which notification). Who may take which step of
a request is not here: that is the workflow table, `requests/workflow.py`, which builds on
these groups.
"""

from __future__ import annotations

from collections.abc import Iterable

from paradewi.accounts.models import Role

# The village side: they make requests for residents (the kecamatan also at its own office).
REQUEST_MAKERS = frozenset({Role.VILLAGE_OFFICER, Role.DISTRICT_OPERATOR})
# The Dinas: clerks process requests, the head oversees them and may do what a clerk does.
DINAS_ROLES = frozenset({Role.DINAS_CLERK, Role.DINAS_HEAD})
# Roles that handle requests and so may see residents' personal data in their area
# (UU 27/2022 on personal data: only those who need it for the service).
HANDLING_ROLES = REQUEST_MAKERS | DINAS_ROLES
# Roles that read figures: everyone but the administrator, who runs the system, not the service.
REPORT_ROLES = HANDLING_ROLES | {Role.VIEWER}
# Roles an announcement can be addressed to (the administrator is not among them).
ANNOUNCEMENT_ROLES = REPORT_ROLES
# The Dinas head writes announcements and reads the access log of personal data.
ANNOUNCEMENT_AUTHORS = frozenset({Role.DINAS_HEAD})
AUDIT_ROLES = frozenset({Role.DINAS_HEAD})
# The archive of finished requests (with a reason for every opening): the kecamatan and the Dinas.
ARCHIVE_ROLES = frozenset({Role.DISTRICT_OPERATOR}) | DINAS_ROLES
# The row-by-row tabulation of survey answers (anonymous, as in the regulation's report
# appendix): the leadership, who audit the index.
TABULATION_ROLES = frozenset({Role.DINAS_HEAD, Role.VIEWER})
# Residents' survey comments are free text and may name someone, so only readers who may see
# personal data and answer for the service: the Dinas head, the kecamatan operator (its
# villages), the village officer (its own). Not the leadership viewer, who sees no personal
# data; not the clerk, whose work the comments judge and who does not audit the survey.
COMMENT_ROLES = frozenset({Role.DINAS_HEAD, Role.DISTRICT_OPERATOR, Role.VILLAGE_OFFICER})
# The ranking compares areas, so not a village officer (who sees only their own village).
RANKING_ROLES = REPORT_ROLES - {Role.VILLAGE_OFFICER}
# Figures about a named clerk's work (reports' workload page): the Dinas head sees every
# clerk's, a clerk only their own (requests.selectors.workload); never the leadership viewer.
WORKLOAD_READERS = DINAS_ROLES
WORKLOAD_OF_EVERY_CLERK = frozenset({Role.DINAS_HEAD})
# The kecamatan operator makes requests at its office for residents of any of its villages, so
# it chooses the village; a village officer's requests are for its own village.
VILLAGE_CHOOSERS = frozenset({Role.DISTRICT_OPERATOR})
# Accounts a user may list: the administrator manages them; the Dinas head and the kecamatan
# operators see the officers of their area (to know whom to call).
ACCOUNT_LISTERS = frozenset({Role.ADMIN, Role.DINAS_HEAD, Role.DISTRICT_OPERATOR})
# The administrator enters the admin site and nothing of the service.
ADMINISTRATORS = frozenset({Role.ADMIN})
# Who sees an area's officers with their phone and e-mail on the area page (each only the
# accounts ACCOUNT_LISTERS lets them list): those who handle requests and call each other, and
# the administrator, who manages the accounts. Not the leadership viewer.
OFFICER_CONTACT_READERS = HANDLING_ROLES | ADMINISTRATORS
# Two-factor authentication is required for the accounts that reach the whole regency's data
# or the accounts themselves (docs/security.md); optional for the village and the kecamatan.
TWO_FACTOR_ROLES = DINAS_ROLES | ADMINISTRATORS

# Complaints (pengaduan, docs/complaints.md): the regency names who manages them (the queue,
# assigning, answering, closing, SP4N-LAPOR!) by changing this group; the Dinas head by default.
COMPLAINT_MANAGERS = frozenset({Role.DINAS_HEAD})
# Who reads complaints of their area about the requests they handle, and answers those given
# to them: the roles that handle requests (and so may see personal data).
COMPLAINT_READERS = HANDLING_ROLES
# Who files a complaint for a resident at the office: the village and the kecamatan, and the
# managers (a complaint received by letter or from SP4N-LAPOR!).
COMPLAINT_FILERS = REQUEST_MAKERS | COMPLAINT_MANAGERS

# Training mode ("Latihan", docs/training.md): those who handle requests practise on practice
# requests; the Dinas head follows who completed which scenario and edits the scenarios.
TRAINEES = HANDLING_ROLES
TRAINING_OVERSEERS = frozenset({Role.DINAS_HEAD})

# What templates may ask through `can.<name>` (accounts.context_processors.can).
PERMISSIONS: dict[str, frozenset[Role]] = {
    "handle_requests": HANDLING_ROLES,
    "create_requests": REQUEST_MAKERS,
    "choose_village": VILLAGE_CHOOSERS,
    "print_receipts": REQUEST_MAKERS,
    "write_announcements": ANNOUNCEMENT_AUTHORS,
    "read_access_log": AUDIT_ROLES,
    "see_personal_data": HANDLING_ROLES,
    "read_reports": REPORT_ROLES,
    "read_workload": WORKLOAD_READERS,
    "administer": ADMINISTRATORS,
    "read_complaints": COMPLAINT_READERS,
    "file_complaints": COMPLAINT_FILERS,
    "manage_complaints": COMPLAINT_MANAGERS,
    "practise": TRAINEES,
    "oversee_training": TRAINING_OVERSEERS,
}


def has_permission(role: str, permission: str) -> bool:
    """Whether `role` holds `permission` (a key of PERMISSIONS; an unknown key is a bug)."""
    return role in PERMISSIONS[permission]


def in_order(roles: Iterable[str]) -> list[Role]:
    """The roles of a group in the order of `Role`, for choices and pages: a frozenset's own
    order changes from one process to the next."""
    group = set(roles)
    return [role for role in Role if role in group]
