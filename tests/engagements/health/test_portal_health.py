"""The partner portal's health panels: the score, the health check to answer and its results, the shared learning.

A partner member reads the health of their own partnerships, and nothing of
anyone else's: another partnership's health check results and lessons answer
404, and the facilitators' reading (flags, internal notes, unshared lessons)
never shows on the portal.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements import selectors, services
from engagements.models import HealthCheckRound, HealthSnapshot, Lesson, LessonKind, Partnership
from tests.conftest import client_for
from tests.engagements.health.test_health import lively
from tests.engagements.health_checks.conftest import answer, facilitators, members_of
from tests.engagements.risks.conftest import INTERNAL, days_ago, new_leader, risk
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_m(db: None):
    return OrganizationFactory(name="Kelompok Nelayan Bahari")


@pytest.fixture
def partnership(facilitator, org_a, org_m) -> Partnership:
    """A's partnership, with data in five parts of the score."""
    return lively(facilitator, [org_a, org_m])


@pytest.fixture
def partnership_b(facilitator, org_b) -> Partnership:
    """B's partnership: A has no part in it."""
    return lively(facilitator, [org_b], title="Kebun Gizi Boyolali")


def portal(user, partnership: Partnership) -> str:
    response = client_for(user).get(reverse("engagements:partnership_detail", args=[partnership.pk]))
    assert response.status_code == 200
    assert response.templates[0].name == "engagements/partnerships/portal_detail.html"
    return response.content.decode()


