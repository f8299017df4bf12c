"""A record of another group answers 404 on every route that names it, under a parent the user may see.

The permission matrices check a parent the user may not see (partner B on
partnership A). Here the parent is one the user may open, partnership A or
organization A, and the record in the URL belongs to another partnership or
organization: a goal, member, share link, check-in, activity, commitment,
risk, automatic flag, lesson, contact or reminder of B. The access helpers
look each record up within its parent, so the answer is 404, for a
facilitator as for A's own partner member (who would otherwise learn from a
403 that the number names something), and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import User
from engagements import selectors, services
from engagements.domain.health_checks import SLUGS as HEALTH_CHECK_SLUGS
from engagements.models import CheckIn, Commitment, Lesson, Partnership, Reminder, Risk
from partners.models import Contact, Organization
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory, make_facilitator
from tests.test_permission_matrix import url_value_of
from tests.test_permission_matrix_post import POST_URL_NAMES

NOT_FOUND = 404


@dataclass(frozen=True)
class Route:
    url_name: str
    # URL kwarg -> the record it names: "a" records belong to partnership /
    # organization A, "b" ones to another partnership or organization.
    kwargs: dict[str, str]
    method: str = "get"
    payload: dict[str, str] = field(default_factory=dict)
    partner_member_too: bool = True  # a partner member of A reaches the view at all


P_A = {"pk": "partnership_a"}
# Payloads that an allowed user's post would save, were the record theirs.
RISK_DATA = {
    "category": "funding",
    "title": "Diubah",
    "likelihood": "3",
    "impact": "3",
    "owner_side": "facilitators",
    "status": "open",
}
LESSON_DATA = {"kind": "lesson", "title": "Diubah", "body": "x", "happened_on": "2026-01-05", "tags": ""}
HEALTH_CHECK_ANSWERS = {f"score_{slug}": "4" for slug in HEALTH_CHECK_SLUGS}
ROUTES = [
    Route("engagements:member_remove", P_A | {"member_pk": "member_b"}),
    Route("engagements:member_remove", P_A | {"member_pk": "member_b"}, "post"),
    Route("engagements:goal_detail", P_A | {"goal_pk": "goal_b"}),
    Route("engagements:goal_edit", P_A | {"goal_pk": "goal_b"}),
    Route("engagements:goal_edit", P_A | {"goal_pk": "goal_b"}, "post", {"statement": "Diubah"}),
    Route(
        "engagements:progress_add",
        P_A | {"goal_pk": "goal_b"},
        "post",
        {"value": "10", "measured_on": "2026-03-01", "note": "x"},
    ),
    Route("engagements:goal_status", P_A | {"goal_pk": "goal_b"}, "post", {"status_override": "achieved"}),
    Route("engagements:share_link_revoke", P_A | {"link_pk": "share_link_b"}, "post"),
    Route("engagements:check_in_detail", P_A | {"check_in_pk": "check_in_b"}),
    Route("engagements:next_step_to_activity", P_A | {"check_in_pk": "check_in_b", "step": "0"}, "post"),
    Route("engagements:activity_edit", P_A | {"activity_pk": "activity_b"}),
    Route(
        "engagements:activity_edit",
        P_A | {"activity_pk": "activity_b"},
        "post",
        {"title": "Diubah", "due_date": "2026-03-01", "status": "planned"},
    ),
    Route("engagements:activity_status", P_A | {"activity_pk": "activity_b"}, "post", {"status": "done"}),
    Route(
        "engagements:role_cell",
        P_A | {"activity_pk": "activity_b", "member_pk": "member_a"},
        "post",
        {"role": "C"},
    ),
    Route(
        "engagements:role_cell",
        P_A | {"activity_pk": "activity_a", "member_pk": "member_b"},
        "post",
        {"role": "C"},
    ),
    Route("engagements:trust_entry_correct", P_A | {"entry_pk": "trust_entry_b"}),
    Route("engagements:trust_entry_correct", P_A | {"entry_pk": "trust_entry_b"}, "post", {"shared_text": "x"}),
    Route("engagements:commitment_detail", P_A | {"commitment_pk": "commitment_b"}),
    Route("engagements:commitment_mark_kept", P_A | {"commitment_pk": "commitment_b"}, "post"),
    Route("engagements:commitment_confirm", P_A | {"commitment_pk": "commitment_b"}, "post"),
    Route("engagements:commitment_dispute", P_A | {"commitment_pk": "commitment_b"}, "post", {"note": "x"}),
    Route("engagements:commitment_withdraw", P_A | {"commitment_pk": "commitment_b"}, "post", {"reason": "x"}),
    Route("engagements:commitment_mark_broken", P_A | {"commitment_pk": "commitment_b"}, "post", {"reason": "x"}),
    Route("engagements:commitment_renegotiate", P_A | {"commitment_pk": "commitment_b"}),
    Route(
        "engagements:commitment_renegotiate",
        P_A | {"commitment_pk": "commitment_b"},
        "post",
        {"due_on": "2027-01-01", "reason": "x"},
    ),
    Route(
        "engagements:check_in_line_to_commitment", P_A | {"check_in_pk": "check_in_b", "kind": "next_step", "line": "0"}
    ),
    Route(
        "engagements:check_in_line_to_commitment",
        P_A | {"check_in_pk": "check_in_b", "kind": "next_step", "line": "0"},
        "post",
        {
            "promised_by_side": "facilitators",
            "text": "x",
            "promised_to_side": "all_members",
            "due_on": "2027-01-01",
            "origin": "check_in",
        },
    ),
    Route("engagements:risk_detail", P_A | {"risk_pk": "risk_b"}),
    Route("engagements:risk_edit", P_A | {"risk_pk": "risk_b"}),
    Route("engagements:risk_edit", P_A | {"risk_pk": "risk_b"}, "post", RISK_DATA),
    Route("engagements:risk_close", P_A | {"risk_pk": "risk_b"}),
    Route("engagements:risk_close", P_A | {"risk_pk": "risk_b"}, "post"),
    # A flag is named by its key: B's is no flag of A, and even A's partner
    # member (refused every flag, 403) meets the 404 first.
    Route("engagements:flag_acknowledge", P_A | {"key": "flag_b"}),
    Route("engagements:flag_acknowledge", P_A | {"key": "flag_b"}, "post", {"note": "x"}),
    Route("engagements:flag_to_risk", P_A | {"key": "flag_b"}),
    Route("engagements:flag_to_risk", P_A | {"key": "flag_b"}, "post", RISK_DATA),
    # B's lesson is shared with its partners: only its partnership hides it.
    Route("engagements:lesson_detail", P_A | {"lesson_pk": "lesson_b"}),
    Route("engagements:lesson_edit", P_A | {"lesson_pk": "lesson_b"}),
    Route("engagements:lesson_edit", P_A | {"lesson_pk": "lesson_b"}, "post", LESSON_DATA),
    Route("engagements:lesson_delete", P_A | {"lesson_pk": "lesson_b"}),
    Route("engagements:lesson_delete", P_A | {"lesson_pk": "lesson_b"}, "post"),
    Route("engagements:health_check_results", P_A | {"round_pk": "health_round_b"}),
    Route("engagements:health_check_answer", P_A | {"round_pk": "health_round_b"}),
    Route("engagements:health_check_answer", P_A | {"round_pk": "health_round_b"}, "post", HEALTH_CHECK_ANSWERS),
    Route("engagements:health_check_close", P_A | {"round_pk": "health_round_b"}),
    Route("engagements:health_check_close", P_A | {"round_pk": "health_round_b"}, "post"),
    # Facilitators only (a role guard answers partner members first); the
    # reminder belongs to a partnership another facilitator runs.
    Route("engagements:reminder_retry", {"reminder_pk": "reminder_b"}, "post", partner_member_too=False),
    Route("partners:contact_edit", {"pk": "org_a", "contact_pk": "contact_b"}),
    Route("partners:contact_edit", {"pk": "org_a", "contact_pk": "contact_b"}, "post", {"name": "Diubah"}),
    Route("partners:contact_export", {"pk": "org_a", "contact_pk": "contact_b"}),
    Route("partners:contact_erase", {"pk": "org_a", "contact_pk": "contact_b"}),
    Route("partners:contact_erase", {"pk": "org_a", "contact_pk": "contact_b"}, "post"),
]
CASES = [
    (route, role)
    for route in ROUTES
    for role in ("facilitator", "partner_a")
    if route.partner_member_too or role == "facilitator"
]


@pytest.fixture
def partnership_a(facilitator: User, org_a: Organization) -> Partnership:
    return build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=1)


@pytest.fixture
def partnership_b(facilitator: User, org_b: Organization) -> Partnership:
    """Another partnership of the same facilitator, which organization A is not part of."""
    return build_partnership(user=facilitator, organizations=[org_b, OrganizationFactory()], activities=1, title="B")


@pytest.fixture
def records(facilitator: User, org_a: Organization, org_b: Organization, partnership_a, partnership_b) -> dict:
    check_in = CheckIn(partnership=partnership_b, held_at=timezone.now(), channel="phone", summary="x", next_steps="a")
    org_b.funding_stability = "irregular"  # raises a flag of partnership B
    org_b.save()
    other_facilitator = make_facilitator(username="fasilitator_lain")
    partnership_c = build_partnership(user=other_facilitator, organizations=[OrganizationFactory()], activities=0)
    return {
        "partnership_a": partnership_a,
        "org_a": org_a,
        "member_a": partnership_a.members.get(organization=org_a),
        "activity_a": partnership_a.activities.get(),
        "member_b": partnership_b.members.get(organization=org_b),
        "goal_b": partnership_b.goals.get(),
        "activity_b": partnership_b.activities.get(),
        "share_link_b": services.sharing.share_link_create(
            user=facilitator, partnership=partnership_b, expires_on=timezone.localdate() + timezone.timedelta(days=30)
        ),
        "check_in_b": services.checkins.check_in_record(user=facilitator, check_in=check_in),
        "trust_entry_b": partnership_b.trust_entries.order_by("sequence").first(),
        "commitment_b": services.commitments.commitment_make(
            user=facilitator,
            commitment=Commitment(partnership=partnership_b, promised_by=org_b, text="x", due_on=timezone.localdate()),
        ),
        "risk_b": services.risks.risk_save(
            user=facilitator, risk=Risk(partnership=partnership_b, category="funding", title="Kas menipis")
        ),
        "flag_b": next(flag for flag in selectors.risks.flags_of(partnership_b) if flag.organization == org_b),
        "lesson_b": services.learning.lesson_save(
            user=facilitator,
            lesson=Lesson(
                partnership=partnership_b,
                title="Rapat malam lebih ramai",
                body="x",
                shared_with_partners=True,
                happened_on=timezone.localdate() - timezone.timedelta(days=1),
            ),
        ),
        "health_round_b": services.health_checks.health_check_open(
            user=facilitator, partnership=partnership_b, closes_on=timezone.localdate() + timezone.timedelta(days=14)
        ),
        "contact_b": Contact.objects.create(organization=org_b, name="Pak Budi", email="budi@example.org"),
        "reminder_b": Reminder.objects.create(
            partnership=partnership_c,
            kind="checkin_due",
            subject_type="checkin",
            subject_id=1,
            occurrence="x",
            recipient_key=f"user:{other_facilitator.pk}",
            user=other_facilitator,
            email="lain@example.org",
            due_on=timezone.localdate(),
            status="failed",
        ),
    }


def database_rows() -> dict[str, list[dict]]:
    """Every row of the apps' own tables, to show that a refused request changed nothing."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for app in ("engagements", "partners")
        for model in apps.get_app_config(app).get_models()
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "role"), CASES, ids=[f"{r.url_name}-{r.method}-{'-'.join(r.kwargs.values())}-{role}" for r, role in CASES]
)
def test_it_answers_404_for_a_record_of_another_group(
    route: Route, role: str, records: dict, request: pytest.FixtureRequest
) -> None:
    client = client_for(request.getfixturevalue(role))
    kwargs = {
        name: url_value_of(name, records[value]) if value in records else value for name, value in route.kwargs.items()
    }
    url = reverse(route.url_name, kwargs=kwargs)
    before = database_rows()
    response = getattr(client, route.method)(url, route.payload)
    assert response.status_code == NOT_FOUND
    assert database_rows() == before


