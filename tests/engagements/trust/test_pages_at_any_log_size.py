"""Every page that shows commitments or the trust log costs the same SQL queries at 10 and at 1,000 log entries.

The log grows with everything a partnership does, so a page that read it row
by row, or read all of it, would slow down as a partnership ages. Each page is
asked twice: with a short log and after a thousand more entries, for a
facilitator and for a partner member of the lead organization.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements import services
from engagements.models import CheckIn, Partnership, TrustEntryKind
from tests.conftest import client_for
from tests.engagements.builders import build_partnership, fill_trust_log
from tests.engagements.commitments.conftest import make
from tests.factories import OrganizationFactory


@pytest.fixture
def partnership(facilitator, org_a) -> Partnership:
    partnership = build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=1)
    kept = make(partnership, facilitator, by=org_a, text="Menyiapkan 500 polybag")
    services.commitments.commitment_mark_kept(user=facilitator, commitment=kept)
    make(partnership, facilitator, by=None, text="Mengirim laporan dana")
    return partnership


def addresses(partnership: Partnership, *, facilitator_pages: bool) -> list[str]:
    pk = partnership.pk
    commitment = partnership.commitments.order_by("pk").first()
    entry = partnership.trust_entries.order_by("pk").first()
    link = services.sharing.share_link_create(
        user=partnership.created_by,
        partnership=partnership,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        include_commitments=True,
    )
    pages = [
        reverse("engagements:partnership_detail", args=[pk]),  # badges, and the printable summary
        reverse("engagements:commitment_list", args=[pk]),
        reverse("engagements:commitment_list", args=[pk]) + "?state=kept&due=overdue",
        reverse("engagements:commitment_export", args=[pk]),
        reverse("engagements:commitment_detail", args=[pk, commitment.pk]),
        reverse("engagements:trust_log", args=[pk]),
        reverse("engagements:trust_log", args=[pk]) + "?page=2",
        reverse("engagements:trust_log_export", args=[pk]),
        reverse("engagements:shared_plan", args=[link.token]),
    ]
    if facilitator_pages:
        check_in = CheckIn.objects.filter(partnership=partnership).order_by("pk").first()
        if check_in is None:
            check_in = services.checkins.check_in_record(
                user=partnership.created_by,
                check_in=CheckIn(
                    partnership=partnership,
                    held_at=timezone.now() - datetime.timedelta(hours=2),
                    channel="phone",
                    summary="Rapat",
                    decisions="Sewa perahu bersama",
                ),
            )
        pages += [
            reverse("engagements:commitment_create", args=[pk]),
            reverse("engagements:commitment_renegotiate", args=[pk, commitment.pk]),
            reverse("engagements:check_in_line_to_commitment", args=[pk, check_in.pk, "decision", 0]),
            reverse("engagements:trust_entry_create", args=[pk]),
            reverse("engagements:trust_entry_correct", args=[pk, entry.pk]),
            reverse("engagements:trust_log_export", args=[pk]) + "?internal=1",
            reverse("engagements:today"),
        ]
    return pages


def queries(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(captured)


@pytest.mark.parametrize("role", ["facilitator", "partner_a"])
def test_every_commitment_and_trust_log_page_costs_the_same_at_10_and_1000_entries(
    role, facilitator, partnership, request: pytest.FixtureRequest
) -> None:
    pages = addresses(partnership, facilitator_pages=role == "facilitator")
    viewer = client_for(request.getfixturevalue(role))
    fill_trust_log(partnership, 10 - partnership.trust_entries.count() - 2, user=facilitator)
    assert partnership.trust_entries.count() == 10
    at_10 = {page: queries(viewer, page) for page in pages}

    fill_trust_log(partnership, 1000 - 2, user=facilitator)
    assert partnership.trust_entries.count() == 1010
    at_1010 = {page: queries(viewer, page) for page in pages}
    assert at_1010 == at_10


def test_the_printable_summary_and_the_log_page_stay_bounded_at_1000_entries(facilitator, partnership) -> None:
    fill_trust_log(partnership, 1000, user=facilitator)
    client = client_for(facilitator)
    detail = client.get(reverse("engagements:partnership_detail", args=[partnership.pk]))
    log = client.get(reverse("engagements:trust_log", args=[partnership.pk]))
    assert len(detail.context["print_entries"]) <= 20
    assert len(log.context["page"].entries) == 50
    kinds = {str(kind.label) for kind in TrustEntryKind}
    assert any(label in log.content.decode() for label in kinds)
