"""Every view open without logging in: share page, invitation accept, unsubscribe, calendar feed, WhatsApp webhook.

Each is reached with a secret token alone, so it shows only what that token
is for: no named person, no contact detail, no internal note.
"""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from accounts.page_cache import cached_response
from engagements import access, errors, selectors, services, whatsapp
from engagements.access import (
    get_calendar_owner,
    get_share_link,
)
from engagements.forms.invitations import InvitationAcceptForm
from engagements.link_previews import is_link_preview
from engagements.models import Invitation, ShareLink
from partners import services as partner_services


@login_not_required
@csrf_exempt  # mail clients post RFC 8058 one-click unsubscribes; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    recipient = access.recipient_from_token(token)
    if recipient is None:
        raise Http404
    if request.method == "POST":
        services.reminders.unsubscribe(recipient_key=recipient)
        return render(request, "engagements/reminders/unsubscribe.html", {"done": True})
    return render(request, "engagements/reminders/unsubscribe.html", {"done": False})


@login_not_required
@require_GET
def calendar(request: HttpRequest, token: str) -> HttpResponse:
    user = get_calendar_owner(token)
    response = HttpResponse(selectors.calendar.feed_for(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rekan.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_not_required
@require_safe  # HEAD answers as GET does (link checkers, some chat apps), without the body
def shared_plan(request: HttpRequest, token: str) -> HttpResponse:
    link = get_share_link(token)  # unknown, revoked and expired all answer 404
    # A view is a person opening the page: not a HEAD, not a chat app drawing the link's preview card.
    if request.method == "GET" and not is_link_preview(request):
        services.sharing.share_link_count_view(link=link)
    # Everyone without an account sees the same page of a link: one kept copy serves them all.
    return cached_response(request, lambda: _shared_plan_page(request, link), public=True)


def _shared_plan_page(request: HttpRequest, link: ShareLink) -> HttpResponse:
    partnership = link.partnership
    context = {
        "partnership": partnership,
        "members": selectors.partnerships.members_of(partnership),
        "goals": selectors.goals.goals_of(partnership),
        "plan": selectors.sharing.shared_plan(partnership, working_plan=link.shows_working_plan),
        "commitments": selectors.sharing.shared_commitments(partnership) if link.include_commitments else None,
    }
    response = render(request, "engagements/sharing/shared_plan.html", context)
    # The token is the only key: keep it out of search engines, Referer
    # headers and shared caches, and let a revocation count on the next view.
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


ACCEPT_TEMPLATE = "engagements/invitations/invitation_accept.html"


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitations.invitation_get_live(token)
    if invitation is None:
        return _no_longer_valid(request)
    if not request.user.is_authenticated:
        _speak_the_invitations_language(request, invitation)
    if services.invitations.account_exists_for(invitation.email):
        return render(request, ACCEPT_TEMPLATE, {"state": "account_exists", "invitation": invitation})
    if request.user.is_authenticated:
        # Accepting would silently swap this session for the new account.
        return render(request, ACCEPT_TEMPLATE, {"state": "signed_in", "invitation": invitation})
    initial = {"username": services.invitations.username_suggest(invitation.email)}
    form = InvitationAcceptForm(request.POST or None, invitation=invitation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitations.invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                language=translation.get_language(),
            )
        except errors.InvitationInvalid:
            return _no_longer_valid(request)
        except errors.InvitationAccountExists:
            return render(request, ACCEPT_TEMPLATE, {"state": "account_exists", "invitation": invitation})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Rekan! Here are the partnerships of your group."))
            return redirect("engagements:our_partnerships")
    return render(request, ACCEPT_TEMPLATE, {"state": "form", "form": form, "invitation": invitation})


def _speak_the_invitations_language(request: HttpRequest, invitation: Invitation) -> None:
    """Switch this anonymous request to the invitation email's language, unless the visitor chose one.

    LocaleMiddleware went by the browser, which is often English on a shared
    phone; the email was read in the contact's language. A choice made with
    the language switcher (its cookie) still wins, or the switcher would do nothing.
    """
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    language = (
        chosen if chosen in dict(settings.LANGUAGES) else services.invitations.invitation_language(invitation.contact)
    )
    translation.activate(language)
    request.LANGUAGE_CODE = language


def _no_longer_valid(request: HttpRequest) -> HttpResponse:
    return render(request, ACCEPT_TEMPLATE, {"state": "invalid"}, status=404)


# Meta's verification challenge is a number; anything else is not worth echoing.
_CHALLENGE = re.compile(r"[0-9A-Za-z_-]{1,128}")


@login_not_required
@csrf_exempt  # Meta posts delivery statuses; the signature with the app secret is the proof
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    """The WhatsApp Cloud API's webhook: its address check (GET), delivery statuses and "STOP" replies (POST, signed).

    Answers 404 while the WhatsApp channel is not configured, 403 to a wrong
    verify token or signature (and changes nothing), 200 to what it took.
    """
    if not settings.WHATSAPP_ENABLED:
        raise Http404
    if request.method == "GET":
        challenge = request.GET.get("hub.challenge", "")
        token = request.GET.get("hub.verify_token", "")
        if (
            request.GET.get("hub.mode") == "subscribe"
            and constant_time_compare(token, settings.WHATSAPP_VERIFY_TOKEN)
            and _CHALLENGE.fullmatch(challenge)
        ):
            return HttpResponse(challenge, content_type="text/plain")
        return HttpResponseForbidden("Wrong verify token.", content_type="text/plain")
    if not whatsapp.signature_is_valid(request.body, request.headers.get("X-Hub-Signature-256", "")):
        return HttpResponseForbidden("Wrong signature.", content_type="text/plain")
    try:
        payload = json.loads(request.body)
    except ValueError:
        return HttpResponseBadRequest("Not JSON.", content_type="text/plain")
    services.whatsapp.whatsapp_statuses_record(whatsapp.statuses_of(payload))
    for phone in whatsapp.stop_requests_of(payload):
        partner_services.contacts_stop_whatsapp(phone=phone)
    return HttpResponse("OK", content_type="text/plain")
