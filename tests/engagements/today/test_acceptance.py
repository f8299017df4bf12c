"""Issue 12's acceptance: a broken commitment and a leadership change in a member group lower the health score
and raise the flags, visible on Today after one refresh."""

from __future__ import annotations

import pytest
from django.urls import reverse

from engagements.models import FlagKind, HealthSnapshot
from engagements.selectors.dashboard import Kind
from engagements.selectors.health import health_for
from engagements.selectors.risks import flags_for
from tests.conftest import client_for
from tests.engagements.health.test_health import lively
from tests.engagements.risks.conftest import commitment, days_ago, new_leader
from tests.engagements.today.conftest import open_today, section
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_a_broken_commitment_and_a_new_leader_lower_the_health_and_raise_flags_seen_on_today_after_one_refresh(
    facilitator,
) -> None:
    org_a, org_m = OrganizationFactory(name="Karang Taruna Tunas Harapan"), OrganizationFactory(name="Nelayan Bahari")
    partnership = lively(facilitator, [org_a, org_m])
    before = health_for(partnership).value
    assert before is not None
    # Last month's snapshot, as the daily task wrote it: the score then is the score now.
    HealthSnapshot.objects.create(partnership=partnership, day=days_ago(31), score=before)
    client = client_for(facilitator)
    morning = open_today(client)
    assert section(morning, Kind.FLAGS).items == []
    assert section(morning, Kind.LEADERS).items == []
    assert section(morning, Kind.HEALTH).items == []

    # Two promises of M are broken, and A has a new leader since yesterday.
    commitment(partnership, facilitator, org_m, outcome="broken")
    commitment(partnership, facilitator, org_m, outcome="broken")
    term = new_leader(org_a, days_ago(1), facilitator, name="Bu Ratna")

    after = health_for(partnership).value
    assert after is not None and after < before
    flags = {flag.kind: flag for flag in flags_for([partnership])[partnership.pk]}
    assert {FlagKind.LEADER_CHANGE, FlagKind.BROKEN_COMMITMENTS} <= set(flags)
    assert flags[FlagKind.LEADER_CHANGE].organization == org_a

    refreshed = open_today(client)
    shown = {item.record.key for item in section(refreshed, Kind.FLAGS).items}
    assert {flags[FlagKind.LEADER_CHANGE].key, flags[FlagKind.BROKEN_COMMITMENTS].key} <= shown
    (leader,) = section(refreshed, Kind.LEADERS).items
    assert leader.record == term
    (health,) = section(refreshed, Kind.HEALTH).items
    assert health.record.partnership.pk == partnership.pk
    assert health.record.score.value == after
    assert health.record.fell_by == before - after

    page = refreshed.content.decode()
    risk_page = reverse("engagements:risk_list", args=[partnership.pk])
    for kind in (FlagKind.LEADER_CHANGE, FlagKind.BROKEN_COMMITMENTS):
        assert f'href="{risk_page}#flag-{flags[kind].key}"' in page
        assert str(kind.label) in page
    assert f"New leader in {org_a.name}" in page
    assert f'href="{reverse("engagements:health_detail", args=[partnership.pk])}"' in page
    assert f"{after} of 100" in page
    assert f"Down {before - after} points from {before}" in page
    counts = {section.kind: section.count for section in refreshed.context["page"].sections}
    assert counts[Kind.FLAGS] >= 2 and counts[Kind.LEADERS] == 1 and counts[Kind.HEALTH] == 1
