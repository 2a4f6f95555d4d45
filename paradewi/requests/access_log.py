"""Recording each opening of a resident's personal data, from the views of `requests` (and
`documents`), into the access log that the `audit` app keeps (docs/security.md, "Personal data
and the access log").

`audit` sits above `requests` (its rows point at requests), so `requests` cannot import it:
`audit` registers its writer and its reader check here from `AuditConfig.ready()`. A site
where nothing is registered does not silently stop logging: `manage.py check` (and so
`migrate` and the server's start) reports `requests.E001`, and a view that would log raises
`ImproperlyConfigured` instead of showing the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.http import HttpRequest

    from paradewi.accounts.models import User
    from paradewi.requests.models import ServiceRequest

REASON_MAX = 500


class Action(models.TextChoices):
    REQUEST_OPENED = "request_opened", _("Opened the request page")
    REQUEST_EDIT_OPENED = "request_edit_opened", _("Opened the request's data form")
    UPLOAD_VIEWED = "upload_viewed", _("Viewed a scan in the viewer")
    UPLOAD_DOWNLOADED = "upload_downloaded", _("Downloaded a scan")
    OUTPUT_DOWNLOADED = "output_downloaded", _("Downloaded an issued document")
    SLIP_DOWNLOADED = "slip_downloaded", _("Downloaded a verification slip")
    RECEIPT_DOWNLOADED = "receipt_downloaded", _("Downloaded the receipt")
    FORM_DOWNLOADED = "form_downloaded", _("Downloaded a filled form")
    ARCHIVE_EXPORTED = "archive_exported", _("Exported the request archive")
    OTHER_EXPORT = "other_export", _("Exported other personal data")


# Actions that take personal data off the system in bulk: each needs a stated reason.
EXPORT_ACTIONS = frozenset({Action.ARCHIVE_EXPORTED, Action.OTHER_EXPORT})


class Recorder(Protocol):
    def __call__(
        self,
        *,
        request: HttpRequest,
        actor: User,
        action: Action,
        service_request: ServiceRequest | None = None,
        object_id: int | str = "",
        reason: str = "",
    ) -> Any: ...


@dataclass
class _Log:
    recorder: Recorder | None = None
    may_read: Callable[[User], bool] | None = None


_log = _Log()


def register(*, recorder: Recorder, may_read: Callable[[User], bool]) -> None:
    """Called once by the app that keeps the log: how to write a row, who may read the log."""
    _log.recorder = recorder
    _log.may_read = may_read


def is_registered() -> bool:
    return _log.recorder is not None and _log.may_read is not None


def _missing() -> ImproperlyConfigured:
    return ImproperlyConfigured(
        "No access log is registered: install paradewi.audit, which records every opening "
        "of a resident's personal data."
    )


def access_record(
    *,
    request: HttpRequest,
    actor: User,
    action: Action,
    service_request: ServiceRequest | None = None,
    object_id: int | str = "",
    reason: str = "",
) -> None:
    """Log that `actor` did `action` on `service_request` (and the object `object_id`).

    Call after the access check and before answering. An export (`EXPORT_ACTIONS`) needs a
    non-empty `reason`.
    """
    if _log.recorder is None:
        raise _missing()
    _log.recorder(
        request=request,
        actor=actor,
        action=action,
        service_request=service_request,
        object_id=object_id,
        reason=reason,
    )


def may_read_access_log(user: User) -> bool:
    """Whether the page may offer `user` the link to a request's access log."""
    if _log.may_read is None:
        raise _missing()
    return _log.may_read(user)


@checks.register()
def access_log_registered(**kwargs: Any) -> list[checks.CheckMessage]:
    if is_registered():
        return []
    return [
        checks.Error(
            "No access log is registered for the openings of personal data.",
            hint="Add paradewi.audit to INSTALLED_APPS.",
            id="requests.E001",
        )
    ]
