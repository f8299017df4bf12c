"""The register in the admin: risks saved through the services, acknowledgements only read."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from engagements.models import FlagAcknowledgement, Risk, RiskStatus
from engagements.selectors.risks import flags_of
from engagements.services.risks import flag_acknowledge
from partners.models import FundingStability
from tests.admin_forms import post_form
from tests.conftest import client_for
from tests.engagements.risks.conftest import risk, set_funding

pytestmark = pytest.mark.django_db


def test_it_adds_a_risk_in_the_admin_through_the_service(admin, partnership, org_a) -> None:
    data = {
        "partnership": str(partnership.pk),
        "category": "leadership",
        "title": "Ketua baru belum dikenal",
        "likelihood": "3",
        "impact": "4",
        "owner_side": "member",
        "owner_organization": str(org_a.pk),
        "status": "open",
    }
    response = post_form(client_for(admin), "/admin/engagements/risk/add/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    made = Risk.objects.get()
    assert (made.created_by, made.owner_organization, made.band) == (admin, org_a, "high")


def test_it_refuses_an_owner_outside_the_partnership_in_the_admin_and_closes_with_the_date(
    admin, partnership, facilitator, org_b
) -> None:
    existing = risk(partnership, facilitator)
    client = client_for(admin)
    address = f"/admin/engagements/risk/{existing.pk}/change/"

    refused = post_form(client, address, {"owner_side": "member", "owner_organization": str(org_b.pk)})
    assert "must be a member of the partnership" in " ".join(str(m) for m in get_messages(refused.wsgi_request))
    existing.refresh_from_db()
    assert existing.owner_organization is None

    assert post_form(client, address, {"status": "closed"}).status_code == 302
    existing.refresh_from_db()
    assert existing.status == RiskStatus.CLOSED and existing.closed_at is not None


def test_it_shows_acknowledgements_in_the_admin_without_letting_anyone_change_them(
    admin, partnership, facilitator, org_m
) -> None:
    set_funding(org_m, FundingStability.NONE)
    [flag] = flags_of(partnership)
    made = flag_acknowledge(user=facilitator, partnership=partnership, flag=flag, note="Sudah dibahas")
    client = client_for(admin)

    assert client.get("/admin/engagements/flagacknowledgement/").status_code == 200
    assert client.get(f"/admin/engagements/flagacknowledgement/{made.pk}/change/").status_code == 200
    assert client.get("/admin/engagements/flagacknowledgement/add/").status_code == 403
    assert client.post(f"/admin/engagements/flagacknowledgement/{made.pk}/delete/", {"post": "yes"}).status_code == 403
    assert FlagAcknowledgement.objects.filter(pk=made.pk).exists()
