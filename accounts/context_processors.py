from __future__ import annotations

from django.http import HttpRequest

from accounts.roles import is_facilitator, is_partner_member


def roles(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    if user is None:
        return {"is_facilitator": False, "is_partner_member": False}
    return {"is_facilitator": is_facilitator(user), "is_partner_member": is_partner_member(user)}