def _routes_naming_a_record(patterns: list, namespace: str = "") -> dict[str, set[str]]:
    """URL names whose route names a record under its parent or on its own, with those kwargs.

    A stored record is a `<int:..._pk>`; an automatic flag, computed when asked, a `<slug:key>`.
    """
    found: dict[str, set[str]] = {}
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found |= _routes_naming_a_record(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            records = {name for name in pattern.pattern.converters if name.endswith("_pk") or name == "key"}
            if records:
                found[f"{namespace}{pattern.name}"] = records
    return found


def test_it_checks_every_route_that_names_a_record() -> None:
    missing = set(_routes_naming_a_record(get_resolver().url_patterns)) - {route.url_name for route in ROUTES}
    assert not missing, f"Routes naming a record without a case here: {sorted(missing)}"


# Routes that a role guard closes to partner members before any record is looked up (403 for all of them,
# whatever the number): the record is never reached, so nothing can leak through it.
FACILITATOR_ONLY_ROUTES = {"engagements:reminder_retry"}


def test_it_posts_a_record_of_another_group_to_every_write_route_in_each_of_its_places() -> None:
    """Every route that accepts POST (the POST matrix's rows) is posted to with each record it names foreign."""
    posted = {
        (route.url_name, kwarg)
        for route in ROUTES
        if route.method == "post"
        for kwarg, record in route.kwargs.items()
        if record.endswith("_b")
    }
    routes = _routes_naming_a_record(get_resolver().url_patterns)
    missing = sorted(
        f"{name} with a foreign {kwarg}"
        for name in POST_URL_NAMES & set(routes)
        for kwarg in routes[name]
        if (name, kwarg) not in posted
    )
    assert not missing, f"Write routes never posted with a record of another group: {missing}"
    unchecked = sorted(
        route.url_name
        for route in ROUTES
        if route.method == "post" and not route.partner_member_too and route.url_name not in FACILITATOR_ONLY_ROUTES
    )
    assert not unchecked, f"Write routes not posted to by a partner member of the parent: {unchecked}"


@pytest.mark.django_db
def test_it_does_not_prefill_an_invitation_with_a_person_of_another_group(facilitator: User, records: dict) -> None:
    partnership = records["partnership_a"]
    url = reverse("engagements:invitation_create", kwargs={"pk": partnership.pk})
    response = client_for(facilitator).get(url, {"contact": records["contact_b"].pk})
    assert response.status_code == 200
    assert response.context["form"].initial == {}
    assert "budi@example.org" not in response.content.decode()
