"""Views look records up through the access helpers and read through selectors: no ORM in a view.

One place decides who may see a record (``engagements.access``,
``partners.access``), so a view that queries on its own can forget the rule
and show another group's record. This walks the source of every view module
and fails on what only the ORM does:

- ``.objects`` (or a model's ``_default_manager``) anywhere;
- ``get_object_or_404`` / ``get_list_or_404``, which look a record up past the helpers;
- a queryset method (``.filter(``, ``.get(``, ``.order_by(``, ...) called on
  anything but the plain mappings a view reads its input from (listed in
  ALLOWED_RECEIVERS, each with its reason): on a related manager
  (``partnership.members.exists()``) as much as on a queryset a helper returned.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

VIEW_MODULES = sorted(
    [
        *(ROOT / "engagements" / "views").glob("*.py"),
        ROOT / "partners" / "views.py",
        ROOT / "partners" / "transfer_views.py",
        ROOT / "accounts" / "views.py",
    ]
)

MANAGER_ATTRIBUTES = {"objects", "_default_manager", "_base_manager"}
LOOKUP_SHORTCUTS = {"get_object_or_404", "get_list_or_404"}
QUERYSET_METHODS = {
    "aggregate",
    "all",
    "annotate",
    "bulk_create",
    "count",
    "create",
    "defer",
    "distinct",
    "earliest",
    "exclude",
    "exists",
    "extra",
    "filter",
    "first",
    "get",
    "get_or_create",
    "in_bulk",
    "iterator",
    "last",
    "latest",
    "none",
    "only",
    "order_by",
    "prefetch_related",
    "raw",
    "select_for_update",
    "select_related",
    "update_or_create",
    "values",
    "values_list",
}
# Receivers whose .get() and friends are dict access, not queries. Matched on
# the source text of the receiver, so `request.GET.get("page")` passes and
# `partnership.members.get(pk=...)` does not.
ALLOWED_RECEIVERS = {
    "request.GET": "the query string (a QueryDict)",
    "request.POST": "the submitted form fields (a QueryDict)",
    "request.FILES": "the uploaded files (a MultiValueDict)",
    "request.META": "the WSGI environ (a dict)",
    "request.COOKIES": "the cookies (a dict)",
    "request.headers": "the request headers (a case-insensitive mapping)",
    "form.cleaned_data": "a form's validated values (a dict)",
    "kwargs": "a view's keyword arguments (a dict)",
}


@dataclass(frozen=True)
class Query:
    path: str
    line: int
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code}"


def is_query(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in MANAGER_ATTRIBUTES
    if not isinstance(node, ast.Call):
        return False
    function = node.func
    if isinstance(function, ast.Name):
        return function.id in LOOKUP_SHORTCUTS
    return (
        isinstance(function, ast.Attribute)
        and function.attr in QUERYSET_METHODS
        and ast.unparse(function.value) not in ALLOWED_RECEIVERS
    )


def queries_in(source: str, name: str) -> list[Query]:
    """Each ORM expression once: a chain such as ``X.objects.filter().first()`` counts as one."""
    found = []

    def visit(node: ast.AST) -> None:
        if is_query(node):
            found.append(Query(name, node.lineno, ast.unparse(node)))
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source, filename=name))
    return found


def test_it_finds_every_view_module() -> None:
    names = {str(path.relative_to(ROOT)) for path in VIEW_MODULES}
    assert {"engagements/views/plans.py", "engagements/views/public.py", "partners/views.py"} <= names
    assert {"partners/transfer_views.py", "accounts/views.py"} <= names


@pytest.mark.parametrize(
    "code",
    [
        "Organization.objects.filter(pk=1)",
        "get_object_or_404(ShareLink, pk=1)",
        "partnership.members.exists()",
        "partnership.members.get(pk=member_pk)",
        "reminders_visible_to(user).order_by('-pk')",
        "activity.roles.filter(member=member).first()",
        "form.fields['contact'].queryset.filter(pk=1)",
        "data.get('q', '')",
    ],
)
def test_it_flags_orm_use(code: str) -> None:
    assert len(queries_in(f"def view(request):\n    {code}\n", "example.py")) == 1


@pytest.mark.parametrize(
    "code",
    [
        "request.GET.get('page')",
        "request.POST.get('next', '')",
        "request.COOKIES.get('django_language', '')",
        "form.cleaned_data.get('q')",
        "kwargs.get('pk')",
        "selectors.plans.plan_activities(partnership)",
    ],
)
def test_it_lets_plain_mapping_reads_through(code: str) -> None:
    assert queries_in(f"def view(request):\n    {code}\n", "example.py") == []


def test_it_finds_no_query_in_any_view() -> None:
    found = [
        query
        for path in VIEW_MODULES
        for query in queries_in(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert not found, (
        f"{len(found)} ORM uses in views; look records up with an access helper and read with a selector:\n"
        + "\n".join(f"  {query}" for query in found)
    )
