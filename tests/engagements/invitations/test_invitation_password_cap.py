"""The invitee's password obeys the log-in form's cap: a password that could be set can be used."""

from __future__ import annotations

import pytest

from accounts.models import User
from engagements.models import Invitation
from tests.conftest import client_for
from tests.engagements.invitations.test_invitations import accept, contact, issue  # noqa: F401 (contact: a fixture)

TOO_LONG = "kebun-mangrove-" + "x" * 4096


@pytest.mark.django_db
def test_it_refuses_a_password_longer_than_the_log_in_form_takes(facilitator, partnership, contact) -> None:  # noqa: F811
    token = issue(partnership, contact, facilitator)
    response = accept(client_for(None), token, username="siti.rahayu", password=TOO_LONG)

    assert response.status_code == 200
    assert "A password has at most 4096 characters." in response.content.decode()
    assert not User.objects.filter(username="siti.rahayu").exists()
    assert Invitation.objects.get().accepted_at is None
