from __future__ import annotations

import pytest

from engagements.models import Activity
from tests.conftest import client_for
from tests.engagements.builders import add_activity, build_partnership
from tests.factories import OrganizationFactory


@pytest.fixture
def partnership(facilitator, org_a):
    """org_a leads (A on every activity); an extra activity gives org_a no R/A."""
    partnership = build_partnership(
        user=facilitator, organizations=[org_a, OrganizationFactory(), OrganizationFactory()]
    )
    lead, member, supporter = partnership.members.order_by("pk")
    add_activity(partnership, [member, supporter, lead], title="Laporan dana")  # org_a only informed
    return partnership


@pytest.mark.django_db
def test_it_shows_a_partner_member_their_responsibilities_first(partner_a, partnership) -> None:
    html = client_for(partner_a).get(f"/partnerships/{partnership.pk}/").content.decode()
    ours = html.index("What we are responsible for")
    rest = html.index("The rest of the plan")
    assert ours < html.index("Kegiatan 1") < rest < html.index("Laporan dana")


@pytest.mark.django_db
def test_it_lets_a_partner_member_mark_their_own_activity_done(partner_a, partnership) -> None:
    activity = partnership.activities.get(title="Kegiatan 1")
    response = client_for(partner_a).post(
        f"/partnerships/{partnership.pk}/activities/{activity.pk}/status/", {"status": "done", "next": "portal"}
    )
    assert response["Location"] == f"/partnerships/{partnership.pk}/"
    activity.refresh_from_db()
    assert activity.status == "done"


@pytest.mark.django_db
@pytest.mark.parametrize(("title", "status"), [("Laporan dana", "done"), ("Kegiatan 1", "cancelled")])
def test_it_refuses_any_other_write_by_a_partner_member(partner_a, partnership, title: str, status: str) -> None:
    activity = partnership.activities.get(title=title)
    response = client_for(partner_a).post(
        f"/partnerships/{partnership.pk}/activities/{activity.pk}/status/", {"status": status}
    )
    assert response.status_code == 403
    assert Activity.objects.get(pk=activity.pk).status == "planned"


@pytest.mark.django_db
def test_it_lists_the_partnerships_of_the_partner_members_group(partner_a, partner_b, partnership) -> None:
    assert partnership.title in client_for(partner_a).get("/our-partnerships/").content.decode()
    assert partnership.title not in client_for(partner_b).get("/our-partnerships/").content.decode()


@pytest.mark.django_db
def test_it_lists_late_and_soon_due_activities_on_the_facilitators_today_page(facilitator, partnership) -> None:
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    partnership.activities.filter(title="Kegiatan 1").update(due_date=today - datetime.timedelta(days=3))
    partnership.activities.filter(title="Kegiatan 2").update(due_date=today + datetime.timedelta(days=2))
    partnership.activities.exclude(title__in=["Kegiatan 1", "Kegiatan 2"]).update(
        due_date=today + datetime.timedelta(days=60)
    )
    partnership.activities.filter(title="Kegiatan 3").update(due_date=today, status="done")
    response = client_for(facilitator).get("/today/")
    assert [a.title for a in response.context["activities"]] == ["Kegiatan 1", "Kegiatan 2"]
    assert "Late" in response.content.decode()


@pytest.mark.django_db
def test_the_portal_lists_at_most_20_of_each_and_links_to_the_whole_plan(partner_a, facilitator, org_a) -> None:
    partnership = build_partnership(
        user=facilitator, organizations=[org_a, OrganizationFactory(), OrganizationFactory()], activities=25
    )
    lead, member, supporter = partnership.members.order_by("pk")
    for number in range(23):
        add_activity(partnership, [member, supporter, lead], title=f"Laporan {number}")  # org_a only informed

    response = client_for(partner_a).get(f"/partnerships/{partnership.pk}/")

    ours, others = response.context["our_activities"], response.context["other_activities"]
    assert (len(ours.items), ours.total, len(others.items), others.total) == (20, 25, 20, 23)
    html = response.content.decode()
    assert "and 5 more activities: see the whole plan" in html
    assert "and 3 more activities: see the whole plan" in html


@pytest.mark.django_db
def test_upcoming_puts_late_activities_first_then_by_due_date(facilitator, org_a) -> None:
    import datetime

    from engagements import selectors

    partnership = build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=0)
    members = list(partnership.members.order_by("pk"))
    today = datetime.date(2026, 12, 3)
    for title, due in [("undated", None), ("next week", 10), ("late", -3), ("tomorrow", 1), ("later", 40)]:
        add_activity(
            partnership, members, title=title, due=today + datetime.timedelta(days=due) if due is not None else None
        )

    shown, more = selectors.plans.upcoming(partnership, limit=3, today=today)

    assert [(activity.title, activity.is_late) for activity in shown] == [
        ("late", True),
        ("tomorrow", False),
        ("next week", False),
    ]
    assert more == 2
