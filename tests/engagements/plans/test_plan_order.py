"""The plan reads in the order things are due, and late work is marked for everyone."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from engagements import services
from engagements.models import Activity
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

TODAY = timezone.localdate()


@pytest.fixture
def partnership(facilitator, org_a):
    partnership = build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=0)
    members = list(partnership.members.order_by("pk"))
    for title, due in [
        ("Kedua", TODAY + datetime.timedelta(days=20)),
        ("Tanpa tanggal", None),
        ("Terlambat", TODAY - datetime.timedelta(days=3)),
        ("Pertama", TODAY + datetime.timedelta(days=2)),
    ]:
        services.plans.activity_save(
            user=facilitator,
            activity=Activity(partnership=partnership, title=title, due_date=due),
            roles={members[0]: "A", members[1]: "R"},
        )
    return partnership


ORDER = ["Terlambat", "Pertama", "Kedua", "Tanpa tanggal"]


def positions(page: str, titles: list[str]) -> list[int]:
    return [page.index(title) for title in titles]


@pytest.mark.django_db
def test_it_lists_the_plan_by_due_date_with_undated_activities_last(facilitator, partnership) -> None:
    page = client_for(facilitator).get(f"/partnerships/{partnership.pk}/plan/").content.decode()
    assert positions(page, ORDER) == sorted(positions(page, ORDER))


@pytest.mark.django_db
def test_it_keeps_the_plan_order_in_the_csv(facilitator, partnership) -> None:
    response = client_for(facilitator).get(f"/partnerships/{partnership.pk}/plan.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ORDER


@pytest.mark.django_db
def test_it_marks_late_activities_for_partner_members_too(partner_a, partnership) -> None:
    page = client_for(partner_a).get(f"/partnerships/{partnership.pk}/").content.decode()
    ours = page[page.index("Terlambat") - 600 : page.index("Terlambat") + 600]
    assert "badge-late" in ours
    assert page.count('class="badge badge-late"') >= 1


@pytest.mark.django_db
def test_it_lists_late_and_undated_activities_among_the_upcoming_ones(facilitator, partnership) -> None:
    page = client_for(facilitator).get(f"/partnerships/{partnership.pk}/").content.decode()
    upcoming = page[page.index('id="upcoming-heading"') :]
    upcoming = upcoming[: upcoming.index("</section>")]
    assert positions(upcoming, ORDER) == sorted(positions(upcoming, ORDER))
    assert "Late" in upcoming and "No date yet" in upcoming


@pytest.mark.django_db
def test_it_leaves_done_activities_out_of_the_upcoming_ones(facilitator, partnership) -> None:
    late = Activity.objects.get(title="Terlambat")
    services.plans.activity_set_status(user=facilitator, activity=late, status="done")
    page = client_for(facilitator).get(f"/partnerships/{partnership.pk}/").content.decode()
    upcoming = page[page.index('id="upcoming-heading"') :]
    assert "Terlambat" not in upcoming[: upcoming.index("</section>")]
