"""The standing roles every test module may ask for.

admin, facilitator, partner member of organization A, partner member of
organization B, and the anonymous visitor (a client with nobody logged in).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client

from accounts.models import User
from engagements import append_only
from partners.models import Organization
from tests.factories import OrganizationFactory, UserFactory, make_facilitator, make_partner_member

ROLES = ("anonymous", "partner_a", "partner_b", "facilitator", "admin")


@pytest.fixture(autouse=True, scope="session")
def _flush_lifts_the_append_only_triggers() -> Iterator[None]:
    """Let the test runner empty the trust log between transactional tests.

    The database refuses DELETE and TRUNCATE of trust-log rows, and Django's
    ``flush`` (run after every test that uses a live server or a real
    transaction) does exactly that: lift the triggers for the flush alone.
    """
    original = flush.Command.handle

    def handle(self: flush.Command, *args: object, **options: object) -> None:
        connection = connections[str(options.get("database") or DEFAULT_DB_ALIAS)]
        append_only.uninstall(connection)
        try:
            original(self, *args, **options)
        finally:
            append_only.install(connection)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush.Command, "handle", handle)
        yield


@pytest.fixture
def org_a(db: None) -> Organization:
    return OrganizationFactory(name="Karang Taruna Tunas Harapan")


@pytest.fixture
def org_b(db: None) -> Organization:
    return OrganizationFactory(name="Kelompok Tani Sri Rejeki")


@pytest.fixture
def admin(db: None) -> User:
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def facilitator(db: None) -> User:
    return make_facilitator(username="fasilitator")


@pytest.fixture
def partner_a(org_a: Organization) -> User:
    return make_partner_member(org_a, username="mitra_a")


@pytest.fixture
def partner_b(org_b: Organization) -> User:
    return make_partner_member(org_b, username="mitra_b")


@pytest.fixture
def role_user(request: pytest.FixtureRequest) -> User | None:
    """Parametrise with a role name from ROLES; anonymous gives None."""
    role = request.param
    return None if role == "anonymous" else request.getfixturevalue(role)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _language_reset_after_each_test() -> Iterator[None]:
    """A request by an Indonesian user leaves Indonesian active in the thread: the next test starts in the default."""
    yield
    from django.utils import translation

    translation.deactivate()
