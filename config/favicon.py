"""/favicon.ico: browsers ask for it on every site, whatever the page links."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

ONE_DAY = 24 * 60 * 60


@cache
def _icon() -> bytes:
    return (settings.BASE_DIR / "static" / "favicon.svg").read_bytes()


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_icon(), content_type="image/svg+xml")
    response["Cache-Control"] = f"public, max-age={ONE_DAY}"
    return response
