"""Writes about the signed-in person's own account."""

from __future__ import annotations

import secrets

from accounts.models import User


def user_set_language(*, user: User, language: str) -> None:
    """The interface language the user reads on every device they sign in on."""
    user.language = language
    user.save(update_fields=["language"])


def calendar_token_renew(*, user: User) -> str:
    """A new secret calendar address; the old one stops working at once."""
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def calendar_token_revoke(*, user: User) -> None:
    user.calendar_token = ""
    user.save(update_fields=["calendar_token"])
