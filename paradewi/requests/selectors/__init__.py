"""Reads of requests, one module per job; every one is scoped to what the user may see.

`access`: which requests a user sees, and one request for a user (404 otherwise);
`worklist`: the worklists' tabs, search, order, rows and pages; `clock`: the service-level
clock; `detail`: what a request's page shows; `home`: the home pages.
"""

from __future__ import annotations

from paradewi.requests.selectors.access import (
    get_request_for_user,
    latest_person_data,
    visible_requests,
)

__all__ = [
    "get_request_for_user",
    "latest_person_data",
    "visible_requests",
]
