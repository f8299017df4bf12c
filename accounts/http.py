"""Request types for views.

LoginRequiredMiddleware lets no anonymous visitor reach a view that is not
marked ``login_not_required``, so those views see a real ``User``; the type
says so once instead of every view checking again.
"""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
