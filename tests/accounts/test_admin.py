"""Admins manage users and groups at /admin/; nobody else gets in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import FACILITATOR
from tests.conftest import client_for

ADMIN_PAGES = ["/admin/", "/admin/accounts/user/", "/admin/auth/group/", "/admin/accounts/user/add/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_it_lets_admins_manage_users_and_groups(admin, path: str) -> None:
    assert client_for(admin).get(path).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "partner_a", "facilitator"])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_it_sends_everyone_else_to_the_admin_login(request: pytest.FixtureRequest, role: str, path: str) -> None:
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = client_for(user).get(path)
    assert response.status_code == 302
    # Anonymous visitors may land on either log-in page; signed-in users
    # without staff status get the admin's, which explains they lack access.
    login_pages = ("/admin/login/", "/accounts/login/") if user is None else ("/admin/login/",)
    assert response["Location"].startswith(login_pages)


@pytest.mark.django_db
def test_it_gives_a_user_the_facilitator_role_through_the_admin(admin) -> None:
    user = User.objects.create_user(username="baru", password="irrelevant-pass-123")
    group = Group.objects.get(name=FACILITATOR)
    response = client_for(admin).post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "username": "baru",
            "first_name": "",
            "last_name": "",
            "email": "baru@example.org",
            "is_active": "on",
            "groups": [group.pk],
            "language": "id",
            "time_zone": "Asia/Makassar",
            "date_joined_0": "2026-11-27",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == [FACILITATOR]
    assert (user.language, user.time_zone) == ("id", "Asia/Makassar")
