from __future__ import annotations


class WorkflowError(Exception):
    """A transition that is not allowed now; the message is shown to the user as it is."""


class StaleRequestError(WorkflowError):
    """Someone else changed the request first (the compare-and-swap found another status)."""


class NotAllowedError(WorkflowError):
    """The actor's role or area does not allow this action on this request (a 404 in views)."""
