"""Strings of Django itself that its own Indonesian catalogue does not translate.

Listed here so that makemessages puts them into locale/id, whose
translations win over Django's (LOCALE_PATHS comes first). Nothing imports
this module: it exists for makemessages alone.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

MISSING_FROM_DJANGO_ID = [
    # The blank choice of every dropdown (django.forms, Django 6).
    gettext_noop("- Select an option -"),
]
