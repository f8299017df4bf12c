"""Facilitators invite partner contacts."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from engagements import selectors, services
from engagements.access import get_partnership_for_user
from engagements.errors import EngagementRuleError
from engagements.forms.invitations import InvitationForm
from engagements.models import InvitationChannel
from partners.phones import national_form


@require_http_methods(["GET", "POST"])
def invitation_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    form = InvitationForm(request.POST or None, partnership=partnership)
    contact_pk = request.GET.get("contact", "")
    if request.method == "GET" and contact_pk.isdecimal():
        # A link may name the person: the form opens with them and their email.
        contact = selectors.invitations.invitable_contact(partnership, int(contact_pk))
        form.initial = {"contact": contact, "email": contact.email} if contact else {}
    if request.method == "POST" and form.is_valid():
        try:
            invitation, token = services.invitations.invitation_create(
                user=request.user, partnership=partnership, **form.cleaned_data
            )
        except EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            accept_url = request.build_absolute_uri(reverse("engagements:invitation_accept", args=[token]))
            if invitation.channel == InvitationChannel.WHATSAPP:
                # The token exists only in this response: the page is the one place to send it from.
                chat = services.invitations.invitation_whatsapp_url(invitation=invitation, accept_url=accept_url)
                context = {"partnership": partnership, "invitation": invitation, "chat": chat}
                response = render(request, "engagements/invitations/invitation_whatsapp.html", context)
                response["Cache-Control"] = "private, no-store"
                return response
            if invitation.channel == InvitationChannel.WHATSAPP_API:
                services.invitations.invitation_send_on_whatsapp(invitation=invitation, accept_url=accept_url)
                messages.success(
                    request,
                    _("Invitation handed to WhatsApp for %(phone)s: what WhatsApp reports shows below.")
                    % {"phone": national_form(invitation.phone)},
                )
            else:
                services.invitations.invitation_send(invitation=invitation, accept_url=accept_url)
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("engagements:partnership_detail", pk=partnership.pk)
    return render(request, "engagements/invitations/invitation_form.html", {"form": form, "partnership": partnership})
