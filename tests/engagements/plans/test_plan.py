from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements import errors, services
from engagements.models import Activity, ActivityRole, PlanRevision
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory


@pytest.fixture
def partnership(facilitator, org_a):
    return build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory(), OrganizationFactory()])


def accountable(activity: Activity) -> list[str]:
    return list(
        ActivityRole.objects.filter(activity=activity, role="A").values_list("member__organization__name", flat=True)
    )


@pytest.mark.django_db
def test_it_needs_exactly_one_accountable_member_per_activity(facilitator, partnership) -> None:
    members = list(partnership.members.all())
    client = client_for(facilitator)
    base = {"title": "Pelatihan", "status": "planned"}
    none = client.post(f"/partnerships/{partnership.pk}/activities/new/", base | {f"role_{members[0].pk}": "R"})
    two = client.post(
        f"/partnerships/{partnership.pk}/activities/new/",
        base | {f"role_{members[0].pk}": "A", f"role_{members[1].pk}": "A"},
    )
    assert "exactly one accountable" in none.content.decode()
    assert "exactly one accountable" in two.content.decode()
    assert not Activity.objects.filter(title="Pelatihan").exists()


@pytest.mark.django_db
def test_it_moves_the_accountable_role_when_another_member_takes_it(facilitator, partnership) -> None:
    activity = partnership.activities.first()
    lead, _member, supporter = partnership.members.order_by("pk")
    response = client_for(facilitator).post(
        f"/partnerships/{partnership.pk}/activities/{activity.pk}/roles/{supporter.pk}/", {"role": "A"}
    )
    assert response.status_code == 302
    assert accountable(activity) == [supporter.organization.name]
    assert ActivityRole.objects.get(activity=activity, member=lead).role == "R"


@pytest.mark.django_db
def test_it_refuses_to_leave_an_activity_without_accountable_and_says_so_in_place(facilitator, partnership) -> None:
    activity = partnership.activities.first()
    lead = partnership.members.get(role="lead")
    response = client_for(facilitator).post(
        f"/partnerships/{partnership.pk}/activities/{activity.pk}/roles/{lead.pk}/",
        {"role": "C"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Every activity needs one accountable member" in html
    assert "<html" not in html  # the cell only
    assert accountable(activity) == [lead.organization.name]


@pytest.mark.django_db
def test_it_agrees_a_plan_as_revision_1_and_shows_later_changes_against_it(facilitator, partnership) -> None:
    client = client_for(facilitator)
    client.post(f"/partnerships/{partnership.pk}/plan/agree/", {"summary": "Disepakati di balai desa"})
    revision = PlanRevision.objects.get()
    assert (revision.number, revision.agreed_by) == (1, facilitator)
    assert len(revision.snapshot["activities"]) == 5
    assert "RAHASIA" not in str(revision.snapshot)

    activity = partnership.activities.get(title="Kegiatan 2")
    client.post(f"/partnerships/{partnership.pk}/activities/{activity.pk}/status/", {"status": "in_progress"})
    html = client.get(f"/partnerships/{partnership.pk}/plan/").content.decode()
    assert "Changed since revision 1" in html
    assert "Changed: Kegiatan 2" in html
    assert "Planned → In progress" in html

    client.post(f"/partnerships/{partnership.pk}/plan/agree/", {"summary": "Revisi kedua"})
    assert list(PlanRevision.objects.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert "Nothing has changed since then." in client.get(f"/partnerships/{partnership.pk}/plan/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), [("en", "1 February 2026 → 24 December 2026"),
                                                    ("id", "1 Februari 2026 → 24 Desember 2026")])  # fmt: skip
def test_it_writes_the_dates_of_the_plan_diff_in_the_readers_language(facilitator, partnership, language, expected):
    services.plans.plan_agree(user=facilitator, partnership=partnership, summary="Sepakat")
    activity = partnership.activities.get(title="Kegiatan 1")
    activity.due_date = datetime.date(2026, 12, 24)
    services.plans.activity_save(user=facilitator, activity=activity, changed_fields=["due_date"])
    facilitator.language = language
    facilitator.save()
    html = client_for(facilitator).get(f"/partnerships/{partnership.pk}/plan/").content.decode()
    assert expected in html
    assert "2026-12-24" not in html.replace('datetime="2026-12-24"', "")


@pytest.mark.django_db
def test_it_refuses_to_agree_an_empty_plan(facilitator, org_a) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a], activities=0)
    with pytest.raises(errors.EngagementRuleError):
        services.plans.plan_agree(user=facilitator, partnership=partnership, summary="x")
    assert not PlanRevision.objects.exists()


