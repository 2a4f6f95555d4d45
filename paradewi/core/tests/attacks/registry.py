"""Every named URL of the site, classified by who may reach what through it.

`test_cross_area.test_every_url_is_classified` fails when the resolver knows a URL that is not
here, so a new view cannot escape the attack suite: whoever adds one says what it is.

Kinds:
- PUBLIC: for anyone, no login (residents' tracking, verification, surveys, the login pages).
- OWN: the logged-in user's own account or own notifications.
- ROLE: a page of one or more roles without an object of an area in its address.
- AREA: an object that lies in an area (a request, its files and documents, a region): anyone
  outside that area gets 404 and nothing of the object.
- REPORT: aggregates scoped by the `area` in the query string.
- ADMIN: the Django admin site (the administrator only); the whole `admin:` namespace.

`methods` lists what each view accepts; a view that accepts POST is state-changing and is
attacked by `test_csrf`. `at` names the object the address points at (see `url_for`), `owner`
the persona that may use it (for the CSRF sanity checks and the control that the address is
right: the owner gets something other than 404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from paradewi.complaints.tracking import make_token as make_complaint_token
from paradewi.requests.tracking import make_token
from paradewi.surveys.links import make_survey_token
from paradewi.testing import VILLAGE_A

if TYPE_CHECKING:
    from paradewi.core.tests.attacks.conftest import World

PUBLIC = "public"
OWN = "own"
ROLE = "role"
AREA = "area"
REPORT = "report"
ADMIN = "admin"

GET = ("get",)
POST = ("post",)
BOTH = ("get", "post")


@dataclass(frozen=True)
class Route:
    kind: str
    methods: tuple[str, ...] = GET
    at: str = ""  # finished, draft, upload, output, preview, form, region, notification, ...
    owner: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    # Personas for whom the object lies inside their own area (they may see it).
    insiders: frozenset[str] = frozenset()
    # The answer to someone it is not for, when it is not 404 (always the same for any id).
    refusal: int = 404


REQUEST = "finished"

ROUTES: dict[str, Route] = {
    # public pages
    "index": Route(PUBLIC),
    "healthz": Route(PUBLIC),
    "web_manifest": Route(PUBLIC),
    "favicon": Route(PUBLIC),
    "login": Route(PUBLIC, BOTH),
    "logout": Route(PUBLIC, POST, owner="desa_a"),
    "password_reset": Route(PUBLIC, BOTH),
    "password_reset_done": Route(PUBLIC),
    "password_reset_confirm": Route(PUBLIC, BOTH, at="reset"),
    "password_reset_complete": Route(PUBLIC),
    "service_list": Route(PUBLIC),
    "service_standard": Route(PUBLIC, at="service_code"),
    "service_standard_pdf": Route(PUBLIC, at="service_code"),
    "public_figures": Route(PUBLIC),
    "track": Route(PUBLIC, BOTH),
    "track_token": Route(PUBLIC, at="track"),
    "verify": Route(PUBLIC),
    "verify_result": Route(PUBLIC, BOTH, at="verify"),
    "notification_stop": Route(PUBLIC, BOTH, at="stop"),
    "survey_thanks": Route(PUBLIC),
    "survey_answer": Route(PUBLIC, BOTH, at="survey"),
    "set_language": Route(PUBLIC, POST, data={"language": "en"}),
    "complaints": Route(PUBLIC, BOTH),
    "complaint_about_request": Route(PUBLIC, BOTH, at="track"),
    "complaint_follow": Route(PUBLIC, BOTH, at="complaint_token"),
    # the user's own account and notifications
    "home": Route(OWN, owner="desa_a"),
    "account": Route(OWN, owner="desa_a"),
    "password_change": Route(OWN, BOTH, owner="desa_a"),
    "password_change_done": Route(OWN, owner="desa_a"),
    "two_factor_verify": Route(OWN, BOTH, owner="desa_a"),
    "two_factor_enrol": Route(OWN, BOTH, owner="desa_a"),
    "two_factor_codes": Route(OWN, owner="desa_a"),
    "two_factor_codes_renew": Route(OWN, POST, owner="desa_a"),
    "two_factor_disable": Route(OWN, POST, owner="desa_a"),
    "logout_everywhere": Route(OWN, POST, owner="desa_a"),
    "notification_list": Route(OWN, owner="desa_a"),
    "notification_counter": Route(OWN, owner="desa_a"),
    "notification_mark_all_read": Route(OWN, POST, owner="desa_a"),
    "notification_preferences": Route(OWN, POST, owner="desa_a", data={"email": "on"}),
    # own objects: another user's notification, an announcement for other roles or areas
    "notification_open": Route(AREA, POST, at="notification", owner="desa_a"),
    # Marking an announcement that is not yours read marks nothing and answers like any other.
    "announcement_read": Route(
        AREA,
        POST,
        at="announcement",
        owner="desa_a",
        refusal=302,
        insiders=frozenset({"desa_b"}),  # it is for every village officer of Kecamatan A
    ),
    # pages of a role
    "request_list": Route(ROLE, owner="desa_a"),
    "request_new": Route(ROLE, owner="desa_a"),
    "request_create": Route(ROLE, BOTH, at="service", owner="desa_a"),
    "announcement_list": Route(ROLE, owner="head"),
    "announcement_new": Route(ROLE, BOTH, owner="head"),
    "announcement_detail": Route(ROLE, at="announcement", owner="head"),
    "complaint_queue": Route(ROLE, owner="head"),
    "complaint_new": Route(ROLE, BOTH, owner="desa_a"),
    # a request and everything about it
    "request_detail": Route(AREA, at=REQUEST, owner="desa_a"),
    "request_edit": Route(AREA, BOTH, at="draft", owner="desa_a"),
    "request_upload": Route(AREA, POST, at="draft_upload", owner="desa_a"),
    "request_upload_row": Route(AREA, at="draft_upload", owner="desa_a"),
    "request_submit": Route(AREA, POST, at="draft", owner="desa_a"),
    "request_cancel": Route(AREA, BOTH, at="draft", owner="desa_a", data={"reason": "Batal"}),
    "request_verify": Route(AREA, BOTH, at=REQUEST, owner="kecamatan_a"),
    "request_return": Route(AREA, BOTH, at=REQUEST, owner="kecamatan_a", data={"reason": "x"}),
    "request_claim": Route(AREA, BOTH, at=REQUEST, owner="clerk"),
    "request_release": Route(AREA, BOTH, at=REQUEST, owner="clerk"),
    "request_reassign": Route(AREA, BOTH, at=REQUEST, owner="head"),
    "request_reject": Route(AREA, BOTH, at=REQUEST, owner="clerk", data={"reason": "x"}),
    "request_complete": Route(AREA, BOTH, at=REQUEST, owner="clerk"),
    "request_hand_over": Route(AREA, BOTH, at=REQUEST, owner="desa_a"),
    "request_correct": Route(
        AREA, BOTH, at=REQUEST, owner="desa_a", data={"cause": "clerical", "wrong": "x"}
    ),
    "request_upload_file": Route(AREA, at="upload", owner="desa_a"),
    "request_upload_viewer": Route(AREA, at="upload", owner="desa_a"),
    "request_upload_preview": Route(AREA, at="preview", owner="desa_a"),
    "request_output_file": Route(AREA, at="output", owner="desa_a"),
    "request_receipt": Route(AREA, at=REQUEST, owner="desa_a"),
    "request_archive": Route(AREA, BOTH, at=REQUEST, owner="clerk", data={"reason": "Audit"}),
    "official_form": Route(AREA, at="form", owner="desa_a"),
    "output_slip": Route(AREA, at="output", owner="desa_a"),
    "output_revoke": Route(
        AREA, BOTH, at="output", owner="clerk", data={"reason": "Salah cetak", "confirm": "on"}
    ),
    "survey_kiosk": Route(AREA, BOTH, at=REQUEST, owner="desa_a"),
    "survey_kiosk_done": Route(AREA, at=REQUEST, owner="desa_a"),
    "area_detail": Route(
        AREA, at="region", owner="kecamatan_a", insiders=frozenset({"viewer", "admin"})
    ),
    # a complaint about the request of desa A
    "complaint_detail": Route(AREA, at="complaint", owner="desa_a"),
    "complaint_assign": Route(AREA, POST, at="complaint", owner="head"),
    "complaint_answer": Route(
        AREA, POST, at="complaint", owner="head", data={"answer-text": "Sudah ditindaklanjuti."}
    ),
    "complaint_close": Route(AREA, POST, at="complaint", owner="head"),
    "complaint_lapor": Route(
        AREA,
        POST,
        at="complaint",
        owner="head",
        data={"lapor-direction": "forwarded", "lapor-lapor_number": "1234567"},
    ),
    "complaint_lapor_export": Route(AREA, at="complaint", owner="head"),
    # the Dinas head's access log
    "audit_user_list": Route(ROLE, owner="head"),
    "villages_without_officer": Route(ROLE, owner="head"),
    "audit_user_log": Route(AREA, at="user", owner="head"),
    "audit_request_log": Route(AREA, at=REQUEST, owner="head"),
    # reports: aggregates of the area in the query string
    "reports_speed": Route(REPORT, owner="head"),
    "reports_ikm": Route(REPORT, owner="head"),
    "reports_returns": Route(REPORT, owner="head"),
    "reports_ranking": Route(REPORT, owner="head"),
    "reports_speed_xlsx": Route(REPORT, owner="head"),
    "reports_ikm_xlsx": Route(REPORT, owner="head"),
    "reports_returns_xlsx": Route(REPORT, owner="head"),
    "reports_ranking_xlsx": Route(REPORT, owner="head"),
    "reports_pdf": Route(REPORT, owner="head"),
    # Figures about named clerks: the Dinas head (every clerk) and a clerk (their own).
    "reports_workload": Route(ROLE, owner="head"),
    # Training mode (docs/training.md): the officer's own practice, the Dinas head's progress.
    "training_home": Route(ROLE, owner="desa_a"),
    "training_switch": Route(ROLE, POST, owner="desa_a", data={"on": "1"}),
    "practice_start": Route(ROLE, POST, owner="desa_a"),
    "practice_purge": Route(ROLE, POST, owner="desa_a"),
    "training_progress": Route(ROLE, owner="head"),
    "how_it_works": Route(PUBLIC, at="help_role"),
    "service_help": Route(PUBLIC, at="service_code"),
}


def resolver_names() -> dict[str, str]:
    """Every URL the site answers: "name" (or "namespace:name") -> its pattern."""
    found: dict[str, str] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
            elif isinstance(entry, URLPattern):
                name = entry.name or f"<unnamed {prefix}{entry.pattern}>"
                found[f"{namespace}:{name}" if namespace else name] = prefix + str(entry.pattern)

    walk(get_resolver().url_patterns, "", None)
    return found


def kind_of(name: str) -> str | None:
    if name.startswith("admin:"):
        return ADMIN
    route = ROUTES.get(name)
    return route.kind if route else None


def _kwargs(world: World, at: str) -> dict[str, Any]:
    finished, draft = world.finished, world.draft
    kwargs: dict[str, Callable[[], dict[str, Any]]] = {
        "finished": lambda: {"pk": finished.pk},
        "draft": lambda: {"pk": draft.pk},
        "draft_upload": lambda: {"pk": draft.pk, "requirement_code": world.upload.requirement_code},
        "upload": lambda: {"pk": finished.pk, "upload_pk": world.upload.pk},
        "preview": lambda: {
            "pk": finished.pk,
            "upload_pk": world.upload.pk,
            "page": 1,
            "size": "thumb",
        },
        "output": lambda: {"pk": finished.pk, "output_pk": world.output.pk},
        "form": lambda: {"pk": finished.pk, "form_code": "f-1-02"},
        "region": lambda: {"code": VILLAGE_A},
        "user": lambda: {"user_pk": world.p.desa_a.pk},
        "notification": lambda: {"pk": world.notification.pk},
        "announcement": lambda: {"pk": world.announcement.pk},
        "service": lambda: {"service_code": "kk-perubahan"},
        "service_code": lambda: {"code": "kk-perubahan"},
        "help_role": lambda: {"role": "village"},
        "track": lambda: {"token": make_token(finished)},
        "verify": lambda: {"code": world.output.verification_code},
        "survey": lambda: {"token": make_survey_token(finished)},
        "stop": lambda: {"token": "x"},
        "complaint": lambda: {"pk": world.complaint.pk},
        "complaint_token": lambda: {"token": make_complaint_token(world.complaint)},
        "reset": lambda: {"uidb64": "MQ", "token": "set-password"},
        "": dict,
    }
    return kwargs[at]()


def url_for(name: str, world: World) -> str:
    return reverse(name, kwargs=_kwargs(world, ROUTES[name].at) or None)
