from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts import submission_keys
from accounts.access import facilitator_required
from accounts.http import AuthenticatedHttpRequest
from accounts.page_cache import cached_page
from accounts.paging import OneQueryPaginator
from accounts.roles import is_facilitator
from partners import services
from partners.access import get_contact_for_user, get_organization_for_user
from partners.forms import (
    ChannelForms,
    ChannelFormSet,
    ContactForm,
    DirectoryForm,
    InteractionForm,
    LeaderForm,
    OrganizationForm,
    StageForm,
)
from partners.models import Contact, Organization
from partners.panels import profile_panels
from partners.selectors import (
    DirectoryQuery,
    current_leadership_term,
    interaction_submitted,
    leadership_changed_on,
    organization_contacts,
    organization_directory,
    organization_history,
    organization_profile,
    timeline_latest,
    timeline_page,
)

# Views about one organization need no role decorator: get_organization_for_user
# answers 404 for an organization the user may not see, 403 where they may
# only read it (a partner member on their own group).
PAGE_SIZE = 25
CONTACT_PAGE_SIZE = 50


def directory_query(request: AuthenticatedHttpRequest) -> tuple[DirectoryForm, DirectoryQuery]:
    """The directory state from the URL; a bad value is ignored, never a 500."""
    form = DirectoryForm(request.GET)
    return form, form.directory_query()


@require_GET
@facilitator_required
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
@cached_page
def directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, query = directory_query(request)
    organizations = organization_directory(user=request.user, query=query)
    # A search reads and ranks every match anyway: its count comes with the page.
    paginator = OneQueryPaginator if query.text.strip() else Paginator
    page = paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "query": query, "params": params.urlencode()}
    # A history restore (htmx found no snapshot for Back) sends HX-Request too, and needs the whole page.
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "partners/directory.html#results" if fragment else "partners/directory.html"
    return render(request, template, context)


@require_GET
@cached_page
def organization_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organization = organization_profile(user=request.user, organization=get_organization_for_user(request.user, pk))
    context: dict[str, object] = {
        "organization": organization,
        "current_term": current_leadership_term(organization),
        "leadership_changed_on": leadership_changed_on(organization),
        # What other apps show of the group (its partnerships, say): see partners.panels.
        "panels": profile_panels(request.user, organization),
    }
    if is_facilitator(request.user):
        context["timeline"] = timeline_latest(organization)
        context["history"] = organization_history(organization)
    return render(request, "partners/organization_detail.html", context)


@require_GET
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
@cached_page
def organization_timeline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The whole timeline, a page at a time; htmx appends the older entries in place of the "show older" link."""
    organization = get_organization_for_user(request.user, pk, internal=True)
    timeline = timeline_page(organization, number=request.GET.get("page"))
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "partners/organization_timeline.html#page" if fragment else "partners/organization_timeline.html"
    return render(request, template, {"organization": organization, "timeline": timeline})


@require_GET
def contact_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every contact of the group, a page at a time: the profile shows only the first ones."""
    organization = get_organization_for_user(request.user, pk)
    page = Paginator(organization_contacts(organization=organization), CONTACT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "partners/contact_list.html", {"organization": organization, "page": page})


def _save_organization(
    request: AuthenticatedHttpRequest, form: OrganizationForm, channels: ChannelForms
) -> Organization:
    with transaction.atomic():
        organization = services.organization_save(
            user=request.user,
            organization=form.instance,
            focus_area_names=form.cleaned_data["focus_areas_text"],
            changed_fields=form.changed_profile_fields(),
        )
        channels.instance = organization
        channels.save()
    return organization


@require_http_methods(["GET", "POST"])
@facilitator_required
def organization_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None)
    channels = ChannelFormSet(request.POST or None, prefix="channels")
    duplicates = []
    if request.method == "POST" and form.is_valid() and channels.is_valid():
        duplicates = form.duplicates_to_confirm()
        if not duplicates:
            organization = _save_organization(request, form, channels)
            messages.success(request, _("%(name)s was added to the directory.") % {"name": organization.name})
            return redirect("partners:organization_detail", pk=organization.pk)
    context = {"form": form, "channels": channels, "duplicates": duplicates, "creating": True}
    return render(request, "partners/organization_form.html", context)


@require_http_methods(["GET", "POST"])
def organization_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, pk, write=True)
    form = OrganizationForm(request.POST or None, instance=organization)
    channels = ChannelFormSet(request.POST or None, instance=organization, prefix="channels")
    if request.method == "POST" and form.is_valid() and channels.is_valid():
        _save_organization(request, form, channels)
        messages.success(request, _("Changes saved."))
        return redirect("partners:organization_detail", pk=organization.pk)
    return render(
        request, "partners/organization_form.html", {"form": form, "channels": channels, "organization": organization}
    )


