"""The workflow of a request: its states, its actions, and who may take which action from where.

This table is the one place that says who may do what to a request (docs/design.md, "The
request and its workflow"). The services check it before every change (`check`), the detail
page offers exactly the actions it allows (`allowed`), the views admit the roles it names
(`roles`), and the history stores its actions (`Transition.action`). docs/architecture.md
shows it rendered (`markdown_table`); a test keeps the two the same.

Every rule names the roles that take the action and the states they take it from, extra
guards, and the state it leads to. The checks run in one order, so a refusal is the same
whoever asks:

1. the actor: an active account of one of the rule's roles, and the request's village inside
   the actor's area; otherwise NotAllowedError (the views answer 404, as for a request outside
   the area);
2. the guards about who (own requests only, cards only): NotAllowedError too;
3. the request's state, one the actor's role takes the action from; otherwise WorkflowError
   ("A request that is ... cannot be ...");
4. the guards about the moment (the holder or the head, only what was marked to fix, only a
   part still waiting):
   WorkflowError with their own message.

What the action needs besides (a reason, the files, a clerk, a complete checklist) the service
checks itself, and a changed status found by the compare-and-swap is a StaleRequestError there.

Practice requests (training mode, "Latihan", docs/training.md): every rule says the kinds of
request it applies to (`Rule.kinds`). A practice request is acted on only by an actor in
training and a real one only by an actor not in training (step 1 above, NotAllowedError);
a rule for real requests only never touches a practice request, and the scenario's rules
(`by_scenario`: the kecamatan and Dinas steps played by the system) never touch a real
request, nor a practice request that colleagues in training play (`check_by_scenario`).

The kecamatan: a kecamatan operator edits, uploads to, submits and cancels only the requests it
created itself at the kecamatan office. A request of a village, returned by the kecamatan or by
the Dinas, is fixed by that village. A kecamatan operator's submission goes straight to
"verified" (it does not verify its own work), so a returned request fixed at the kecamatan would
reach the Dinas without anyone checking the fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paradewi.accounts.access import may_see_region
from paradewi.accounts.models import Role, User
from paradewi.accounts.policy import DINAS_ROLES, REQUEST_MAKERS
from paradewi.requests.errors import NotAllowedError, WorkflowError

if TYPE_CHECKING:
    from paradewi.regions.models import Region
    from paradewi.requests.models import ServiceRequest, Transition


class Status(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    SUBMITTED = "submitted", gettext_lazy("Submitted")
    VERIFIED = "verified", gettext_lazy("Verified")
    IN_PROCESS = "in_process", gettext_lazy("In process")
    DONE = "done", gettext_lazy("Done")
    READY_FOR_PICKUP = "ready_for_pickup", gettext_lazy("Ready for pick-up")
    HANDED_OVER = "handed_over", gettext_lazy("Handed over")
    RETURNED = "returned", gettext_lazy("Returned")
    REJECTED = "rejected", gettext_lazy("Rejected")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")


class Action(models.TextChoices):
    """Every action on a request. A history row stores the one it records; the labels are
    the request's timeline ("edit" changes no state and leaves no history row)."""

    CREATE = "create", gettext_lazy("Created")
    EDIT = "edit", gettext_lazy("Edited")
    SUBMIT = "submit", gettext_lazy("Submitted")
    CANCEL = "cancel", gettext_lazy("Cancelled")
    VERIFY = "verify", gettext_lazy("Verified by the kecamatan")
    RETURN = "return", gettext_lazy("Returned to the village")
    CLAIM = "claim", gettext_lazy("Taken for processing")
    RELEASE = "release", gettext_lazy("Put back in the queue")
    REASSIGN = "reassign", gettext_lazy("Reassigned")
    REJECT = "reject", gettext_lazy("Rejected")
    COMPLETE = "complete", gettext_lazy("Completed")
    HAND_OVER = "hand_over", gettext_lazy("Handed over to the resident")
    # Played by the system from a training scenario, on practice requests only.
    PRACTICE_VERIFY = "practice_verify", gettext_lazy("Verified by the kecamatan (practice)")
    PRACTICE_RETURN = "practice_return", gettext_lazy("Returned to the village (practice)")
    PRACTICE_COMPLETE = "practice_complete", gettext_lazy("Completed by the Dinas (practice)")
    # On an issued request: a correction (pembetulan) of one of its documents was asked for.
    # The request keeps its state; the correction is a request of its own (its first row is
    # OPEN_CORRECTION), linked both ways (`ServiceRequest.corrects`).
    CORRECT = "correct", gettext_lazy("Correction asked for")
    OPEN_CORRECTION = "open_correction", gettext_lazy("Correction opened (pembetulan)")
    # Not an officer's action: the calendar changed (a closure or a re-opened day entered
    # late, new office hours) and the due time of the running request moved with it.
    RESCHEDULE = "reschedule", gettext_lazy("Due time moved (office calendar changed)")


