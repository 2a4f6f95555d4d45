from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The user's own account: role, area, contact data, and the password change link."""
    return render(request, "accounts/account.html")
