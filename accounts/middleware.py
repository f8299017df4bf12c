from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from accounts.localtime import is_known_zone


class UserPreferencesMiddleware:
    """Use the signed-in user's saved language and time zone.

    LocaleMiddleware has already picked a language from the cookie or the
    Accept-Language header; a user who chose a language keeps it on every
    device. The user's zone (WIB, WITA, WIT or any other) is where dates and
    times are read and shown; visitors get the site's zone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        if user.is_authenticated and is_known_zone(user.time_zone):
            timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


# Session keys of SessionTimeoutMiddleware: when the user logged in, and when they were last seen (epoch seconds).
LOGGED_IN_AT = "rekan_logged_in_at"
LAST_SEEN_AT = "rekan_last_seen_at"
# Last-seen is written at most this often, so that a page's requests do not each save the session.
LAST_SEEN_RESOLUTION = 60


def _now() -> int:
    return int(timezone.now().timestamp())


def stamp_login(sender: object, request: HttpRequest | None, user: object, **kwargs: object) -> None:
    """At every log-in (a ``user_logged_in`` receiver): both clocks start again."""
    if request is not None and hasattr(request, "session"):
        now = _now()
        request.session[LOGGED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


def session_expiry(session: SessionBase, now: int) -> str | None:
    """Why a signed-in session is over ("idle" or "absolute"), or None while it is not."""
    logged_in_at, last_seen_at = session.get(LOGGED_IN_AT), session.get(LAST_SEEN_AT)
    if not isinstance(logged_in_at, int) or not isinstance(last_seen_at, int):
        return None  # a session from before the clocks: they start now
    if now - logged_in_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
        return "absolute"
    if now - last_seen_at > settings.SESSION_IDLE_TIMEOUT.total_seconds():
        return "idle"
    return None


class SessionTimeoutMiddleware:
    """Log out a session left idle too long, or open too long since its log-in.

    Both limits come from the settings (SESSION_IDLE_TIMEOUT_MINUTES,
    SESSION_ABSOLUTE_TIMEOUT_HOURS). The check runs before the view, once the
    user's language is active and messages work, so the log-in page can say
    why in the user's language; a view open without logging in (the log-in
    page itself, a share page) simply sees a visitor.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        now = _now()
        session = request.session
        reason = session_expiry(session, now)
        if reason is None:
            if not isinstance(session.get(LOGGED_IN_AT), int):
                session[LOGGED_IN_AT] = now
            last_seen_at = session.get(LAST_SEEN_AT)
            if not isinstance(last_seen_at, int) or now - last_seen_at >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN_AT] = now
            return None
        logout(request)
        messages.warning(
            request,
            _("You were logged out after a long time without activity. Please log in again.")
            if reason == "idle"
            else _("You were logged out because you logged in a long time ago. Please log in again."),
        )
        if not getattr(view_func, "login_required", True):
            return None  # the page is open to visitors; it now sees one
        if request.headers.get("HX-Request") == "true":
            # A fragment would put the log-in page inside the page: the browser goes there instead.
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            next_url = current.path + (f"?{current.query}" if current.query else "") if current.path else ""
            login_url = resolve_url(settings.LOGIN_URL)
            return HttpResponseClientRedirect(f"{login_url}?{urlencode({'next': next_url})}" if next_url else login_url)
        return None  # LoginRequiredMiddleware, further down the list, sends the visitor to the log-in page
