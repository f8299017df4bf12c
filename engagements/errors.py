"""The errors of the engagements domain; their messages are for the user, translated."""

from __future__ import annotations


class EngagementRuleError(Exception):
    """A broken business rule; the message is for the user, translated."""


class InvitationInvalid(Exception):
    """The token is unknown, used, expired, or its contact was erased."""


class InvitationAccountExists(Exception):
    """Someone already signs in with the invited email address."""