@pytest.mark.django_db
def test_it_lists_the_activities_of_one_member(facilitator, partnership) -> None:
    supporter = partnership.members.get(role="supporter")
    response = client_for(facilitator).get(f"/partnerships/{partnership.pk}/plan/", {"member": supporter.pk})
    assert [role for _, role in response.context["member_activities"]] == ["I"] * 5


@pytest.mark.django_db
def test_the_roles_matrix_shows_50_activities_a_page_in_due_date_order(facilitator, org_a) -> None:
    partnership = build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=120)
    client = client_for(facilitator)
    path = f"/partnerships/{partnership.pk}/plan/"

    first, third, nonsense = (client.get(path, query) for query in ({}, {"page": "3"}, {"page": "x<script>"}))

    assert [len(response.context["matrix"]) for response in (first, third, nonsense)] == [50, 20, 50]
    html = first.content.decode()
    assert "Activities 1\u201350 of 120, by due date." in html
    assert 'href="?page=2" rel="next"' in html
    dates = [row.activity.due_date for row in first.context["matrix"] + third.context["matrix"]]
    assert dates == sorted(dates, key=lambda date: (date is None, date))
    assert "Activities 101\u2013120 of 120" in third.content.decode()


@pytest.mark.django_db
def test_a_members_list_shows_its_first_50_activities_and_says_how_many_there_are(facilitator, org_a) -> None:
    organizations = [org_a, OrganizationFactory(), OrganizationFactory()]
    partnership = build_partnership(user=facilitator, organizations=organizations, activities=60)
    supporter = partnership.members.get(role="supporter")

    response = client_for(facilitator).get(f"/partnerships/{partnership.pk}/plan/", {"member": supporter.pk})

    assert len(response.context["member_activities"]) == 50
    assert "The first 50 of 60, by due date" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("activities", [5, 200])
def test_it_costs_the_same_queries_at_5_and_200_activities(facilitator, partner_a, org_a, activities: int) -> None:
    partnership = build_partnership(
        user=facilitator, organizations=[org_a, OrganizationFactory(), OrganizationFactory()], activities=activities
    )
    goal = partnership.goals.get()
    services.plans.plan_agree(user=facilitator, partnership=partnership, summary="r1")
    pages = {
        "plan": (facilitator, f"/partnerships/{partnership.pk}/plan/"),
        "detail": (facilitator, f"/partnerships/{partnership.pk}/"),
        "history": (facilitator, f"/partnerships/{partnership.pk}/history/"),
        "goal": (facilitator, f"/partnerships/{partnership.pk}/goals/{goal.pk}/"),
        "portal": (partner_a, f"/partnerships/{partnership.pk}/"),
        "portal plan": (partner_a, f"/partnerships/{partnership.pk}/plan/"),
        "our partnerships": (partner_a, "/our-partnerships/"),
    }
    counts = {}
    for name, (user, path) in pages.items():
        client = client_for(user)
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts[name] = len(queries)
    assert counts == EXPECTED_QUERIES


# Session, user and role groups, then each page's own fixed set of queries; the
# detail page's change history reads two queries per kind of record (the rows,
# then their predecessors: 13 kinds with risks and lessons, 26); the
# partnership page's printable summary reads 7 (commitments open and closed, the
# latest log entries, one per kind of subject).
# The partnership page: + the risk panel (its flags, 6, and the open risks, 1) and the learning panel (1);
# the portal: + the risk counts and the shared lessons. Fixed, if heavy: the scale issue takes it on.
# The partnership page: + the health panel (its facts, 7, and 90 days of snapshots, 1) and the
# health-check panel (1); the portal: + the health-check panel (1).
# The partnership page: + risks and lessons in its change history (2); the portal: + the
# health panel (its facts, 7, and the snapshots, 1).
# (With a check-in rhythm, the partnership page also reads the people to remind on WhatsApp: 1 more.)
# The plan pages: + the count of the roles matrix's pages (1). The portal no
# longer reads the whole plan (2) but its first rows: upcoming (rows, count),
# ours and the others (rows, roles, count each): 8. The change history moved
# off the partnership page (27) to its own, fetched when it scrolls into view.
EXPECTED_QUERIES = {
    "plan": 11,
    "detail": 42,
    "history": 31,
    "goal": 7,
    "portal": 38,
    "portal plan": 11,
    "our partnerships": 6,
}
