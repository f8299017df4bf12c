"""Indonesian phone numbers, as people write them, normalised to +62."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

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


def _is_stored_form(phone: str) -> bool:
    """A number as ``normalise_phone`` stores it: +62 and the national digits."""
    return phone.startswith("+62") and bool(_NATIONAL.fullmatch(phone[3:]))


def national_form(phone: str) -> str:
    """'+6281234567890' -> '0812-3456-7890': how Indonesians write a number, for reading only.

    Mobiles (8...) in groups of four after the leading 0; other numbers keep
    their digits after the 0 in one group, as area codes differ in length.
    Anything not stored in the +62 form is shown as it is.
    """
    if not _is_stored_form(phone):
        return phone
    national = "0" + phone[3:]
    if national.startswith("08"):
        return "-".join(national[i : i + 4] for i in range(0, len(national), 4))
    return national


def whatsapp_url(phone: str, text: str = "") -> str:
    """WhatsApp's click-to-chat address for a stored +62 number, with ``text`` prefilled; '' for anything else.

    https://wa.me/<country code and number, digits only>?text=<URL-encoded
    message>: it opens the chat in the app or in WhatsApp Web, and needs no
    account or API on Rekan's side.
    """
    if not _is_stored_form(phone):
        return ""
    address = f"https://wa.me/{phone[1:]}"
    return f"{address}?{urlencode({'text': text}, quote_via=quote)}" if text else address


def whatsapp_share_url(text: str) -> str:
    """Click-to-chat without a number: WhatsApp asks whom to send ``text`` to (a group, a person)."""
    return f"https://wa.me/?{urlencode({'text': text}, quote_via=quote)}"
