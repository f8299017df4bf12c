from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.forms import LanguageForm, PasswordChangeForm, PreferencesForm, QueuedPasswordResetForm, SetPasswordForm
from accounts.http import AuthenticatedHttpRequest
from accounts.roles import is_facilitator, is_partner_member
from accounts.services import calendar_token_renew, calendar_token_revoke, user_set_language


@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send each role to its own start page."""
    if is_facilitator(request.user):
        return redirect("engagements:today")
    if is_partner_member(request.user):
        return redirect("engagements:our_partnerships")
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("accounts:no_role")


@require_GET
def no_role(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "accounts/no_role.html")


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; signed-in users keep it on every device."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    if not form.is_valid():
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")


@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Language, reminder emails and the private calendar address of the signed-in user."""
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Preferences saved."))
        return redirect("accounts:preferences")
    return render(request, "accounts/preferences.html", {"form": form})


@require_POST
def calendar_address(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.POST.get("action") == "revoke":
        calendar_token_revoke(user=request.user)
        messages.success(request, _("The calendar address is turned off: calendars that used it stop updating."))
    else:
        calendar_token_renew(user=request.user)
        messages.success(request, _("A new calendar address is ready; the old one, if any, no longer works."))
    return redirect("accounts:preferences")