# States in which the village may still change the data and the uploads.
EDITABLE_STATES = (Status.DRAFT, Status.RETURNED)
# States from which the village may withdraw a request (before the Dinas processes it).
CANCELLABLE_STATES = (Status.DRAFT, Status.SUBMITTED, Status.VERIFIED, Status.RETURNED)
# The Dinas queue: verified requests, and those a clerk holds.
DINAS_STATES = (Status.VERIFIED, Status.IN_PROCESS)
# A finished request waiting to be handed over (printed at the village, or a card).
FINISHED_STATES = (Status.DONE, Status.READY_FOR_PICKUP)

# What a return may mark to fix besides a requirement: the typed data of the request.
DATA = "data"
# States of an issued request, from which a correction of its documents may be asked for.
ISSUED_STATES = (Status.DONE, Status.READY_FOR_PICKUP, Status.HANDED_OVER)


class CorrectionCause(models.TextChoices):
    """Why an issued document is wrong (docs/services.md, "Corrections").

    CLERICAL: the Dinas typed it wrong: a pembetulan, "hanya dilakukan untuk akta yang
    mengalami kesalahan tulis redaksional", "dengan atau tanpa permohonan dari orang yang
    menjadi subjek akta", by the Pejabat Pencatatan Sipil (UU 23/2006 Pasal 71 as amended by
    UU 24/2013); the same for the KK and KTP-el (UU 24/2013, Penjelasan Pasal 70 ayat (1):
    "kesalahan penulisan huruf dan/atau angka"). It is a request of its own, with its own
    short target, no requirement but the evidence, counted against the Dinas.
    DATA_CHANGE: the resident's data changed (or the resident gave it wrong): the existing
    data-change service (KK perubahan data, perubahan biodata), a new request as any other.
    """

    CLERICAL = "clerical", gettext_lazy("The Dinas's own clerical error (pembetulan)")
    DATA_CHANGE = "data_change", gettext_lazy("A change of the resident's data")


# The one requirement of a clerical correction: the evidence of what is wrong.
EVIDENCE = "bukti-pembetulan"


class Part(models.TextChoices):
    """What a finished request gives the resident, handed over each on its own (the `part` of
    a hand-over): the documents the village prints from the Dinas's signed PDFs (plain A4 HVS,
    Permendagri 109/2019), and the cards (KTP-el, KIA) the Dinas makes, picked up at the place
    it names: a KIA "di kantor Dinas atau kecamatan atau desa/kelurahan" (Permendagri 2/2016,
    Pasal 13), issued with the akta kelahiran of a child under five."""

    DOCUMENTS = "documents", gettext_lazy("Printed documents")
    CARDS = "cards", gettext_lazy("Cards")


def waiting_parts(request: ServiceRequest) -> tuple[Part, ...]:
    """The parts of a finished request not handed over yet, the printed documents first.

    "done" means documents wait to be printed at the village (and perhaps a card too);
    "ready_for_pickup" means only cards wait.
    """
    parts: list[Part] = []
    if request.status == Status.DONE:
        parts.append(Part.DOCUMENTS)
    if (
        request.status in FINISHED_STATES
        and request.has_card_output
        and request.cards_handed_over_at is None
    ):
        parts.append(Part.CARDS)
    return tuple(parts)


def parts_for(actor: User, request: ServiceRequest) -> tuple[Part, ...]:
    """The waiting parts `actor` may hand over: the Dinas only cards (it prints nothing)."""
    waiting = waiting_parts(request)
    if actor.role in DINAS_ROLES:
        return tuple(part for part in waiting if part == Part.CARDS)
    return waiting


NOT_ALLOWED = gettext_lazy("You cannot do this on this request.")


# --- reading the last return (what was marked to fix) ----------------------------------------

# A return by the kecamatan or the Dinas, or by a training scenario on a practice request.
RETURNS = (Action.RETURN, Action.PRACTICE_RETURN)


def last_return(request: ServiceRequest) -> Transition | None:
    """The latest return of the request: its reason and per-requirement items (what to fix)."""
    found: Transition | None = (
        request.transitions.filter(action__in=RETURNS).order_by("-created_at", "-pk").first()
    )
    return found


def marked_to_fix(request: ServiceRequest) -> dict[str, str]:
    """While the request is returned: {requirement code or "data": what to fix}."""
    if request.status != Status.RETURNED:
        return {}
    last = last_return(request)
    items: dict[str, str] = last.details.get("items", {}) if last else {}
    return items


def may_change(part: str, items: dict[str, str], *, uploaded: bool) -> bool:
    """Whether `part` (DATA or a requirement code) may change while `items` are marked to fix.

    With nothing marked (a draft, or a return with only a general reason) everything may
    change; otherwise only what was marked, and a requirement that has no upload yet.
    """
    return not items or part in items or (part != DATA and not uploaded)


# --- the parts of a rule ----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """Who takes the action, and from which states."""

    roles: frozenset[Role]
    states: tuple[Status, ...]


@dataclass(frozen=True)
class Guard:
    """An extra condition of a rule. `refusal` returns why not, or None when the condition holds.

    `part` is what an edit changes (DATA or a requirement code), None for the action as a whole.
    A guard about who refuses as NotAllowedError (a 404), one about the moment as WorkflowError.
    """

    says: str
    refusal: Callable[[User, ServiceRequest, str | None], str | None]
    about_who: bool = False


@dataclass(frozen=True)
class Target:
    """A to-state that depends on the request, the actor or the part (submit, complete,
    hand over)."""

    says: str
    pick: Callable[[User, ServiceRequest, str | None], Status]


class Kind(models.TextChoices):
    """What a request is: real, or practice (training mode)."""

    REAL = "real", gettext_lazy("Real")
    PRACTICE = "practice", gettext_lazy("Practice")


BOTH_KINDS = frozenset({Kind.REAL, Kind.PRACTICE})
PRACTICE_ONLY = frozenset({Kind.PRACTICE})
REAL_ONLY = frozenset({Kind.REAL})


def kind_of(request: ServiceRequest) -> Kind:
    return Kind.PRACTICE if request.is_practice else Kind.REAL


@dataclass(frozen=True)
class Rule:
    action: Action
    steps: tuple[Step, ...]
    # The state it leads to; None: no state change (edit).
    to: Status | Target | None
    # The participle of "A request that is “%(status)s” cannot be %(action)s."
    verb: Promise
    guards: tuple[Guard, ...] = field(default=())
    # The kinds of request the action applies to.
    kinds: frozenset[Kind] = BOTH_KINDS
    # Taken by the system from a training scenario (no user, no role): `check_by_scenario`.
    by_scenario: bool = False

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset().union(*(step.roles for step in self.steps))

    @property
    def states(self) -> tuple[Status, ...]:
        """Every state the action starts from, whoever takes it."""
        return tuple(dict.fromkeys(state for step in self.steps for state in step.states))

    def states_for(self, role: str) -> tuple[Status, ...]:
        return tuple(
            dict.fromkeys(
                state for step in self.steps if role in step.roles for state in step.states
            )
        )


# --- guards and targets -----------------------------------------------------------------------


def _own_at_the_kecamatan(actor: User, request: ServiceRequest, part: str | None) -> str | None:
    if actor.role == Role.DISTRICT_OPERATOR and request.created_by_id != actor.pk:
        return str(NOT_ALLOWED)
    return None


def _cards_at_the_dinas(actor: User, request: ServiceRequest, part: str | None) -> str | None:
    if actor.role in DINAS_ROLES and (
        Part.CARDS not in waiting_parts(request) or part not in (None, Part.CARDS)
    ):
        return str(NOT_ALLOWED)
    return None


