"""Pages kept for the person who asked, until the data or the clock moves on.

A page built from dozens of statements (Today, a partnership, the trust
log) is kept in the shared cache under a key that names everything its HTML
depends on: the database's data version (``accounts.data_version``, which
changes with every write), the user, the browser (its CSRF secret, since
forms carry tokens of that secret), the language, the time zone and the
local date, the host, the path with its query, and htmx's request headers.
Any write anywhere gives a new version, so a kept page is never behind the
data; it is at most ``PAGE_CACHE_SECONDS`` behind the clock within one day
(the date is in the key). Nothing is kept for another person: the user is in
the key, and access is decided again after any change to memberships.

The base layout's CSP nonce changes with every response: it is kept as a
placeholder and filled in with this response's nonce on the way out.

A page is not kept when the request carries messages to show (the layout
shows them once), when the view set a cookie, changed the session, or
answered anything but a whole 200 HTML page. A cache that does not answer
means the page is built as if there were none.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from accounts import data_version

logger = logging.getLogger(__name__)

# Stands for the CSP nonce in a kept page. Nobody can type it: Django's form fields refuse NUL characters and
# PostgreSQL cannot store them; and text people typed is escaped, so it could never become a nonce attribute.
NONCE_PLACEHOLDER = b"\x00csp-nonce\x00"
_NOT_REPLAYED_HEADERS = frozenset({"content-length"})


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep a GET view's page (see the module). Put it below the access decorators, so that they run every time."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return cached_response(request, lambda: view(request, *args, **kwargs))

    return wrapper


def cached_response(
    request: HttpRequest, build: Callable[[], HttpResponse], *, vary: tuple[str, ...] = (), public: bool = False
) -> HttpResponse:
    """The kept page for this request, or ``build()``'s, kept for the next time.

    ``vary``: more of the key. ``public``: the page is the same for every
    visitor who is not logged in (the share page, whose token is in the
    path), so one copy serves them all; a logged-in visitor still gets their
    own, since the layout names them. A public copy is never one whose
    template asked for a CSRF token: the token would carry that visitor's
    secret to everyone else.
    """
    anyone = public and not request.user.is_authenticated
    if not _may_keep(request, anyone=anyone):
        return build()
    try:
        page_key = _key(request, vary, anyone=anyone)
        kept = cache.get(page_key)
    except Exception:
        logger.warning("The page cache does not answer; building the page.", exc_info=True)
        return build()
    if kept is not None:
        return _replay(request, kept, anyone=anyone)
    session = getattr(request, "session", None)
    before = _Before(
        session_modified=bool(session and session.modified),
        csrf_secret=request.META.get("CSRF_COOKIE"),
        csrf_used=bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")),
    )
    response = build()
    render = getattr(response, "render", None)
    if callable(render):
        response = render()
    if _may_store(request, response, before, anyone=anyone):
        try:
            cache.set(page_key, _freeze(request, response), settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("The page cache did not keep a page.", exc_info=True)
    return response


@dataclass(frozen=True)
class _Before:
    """What the request was like before the view ran, to tell what the view changed."""

    session_modified: bool
    csrf_secret: str | None
    csrf_used: bool


def _may_keep(request: HttpRequest, *, anyone: bool) -> bool:
    return bool(
        settings.PAGE_CACHE_SECONDS
        and request.method == "GET"
        and (anyone or (request.user.is_authenticated and request.META.get("CSRF_COOKIE")))
        and not len(get_messages(request))
    )


def _key(request: HttpRequest, vary: tuple[str, ...], *, anyone: bool) -> str:
    """Everything the page depends on, hashed; the data version is read first, before any of the page's data."""
    version = data_version.current()
    htmx = sorted((name.lower(), value) for name, value in request.headers.items() if name.lower().startswith("hx-"))
    parts = [
        connections["default"].settings_dict["NAME"],
        version,
        "anyone" if anyone else str(request.user.pk),
        "" if anyone else request.META["CSRF_COOKIE"],
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        request.scheme or "",
        request.get_host(),
        request.get_full_path(),
        repr(htmx),
        *vary,
    ]
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()
    return f"page:{digest}"


def _may_store(request: HttpRequest, response: HttpResponse, before: _Before, *, anyone: bool) -> bool:
    session_modified = getattr(getattr(request, "session", None), "modified", False)
    csrf_used = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")) and not before.csrf_used
    return bool(
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and request.META.get("CSRF_COOKIE") == before.csrf_secret  # not rotated by the view
        and not (anyone and csrf_used)
        and (before.session_modified or not session_modified)
        and not len(get_messages(request))
    )


