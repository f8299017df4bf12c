"""Phone numbers as people read them, and WhatsApp's click-to-chat links: ``{% load phones %}``."""

from __future__ import annotations

from django import template

from partners import phones

register = template.Library()


@register.filter
def phone_national(phone: str) -> str:
    """``{{ contact.phone|phone_national }}``: '+6281234567890' reads '0812-3456-7890'."""
    return phones.national_form(phone or "")


@register.filter
def whatsapp_url(phone: str, text: str = "") -> str:
    """``{{ contact.phone|whatsapp_url }}``: https://wa.me/6281234567890, or '' for a number WhatsApp cannot take."""
    return phones.whatsapp_url(phone or "", str(text or ""))


@register.filter
def whatsapp_share_url(text: str) -> str:
    """``{{ message|whatsapp_share_url }}``: WhatsApp opens with the message and asks whom to send it to."""
    return phones.whatsapp_share_url(str(text or ""))
