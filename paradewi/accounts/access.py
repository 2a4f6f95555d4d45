"""Who may see and act on what: the one place every view asks.

The rule (docs/design.md, "People and roles"): a user sees only what lies in their area;
anything else answers 404, the same answer as for something that does not exist, so nothing
leaks about other areas.
Areas nest by their Kemendagri code, so "inside my area" is a test on the code (regions/codes.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from django.contrib.auth.decorators import login_required
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from paradewi.accounts.models import Role, User
from paradewi.accounts.policy import ACCOUNT_LISTERS, HANDLING_ROLES
from paradewi.regions.codes import code_within_q
from paradewi.regions.models import Region

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

M = TypeVar("M", bound=Model)
P = ParamSpec("P")


def active_user(user: User | AnonymousUser) -> User | None:
    """The user if logged in, active and bound to an area; None otherwise."""
    if isinstance(user, User) and user.is_authenticated and user.is_active and user.area_id:
        return user
    return None


def area_q(user: User | AnonymousUser, code_field: str) -> Q:
    """A filter keeping rows whose region code (reached through `code_field`) is in the area."""
    actor = active_user(user)
    if actor is None or actor.area is None:
        return Q(pk__in=[])
    return code_within_q(code_field, actor.area.code)


def scope_to_area(
    user: User | AnonymousUser, queryset: QuerySet[M], *, code_field: str
) -> QuerySet[M]:
    return queryset.filter(area_q(user, code_field))


def get_in_area(
    user: User | AnonymousUser, queryset: QuerySet[M], *, code_field: str, **lookup: Any
) -> M:
    """Fetch one object inside the user's area, or raise Http404 (missing and not-yours alike)."""
    found = scope_to_area(user, queryset, code_field=code_field).filter(**lookup).first()
    if found is None:
        raise Http404
    return found


def may_see_region(user: User | AnonymousUser, region: Region) -> bool:
    actor = active_user(user)
    return actor is not None and actor.area is not None and actor.area.contains(region)


def get_region_for_user(user: User | AnonymousUser, code: str) -> Region:
    return get_in_area(user, Region.objects.select_related("parent"), code_field="code", code=code)


def may_see_personal_data(user: User | AnonymousUser) -> bool:
    """Names, NIK, phone numbers and documents: only for roles that handle requests."""
    actor = active_user(user)
    return actor is not None and actor.role in HANDLING_ROLES


def visible_users(user: User | AnonymousUser) -> QuerySet[User]:
    """Accounts a user may list: those in their area, and only for roles that need to.

    The administrator manages every account; the Dinas head and kecamatan operators see the
    officers of their area (to know whom to call): `policy.ACCOUNT_LISTERS`. Others see only
    themselves.
    """
    actor = active_user(user)
    if actor is None:
        return User.objects.none()
    if actor.role in ACCOUNT_LISTERS:
        return scope_to_area(actor, User.objects.all(), code_field="area__code")
    return User.objects.filter(pk=actor.pk)


def role_required(
    *roles: Role,
) -> Callable[
    [Callable[Concatenate[HttpRequest, P], HttpResponse]],
    Callable[Concatenate[HttpRequest, P], HttpResponse],
]:
    """Log in first; then a user of another role gets 404, as for anything outside their area."""

    def decorator(
        view: Callable[Concatenate[HttpRequest, P], HttpResponse],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            actor = active_user(request.user)
            if actor is None or (roles and actor.role not in roles):
                raise Http404
            return view(request, *args, **kwargs)

        return login_required(wrapper)  # type: ignore[return-value]

    return decorator


def request_actor(request: HttpRequest) -> User:
    """The signed-in officer acting in a view behind `role_required` (which guarantees one)."""
    user = request.user
    if not isinstance(user, User):
        raise TypeError("request_actor() needs a view behind role_required.")
    return user