@require_http_methods(["GET", "POST"])
def organization_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, pk, write=True)
    if request.method == "POST":
        services.organization_archive(user=request.user, organization=organization)
        messages.success(
            request, _("%(name)s is archived. You can restore it from its profile.") % {"name": organization.name}
        )
        return redirect("partners:directory")
    return render(request, "partners/organization_archive.html", {"organization": organization})


@require_POST
def organization_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, pk, write=True)
    services.organization_restore(user=request.user, organization=organization)
    messages.success(request, _("%(name)s is back in the directory.") % {"name": organization.name})
    return redirect("partners:organization_detail", pk=organization.pk)


@require_http_methods(["GET", "POST"])
def organization_stage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, pk, write=True)
    form = StageForm(request.POST or None, initial={"stage": organization.stage})
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_set_stage(user=request.user, organization=organization, **form.cleaned_data)
        except services.PartnerRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Relationship stage changed."))
            return redirect("partners:organization_detail", pk=organization.pk)
    return render(request, "partners/stage_form.html", {"form": form, "organization": organization})


@require_http_methods(["GET", "POST"])
def contact_form(request: AuthenticatedHttpRequest, pk: int, contact_pk: int | None = None) -> HttpResponse:
    # An edit checks the right to write on the contact, after its 404 for another group's contact.
    organization = get_organization_for_user(request.user, pk, write=contact_pk is None)
    contact = (
        get_contact_for_user(request.user, organization, contact_pk, write=True)
        if contact_pk
        else Contact(organization=organization)
    )
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_save(user=request.user, contact=form.instance, changed_fields=form.changed_data)
        except services.PartnerRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Contact saved."))
            return redirect("partners:organization_detail", pk=organization.pk)
    return render(
        request, "partners/contact_form.html", {"form": form, "organization": organization, "contact": contact}
    )


@require_GET
def contact_export(request: AuthenticatedHttpRequest, pk: int, contact_pk: int) -> JsonResponse:
    organization = get_organization_for_user(request.user, pk)  # write: checked on the contact, after its 404
    contact = get_contact_for_user(request.user, organization, contact_pk, write=True)
    response = JsonResponse(services.contact_export(contact), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.json"'
    return response


@require_http_methods(["GET", "POST"])
def contact_erase(request: AuthenticatedHttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, pk)  # write: checked on the contact, after its 404
    contact = get_contact_for_user(request.user, organization, contact_pk, write=True)
    if request.method == "POST":
        services.contact_erase(user=request.user, contact=contact)
        messages.success(request, _("The person's personal data was erased."))
        return redirect("partners:organization_detail", pk=organization.pk)
    return render(request, "partners/contact_erase.html", {"organization": organization, "contact": contact})


@require_http_methods(["GET", "POST"])
def leader_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, pk, write=True)
    form = LeaderForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.leadership_change(
                user=request.user,
                organization=organization,
                leader=form.cleaned_data["leader"],
                new_leader_name=form.cleaned_data["new_leader_name"],
                title=form.cleaned_data["title"],
                started_on=form.cleaned_data["started_on"],
            )
        except services.PartnerRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("New leader recorded."))
            return redirect("partners:organization_detail", pk=organization.pk)
    return render(request, "partners/leader_form.html", {"form": form, "organization": organization})


@require_http_methods(["GET", "POST"])
def interaction_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, pk, write=True)
    key = submission_keys.key_of(request.POST) if request.method == "POST" else ""
    if interaction_submitted(organization, key):
        # Sent again (a phone's queue, a double tap): the interaction is logged once.
        messages.info(request, _("This interaction was logged already."))
        return redirect("partners:organization_detail", pk=organization.pk)
    form = InteractionForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data | {"submission_key": key}  # the checked key, not what was posted
        try:
            services.interaction_record(user=request.user, organization=organization, **data)
        except (IntegrityError, ValidationError) as error:
            # The same key, sent twice at once: the other request logged it.
            if interaction_submitted(organization, key):
                messages.info(request, _("This interaction was logged already."))
                return redirect("partners:organization_detail", pk=organization.pk)
            if isinstance(error, ValidationError):
                form.add_error(None, error)
            else:
                form.add_error(None, _("This form was sent already for another organization: open the form again."))
        else:
            messages.success(request, _("Interaction logged."))
            return redirect("partners:organization_detail", pk=organization.pk)
    return render(request, "partners/interaction_form.html", {"form": form, "organization": organization})
