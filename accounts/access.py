"""Who may open which page. Every view goes through one of these guards.

Anonymous visitors never reach them: LoginRequiredMiddleware sends them to
the log-in page first. A signed-in user without the role gets 403; records
that a user may not see answer 404 (see each app's own access module).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from accounts.models import User
from accounts.roles import is_facilitator, is_partner_member

# A view: a request (of any HttpRequest type), maybe URL arguments, a response.
type _View[Request: HttpRequest, **Params, Response: HttpResponseBase] = Callable[
    Concatenate[Request, Params], Response
]


def _require[Request: HttpRequest, **Params, Response: HttpResponseBase](
    check: Callable[[User | AnonymousUser], bool],
) -> Callable[[_View[Request, Params, Response]], _View[Request, Params, Response]]:
    def decorator(view: _View[Request, Params, Response]) -> _View[Request, Params, Response]:
        @wraps(view)
        def guarded(request: Request, *args: Params.args, **kwargs: Params.kwargs) -> Response:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorator


facilitator_required = _require(is_facilitator)
partner_member_required = _require(is_partner_member)
