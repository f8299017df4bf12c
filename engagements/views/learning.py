"""The learning log: a partnership's lessons, writing one, its page, and the search across partnerships.

Facilitators read and write every lesson. A partner member reads the lessons
of their own partnerships that were shared with the partners, from the
partnership's page; the search across partnerships is for facilitators.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import facilitator_required
from accounts.http import AuthenticatedHttpRequest, query_without_page
from accounts.page_cache import cached_page
from accounts.paging import OneQueryPaginator
from engagements import errors, selectors, services
from engagements.access import get_lesson_for_user, get_partnership_for_user
from engagements.forms.learning import LessonFilterForm, LessonForm, LessonSearchForm
from engagements.models import Lesson, Partnership

PAGE_SIZE = 20


@require_GET
@cached_page
def lesson_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    filters = LessonFilterForm(request.GET or None)
    query = filters.lesson_query()
    lessons = selectors.learning.lessons_of(user=request.user, partnership=partnership, query=query)
    context = {
        "partnership": partnership,
        "filters": filters,
        "lesson_query": query,
        "page": Paginator(lessons, PAGE_SIZE).get_page(request.GET.get("page")),
        "tags": selectors.learning.tags_in_use(user=request.user, partnership=partnership),
        "query": query_without_page(request),
    }
    return render(request, "engagements/learning/lesson_list.html", context)


def _lesson_form(request: AuthenticatedHttpRequest, partnership: Partnership, lesson: Lesson) -> HttpResponse:
    """The shared shape of recording and editing: validate, save through the service, back to the lesson."""
    form = LessonForm(request.POST or None, instance=lesson, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        created = lesson.pk is None
        try:
            lesson = services.learning.lesson_save(user=request.user, lesson=form.instance, **form.links())
        except errors.EngagementRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Lesson recorded.") if created else _("Lesson saved."))
            return redirect("engagements:lesson_detail", pk=partnership.pk, lesson_pk=lesson.pk)
    context = {"form": form, "partnership": partnership, "lesson": lesson}
    return render(request, "engagements/learning/lesson_form.html", context)


@require_http_methods(["GET", "POST"])
def lesson_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk, write=True)
    return _lesson_form(request, partnership, Lesson(partnership=partnership))


@require_http_methods(["GET", "POST"])
def lesson_edit(request: AuthenticatedHttpRequest, pk: int, lesson_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)  # write: checked on the lesson, after its 404
    lesson = get_lesson_for_user(request.user, partnership, lesson_pk, write=True)
    return _lesson_form(request, partnership, lesson)


@require_GET
def lesson_detail(request: AuthenticatedHttpRequest, pk: int, lesson_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, pk)
    lesson = get_lesson_for_user(request.user, partnership, lesson_pk)
    context = {"partnership": partnership, "lesson": lesson, "links": selectors.learning.lesson_links(lesson)}
    return render(request, "engagements/learning/lesson_detail.html", context)


@require_http_methods(["GET", "POST"])
def lesson_delete(request: AuthenticatedHttpRequest, pk: int, lesson_pk: int) -> HttpResponse:
    """Asks first: a removed lesson is gone from the log (its history keeps what it said)."""
    partnership = get_partnership_for_user(request.user, pk)  # write: checked on the lesson, after its 404
    lesson = get_lesson_for_user(request.user, partnership, lesson_pk, write=True)
    if request.method == "GET":
        return render(
            request, "engagements/learning/lesson_delete.html", {"partnership": partnership, "lesson": lesson}
        )
    services.learning.lesson_delete(user=request.user, lesson=lesson)
    messages.success(request, _("Lesson removed."))
    return redirect("engagements:lesson_list", pk=partnership.pk)


@require_GET
@facilitator_required
@cached_page
def learning_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every partnership's lessons, searched by words, kind and tag."""
    form = LessonSearchForm(request.GET or None)
    query = form.lesson_query()
    lessons = selectors.learning.lesson_search(user=request.user, query=query)
    context = {
        "form": form,
        "lesson_query": query,
        # A ranked search reads every match anyway: its count comes with the page.
        "page": (OneQueryPaginator if query.text.strip() else Paginator)(lessons, PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "tags": selectors.learning.tags_in_use(user=request.user),
        "query": query_without_page(request),
    }
    return render(request, "engagements/learning/learning_search.html", context)