def section(html: str, heading_id: str) -> str:
    """The <section> labelled by ``heading_id``."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert match, heading_id
    return match.group(0)


def closed_round(partnership: Partnership, user, *, opened_days_ago: int = 30) -> HealthCheckRound:
    found = services.health_checks.health_check_open(
        user=user, partnership=partnership, closes_on=timezone.localdate() + datetime.timedelta(days=14)
    )
    answer(user, found, 5)
    services.health_checks.health_check_close(user=user, found=found)
    HealthCheckRound.objects.filter(pk=found.pk).update(
        opened_on=days_ago(opened_days_ago), closes_on=days_ago(opened_days_ago - 14)
    )
    found.refresh_from_db()
    return found


def lesson(partnership: Partnership, user, title: str, *, shared: bool) -> Lesson:
    return services.learning.lesson_save(
        user=user,
        lesson=Lesson(
            partnership=partnership,
            kind=LessonKind.LESSON,
            title=title,
            body="Pertemuan setelah isya dihadiri lebih banyak anggota.",
            shared_with_partners=shared,
            happened_on=days_ago(3),
        ),
    )


def test_it_shows_a_partner_member_the_health_score_of_their_partnership(partnership, partner_a) -> None:
    score = selectors.health.health_for(partnership)
    assert score.value is not None
    panel = section(portal(partner_a, partnership), "health-heading")
    assert f"{score.value} of 100" in panel
    for part in score.parts:
        assert part.label in panel and part.explanation in panel
    assert f'href="{reverse("engagements:health_detail", args=[partnership.pk])}"' in panel


def test_it_draws_the_trend_of_the_daily_scores_on_the_portal(partnership, partner_a) -> None:
    HealthSnapshot.objects.bulk_create(
        HealthSnapshot(partnership=partnership, day=days_ago(n), score=80 - n) for n in range(1, 31)
    )
    panel = section(portal(partner_a, partnership), "health-heading")
    assert '<svg class="health-sparkline"' in panel and "<polyline" in panel


def test_every_link_of_the_portal_health_panels_opens_for_the_partner_member(
    partnership, partner_a, facilitator
) -> None:
    closed_round(partnership, facilitator)
    html = portal(partner_a, partnership)
    links = set(re.findall(r'href="([^"]+)"', section(html, "health-heading") + section(html, "health-checks-heading")))
    assert len(links) >= 4
    client = client_for(partner_a)
    for link in links:
        path, _, anchor = link.partition("#")
        response = client.get(path)
        assert response.status_code == 200, link
        if anchor and path == reverse("engagements:partnership_detail", args=[partnership.pk]):
            assert f'id="{anchor}"' in html, link  # the part's facts are on the portal itself


def test_the_portal_says_nothing_of_the_facilitators_flags_or_internal_notes(
    partnership, partner_a, facilitator, org_a
) -> None:
    risk(partnership, facilitator)  # its internal notes: INTERNAL
    new_leader(org_a, days_ago(10), facilitator)
    flags = selectors.risks.flags_of(partnership)
    assert flags  # the facilitators see a flag ...
    html = portal(partner_a, partnership)
    assert INTERNAL not in html and "RAHASIA" not in html
    assert "automatic flag" not in html.lower()
    assert "/risks/flags/" not in html and not any(flag.key in html for flag in flags)  # ... the partners do not


def test_it_offers_the_partner_their_own_round_to_answer_then_the_results(partnership, partner_a, facilitator) -> None:
    found = services.health_checks.health_check_open(
        user=facilitator, partnership=partnership, closes_on=timezone.localdate() + datetime.timedelta(days=14)
    )
    answer_url = reverse("engagements:health_check_answer", args=[partnership.pk, found.pk])
    results_url = reverse("engagements:health_check_results", args=[partnership.pk, found.pk])
    panel = section(portal(partner_a, partnership), "health-checks-heading")
    assert f'href="{answer_url}"' in panel and "You have not answered yet." in panel

    answer(partner_a, found, 2)
    panel = section(portal(partner_a, partnership), "health-checks-heading")
    assert f'href="{answer_url}"' not in panel and "You have answered it." in panel

    services.health_checks.health_check_close(user=facilitator, found=found)
    panel = section(portal(partner_a, partnership), "health-checks-heading")
    assert f'href="{results_url}"' in panel and "You have not answered yet." not in panel
    assert client_for(partner_a).get(results_url).status_code == 200


def test_the_results_keep_a_small_side_anonymous_on_the_portal(partnership, partner_a, facilitator, org_a) -> None:
    """Three facilitators answer high, A's lone member low: A's answer is not shown, not even its score."""
    found = services.health_checks.health_check_open(
        user=facilitator, partnership=partnership, closes_on=timezone.localdate() + datetime.timedelta(days=14)
    )
    for person in facilitators(3):
        answer(person, found, 5, comment="Semua lancar")
    answer(partner_a, found, 1, comment="RAHASIA kami kecewa")
    services.health_checks.health_check_close(user=facilitator, found=found)
    page = client_for(partner_a).get(reverse("engagements:health_check_results", args=[partnership.pk, found.pk]))
    html = page.content.decode()
    assert "Semua lancar" in html and "RAHASIA kami kecewa" not in html
    assert "1/5" not in html


def test_a_partner_member_sees_no_other_partnerships_health_check_results(
    partnership, partnership_b, partner_a, partner_b, facilitator
) -> None:
    round_a = closed_round(partnership, facilitator)
    round_b = closed_round(partnership_b, facilitator)
    client = client_for(partner_a)
    for name in ("health_check_results", "health_check_answer"):
        assert client.get(reverse(f"engagements:{name}", args=[partnership_b.pk, round_b.pk])).status_code == 404
        # A round of B's reached through A's partnership: still not found.
        assert client.get(reverse(f"engagements:{name}", args=[partnership.pk, round_b.pk])).status_code == 404
    for name in ("health_check_list", "health_detail", "partnership_detail"):
        assert client.get(reverse(f"engagements:{name}", args=[partnership_b.pk])).status_code == 404
    html = portal(partner_a, partnership)
    assert f"/health-checks/{round_b.pk}/" not in html and partnership_b.title not in html
    # And the other way round.
    results_a = reverse("engagements:health_check_results", args=[partnership.pk, round_a.pk])
    assert client_for(partner_b).get(results_a).status_code == 404
    assert f"/health-checks/{round_a.pk}/" not in portal(partner_b, partnership_b)


def test_the_portal_shows_only_the_lessons_shared_with_this_partnership(
    partnership, partnership_b, partner_a, facilitator
) -> None:
    shared = lesson(partnership, facilitator, "Rapat malam lebih ramai", shared=True)
    kept = lesson(partnership, facilitator, "Catatan internal soal ketua", shared=False)
    elsewhere = lesson(partnership_b, facilitator, "Kebun gizi di pekarangan", shared=True)
    panel = section(portal(partner_a, partnership), "learning-heading")
    assert shared.title in panel and kept.title not in panel and elsewhere.title not in panel
    client = client_for(partner_a)
    listed = client.get(reverse("engagements:lesson_list", args=[partnership.pk])).content.decode()
    assert shared.title in listed and kept.title not in listed and elsewhere.title not in listed
    for found, owner in ((kept, partnership), (elsewhere, partnership_b), (elsewhere, partnership)):
        target = reverse("engagements:lesson_detail", args=[owner.pk, found.pk])
        assert client.get(target).status_code == 404, found


@pytest.mark.parametrize("size", [1, 12])
def test_the_portal_health_panels_cost_the_same_queries_whatever_the_data(
    facilitator, org_a, org_m, partner_a, size: int
) -> None:
    partnership = lively(facilitator, [org_a, org_m])
    HealthSnapshot.objects.bulk_create(
        HealthSnapshot(partnership=partnership, day=days_ago(n), score=70) for n in range(1, 1 + 7 * size)
    )
    for n in range(size):
        lesson(partnership, facilitator, f"Pelajaran {n}", shared=True)
        risk(partnership, facilitator, title=f"Risiko {n}")
        closed_round(partnership, facilitator, opened_days_ago=300 - 20 * n)
    for person in members_of(org_a, size, prefix="a"):
        found = partnership.health_check_rounds.first()
        HealthCheckRound.objects.filter(pk=found.pk).update(closed_at=None, closes_on=timezone.localdate())
        answer(person, found, 3)
        HealthCheckRound.objects.filter(pk=found.pk).update(closed_at=timezone.now())
    client = client_for(partner_a)
    path = reverse("engagements:partnership_detail", args=[partnership.pk])
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert len(queries) == PORTAL_QUERIES


# The portal of this small partnership: session and roles, the page's own reads, the
# health score's facts (7) and its 90 days of snapshots (1), the health check panel (1).
# The portal reads its first activities, not the whole plan: upcoming, ours and the others (test_plan.py).
PORTAL_QUERIES = 38