def _part_waiting(actor: User, request: ServiceRequest, part: str | None) -> str | None:
    if part is not None and part not in waiting_parts(request):
        return _("This part was already handed over, or the service does not issue it.")
    return None


def _holder_or_head(actor: User, request: ServiceRequest, part: str | None) -> str | None:
    if (
        request.status == Status.IN_PROCESS
        and request.holder_id != actor.pk
        and actor.role != Role.DINAS_HEAD
    ):
        return _("Another clerk is processing this request. Ask the Dinas head to reassign it.")
    return None


def _marked_to_fix(actor: User, request: ServiceRequest, part: str | None) -> str | None:
    if part is None or request.status != Status.RETURNED:
        return None
    items = marked_to_fix(request)
    if part == DATA:
        if may_change(DATA, items, uploaded=True):
            return None
        return _("Only what was marked to fix can be changed.")
    from paradewi.requests.models import UploadState  # the models import this module

    # A damaged file counts as none: the officer may always send that requirement again.
    uploaded = (
        request.uploads.filter(requirement_code=part, replaced_at__isnull=True)
        .exclude(state=UploadState.DAMAGED)
        .exists()
    )
    if may_change(part, items, uploaded=uploaded):
        return None
    return _("Only the documents marked to fix can be replaced.")


def _correction_by_its_starter(
    actor: User, request: ServiceRequest, part: str | None
) -> str | None:
    if request.correction_cause == CorrectionCause.CLERICAL and request.created_by_id != actor.pk:
        return str(NOT_ALLOWED)
    return None


def _correction_keeps_its_data(
    actor: User, request: ServiceRequest, part: str | None
) -> str | None:
    if request.correction_cause == CorrectionCause.CLERICAL and part == DATA:
        return _(
            "A correction keeps the data of the request it corrects; only its evidence can be "
            "replaced."
        )
    return None


def _issues_documents(actor: User, request: ServiceRequest, part: str | None) -> str | None:
    # Cards are made again at the Dinas (KTP-el cetak ulang); only a signed PDF, printed at
    # the village and verified by its code, is corrected here. A finished correction may
    # itself be corrected again: it issued a document too.
    if not request.document_names:
        return _("This request issued no document to print, so there is nothing to correct.")
    return None


OWN_AT_THE_KECAMATAN = Guard(
    "a kecamatan operator: only the requests it created itself",
    _own_at_the_kecamatan,
    about_who=True,
)
CARDS_AT_THE_DINAS = Guard(
    "the Dinas: only a card still waiting (it prints nothing)",
    _cards_at_the_dinas,
    about_who=True,
)
PART_WAITING = Guard("only a part still waiting (documents, cards)", _part_waiting)
HOLDER_OR_HEAD = Guard("in_process: only its holder or the Dinas head", _holder_or_head)
CORRECTION_BY_ITS_STARTER = Guard(
    "a clerical correction: only who started it (the Dinas rejects it instead)",
    _correction_by_its_starter,
    about_who=True,
)
CORRECTION_KEEPS_ITS_DATA = Guard(
    "a clerical correction: its evidence only, never the data", _correction_keeps_its_data
)
ISSUES_DOCUMENTS = Guard("only a service that issues documents to print", _issues_documents)
MARKED_TO_FIX = Guard(
    "returned: only the data and the uploads marked to fix (and requirements not uploaded yet)",
    _marked_to_fix,
)


def _submit_to(actor: User, request: ServiceRequest, part: str | None) -> Status:
    """The kecamatan verifies next, unless the service skips that step or a kecamatan operator
    submits; a request the Dinas returned goes back to the Dinas queue."""
    if request.status == Status.RETURNED:
        last = last_return(request)
        if last is not None and last.from_status in DINAS_STATES:
            return Status.VERIFIED
    if not request.definition["district_step"] or actor.role == Role.DISTRICT_OPERATOR:
        return Status.VERIFIED
    return Status.SUBMITTED


def _complete_to(actor: User, request: ServiceRequest, part: str | None) -> Status:
    """Documents to print come first: "done" while the village has something to print (a
    card of the same request waits beside them); "ready_for_pickup" for cards alone."""
    if any(not output["is_card"] for output in request.definition["outputs"]):
        return Status.DONE
    return Status.READY_FOR_PICKUP


