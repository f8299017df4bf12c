"""Who may open which page. Every view goes through one of these guards.

Anonymous visitors never reach them: LoginRequiredMiddleware sends them to
the log-in page first. A signed-in user without the role gets 403; records
that a user may not see answer 404 (see each app's own access module).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.roles import is_facilitator, is_partner_member

View = TypeVar("View", bound=Callable[..., HttpResponse])


def _require(check: Callable[..., bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorator


facilitator_required = _require(is_facilitator)
partner_member_required = _require(is_partner_member)
