from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

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
