"""Inviting a partner contact, and the invitee's form to accept."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.utils.translation import gettext_lazy as _

from accounts.forms import cap_password_fields
from accounts.models import User
from engagements.errors import EngagementRuleError
from engagements.models import Invitation, InvitationChannel, Partnership
from engagements.selectors.invitations import invitable_contacts
from engagements.services.invitations import whatsapp_api_check
from partners.models import Contact
from partners.phones import national_form, whatsapp_url


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        reachable = [address for address in (obj.email, national_form(obj.phone)) if address]
        if reachable:
            return f"{obj.name} ({obj.organization.name}) · {' · '.join(reachable)}"
        return _("%(name)s (%(organization)s) · no email address or phone") % {
            "name": obj.name,
            "organization": obj.organization.name,
        }


# Offered always; the Cloud API's choice joins them where it is configured.
CHANNELS = [
    (InvitationChannel.EMAIL, _("Email: Rekan sends it")),
    (InvitationChannel.WHATSAPP, _("WhatsApp: you send it from your phone, with the message ready")),
]


class InvitationForm(forms.Form):
    contact = ContactChoiceField(label=_("Person"), queryset=Contact.objects.none())
    channel = forms.ChoiceField(
        label=_("Send it by"),
        choices=CHANNELS,
        initial=InvitationChannel.EMAIL,
        widget=forms.RadioSelect,
        # A form opened before WhatsApp was offered posts no choice: it meant email.
        required=False,
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_("Leave empty to use the email address on the person's contact record."),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ContactChoiceField, self.fields["contact"]).queryset = invitable_contacts(partnership)
        if settings.WHATSAPP_ENABLED:
            channel = cast(forms.ChoiceField, self.fields["channel"])
            channel.choices = [
                *CHANNELS,
                (
                    InvitationChannel.WHATSAPP_API,
                    _("WhatsApp: Rekan sends it, to someone who agreed to WhatsApp messages"),
                ),
            ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["channel"] = cleaned.get("channel") or InvitationChannel.EMAIL
        contact = cleaned.get("contact")
        if contact is None:
            return cleaned
        if cleaned["channel"] in (InvitationChannel.WHATSAPP, InvitationChannel.WHATSAPP_API):
            if not whatsapp_url(contact.phone):
                self.add_error(
                    "channel",
                    _(
                        "This person has no phone number WhatsApp can reach: "
                        "add one to their contact, or send by email."
                    ),
                )
            elif cleaned["channel"] == InvitationChannel.WHATSAPP_API:
                try:
                    whatsapp_api_check(contact)
                except EngagementRuleError as error:
                    self.add_error("channel", str(error))
        elif not cleaned.get("email"):
            if contact.email:
                cleaned["email"] = contact.email
            elif "email" not in self.errors:
                self.add_error("email", _("This person has no email address: enter the one to send the invitation to."))
        return cleaned


class InvitationAcceptForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=User._meta.get_field("username").max_length,
        validators=[User.username_validator],
        help_text=_("You log in with it. Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirmation = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        cap_password_fields(self)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken: choose another one."))
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password, confirmation = cleaned.get("password"), cleaned.get("password_confirmation")
        if password and confirmation and password != confirmation:
            self.add_error("password_confirmation", _("The two passwords are not the same."))
        elif password:
            # The similarity check compares with the account to be created.
            candidate = User(username=cleaned.get("username", ""), email=self.invitation.email)
            try:
                validate_password(password, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned
