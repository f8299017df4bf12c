from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import User
from accounts.roles import is_facilitator, is_partner_member
from partners.demo.users import DEMO_LOGINS


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_it_creates_demo_logins_that_work_and_prints_them(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("create_demo_users")
    printed = capsys.readouterr().out
    for login in DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        assert user.check_password(login.password)
        assert f"{login.username}" in printed and login.password in printed
    assert is_facilitator(User.objects.get(username="fasilitator"))
    partner = User.objects.get(username="mitra")
    assert is_partner_member(partner)
    assert partner.organization_memberships.get().organization.name == "Karang Taruna Tunas Harapan"
    assert User.objects.get(username="admin").is_superuser


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_it_changes_nothing_when_run_twice() -> None:
    call_command("create_demo_users")
    counts = User.objects.count()
    call_command("create_demo_users")
    assert User.objects.count() == counts == len(DEMO_LOGINS)


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_it_refuses_public_demo_passwords_in_production() -> None:
    with pytest.raises(CommandError, match="public passwords"):
        call_command("create_demo_users")
    assert not User.objects.exists()
