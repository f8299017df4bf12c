"""Today as a page: counts linking to full lists, bounded sections, empty states, the last visit, who may open it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from engagements import services
from engagements.models import Commitment, CommitmentAudience, CommitmentSide, ProgressUpdate, SharedGoal, TodayVisit
from engagements.selectors.dashboard import EMPTY, KINDS, LIMIT, PAGE_SIZE, Kind
from tests.conftest import client_for
from tests.engagements.today.conftest import days, open_today, section

pytestmark = pytest.mark.django_db


def overdue(partnership, user, organization, count: int) -> list[Commitment]:
    today = timezone.localdate()
    return [
        services.commitments.commitment_make(
            user=user,
            commitment=Commitment(
                partnership=partnership,
                promised_by_side=CommitmentSide.MEMBER,
                promised_by=organization,
                promised_to_side=CommitmentAudience.ALL_MEMBERS,
                text=f"Janji nomor {n}",
                due_on=today - days(count - n),
            ),
        )
        for n in range(count)
    ]


def list_url(kind: str) -> str:
    return reverse("engagements:today_list", args=[kind])


# --- Counts and lists -------------------------------------------------------------------


def test_it_counts_every_kind_at_the_top_and_links_each_count_to_its_full_list(facilitator, partnership, org_a) -> None:
    overdue(partnership, facilitator, org_a, LIMIT + 2)
    response = open_today(client_for(facilitator))
    commitments = section(response, Kind.COMMITMENTS)
    assert (commitments.count, len(commitments.items)) == (LIMIT + 2, LIMIT)
    page = response.content.decode()
    nav = page[page.index('class="today-counts"') : page.index("</nav>", page.index('class="today-counts"'))]
    for kind in KINDS:
        assert f'href="{list_url(kind)}"' in nav
    assert '<span class="today-count">12</span> <span class="today-count-label">commitments to follow up</span>' in nav
    # The section shows its first ten, and a link to all of them.
    assert "See all 12" in page
    assert page.count("Janji nomor") == LIMIT


def test_it_lists_all_of_a_kind_a_page_at_a_time(facilitator, partnership, org_a) -> None:
    made = overdue(partnership, facilitator, org_a, PAGE_SIZE + 5)
    client = client_for(facilitator)
    first = client.get(list_url(Kind.COMMITMENTS))
    assert first.status_code == 200
    assert [item.record for item in first.context["list"].items] == made[:PAGE_SIZE]
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(list_url(Kind.COMMITMENTS), {"page": 2})
    assert [item.record for item in second.context["list"].items] == made[PAGE_SIZE:]
    assert f'href="{reverse("engagements:commitment_detail", args=[partnership.pk, made[-1].pk])}"' in (
        second.content.decode()
    )


@pytest.mark.parametrize("kind", KINDS)
def test_it_opens_every_full_list_and_says_what_to_do_when_it_is_empty(facilitator, kind: str) -> None:
    response = client_for(facilitator).get(list_url(kind))
    assert response.status_code == 200
    assert response.context["list"].items == []
    assert escape(str(EMPTY[kind])) in response.content.decode()


def test_it_answers_404_for_a_kind_it_does_not_know(facilitator) -> None:
    assert client_for(facilitator).get("/today/everything/").status_code == 404


# --- Empty -----------------------------------------------------------------------------


def test_it_says_what_to_do_next_when_nothing_needs_the_facilitator(facilitator) -> None:
    response = open_today(client_for(facilitator))
    page = response.content.decode()
    assert response.context["page"].is_empty
    assert "Nothing needs you today" in page
    assert f'href="{reverse("engagements:partnership_list")}"' in page
    for kind in KINDS:
        assert escape(str(EMPTY[kind])) in page


# --- Since the last visit --------------------------------------------------------------


def test_it_remembers_the_last_visit_keeping_its_mark_on_a_reload_and_moving_it_on_a_new_visit(facilitator) -> None:
    record = services.today.today_visit_record
    morning = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=6)
    assert record(user=facilitator, now=morning) is None  # the first visit ever
    assert record(user=facilitator, now=morning + datetime.timedelta(minutes=5)) is None  # a reload
    # Back after lunch: "since" is where the morning's visit ended.
    noon = morning + datetime.timedelta(hours=4)
    assert record(user=facilitator, now=noon) == morning + datetime.timedelta(minutes=5)
    # Reloads and a look 25 minutes later are the same visit: the mark stays.
    assert record(user=facilitator, now=noon + datetime.timedelta(minutes=1)) == morning + datetime.timedelta(minutes=5)
    assert record(user=facilitator, now=noon + datetime.timedelta(minutes=26)) == morning + datetime.timedelta(
        minutes=5
    )
    visit = TodayVisit.objects.get(user=facilitator)
    assert (visit.previous_at, visit.last_at) == (
        morning + datetime.timedelta(minutes=5),
        noon + datetime.timedelta(minutes=26),
    )
    assert TodayVisit.objects.count() == 1


def test_it_shows_partner_updates_again_on_a_reload_and_not_on_the_next_visit(
    facilitator, partner_a, partnership
) -> None:
    client = client_for(facilitator)
    first = open_today(client)
    assert first.context["page"].first_visit
    assert "What partners did in the last 7 days" in first.content.decode()
    goal = SharedGoal.objects.get(partnership=partnership)
    services.goals.progress_record(user=partner_a, goal=goal, value=Decimal(120), measured_on=timezone.localdate())
    assert section(open_today(client), Kind.UPDATES).count == 1
    assert section(open_today(client), Kind.UPDATES).count == 1  # a reload: still there
    # The facilitator saw it an hour ago, and comes back now: a new visit, since then.
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    TodayVisit.objects.filter(user=facilitator).update(last_at=hour_ago)
    ProgressUpdate.objects.update(recorded_at=hour_ago - datetime.timedelta(minutes=10))
    again = open_today(client)
    assert not again.context["page"].first_visit
    assert again.context["page"].since == hour_ago
    assert section(again, Kind.UPDATES).count == 0
    assert "Your last visit:" in again.content.decode()


def test_it_reads_the_list_of_partner_updates_without_recording_a_visit(facilitator) -> None:
    client = client_for(facilitator)
    assert client.get(list_url(Kind.UPDATES)).status_code == 200
    assert not TodayVisit.objects.exists()


# --- Who may open it -------------------------------------------------------------------


@pytest.mark.parametrize("address", [reverse("engagements:today"), list_url(Kind.FLAGS)])
def test_it_refuses_partner_members_and_sends_visitors_to_log_in(partner_a, address: str) -> None:
    assert client_for(partner_a).get(address).status_code == 403
    visitor = client_for(None).get(address)
    assert visitor.status_code == 302
    assert visitor["Location"] == f"{reverse(settings.LOGIN_URL)}?next={address}"
    assert not TodayVisit.objects.exists()


@pytest.mark.parametrize("address", [reverse("engagements:today"), list_url(Kind.FLAGS)])
def test_it_refuses_to_be_posted_to(facilitator, address: str) -> None:
    assert client_for(facilitator).post(address).status_code == 405
    assert not TodayVisit.objects.exists()


def test_it_opens_for_an_admin_with_the_partnerships_they_facilitate(admin) -> None:
    response = open_today(client_for(admin))
    assert response.context["page"].is_empty