def _hand_over_to(actor: User, request: ServiceRequest, part: str | None) -> Status:
    """What still waits after handing over `part` (None: every part the actor may hand
    over): nothing, handed_over; cards alone, ready_for_pickup; documents, done."""
    handed = {Part(part)} if part is not None else set(parts_for(actor, request))
    left = [waiting for waiting in waiting_parts(request) if waiting not in handed]
    if not left:
        return Status.HANDED_OVER
    if left == [Part.CARDS]:
        return Status.READY_FOR_PICKUP
    return Status.DONE


KECAMATAN = frozenset({Role.DISTRICT_OPERATOR})
HEAD = frozenset({Role.DINAS_HEAD})
# The scenario's steps name no role: the system takes them.
NOBODY: frozenset[Role] = frozenset()

# --- the table ----------------------------------------------------------------------------------

RULES: dict[Action, Rule] = {
    rule.action: rule
    for rule in (
        Rule(Action.CREATE, (Step(REQUEST_MAKERS, ()),), Status.DRAFT, gettext_lazy("created")),
        Rule(
            Action.EDIT,
            (Step(REQUEST_MAKERS, EDITABLE_STATES),),
            None,
            gettext_lazy("edited"),
            (OWN_AT_THE_KECAMATAN, MARKED_TO_FIX, CORRECTION_KEEPS_ITS_DATA),
        ),
        Rule(
            Action.SUBMIT,
            (Step(REQUEST_MAKERS, EDITABLE_STATES),),
            Target(
                "verified if the service skips the kecamatan, a kecamatan operator submits or the "
                "Dinas had returned it; otherwise submitted",
                _submit_to,
            ),
            gettext_lazy("submitted"),
            (OWN_AT_THE_KECAMATAN,),
        ),
        Rule(
            Action.CANCEL,
            (Step(REQUEST_MAKERS, CANCELLABLE_STATES),),
            Status.CANCELLED,
            gettext_lazy("cancelled"),
            (OWN_AT_THE_KECAMATAN, CORRECTION_BY_ITS_STARTER),
        ),
        Rule(
            Action.VERIFY,
            (Step(KECAMATAN, (Status.SUBMITTED,)),),
            Status.VERIFIED,
            gettext_lazy("verified"),
        ),
        Rule(
            Action.RETURN,
            (Step(KECAMATAN, (Status.SUBMITTED,)), Step(DINAS_ROLES, DINAS_STATES)),
            Status.RETURNED,
            gettext_lazy("returned"),
            (HOLDER_OR_HEAD,),
        ),
        Rule(
            Action.CLAIM,
            (Step(DINAS_ROLES, (Status.VERIFIED,)),),
            Status.IN_PROCESS,
            gettext_lazy("taken"),
        ),
        Rule(
            Action.RELEASE,
            (Step(DINAS_ROLES, (Status.IN_PROCESS,)),),
            Status.VERIFIED,
            gettext_lazy("released"),
            (HOLDER_OR_HEAD,),
        ),
        Rule(
            Action.REASSIGN,
            (Step(HEAD, DINAS_STATES),),
            Status.IN_PROCESS,
            gettext_lazy("reassigned"),
        ),
        Rule(
            Action.REJECT,
            (Step(DINAS_ROLES, DINAS_STATES),),
            Status.REJECTED,
            gettext_lazy("rejected"),
            (HOLDER_OR_HEAD,),
        ),
        Rule(
            Action.COMPLETE,
            (Step(DINAS_ROLES, (Status.IN_PROCESS,)),),
            Target(
                "done when there are documents to print (cards wait beside them), otherwise "
                "ready_for_pickup",
                _complete_to,
            ),
            gettext_lazy("completed"),
            (HOLDER_OR_HEAD,),
        ),
        Rule(
            Action.HAND_OVER,
            (Step(REQUEST_MAKERS | DINAS_ROLES, FINISHED_STATES),),
            Target(
                "handed_over once every part is received; ready_for_pickup while only cards "
                "wait; otherwise done",
                _hand_over_to,
            ),
            gettext_lazy("handed over"),
            (CARDS_AT_THE_DINAS, PART_WAITING),
        ),
        # The training scenario plays the kecamatan and the Dinas (docs/training.md).
        Rule(
            Action.PRACTICE_VERIFY,
            (Step(NOBODY, (Status.SUBMITTED,)),),
            Status.VERIFIED,
            gettext_lazy("verified"),
            kinds=PRACTICE_ONLY,
            by_scenario=True,
        ),
        Rule(
            Action.PRACTICE_RETURN,
            (Step(NOBODY, (Status.SUBMITTED, Status.VERIFIED)),),
            Status.RETURNED,
            gettext_lazy("returned"),
            kinds=PRACTICE_ONLY,
            by_scenario=True,
        ),
        Rule(
            Action.PRACTICE_COMPLETE,
            (Step(NOBODY, (Status.VERIFIED,)),),
            Target(
                "as complete: done when there are documents to print, otherwise ready_for_pickup",
                _complete_to,
            ),
            gettext_lazy("completed"),
            kinds=PRACTICE_ONLY,
            by_scenario=True,
        ),
        # A correction is asked for on the issued request by the village, the kecamatan of
        # its area (any of its villages' requests) or the Dinas itself (UU 23/2006 Pasal 71
        # ayat (2): "dengan atau tanpa permohonan"); the request keeps its state.
        Rule(
            Action.CORRECT,
            (Step(REQUEST_MAKERS | DINAS_ROLES, ISSUED_STATES),),
            None,
            gettext_lazy("corrected"),
            (ISSUES_DOCUMENTS,),
            # A practice result is no document: there is nothing to correct.
            kinds=REAL_ONLY,
        ),
        # The correction's own first row: a clerical one goes straight to the Dinas queue
        # (no kecamatan check, no requirement but the evidence). A data change starts as a
        # draft of the data-change service instead (CREATE).
        Rule(
            Action.OPEN_CORRECTION,
            (Step(REQUEST_MAKERS | DINAS_ROLES, ()),),
            Status.VERIFIED,
            gettext_lazy("opened"),
            kinds=REAL_ONLY,
        ),
    )
}


