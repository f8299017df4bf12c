"""What django-axes records of a log-in attempt.

Axes reads the username from the credentials (or the posted form) and writes
it into a column of 255 characters; PostgreSQL refuses a longer value, and
the attempt would end in a 500. The log-in forms refuse such usernames before
anything authenticates; this keeps axes within its column whatever calls
``authenticate``.
"""

from __future__ import annotations

from django.http import HttpRequest

# AccessAttempt.username, AccessFailureLog.username and AccessLog.username.
AXES_USERNAME_MAX_LENGTH = 255


def axes_username(request: HttpRequest, credentials: dict[str, object] | None = None) -> str | None:
    """The username of the attempt, cut to what axes can store (AXES_USERNAME_CALLABLE)."""
    if credentials:
        value = credentials.get("username")
    else:
        value = getattr(request, "POST", {}).get("username")
    if value is None:
        return None
    return str(value)[:AXES_USERNAME_MAX_LENGTH]
