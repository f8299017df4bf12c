"""The printable partnership summary: commitments and the latest shared trust-log entries, no internal text."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements import services
from engagements.models import TrustEntryKind
from tests.conftest import client_for
from tests.engagements.commitments.conftest import INTERNAL, make

pytestmark = pytest.mark.django_db

SHARED = "Laporan dana dibacakan di balai desa"
INTERNAL_ENTRY = "RAHASIA-internal-trust-entry"


def print_summary(user, partnership) -> str:
    page = client_for(user).get(reverse("engagements:partnership_detail", args=[partnership.pk])).content.decode()
    found = re.findall(r'<section class="print-only".*?</section>', page, flags=re.S)
    assert len(found) == 2
    return "\n".join(found)


@pytest.fixture
def summary_data(partnership, facilitator, org_a, org_m):
    kept = make(partnership, facilitator, by=org_m, text="Patroli pantai mingguan")
    services.commitments.commitment_mark_kept(user=facilitator, commitment=kept)
    make(partnership, facilitator, by=org_a, to=org_m, text="Menyiapkan 500 polybag")
    moment = timezone.now() - datetime.timedelta(days=3)
    for shared, internal in ((SHARED, INTERNAL_ENTRY), ("", INTERNAL_ENTRY)):
        services.trust.trust_entry_add(
            user=facilitator,
            partnership=partnership,
            kind=TrustEntryKind.REPORT_SHARED,
            happened_at=moment,
            shared_text=shared,
            internal_text=internal,
        )


@pytest.mark.parametrize("who", ["facilitator", "partner_a"])
def test_it_prints_commitments_and_shared_log_entries_without_internal_text(
    who, request, partnership, summary_data, org_m
) -> None:
    summary = print_summary(request.getfixturevalue(who), partnership)

    assert "Menyiapkan 500 polybag" in summary and "Patroli pantai mingguan" in summary
    assert org_m.name in summary
    assert SHARED in summary
    assert INTERNAL not in summary and INTERNAL_ENTRY not in summary


def test_it_bounds_the_printed_log_to_the_latest_twenty_entries(partnership, facilitator) -> None:
    moment = timezone.now() - datetime.timedelta(days=40)
    for number in range(25):
        services.trust.trust_entry_add(
            user=facilitator,
            partnership=partnership,
            kind=TrustEntryKind.OPEN_MEETING,
            happened_at=moment + datetime.timedelta(days=number),
            shared_text=f"Rapat terbuka nomor {number:02d}",
        )

    summary = print_summary(facilitator, partnership)

    assert summary.count("<li><time") == 20
    assert "nomor 24" in summary and "nomor 04" not in summary
