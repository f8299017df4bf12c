"""The commitment pages: who sees and does what, internal notes kept from partners, fixed query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements import services
from engagements.models import Commitment, CommitmentState, Confirmation, TrustEntry, TrustEntryKind
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.engagements.commitments.conftest import INTERNAL, make

pytestmark = pytest.mark.django_db


def url(name: str, commitment: Commitment) -> str:
    return reverse(f"engagements:{name}", args=[commitment.partnership_id, commitment.pk])


def test_it_lets_a_partner_member_mark_their_groups_commitment_kept_from_the_portal(ours, partner_a) -> None:
    portal = client_for(partner_a).get(reverse("engagements:partnership_detail", args=[ours.partnership_id]))
    assert url("commitment_mark_kept", ours) in portal.content.decode()

    response = client_for(partner_a).post(url("commitment_mark_kept", ours), {"next": "portal"})

    assert response.status_code == 302
    assert response["Location"] == reverse("engagements:partnership_detail", args=[ours.partnership_id])
    ours.refresh_from_db()
    assert (ours.state, ours.confirmation, ours.marked_kept_by) == (CommitmentState.KEPT, "", partner_a)


def test_it_refuses_a_partner_member_marking_another_members_commitment(theirs, partner_a) -> None:
    response = client_for(partner_a).post(url("commitment_mark_kept", theirs))
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.state == CommitmentState.OPEN


def test_it_answers_404_to_an_outsider_and_for_a_commitment_of_another_partnership(
    ours, partner_b, partner_a, facilitator, org_b
) -> None:
    assert client_for(partner_b).post(url("commitment_mark_kept", ours)).status_code == 404
    assert client_for(partner_b).get(url("commitment_detail", ours)).status_code == 404
    other = build_partnership(user=facilitator, organizations=[org_b], activities=0, title="Lain")
    elsewhere = make(other, facilitator, by=org_b)
    wrong = reverse("engagements:commitment_mark_kept", args=[ours.partnership_id, elsewhere.pk])
    assert client_for(partner_a).post(wrong).status_code == 404
    assert client_for(facilitator).post(wrong).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.state == CommitmentState.OPEN


def test_it_refuses_a_partner_member_confirming_or_closing(ours, partner_a) -> None:
    services.commitments.commitment_mark_kept(user=partner_a, commitment=ours)
    for name, data in [
        ("commitment_confirm", {}),
        ("commitment_dispute", {"note": "x"}),
        ("commitment_withdraw", {"reason": "x"}),
        ("commitment_mark_broken", {"reason": "x"}),
    ]:
        assert client_for(partner_a).post(url(name, ours), data).status_code == 403, name
    ours.refresh_from_db()
    assert ours.confirmation == Confirmation.PENDING


def test_it_lets_the_facilitator_confirm_and_shows_kept_and_confirmed(ours, partner_a, facilitator) -> None:
    services.commitments.commitment_mark_kept(user=partner_a, commitment=ours)
    page = client_for(facilitator).get(url("commitment_detail", ours)).content.decode()
    assert url("commitment_confirm", ours) in page

    response = client_for(facilitator).post(url("commitment_confirm", ours))

    assert response.status_code == 302 and response["Location"] == url("commitment_detail", ours)
    ours.refresh_from_db()
    assert (ours.confirmation, ours.confirmed_by) == (Confirmation.CONFIRMED, facilitator)
    listing = client_for(partner_a).get(reverse("engagements:commitment_list", args=[ours.partnership_id]))
    assert "badge-commitment-kept" in listing.content.decode()
    assert "badge-commitment-confirmed" in listing.content.decode()


def test_it_refuses_a_dispute_without_a_note_and_changes_nothing(ours, partner_a, facilitator) -> None:
    services.commitments.commitment_mark_kept(user=partner_a, commitment=ours)
    entries = TrustEntry.objects.count()
    response = client_for(facilitator).post(url("commitment_dispute", ours), {"note": " "}, follow=True)
    assert response.status_code == 200
    assert "Say why" in response.content.decode()
    ours.refresh_from_db()
    assert (ours.state, ours.confirmation, TrustEntry.objects.count()) == (CommitmentState.KEPT, "", entries)


def test_it_renegotiates_and_shows_the_old_date_on_the_new_commitment(ours, facilitator) -> None:
    old_date = ours.due_on
    new_date = old_date + datetime.timedelta(days=21)
    response = client_for(facilitator).post(
        url("commitment_renegotiate", ours), {"due_on": new_date.isoformat(), "text": ours.text, "reason": "Banjir"}
    )
    new = Commitment.objects.get(renegotiated_from=ours)
    assert response.status_code == 302 and response["Location"] == url("commitment_detail", new)
    page = client_for(facilitator).get(url("commitment_detail", new)).content.decode()
    assert old_date.strftime("%-d %b %Y") in page and "Banjir" in page
    old_page = client_for(facilitator).get(url("commitment_detail", ours)).content.decode()
    assert url("commitment_detail", new) in old_page


def test_it_records_a_commitment_from_a_check_in_line_and_links_both_ways(
    partnership, check_in, facilitator, org_a
) -> None:
    check_in_url = reverse("engagements:check_in_detail", args=[partnership.pk, check_in.pk])
    line_url = reverse("engagements:check_in_line_to_commitment", args=[partnership.pk, check_in.pk, "decision", 0])
    assert line_url in client_for(facilitator).get(check_in_url).content.decode()
    assert "Sewa perahu bersama" in client_for(facilitator).get(line_url).content.decode()

    data = {
        "promised_by_side": "member",
        "promised_by": org_a.pk,
        "text": "Sewa perahu bersama",
        "promised_to_side": "all_members",
        "due_on": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        "origin": "check_in",
        "internal_notes": "",
    }
    response = client_for(facilitator).post(line_url, data)

    made = Commitment.objects.get(check_in=check_in, source_line_kind="decision", source_line=0)
    assert response["Location"] == url("commitment_detail", made)
    page = client_for(facilitator).get(check_in_url).content.decode()
    assert url("commitment_detail", made) in page and line_url not in page
    assert check_in_url in client_for(facilitator).get(url("commitment_detail", made)).content.decode()
    again = client_for(facilitator).post(line_url, data)
    assert again.status_code == 200 and "already the commitment" in again.content.decode()
    assert Commitment.objects.filter(check_in=check_in).count() == 1


def test_it_answers_404_for_a_line_the_check_in_does_not_have(partnership, check_in, facilitator) -> None:
    for kind, line in [("decision", 9), ("summary", 0)]:
        address = reverse("engagements:check_in_line_to_commitment", args=[partnership.pk, check_in.pk, kind, line])
        assert client_for(facilitator).get(address).status_code == 404


def test_it_shows_no_internal_note_to_partners_nor_on_share_pages(ours, theirs, partner_a, facilitator) -> None:
    partner = client_for(partner_a)
    pages = [
        reverse("engagements:partnership_detail", args=[ours.partnership_id]),
        reverse("engagements:commitment_list", args=[ours.partnership_id]),
        url("commitment_detail", ours),
        url("commitment_detail", theirs),
    ]
    for page in pages:
        response = partner.get(page)
        assert response.status_code == 200
        assert INTERNAL not in response.content.decode(), page
    link = services.sharing.share_link_create(
        user=facilitator, partnership=ours.partnership, expires_on=timezone.localdate() + datetime.timedelta(days=9)
    )
    shared = client_for(None).get(reverse("engagements:shared_plan", args=[link.token])).content.decode()
    assert INTERNAL not in shared and ours.text not in shared
    csv = client_for(facilitator).get(reverse("engagements:plan_export", args=[ours.partnership_id]))
    assert INTERNAL not in csv.content.decode()
    facilitator_page = client_for(facilitator).get(url("commitment_detail", ours)).content.decode()
    assert INTERNAL in facilitator_page


def test_it_filters_the_list_by_state_due_date_and_promising_organization(
    partnership, facilitator, org_a, org_m, partner_a
) -> None:
    today = timezone.localdate()
    late = make(partnership, facilitator, by=org_a, text="Terlambat", due=today - datetime.timedelta(days=2))
    soon = make(partnership, facilitator, by=org_m, text="Segera", due=today + datetime.timedelta(days=2))
    later = make(partnership, facilitator, by=None, text="Nanti", due=today + datetime.timedelta(days=30))
    kept = make(partnership, facilitator, by=org_a, text="Sudah", due=today + datetime.timedelta(days=30))
    services.commitments.commitment_mark_kept(user=partner_a, commitment=kept)
    listing = reverse("engagements:commitment_list", args=[partnership.pk])

    def shown(**query: object) -> set[str]:
        response = client_for(facilitator).get(listing, query)
        assert response.status_code == 200
        return {c.text for c in response.context["commitments"]}

    assert shown() == {"Terlambat", "Segera", "Nanti", "Sudah"}
    assert shown(due="overdue") == {"Terlambat"}
    assert shown(due="soon") == {"Segera"}
    assert shown(due="later") == {"Nanti"}
    assert shown(state="kept") == {"Sudah"}
    assert shown(state="awaiting") == {"Sudah"}
    assert shown(organization=org_a.pk) == {"Terlambat", "Sudah"}
    assert shown(organization=org_a.pk, state="open") == {"Terlambat"}
    assert shown(state="nonsense") == {"Terlambat", "Segera", "Nanti", "Sudah"}  # a bad filter filters nothing
    assert late.pk and soon.pk and later.pk


def test_it_lists_overdue_and_soon_commitments_and_those_to_confirm_on_today(
    partnership, facilitator, org_a, partner_a
) -> None:
    today = timezone.localdate()
    late = make(partnership, facilitator, by=org_a, text="Laporan keuangan", due=today - datetime.timedelta(days=1))
    far = make(partnership, facilitator, by=org_a, text="Jauh di depan", due=today + datetime.timedelta(days=60))
    kept = make(partnership, facilitator, by=org_a, text="Sudah dikirim", due=today + datetime.timedelta(days=60))
    services.commitments.commitment_mark_kept(user=partner_a, commitment=kept)
    page = client_for(facilitator).get(reverse("engagements:today")).content.decode()
    assert late.text in page and kept.text in page and far.text not in page
    assert "badge-late" in page


def test_it_shows_the_commitment_badges_on_the_partnership_page(partnership, facilitator, org_a, partner_a) -> None:
    today = timezone.localdate()
    make(partnership, facilitator, by=org_a, text="Terlambat", due=today - datetime.timedelta(days=2))
    page = client_for(facilitator).get(reverse("engagements:partnership_detail", args=[partnership.pk]))
    assert page.context["commitment_counts"]["overdue"] == 1
    assert "?due=overdue" in page.content.decode()


def queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["facilitator", "partner_a"])
def test_the_list_pages_cost_the_same_queries_for_10_and_200_commitments(
    partnership, facilitator, org_a, org_m, role, request
) -> None:
    viewer = client_for(request.getfixturevalue(role))
    today = timezone.localdate()

    def add(count: int) -> None:
        for n in range(count):
            commitment = make(
                partnership, facilitator, by=[org_a, org_m, None][n % 3], to=None, due=today + datetime.timedelta(n - 5)
            )
            if n % 4 == 0 and commitment.promised_by is not None:
                services.commitments.commitment_mark_kept(user=facilitator, commitment=commitment)

    pages = [
        reverse("engagements:commitment_list", args=[partnership.pk]),
        reverse("engagements:commitment_list", args=[partnership.pk]) + f"?due=soon&organization={org_a.pk}",
        reverse("engagements:partnership_detail", args=[partnership.pk]),
    ]
    if role == "facilitator":
        pages.append(reverse("engagements:today"))
    add(10)
    at_10 = [queries(viewer, page) for page in pages]
    add(190)
    assert Commitment.objects.count() == 200
    assert [queries(viewer, page) for page in pages] == at_10


def test_it_logs_what_the_trust_entries_of_a_commitment_say_on_its_page(ours, partner_a, facilitator) -> None:
    services.commitments.commitment_mark_kept(user=partner_a, commitment=ours)
    services.commitments.commitment_confirm(user=facilitator, commitment=ours)
    page = client_for(partner_a).get(url("commitment_detail", ours)).content.decode()
    made, kept, confirmed = (
        page.index(str(label))
        for label in (
            TrustEntryKind.COMMITMENT_MADE.label,
            TrustEntryKind.COMMITMENT_KEPT.label,
            TrustEntryKind.COMMITMENT_CONFIRMED.label,
        )
    )
    assert made < kept < confirmed