def _freeze(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    body = response.content
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:  # a LazyNonce is true once the page used it
        body = body.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
    return {"body": body, "headers": _replayable_headers(response)}


def _replayable_headers(response: HttpResponse | StreamingHttpResponse) -> dict[str, str]:
    """What the view set, for a kept answer to carry again (the length is worked out anew)."""
    return {name: value for name, value in response.headers.items() if name.lower() not in _NOT_REPLAYED_HEADERS}


def _replay(request: HttpRequest, kept: dict[str, Any], *, anyone: bool) -> HttpResponse:
    body: bytes = kept["body"]
    if NONCE_PLACEHOLDER in body:
        # Using the nonce makes the CSP middleware name it in this response's header.
        body = body.replace(NONCE_PLACEHOLDER, str(getattr(request, "_csp_nonce", "")).encode())
    if not anyone:
        # As the page's forms would have: the CSRF cookie is sent again, renewing its expiry.
        get_token(request)
    response = HttpResponse(body, headers=kept["headers"])
    response.page_cache_hit = True  # type: ignore[attr-defined]
    return response


# --- Downloads ---------------------------------------------------------------------------

# A streamed download is kept in pieces of about this size, and read back a few pieces at a time:
# the web process holds at most READ_AHEAD pieces of it, whatever the size of the file.
DOWNLOAD_PIECE_BYTES = 1024 * 1024
DOWNLOAD_READ_AHEAD = 2
# A larger download is sent as built, and not kept.
DOWNLOAD_KEEP_MAX_BYTES = 32 * 1024 * 1024
# Pieces outlive the list that names them, so that a list found means its pieces are there.
_PIECES_OUTLIVE_SECONDS = 60


def cached_download(view: Callable[..., StreamingHttpResponse]) -> Callable[..., StreamingHttpResponse]:
    """Keep a streamed download (a CSV export) as ``cached_page`` keeps a page, in pieces, as it streams.

    The first request streams as before and writes each piece to the cache
    on the way; only when the whole file went out is the list of pieces
    written, so a download broken off keeps nothing. A later request for the
    same file with the same data version streams the pieces back.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> StreamingHttpResponse:
        if not _may_keep(request, anyone=False):
            return view(request, *args, **kwargs)
        try:
            download_key = _key(request, ("download",), anyone=False)
            kept = cache.get(download_key)
        except Exception:
            logger.warning("The page cache does not answer; building the download.", exc_info=True)
            return view(request, *args, **kwargs)
        if kept is not None:
            response = StreamingHttpResponse(_pieces(download_key, kept["pieces"]), headers=kept["headers"])
            response.page_cache_hit = True  # type: ignore[attr-defined]
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and response.streaming and not response.is_async and not response.cookies:
            response.streaming_content = _keeping(
                download_key, cast(Iterator[bytes], response.streaming_content), _replayable_headers(response)
            )
        return response

    return wrapper


def _keeping(download_key: str, content: Iterator[bytes], headers: dict[str, str]) -> Iterator[bytes]:
    seconds = settings.PAGE_CACHE_SECONDS
    pending: list[bytes] = []
    pending_bytes = kept_bytes = pieces = 0
    keeping = True

    def put(piece: bytes) -> bool:
        try:
            cache.set(f"{download_key}:{pieces}", piece, seconds + _PIECES_OUTLIVE_SECONDS)
        except Exception:
            logger.warning("The page cache did not keep a download.", exc_info=True)
            return False
        return True

    for chunk in content:
        yield chunk
        if not keeping:
            continue
        pending.append(chunk)
        pending_bytes += len(chunk)
        if pending_bytes >= DOWNLOAD_PIECE_BYTES:
            kept_bytes += pending_bytes
            keeping = kept_bytes <= DOWNLOAD_KEEP_MAX_BYTES and put(b"".join(pending))
            pieces += 1
            pending, pending_bytes = [], 0
    if keeping and pending:
        keeping = put(b"".join(pending))
        pieces += 1
    if keeping:
        try:
            cache.set(download_key, {"headers": headers, "pieces": pieces}, seconds)
        except Exception:
            logger.warning("The page cache did not keep a download.", exc_info=True)


def _pieces(download_key: str, count: int) -> Iterator[bytes]:
    for start in range(0, count, DOWNLOAD_READ_AHEAD):
        keys = [f"{download_key}:{number}" for number in range(start, min(count, start + DOWNLOAD_READ_AHEAD))]
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                # Only a cache emptied under us: break the download off rather than send a file with a hole.
                raise RuntimeError(f"A kept download lost its piece {key}.")
            yield found[key]
