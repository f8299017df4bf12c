"""A group with a long history: the profile shows the latest of everything, the rest is a page away.

The profile shows the latest 20 timeline entries, the first 20 contacts and
the latest 10 leadership terms, each with its count and a link to the whole
list; the timeline and the contact list are paginated, and "Show older
entries" appends the next page in place with htmx (a real link without it).
"""

from __future__ import annotations

import datetime
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from partners import selectors
from partners.models import Contact, Interaction, LeadershipTerm, Organization, StageChange
from tests.conftest import client_for
from tests.partners.scale import seed_history

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def timeline_url(organization: Organization, page: int | None = None) -> str:
    url = reverse("partners:organization_timeline", args=[organization.pk])
    return f"{url}?page={page}" if page else url


def entries(response) -> list[tuple[str, int]]:
    return [(entry.kind, entry.item.pk) for entry in response.context["timeline"].entries]


@pytest.fixture
def long_history(org_a: Organization, facilitator) -> Organization:
    # 120 interactions, a stage change every 12 days, a new leader every 24 days, 60 contacts.
    seed_history(org_a, user=facilitator, interactions=120, contacts=60)
    return org_a


def test_the_profile_shows_the_latest_entries_and_links_to_the_whole_timeline(long_history, facilitator) -> None:
    response = client_for(facilitator).get(f"/organizations/{long_history.pk}/")
    html = response.content.decode()
    timeline = response.context["timeline"]
    total = Interaction.objects.count() + StageChange.objects.count() + LeadershipTerm.objects.count()

    assert len(timeline.entries) == selectors.TIMELINE_SHOWN == html.count('<li class="timeline-')
    assert timeline.total == total
    assert [entry.when for entry in timeline.entries] == sorted((e.when for e in timeline.entries), reverse=True)
    assert f'href="{timeline_url(long_history)}">See the whole timeline ({total} entries)' in html


def test_the_profile_shows_the_first_contacts_and_latest_leaders_with_their_counts(long_history, facilitator) -> None:
    response = client_for(facilitator).get(f"/organizations/{long_history.pk}/")
    html = response.content.decode()
    organization = response.context["organization"]
    terms = LeadershipTerm.objects.filter(organization=long_history).count()

    assert len(organization.shown_contacts) == selectors.CONTACTS_SHOWN
    assert organization.contact_count == 60
    assert [term.pk for term in organization.latest_terms] == list(
        LeadershipTerm.objects.filter(organization=long_history).values_list("pk", flat=True)[: selectors.LEADERS_SHOWN]
    )
    assert response.context["current_term"].ended_on is None
    assert f"See all {organization.contact_count} contacts" in html
    assert f"The latest {selectors.LEADERS_SHOWN} of {terms} terms." in html
    assert reverse("partners:contact_list", args=[long_history.pk]) in html


def test_a_short_history_shows_everything_without_links(org_a, facilitator) -> None:
    seed_history(org_a, user=facilitator, interactions=3, contacts=2)
    html = client_for(facilitator).get(f"/organizations/{org_a.pk}/").content.decode()
    assert "See the whole timeline" not in html
    assert "See all" not in html
    assert "The latest" not in html


