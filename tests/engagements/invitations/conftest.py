"""The partnership every invitation test invites into: org_a leads it, its internal notes are a secret."""

from __future__ import annotations

import pytest

from engagements import services
from engagements.models import Partnership

SECRET = "RAHASIA-internal-invitation-notes"


@pytest.fixture
def partnership(facilitator, org_a) -> Partnership:
    partnership = services.partnerships.partnership_save(
        user=facilitator, partnership=Partnership(title="Mangrove Pesisir Demak", internal_notes=SECRET)
    )
    services.partnerships.member_add(partnership=partnership, organization=org_a, role="lead")
    return partnership
