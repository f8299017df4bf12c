"""Demo log-ins printed by `make run`. Idempotent: running twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from accounts.roles import FACILITATOR, PARTNER_MEMBER
from partners.models import Organization, OrganizationMember

# The demo data is recorded as this user unless a loader is given another.
DEMO_FACILITATOR = "fasilitator"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    organization: str = ""


DEMO_LOGINS = (
    DemoLogin("Admin", "admin", "rekan-admin-demo"),
    DemoLogin("Facilitator", "fasilitator", "rekan-fasilitator-demo"),
    DemoLogin("Partner member", "mitra", "rekan-mitra-demo", "Karang Taruna Tunas Harapan"),
    DemoLogin("Partner member", "mitra2", "rekan-mitra2-demo", "Kelompok Tani Sri Rejeki"),
)


@transaction.atomic
def demo_users_create() -> list[DemoLogin]:
    facilitators, _ = Group.objects.get_or_create(name=FACILITATOR)
    partner_members, _ = Group.objects.get_or_create(name=PARTNER_MEMBER)
    for login in DEMO_LOGINS:
        user, created = User.objects.get_or_create(
            username=login.username,
            defaults={"email": f"{login.username}@example.org", "first_name": login.username.title()},
        )
        if created:
            user.set_password(login.password)
        if login.role == "Admin":
            user.is_staff = user.is_superuser = True
        user.save()
        if login.role == "Facilitator":
            user.groups.add(facilitators)
        if login.organization:
            user.groups.add(partner_members)
            organization, _ = Organization.objects.get_or_create(name=login.organization)
            OrganizationMember.objects.get_or_create(organization=organization, user=user)
    return list(DEMO_LOGINS)
