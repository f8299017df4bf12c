from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import localtime
from accounts.models import User
from accounts.tasks import send_email

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


# No account has a longer username (User.username) or password: longer ones are refused before
# anything authenticates, and a password before it is hashed.
USERNAME_MAX_LENGTH = 150
PASSWORD_MAX_LENGTH = 4096


PASSWORD_FIELDS = (
    "password",
    "old_password",
    "new_password1",
    "new_password2",
    "password1",
    "password2",
    "password_confirmation",
)


def cap_password_fields(form: forms.BaseForm) -> None:
    """Every password field of the form refuses more than PASSWORD_MAX_LENGTH characters, saying so.

    The same cap wherever a password is typed: one that could be set could
    then never be used to log in.
    """
    for name in PASSWORD_FIELDS:
        field = form.fields.get(name)
        if field is None:
            continue
        field.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
        field.error_messages["max_length"] = _("A password has at most %(limit)s characters.") % {
            "limit": PASSWORD_MAX_LENGTH
        }
        field.widget.attrs["maxlength"] = PASSWORD_MAX_LENGTH


class BoundedCredentialsForm(AuthenticationForm):
    """Over-long credentials are a form error, checked before anything authenticates.

    Django's form sets the username's ``max_length`` after the field is built,
    which shows in the HTML but validates nothing: a 10,000-character username
    reached the database (and overflowed the log-in throttle's column). Here
    both fields refuse what no account can hold, so such a post is answered
    with the form again, never a 500, and writes nothing.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(USERNAME_MAX_LENGTH))
        username.error_messages["max_length"] = _("A username has at most %(limit)s characters.") % {
            "limit": USERNAME_MAX_LENGTH
        }
        cap_password_fields(self)


class LoginForm(BoundedCredentialsForm):
    """Django's log-in form without autofocus on the username.

    Autofocus would move keyboard users past the skip link and the language
    switcher before they have read the page.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)


class AdminLoginForm(BoundedCredentialsForm, AdminAuthenticationForm):
    """The admin's log-in form (staff only), with the same limits as the site's."""


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cap_password_fields(self)


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cap_password_fields(self)


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cap_password_fields(self)


class AdminUserCreationForm(auth_forms.AdminUserCreationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cap_password_fields(self)


class QueuedPasswordResetForm(PasswordResetForm):
    """Sends the reset email from a Celery worker, after the request commits.

    The SMTP round trip stays out of the request; the message is rendered
    here, in the requester's language, and handed over as plain strings.
    """

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, object],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        # The account's own language wins over the language of the page.
        with translation.override(getattr(user, "language", "") or translation.get_language()):
            # Plain text (the templates turn autoescape off), on one line.
            subject = " ".join(loader.render_to_string(subject_template_name, context).split())
            body = loader.render_to_string(email_template_name, context)
        transaction.on_commit(
            lambda: send_email.delay(subject=subject, body=body, to=[to_email], from_email=from_email)
        )


def time_zone_choices() -> list[tuple[StrOrPromise, list[tuple[str, str]]]]:
    """Indonesia's three zones first, then every other zone by name."""
    indonesian = [(name, localtime.zone_choice_label(name)) for name in localtime.INDONESIAN_ZONES]
    others = sorted(name for name in localtime.all_zone_names() if name not in localtime.INDONESIAN_ZONES)
    return [
        (_("Indonesia"), indonesian),
        (_("Other time zones"), [(name, localtime.zone_choice_label(name)) for name in others]),
    ]


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Dates and times are shown in this zone, and times you type are read in it."),
    )

    class Meta:
        model = User
        fields = ["language", "time_zone", "email_reminders", "daily_digest"]