# --- asking the table ---------------------------------------------------------------------------


def roles(action: Action) -> frozenset[Role]:
    """The roles that may take `action` at all (the views admit only these)."""
    return RULES[action].roles


def check_create(actor: User, village: Region) -> None:
    """Raise NotAllowedError unless the actor may create requests for `village` (a practice
    request when the actor is in training, a real one otherwise)."""
    rule = RULES[Action.CREATE]
    if not actor.is_active or actor.role not in rule.roles or not may_see_region(actor, village):
        raise NotAllowedError(_("You cannot create requests for this village."))


def _kind_refusal(actor: User, request: ServiceRequest, rule: Rule) -> bool:
    """Whether the request's kind keeps the actor from the rule: a practice request in
    training only, a real one outside it only, and only the kinds the rule applies to."""
    if kind_of(request) not in rule.kinds:
        return True
    return actor.in_training != request.is_practice


def may_create(actor: User, village: Region) -> bool:
    try:
        check_create(actor, village)
    except WorkflowError:
        return False
    return True


def _inside_the_area(actor: User, request: ServiceRequest) -> bool:
    # An area holds the village when it is the village, its kecamatan or its regency: compared
    # by the ids the request holds (its kecamatan comes with it from get_request_for_user),
    # without reading the actor's area; any other area by the codes.
    if actor.area_id is None:
        return False
    if actor.area_id in (request.village_id, request.district_id):
        return True
    if actor.area_id == request.district.parent_id:
        return True
    return may_see_region(actor, request.village)


def check(actor: User, request: ServiceRequest, action: Action, *, part: str | None = None) -> None:
    """Raise unless `actor` may take `action` on `request` now (see the module's docstring).

    `part`: what an edit changes (DATA or a requirement code), or the Part a hand-over covers
    (None: every part the actor may hand over).
    """
    rule = RULES[action]
    if not rule.states:
        raise ValueError(
            "A creation (CREATE, OPEN_CORRECTION) is checked before there is a request: "
            "check_create(), or CORRECT on the request corrected."
        )
    if not actor.is_active or actor.role not in rule.roles or not _inside_the_area(actor, request):
        raise NotAllowedError(str(NOT_ALLOWED))
    if _kind_refusal(actor, request, rule):
        raise NotAllowedError(str(NOT_ALLOWED))
    if request.played_by_scenario and actor.role not in REQUEST_MAKERS:
        # The scenario plays the kecamatan and the Dinas on this one.
        raise NotAllowedError(str(NOT_ALLOWED))
    for guard in rule.guards:
        if guard.about_who and (refusal := guard.refusal(actor, request, part)):
            raise NotAllowedError(refusal)
    if request.status not in rule.states_for(actor.role):
        raise WorkflowError(
            _("A request that is “%(status)s” cannot be %(action)s.")
            % {"status": request.get_status_display(), "action": rule.verb}
        )
    for guard in rule.guards:
        if not guard.about_who and (refusal := guard.refusal(actor, request, part)):
            raise WorkflowError(refusal)


def check_by_scenario(request: ServiceRequest, action: Action) -> None:
    """Raise unless the training scenario may take `action` on `request` now: only its own
    rules, only on a practice request it plays, only from the rule's states."""
    rule = RULES[action]
    if not rule.by_scenario or not request.is_practice or not request.played_by_scenario:
        raise NotAllowedError(str(NOT_ALLOWED))
    if request.status not in rule.states:
        raise WorkflowError(
            _("A request that is “%(status)s” cannot be %(action)s.")
            % {"status": request.get_status_display(), "action": rule.verb}
        )


def may(actor: User, request: ServiceRequest, action: Action, *, part: str | None = None) -> bool:
    """Whether `check` lets the action through."""
    try:
        check(actor, request, action, part=part)
    except WorkflowError:
        return False
    return True


def allowed(actor: User, request: ServiceRequest) -> frozenset[Action]:
    """Every action `actor` may take on `request` now: the buttons of its page."""
    return frozenset(
        action
        for action, rule in RULES.items()
        if rule.states and not rule.by_scenario and may(actor, request, action)
    )


def target(
    actor: User, request: ServiceRequest, action: Action, *, part: str | None = None
) -> Status:
    """The state `action` leads `request` to (call after `check`, with the same `part`)."""
    to = RULES[action].to
    if to is None:
        return Status(request.status)
    if isinstance(to, Target):
        return to.pick(actor, request, part)
    return to


def target_by_scenario(request: ServiceRequest, action: Action) -> Status:
    """The state a scenario's `action` leads `request` to (call after `check_by_scenario`)."""
    to = RULES[action].to
    if isinstance(to, Target):
        return _complete_to(request.created_by, request, None)
    assert isinstance(to, Status)  # noqa: S101 - the scenario's rules all change the state
    return to


# --- the table in words (docs/architecture.md) ------------------------------------------------


def _names(values: Iterable[Any], labels: dict[Any, Any]) -> str:
    return ", ".join(str(labels[value]) for value in values)


def markdown_table() -> str:
    """The table as docs/architecture.md shows it (English role names, state values)."""
    role_labels = dict(Role.choices)
    order = {role: index for index, role in enumerate(Role)}
    lines = ["| action | who | from | guards | to |", "|---|---|---|---|---|"]
    for rule in RULES.values():
        who = _names(sorted(rule.roles, key=order.__getitem__), role_labels)
        if rule.by_scenario:
            who = "(training scenario)"
        sources = ", ".join(rule.states) or "(new)"
        if len(rule.steps) > 1:
            sources = "; ".join(
                "{} ({})".format(
                    ", ".join(step.states),
                    _names(sorted(step.roles, key=order.__getitem__), role_labels),
                )
                for step in rule.steps
            )
        says = [guard.says for guard in rule.guards]
        if rule.kinds == PRACTICE_ONLY:
            says.append("practice requests a scenario plays only")
        elif rule.kinds == REAL_ONLY:
            says.append("real requests only")
        guards = "; ".join(says) or "-"
        to = rule.to.says if isinstance(rule.to, Target) else (rule.to or "(no change)")
        lines.append(f"| {rule.action.value} | {who} | {sources} | {guards} | {to} |")
    return "\n".join(lines) + "\n"
