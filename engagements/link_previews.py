"""Link-preview fetchers: the chat apps that read a shared page to draw its card, not people.

When someone pastes a share link into WhatsApp, Telegram or Facebook, the
app's server fetches the page for its title and description before anyone
opens it. Those fetches get the page (the card needs its tags) but are not
counted as views: a facilitator reads "3 views" as three people, not as
one paste seen by three apps. Matched on the User-Agent each service
documents; an unknown fetcher counts, as a person would.
"""

from __future__ import annotations

import re

from django.http import HttpRequest

# WhatsApp ("WhatsApp/2.23..."), Facebook and Instagram ("facebookexternalhit", "Facebot"),
# Telegram ("TelegramBot"), X ("Twitterbot"), LinkedIn, Slack, Discord, Skype, Signal's
# previews come from the sender's own phone and cannot be told apart.
PREVIEW_AGENTS = re.compile(
    r"WhatsApp|facebookexternalhit|Facebot|TelegramBot|Twitterbot|LinkedInBot|Slackbot|Discordbot|SkypeUriPreview",
    re.IGNORECASE,
)


def is_link_preview(request: HttpRequest) -> bool:
    return bool(PREVIEW_AGENTS.search(request.headers.get("User-Agent", "")))
