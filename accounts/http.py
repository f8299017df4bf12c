"""Request types for views.

HtmxMiddleware gives every request ``htmx``, and LoginRequiredMiddleware lets
no anonymous visitor reach a view that is not marked ``login_not_required``,
so those views see a real ``User``; the types say so once instead of every
view checking again.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import User


class HtmxHttpRequest(HttpRequest):
    """Any request, login-free views included."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request to a view behind the login."""

    user: User


def query_without_page(request: HttpRequest) -> str:
    """The request's query string without ``page``: what a pagination link adds its page number to."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
