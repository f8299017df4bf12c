"""Indonesian phone numbers, as people write them, normalised to +62."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# After the country code: 8 to 13 digits (mobiles start with 8, landlines
# with an area code such as 21 for Jakarta).
_NATIONAL = re.compile(r"[1-9]\d{7,12}")


def normalise_phone(raw: str) -> str:
    """'0812-3456-7890', '62 812 3456 7890', '+62 (812) 3456-7890' -> '+6281234567890'."""
    cleaned = re.sub(r"[\s\-().]", "", raw.strip())
    if not cleaned:
        return ""
    if cleaned.startswith("+62"):
        national = cleaned[3:]
    elif cleaned.startswith("62"):
        national = cleaned[2:]
    elif cleaned.startswith("0"):
        national = cleaned[1:]
    elif cleaned.startswith("8"):
        national = cleaned
    else:
        raise ValidationError(
            _("Enter an Indonesian phone number, such as 0812 3456 7890 or +62 812 3456 7890."), code="phone"
        )
    if not _NATIONAL.fullmatch(national):
        raise ValidationError(
            _("Enter an Indonesian phone number, such as 0812 3456 7890 or +62 812 3456 7890."), code="phone"
        )
    return f"+62{national}"