def test_the_timeline_pages_through_every_entry_once_in_order(long_history, facilitator) -> None:
    client = client_for(facilitator)
    seen: list[tuple[str, int]] = []
    days: list[datetime.date] = []
    page = 1
    while True:
        response = client.get(timeline_url(long_history, page))
        assert response.status_code == 200
        seen += entries(response)
        days += [entry.when for entry in response.context["timeline"].entries]
        if not response.context["timeline"].page.has_next():
            break
        page += 1
    total = Interaction.objects.count() + StageChange.objects.count() + LeadershipTerm.objects.count()
    assert page == -(-total // selectors.TIMELINE_PAGE_SIZE)
    assert len(seen) == len(set(seen)) == total
    assert days == sorted(days, reverse=True)


def test_on_one_day_a_stage_change_comes_before_a_new_leader_and_the_interactions(org_a, facilitator) -> None:
    contact = Contact.objects.create(organization=org_a, name="Bu Sri")
    interaction = Interaction.objects.create(organization=org_a, kind="call", occurred_on=TODAY, summary="Telepon")
    term = LeadershipTerm.objects.create(organization=org_a, leader=contact, started_on=TODAY)
    change = StageChange.objects.create(
        organization=org_a, from_stage="identified", to_stage="first_contact", reason="x"
    )
    older = Interaction.objects.create(
        organization=org_a, kind="visit", occurred_on=TODAY - datetime.timedelta(days=1), summary="Kunjungan"
    )
    response = client_for(facilitator).get(timeline_url(org_a))
    assert entries(response) == [
        ("stage", change.pk),
        ("leadership", term.pk),
        ("interaction", interaction.pk),
        ("interaction", older.pk),
    ]


def test_it_dates_a_stage_change_in_the_readers_time_zone(org_a, facilitator) -> None:
    # 20:00 UTC is 03:00 the next day in Jakarta.
    at = datetime.datetime.combine(TODAY - datetime.timedelta(days=2), datetime.time(20), tzinfo=datetime.UTC)
    StageChange.objects.create(
        organization=org_a, from_stage="identified", to_stage="dormant", reason="x", changed_at=at
    )
    response = client_for(facilitator).get(timeline_url(org_a))
    assert [entry.when for entry in response.context["timeline"].entries] == [TODAY - datetime.timedelta(days=1)]


def test_show_older_is_a_real_link_that_htmx_follows_in_place(long_history, facilitator) -> None:
    client = client_for(facilitator)
    html = client.get(timeline_url(long_history)).content.decode()
    assert 'href="?page=2" rel="next"' in html
    assert 'hx-get="?page=2" hx-target="closest li" hx-swap="outerHTML"' in html

    fragment = client.get(timeline_url(long_history, 2), HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body and "<h1" not in body
    assert body.count("<time datetime=") == selectors.TIMELINE_PAGE_SIZE
    assert 'hx-get="?page=3"' in body
    assert fragment["Vary"].count("HX-Request")

    whole = client.get(timeline_url(long_history, 2))
    assert "<h1" in whole.content.decode() and 'href="?page=1" rel="prev"' in whole.content.decode()


def test_a_bad_page_number_shows_the_nearest_page(long_history, facilitator) -> None:
    client = client_for(facilitator)
    assert client.get(timeline_url(long_history) + "?page=last-but-one").status_code == 200
    assert client.get(timeline_url(long_history, 9999)).context["timeline"].page.number > 1
    assert client.get(reverse("partners:contact_list", args=[long_history.pk]) + "?page=x").status_code == 200


def test_the_contact_list_pages_through_every_contact_with_the_erased_last(long_history, facilitator) -> None:
    erased = Contact.objects.filter(organization=long_history).order_by("pk").first()
    Contact.objects.filter(pk=erased.pk).update(erased_at=timezone.now(), name=f"Erased contact #{erased.pk}")
    client = client_for(facilitator)
    url = reverse("partners:contact_list", args=[long_history.pk])
    first = client.get(url)
    second = client.get(url + "?page=2")
    people = [contact.pk for page in (first, second) for contact in page.context["page"].object_list]

    assert len(people) == len(set(people)) == Contact.objects.filter(organization=long_history).count()
    assert people[-1] == erased.pk
    assert "Edit<span" in first.content.decode()


def test_a_partner_member_reads_their_groups_contacts_but_not_its_timeline(long_history, partner_a) -> None:
    client = client_for(partner_a)
    contacts = client.get(reverse("partners:contact_list", args=[long_history.pk]))
    assert contacts.status_code == 200
    assert "Edit<span" not in contacts.content.decode()
    assert client.get(timeline_url(long_history)).status_code == 403
    profile = client.get(f"/organizations/{long_history.pk}/").content.decode()
    assert "timeline-heading" not in profile
    assert reverse("partners:organization_timeline", args=[long_history.pk]) not in profile


def test_another_groups_member_and_strangers_learn_nothing(long_history, org_b, partner_b) -> None:
    client = client_for(partner_b)
    for url in (timeline_url(long_history), reverse("partners:contact_list", args=[long_history.pk])):
        assert client.get(url).status_code == 404
        anonymous = client_for(None).get(url)
        assert anonymous.status_code == 302
        assert urlparse(anonymous["Location"]).path == reverse("accounts:login")


def test_a_missing_organization_answers_404(facilitator) -> None:
    client = client_for(facilitator)
    assert client.get("/organizations/999999/timeline/").status_code == 404
    assert client.get("/organizations/999999/contacts/").status_code == 404
