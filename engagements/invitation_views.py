"""Facilitators invite partner contacts; invitees accept without an account."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from engagements import invitations
from engagements.access import get_partnership_for_user
from engagements.invitation_forms import InvitationAcceptForm, InvitationForm
from engagements.models import Invitation
from engagements.services import EngagementRuleError

ACCEPT_TEMPLATE = "engagements/invitation_accept.html"


@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    form = InvitationForm(request.POST or None, partnership=partnership)
    contact_pk = request.GET.get("contact", "")
    if request.method == "GET" and contact_pk.isdecimal():
        # A link may name the person: the form opens with them and their email.
        contact = form.fields["contact"].queryset.filter(pk=contact_pk).first()
        form.initial = {"contact": contact, "email": contact.email} if contact else {}
    if request.method == "POST" and form.is_valid():
        try:
            invitation, token = invitations.invitation_create(
                user=request.user, partnership=partnership, **form.cleaned_data
            )
        except EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            accept_url = request.build_absolute_uri(reverse("engagements:invitation_accept", args=[token]))
            invitations.invitation_send(invitation=invitation, accept_url=accept_url)
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("engagements:partnership_detail", pk=partnership.pk)
    return render(request, "engagements/invitation_form.html", {"form": form, "partnership": partnership})


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitations.invitation_get_live(token)
    if invitation is None:
        return _no_longer_valid(request)
    if not request.user.is_authenticated:
        _speak_the_invitations_language(request, invitation)
    if invitations.account_exists_for(invitation.email):
        return render(request, ACCEPT_TEMPLATE, {"state": "account_exists", "invitation": invitation})
    if request.user.is_authenticated:
        # Accepting would silently swap this session for the new account.
        return render(request, ACCEPT_TEMPLATE, {"state": "signed_in", "invitation": invitation})
    initial = {"username": invitations.username_suggest(invitation.email)}
    form = InvitationAcceptForm(request.POST or None, invitation=invitation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                language=translation.get_language(),
            )
        except invitations.InvitationInvalid:
            return _no_longer_valid(request)
        except invitations.InvitationAccountExists:
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
    language = chosen if chosen in dict(settings.LANGUAGES) else invitations.invitation_language(invitation.contact)
    translation.activate(language)
    request.LANGUAGE_CODE = language


def _no_longer_valid(request: HttpRequest) -> HttpResponse:
    return render(request, ACCEPT_TEMPLATE, {"state": "invalid"}, status=404)
