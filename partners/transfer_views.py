"""CSV export of the directory and CSV import with a preview."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.access import facilitator_required
from accounts.http import AuthenticatedHttpRequest
from accounts.page_cache import cached_download
from partners import transfer
from partners.selectors import organization_directory
from partners.views import directory_query

# The forms live here rather than in partners/forms.py because they only
# carry a file and the checked text between the two steps of this page.


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Saved as CSV from Excel, LibreOffice or Google Sheets, column names in the first row; at most 5 MB."
        ),
        allow_empty_file=True,  # read_csv_upload says so in its own words
        error_messages={"required": _("Choose a CSV file to check.")},
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> str:
        try:
            return transfer.read_csv_upload(self.cleaned_data["file"])
        except transfer.ImportFileError as error:
            raise forms.ValidationError(str(error)) from None


class RowNumbersField(forms.Field):
    """Row numbers from a group of checkboxes of the same name."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Iterable[str] | None) -> frozenset[int]:
        try:
            return frozenset(int(number) for number in value or ())
        except (TypeError, ValueError):
            raise forms.ValidationError(_("The rows to skip could not be read. Upload the file again.")) from None


class ImportConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)
    # The preview's checkboxes, one per possible duplicate, ticked at first;
    # an untick sends nothing, so a row missing here is imported.
    skip = RowNumbersField(required=False)

    def clean_payload(self) -> transfer.ImportPlan:
        try:
            return transfer.plan_from_payload(self.cleaned_data["payload"])
        except transfer.ImportFileError as error:
            raise forms.ValidationError(str(error)) from None


@require_GET
@facilitator_required
@cached_download
def directory_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    _form, query = directory_query(request)
    organizations = organization_directory(user=request.user, query=query)
    response = StreamingHttpResponse(transfer.directory_csv(organizations), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="organizations-{timezone.localdate():%Y-%m-%d}.csv"'
    add_never_cache_headers(response)
    return response


def _render_import(request: AuthenticatedHttpRequest, context: dict[str, object]) -> HttpResponse:
    # A history restore (htmx found no snapshot for Back) sends HX-Request too, and needs the whole page.
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "partners/import.html#importer" if fragment else "partners/import.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@facilitator_required
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def organization_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST" and "payload" in request.POST:
        return _import_confirmed(request)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    context: dict[str, object] = {"form": form}
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["file"]
        try:
            check = transfer.organizations_check(text=text)
            if check.is_valid:
                preview = transfer.import_preview(check)
                payload = transfer.import_payload(text=text, preview=preview)
                context |= {"preview": preview, "confirm": ImportConfirmForm(initial={"payload": payload})}
            context["check"] = check
        except transfer.ImportFileError as error:
            form.add_error("file", str(error))
    return _render_import(request, context)


def _import_confirmed(request: AuthenticatedHttpRequest) -> HttpResponse:
    confirm = ImportConfirmForm(request.POST)
    context: dict[str, object] = {"form": ImportUploadForm(), "confirm": confirm}
    if confirm.is_valid():
        skip = confirm.cleaned_data["skip"]
        try:
            saved = transfer.organizations_import(user=request.user, plan=confirm.cleaned_data["payload"], skip=skip)
        except transfer.ImportFileError as error:
            confirm.add_error("payload", str(error))
        except transfer.ImportRejected as rejected:
            context["check"] = rejected.check
        else:
            _report_import(request, imported=len(saved), skipped=len(skip))
            url = reverse("partners:directory") + "?sort=updated"
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return _render_import(request, context)


def _report_import(request: AuthenticatedHttpRequest, *, imported: int, skipped: int) -> None:
    if imported:
        messages.success(
            request,
            ngettext("%(count)s organization was imported.", "%(count)s organizations were imported.", imported)
            % {"count": imported},
        )
    else:
        messages.info(request, _("Nothing was imported: every row was skipped."))
    if skipped:
        messages.info(
            request,
            ngettext(
                "%(count)s possible duplicate was skipped.", "%(count)s possible duplicates were skipped.", skipped
            )
            % {"count": skipped},
        )
