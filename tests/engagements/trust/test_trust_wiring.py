"""What happens in a partnership is written to its trust log by the services, in the same transaction.

Each event appends exactly one entry, in order, and the chain stays intact.
The entries copy no names: what they are about is read from their subject
when shown. Leadership changes in member groups are not stored at all: they
are read from the groups' profiles when the log is shown.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from engagements import selectors, services
from engagements.errors import EngagementRuleError
from engagements.models import CheckIn, Partnership, TrustEntry, TrustEntryKind
from partners import services as partner_services
from partners.models import Contact
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

K = TrustEntryKind


@pytest.fixture
def partnership(facilitator, org_a) -> Partnership:
    return build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory(name="KWT Melati")])


def kinds(partnership: Partnership) -> list[str]:
    return list(TrustEntry.objects.filter(partnership=partnership).order_by("sequence").values_list("kind", flat=True))


def log_check_in(user, partnership: Partnership) -> CheckIn:
    held_at = timezone.now() - datetime.timedelta(hours=2)
    check_in = CheckIn(partnership=partnership, held_at=held_at, channel="phone", summary="Bibit sudah datang")
    return services.checkins.check_in_record(user=user, check_in=check_in)


def test_it_appends_one_entry_per_event_in_order_with_the_chain_intact(facilitator, partnership) -> None:
    assert kinds(partnership) == [K.MEMBER_JOINED, K.MEMBER_JOINED]  # the builder added two members
    check_in = log_check_in(facilitator, partnership)
    revision = services.plans.plan_agree(user=facilitator, partnership=partnership, summary="Disepakati bersama")
    newcomer = services.partnerships.member_add(
        user=facilitator, partnership=partnership, organization=OrganizationFactory(), role="supporter"
    )
    newcomer_pk = newcomer.pk
    services.partnerships.member_remove(user=facilitator, member=newcomer)

    assert kinds(partnership) == [
        K.MEMBER_JOINED, K.MEMBER_JOINED, K.CHECK_IN_HELD, K.PLAN_AGREED, K.MEMBER_JOINED, K.MEMBER_LEFT,
    ]  # fmt: skip
    entries = list(partnership.trust_entries.order_by("sequence"))
    assert [(e.subject_type, e.subject_id) for e in entries[2:]] == [
        ("check_in", check_in.pk), ("revision", revision.pk), ("member", newcomer_pk), ("member", newcomer_pk),
    ]  # fmt: skip
    assert entries[2].happened_at == check_in.held_at and entries[2].recorded_by == facilitator
    assert all(e.shared_text == "" and e.internal_text == "" for e in entries)  # no names copied
    result = services.trust.trust_log_verify(partnership=partnership)
    assert (result.entries, result.intact) == (6, True)


def test_it_writes_nothing_more_when_a_check_in_is_edited(facilitator, partnership) -> None:
    check_in = log_check_in(facilitator, partnership)
    check_in.summary = "Bibit datang terlambat"
    services.checkins.check_in_record(user=facilitator, check_in=check_in)
    assert kinds(partnership).count(K.CHECK_IN_HELD) == 1


def test_it_writes_no_entry_when_the_write_it_records_is_refused(facilitator, partnership) -> None:
    before = kinds(partnership)
    with pytest.raises(EngagementRuleError):
        services.plans.plan_agree(user=facilitator, partnership=partnership, summary="  ")
    accountable = partnership.members.order_by("pk").first()
    with pytest.raises(EngagementRuleError):
        services.partnerships.member_remove(user=facilitator, member=accountable)
    assert kinds(partnership) == before


def test_it_rolls_the_entry_back_with_the_write_it_records(facilitator, partnership) -> None:
    before = kinds(partnership)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.partnerships.member_add(partnership=partnership, organization=OrganizationFactory(), role="member")
        raise RuntimeError("the request fails after the write")
    assert kinds(partnership) == before
    assert services.trust.trust_log_verify(partnership=partnership).intact


def test_it_names_a_group_that_left_from_the_membership_history(facilitator, partnership) -> None:
    leaving = services.partnerships.member_add(
        user=facilitator,
        partnership=partnership,
        organization=OrganizationFactory(name="Nelayan Bahari"),
        role="member",
    )
    services.partnerships.member_remove(user=facilitator, member=leaving)
    page = selectors.trust.trust_log_page(user=facilitator, partnership=partnership)
    left, joined = page.lines[0], page.lines[1]
    assert (left.kind, left.subject.label) == (K.MEMBER_LEFT, "Nelayan Bahari")
    assert (joined.kind, joined.subject.label) == (K.MEMBER_JOINED, "Nelayan Bahari")


def test_it_reads_a_former_member_when_nothing_names_the_group(facilitator, partnership) -> None:
    services.trust.trust_entry_append(
        partnership=partnership, kind=K.MEMBER_LEFT, subject_type="member", subject_id=999_999
    )
    page = selectors.trust.trust_log_page(user=facilitator, partnership=partnership)
    assert page.lines[0].subject.label == "a former member"


def test_it_reads_a_removed_check_in_as_removed(facilitator, partnership) -> None:
    check_in = log_check_in(facilitator, partnership)
    services.checkins.check_in_delete(user=facilitator, check_in=check_in)
    page = selectors.trust.trust_log_page(user=facilitator, partnership=partnership)
    (line,) = [line for line in page.lines if line.kind == K.CHECK_IN_HELD]
    assert line.subject.label == "a check-in since removed" and not line.subject.url


# Leadership changes: read from the groups' profiles, never stored in the log.


def new_leader(user, organization, name: str, started_on: datetime.date) -> Contact:
    leader = Contact.objects.create(organization=organization, name=name)
    partner_services.leadership_record(
        user=user, organization=organization, leader=leader, started_on=started_on, title="ketua"
    )
    return leader


def test_it_shows_a_leadership_change_that_happened_during_the_membership(facilitator, partner_a, partnership, org_a):
    member = partnership.members.get(organization=org_a)
    new_leader(
        facilitator, org_a, "Pak Lama", member.joined_on - datetime.timedelta(days=30)
    )  # before joining: not shown
    leader = new_leader(facilitator, org_a, "Bu Baru", member.joined_on)
    entries_before = TrustEntry.objects.count()

    lines = selectors.trust.trust_log_page(user=facilitator, partnership=partnership).lines
    leadership = [line for line in lines if getattr(line, "is_leadership", False)]
    assert [line.term.leader for line in leadership] == [leader]
    assert TrustEntry.objects.count() == entries_before  # derived at read time, not appended
    assert services.trust.trust_log_verify(partnership=partnership).intact


def test_it_names_the_new_leader_to_facilitators_only_and_as_erased_once_erased(
    facilitator, partner_a, partnership, org_a
) -> None:
    leader = new_leader(facilitator, org_a, "Bu Ratna Kusumawati", timezone.localdate())
    url = reverse("engagements:trust_log", args=[partnership.pk])

    facilitator_page = client_for(facilitator).get(url).content.decode()
    partner_page = client_for(partner_a).get(url).content.decode()
    assert "Bu Ratna Kusumawati now leads Karang Taruna Tunas Harapan" in facilitator_page
    assert "Karang Taruna Tunas Harapan has a new leader" in partner_page
    assert "Bu Ratna Kusumawati" not in partner_page

    partner_services.contact_erase(user=facilitator, contact=leader)
    page = client_for(facilitator).get(url).content.decode()
    assert "Bu Ratna Kusumawati" not in page
    assert f"Erased contact #{leader.pk} now leads" in page


def test_it_places_leadership_lines_on_the_page_whose_entries_surround_them(facilitator, partnership, org_a) -> None:
    member = partnership.members.get(organization=org_a)
    start = timezone.now() - datetime.timedelta(days=200)
    member.joined_on = (start - datetime.timedelta(days=1)).date()
    member.save()
    for day in range(0, 120):  # one hand entry a day: pages of 50 cover 50 days each
        services.trust.trust_entry_add(
            user=facilitator, partnership=partnership, kind=K.OPEN_MEETING,
            happened_at=start + datetime.timedelta(days=day, hours=12), shared_text=f"Rapat {day}",
        )  # fmt: skip
    new_leader(facilitator, org_a, "Bu Tengah", (start + datetime.timedelta(days=30)).date())

    pages = [selectors.trust.trust_log_page(user=facilitator, partnership=partnership, page=n) for n in (1, 2, 3)]
    found = [[line for line in page.lines if getattr(line, "is_leadership", False)] for page in pages]
    # Newest first: the two member entries of today, then days 119..72 on page 1, 71..22 on page 2.
    assert [len(lines) for lines in found] == [0, 1, 0]
    assert pages[1].num_pages == 3
