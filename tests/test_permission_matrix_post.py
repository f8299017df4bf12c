"""Every URL that accepts POST x every role: the answer, and what the database holds afterwards.

Each case posts with a valid CSRF token and a payload that succeeds for a
role allowed to write, so a refusal is the permission check at work, never a
missing token or a bad form. A refused role must leave every table exactly as
it was; an allowed role must make the change.

The GET matrix (tests/test_permission_matrix.py) has a row for every URL
pattern. A pattern without a row here must refuse POST (405) for everybody:
``test_it_refuses_post_on_every_url_pattern_without_a_post_row`` fails when a
view starts accepting POST and nobody decided who may write through it.
"""

from __future__ import annotations

import datetime
import logging
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from accounts.services import calendar_token_renew
from engagements import access, selectors, services
from engagements.domain.health_checks import SLUGS as HEALTH_CHECK_SLUGS
from engagements.domain.schedules import zone_of
from engagements.models import (
    Activity,
    ActivityRole,
    CheckIn,
    CheckInSchedule,
    Commitment,
    FlagAcknowledgement,
    HealthCheckAnswer,
    HealthCheckRound,
    Invitation,
    Lesson,
    Partnership,
    PlanRevision,
    PlanTemplate,
    ProgressUpdate,
    Reminder,
    ReminderStatus,
    Risk,
    SharedGoal,
    ShareLink,
    TrustEntry,
)
from partners import transfer
from partners.models import Contact, Interaction, LeadershipTerm, Organization
from partners.services import organization_archive
from tests.conftest import ROLES
from tests.engagements.builders import build_partnership
from tests.factories import PASSWORD, OrganizationFactory, UserFactory, make_partner_member
from tests.test_permission_matrix import FIXTURES as GET_FIXTURES
from tests.test_permission_matrix import LOGIN as GET_LOGIN
from tests.test_permission_matrix import MATRIX as GET_MATRIX
from tests.test_permission_matrix import url_value_of

# Someone who opened a share link holds a token, not an account: every write
# must treat them as the anonymous visitor they are.
ANONYMOUS_ROLES = ("anonymous", "share_viewer")
SIGNED_IN_ROLES = ROLES[1:]
POST_ROLES = (*ANONYMOUS_ROLES, *SIGNED_IN_ROLES)


@dataclass(frozen=True)
class Answer:
    status: int
    writes: bool = False  # the post makes its change (else: every table stays as it was)
    to: str = ""  # the view a redirect must lead to


LOGIN = Answer(302, to="accounts:login")
FORBIDDEN = Answer(403)
NOT_FOUND = Answer(404)
NOT_ALLOWED = Answer(405)
PAGE = Answer(200)  # a page that explains, and nothing written
DONE = Answer(302, writes=True)  # the change, then a redirect to the row's done_to
DONE_PAGE = Answer(200, writes=True)


class Data:
    """The records of one case, each built on first use by the fixture of the same name."""

    def __init__(self, request: pytest.FixtureRequest, user: User | None) -> None:
        self.user = user
        self._request = request

    def __getattr__(self, name: str) -> object:
        return self._request.getfixturevalue(name)


@dataclass(frozen=True)
class Write:
    answers: dict[str, Answer]
    # What an allowed post changes, read fresh from the database.
    state: Callable[[Data], object]
    payload: Callable[[Data], dict[str, object]] = lambda d: {}
    kwargs: Callable[[Data], dict[str, object]] = lambda d: {}
    # Runs after the log-in and before the first look at the database.
    setup: Callable[[Data, Client], None] | None = None
    done_to: str = ""  # the view a successful post redirects to
    headers: dict[str, str] | None = None


def reload(record):
    return type(record)._base_manager.get(pk=record.pk)


def today(days: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# --- Who may write what -----------------------------------------------------

FACILITATORS_ONLY = dict.fromkeys(ANONYMOUS_ROLES, LOGIN) | {
    "partner_a": FORBIDDEN,
    "partner_b": FORBIDDEN,
    "facilitator": DONE,
    "admin": DONE,
}
# Records of partnership A / organization A: A's partner member may read them
# (403 on a write), B's must not learn they exist (404).
FACILITATOR_ONLY_ON_A = FACILITATORS_ONLY | {"partner_b": NOT_FOUND}
PARTNERS_OF_A_TOO = FACILITATOR_ONLY_ON_A | {"partner_a": DONE}
SIGNED_IN = dict.fromkeys(ANONYMOUS_ROLES, LOGIN) | dict.fromkeys(SIGNED_IN_ROLES, DONE)
ANYONE_WITH_THE_LINK = dict.fromkeys(POST_ROLES, DONE)

# --- Payloads that succeed for an allowed role ------------------------------

PARTNERSHIP_DATA = {
    "title": "Bank Sampah Kelurahan",
    "purpose": "Mengurangi sampah rumah tangga",
    "start_date": "2026-03-01",
    "end_date": "",
    "shared_notes": "",
    "internal_notes": "",
}
GOAL_DATA = {
    "statement": "Latih 30 kader",
    "success_indicator": "",
    "baseline": "0",
    "target": "30",
    "unit": "kader",
    "start_date": "2026-01-01",
    "target_date": "2026-12-31",
    "status_override": "",
    "shared_notes": "",
    "internal_notes": "",
}
SCHEDULE_DATA = {
    "cadence": "weeks",
    "interval": "3",
    "month_week": "1",
    "month_weekday": "0",
    "grace_days": "3",
    "lead_days": "2",
    "channel": "video",
    "time_zone": "Asia/Makassar",
    "repeat_every_days": "3",
    "escalate_after": "2",
}
ORGANIZATION_DATA = {
    "name": "Kelompok Wanita Tani Melati",
    "kind": "women",
    "mission": "Kebun gizi keluarga",
    "province": "33",
    "regency": "Kabupaten Boyolali",
    "legal_status": "unregistered",
    "funding_stability": "irregular",
    "focus_areas_text": "nutrition",
    "channels-TOTAL_FORMS": "1",
    "channels-INITIAL_FORMS": "0",
    "channels-MIN_NUM_FORMS": "0",
    "channels-MAX_NUM_FORMS": "12",
    "channels-0-kind": "whatsapp_group",
    "channels-0-address": "KWT Melati Boyolali",
}
CONTACT_DATA = {
    "name": "Pak Budi",
    "role_in_group": "bendahara",
    "phone": "0812 3456 7890",
    "email": "budi@example.net",
    "preferred_channel": "whatsapp",
    "preferred_language": "id",
    "consent_to_contact": "on",
    "consent_recorded_on": "",
}
COMMITMENT_DATA = {
    "promised_by_side": "member",
    "text": "Menyiapkan 500 polybag",
    "promised_to_side": "all_members",
    "origin": "meeting",
    "internal_notes": "",
}
RISK_DATA = {
    "category": "funding",
    "title": "Iuran anggota tidak cukup",
    "description": "Kas kelompok menipis",
    "likelihood": "4",
    "impact": "3",
    "owner_side": "facilitators",
    "mitigation": "Cari dana desa",
    "status": "open",
    "review_on": "",
    "internal_notes": "",
}
LESSON_DATA = {
    "kind": "lesson",
    "title": "Rapat malam lebih ramai",
    "body": "Pertemuan setelah isya dihadiri lebih banyak anggota.",
    "tags": "Pertemuan, partisipasi",
}
IMPORT_CSV = "name,kind,province,regency\nKelompok Impor Baru,youth,35,Kota Malang\n"
NEW_PASSWORD = "Bibit-Mangrove-Demak-2026"
HTMX = {"HX-Request": "true"}


def import_payload() -> str:
    preview = transfer.import_preview(transfer.organizations_check(text=IMPORT_CSV))
    return transfer.import_payload(text=IMPORT_CSV, preview=preview)


def activity_data(d: Data, **overrides: object) -> dict[str, object]:
    return {
        "title": "Pembibitan",
        "goal": d.goal_a.pk,
        "description": "",
        "due_date": "2026-03-01",
        "status": "planned",
        "shared_notes": "",
        "internal_notes": "",
        f"role_{d.member_a.pk}": "A",
        f"role_{d.member_m.pk}": "R",
    } | overrides


def held_an_hour_ago(d: Data) -> str:
    zone = zoneinfo.ZoneInfo(zone_of(reload(d.partnership_a)))
    return timezone.localtime(timezone.now() - datetime.timedelta(hours=1), zone).strftime("%Y-%m-%dT%H:%M")


def open_reset_link(d: Data, client: Client) -> None:
    """As the emailed link does: Django keeps the token in the session, then asks for the password."""
    user = reload(d.forgetful)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    response = client.get(
        reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    )
    assert response.status_code == 302


def renew_calendar(d: Data, client: Client) -> None:
    if d.user is not None:
        calendar_token_renew(user=d.user)


def archive_org_a(d: Data, client: Client) -> None:
    organization_archive(user=None, organization=d.org_a)


def user_state(*fields: str) -> Callable[[Data], object]:
    return lambda d: None if d.user is None else User.objects.values_list(*fields).get(pk=d.user.pk)


# --- The matrix --------------------------------------------------------------

# URL kwargs of the records the posts aim at.


def on_partnership(d: Data) -> dict[str, object]:
    return {"pk": d.partnership_a.pk}


def on_goal(d: Data) -> dict[str, object]:
    return on_partnership(d) | {"goal_pk": d.goal_a.pk}


def on_activity(d: Data) -> dict[str, object]:
    return on_partnership(d) | {"activity_pk": d.activity_a.pk}


def on_commitment(d: Data) -> dict[str, object]:
    return on_partnership(d) | {"commitment_pk": d.commitment_a.pk}


def on_risk(d: Data) -> dict[str, object]:
    return on_partnership(d) | {"risk_pk": d.risk_a.pk}


def on_flag(d: Data) -> dict[str, object]:
    return on_partnership(d) | {"key": d.flag_a.key}


def on_health_round(d: Data) -> dict[str, object]:
    return on_partnership(d) | {"round_pk": d.health_round_a.pk}


def on_lesson(d: Data) -> dict[str, object]:
    return on_partnership(d) | {"lesson_pk": d.lesson_a.pk}


def on_internal_lesson(d: Data) -> dict[str, object]:
    return on_partnership(d) | {"lesson_pk": d.lesson_internal_a.pk}


def lesson_data(*, shared: bool = True, **overrides: object) -> dict[str, object]:
    # Yesterday: a lesson is about something that happened, in the partnership's zone as in the server's.
    data: dict[str, object] = LESSON_DATA | {"happened_on": today(-1)} | overrides
    return data | {"shared_with_partners": "on"} if shared else data


def on_org_a(d: Data) -> dict[str, object]:
    return {"pk": d.org_a.pk}


def on_contact_of_a(d: Data) -> dict[str, object]:
    return on_org_a(d) | {"contact_pk": d.contact_a.pk}


# URL name, or "name#variant" for a second payload on the same URL -> Write.
POST_MATRIX: dict[str, Write] = {
    # Accounts. Log-in and language are open to visitors; the rest is each
    # signed-in user's own account.
    "accounts:login": Write(
        answers=dict.fromkeys(ANONYMOUS_ROLES, DONE) | dict.fromkeys(SIGNED_IN_ROLES, Answer(302, to="home")),
        payload=lambda d: {"username": d.facilitator.username, "password": PASSWORD},
        state=lambda d: reload(d.facilitator).last_login,
        done_to="home",
    ),
    "accounts:logout": Write(answers=SIGNED_IN, state=lambda d: Session.objects.count(), done_to="accounts:login"),
    "accounts:set_language": Write(
        # A visitor's choice lives in a cookie only.
        answers=dict.fromkeys(ANONYMOUS_ROLES, Answer(302, to="home")) | dict.fromkeys(SIGNED_IN_ROLES, DONE),
        payload=lambda d: {"language": "id", "next": "/"},
        state=user_state("language"),
        done_to="home",
    ),
    "accounts:preferences": Write(
        answers=SIGNED_IN,
        payload=lambda d: {
            "language": "id",
            "time_zone": "Asia/Makassar",
            "email_reminders": "on",
            "daily_digest": "on",
        },
        state=user_state("language", "time_zone", "daily_digest"),
        done_to="accounts:preferences",
    ),
    "accounts:calendar_address": Write(
        answers=SIGNED_IN,
        payload=lambda d: {"action": "renew"},
        state=user_state("calendar_token"),
        done_to="accounts:preferences",
    ),
    "accounts:calendar_address#revoke": Write(
        answers=SIGNED_IN,
        payload=lambda d: {"action": "revoke"},
        state=user_state("calendar_token"),
        setup=renew_calendar,
        done_to="accounts:preferences",
    ),
    "accounts:password_change": Write(
        answers=SIGNED_IN,
        payload=lambda d: {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        state=user_state("password"),
        done_to="accounts:password_change_done",
    ),
    # Anyone may ask for a reset email; nothing is written, an email is queued.
    "accounts:password_reset": Write(
        answers=ANYONE_WITH_THE_LINK,
        payload=lambda d: {"email": d.facilitator.email},
        state=lambda d: len(mail.outbox),
        done_to="accounts:password_reset_done",
    ),
    "accounts:password_reset_confirm": Write(
        answers=ANYONE_WITH_THE_LINK,
        kwargs=lambda d: {"uidb64": urlsafe_base64_encode(force_bytes(d.forgetful.pk)), "token": "set-password"},
        payload=lambda d: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        setup=open_reset_link,
        state=lambda d: reload(d.forgetful).password,
        done_to="accounts:password_reset_complete",
    ),
    # Partnerships.
    "engagements:partnership_create": Write(
        answers=FACILITATORS_ONLY,
        payload=lambda d: PARTNERSHIP_DATA,
        state=lambda d: Partnership.objects.count(),
        done_to="engagements:partnership_detail",
    ),
    "engagements:partnership_edit": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        payload=lambda d: (
            PARTNERSHIP_DATA | {"title": "Mangrove Pesisir Demak Utara", "facilitators": [d.facilitator.pk]}
        ),
        state=lambda d: reload(d.partnership_a).title,
        done_to="engagements:partnership_detail",
    ),
    "engagements:partnership_status": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        payload=lambda d: {"status": "agreed", "reason": "Semua mitra setuju"},
        state=lambda d: reload(d.partnership_a).status,
        done_to="engagements:partnership_detail",
    ),
    "engagements:member_add": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        # B's own group: the outsider must not be able to join itself.
        payload=lambda d: {"organization": d.org_b.pk, "role": "supporter"},
        state=lambda d: d.partnership_a.members.count(),
        done_to="engagements:partnership_detail",
    ),
    "engagements:member_remove": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=lambda d: on_partnership(d) | {"member_pk": d.member_m.pk},
        state=lambda d: d.partnership_a.members.count(),
        done_to="engagements:partnership_detail",
    ),
    # Goals.
    "engagements:goal_create": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        payload=lambda d: GOAL_DATA,
        state=lambda d: SharedGoal.objects.filter(partnership=d.partnership_a).count(),
        done_to="engagements:goal_detail",
    ),
    "engagements:goal_edit": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_goal,
        payload=lambda d: GOAL_DATA | {"statement": "Tanam 2000 bibit mangrove", "target": "2000", "unit": "bibit"},
        state=lambda d: reload(d.goal_a).statement,
        done_to="engagements:goal_detail",
    ),
    "engagements:progress_add": Write(
        answers=PARTNERS_OF_A_TOO,
        kwargs=on_goal,
        payload=lambda d: {"value": "120", "measured_on": today(), "note": "Penanaman pertama"},
        state=lambda d: ProgressUpdate.objects.filter(goal=d.goal_a).count(),
        done_to="engagements:goal_detail",
    ),
    "engagements:progress_add#htmx": Write(
        answers=PARTNERS_OF_A_TOO | {"partner_a": DONE_PAGE, "facilitator": DONE_PAGE, "admin": DONE_PAGE},
        kwargs=on_goal,
        payload=lambda d: {"value": "120", "measured_on": today(), "note": "Penanaman pertama"},
        state=lambda d: ProgressUpdate.objects.filter(goal=d.goal_a).count(),
        headers=HTMX,
    ),
    "engagements:goal_status": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_goal,
        payload=lambda d: {"status_override": "at_risk"},
        state=lambda d: reload(d.goal_a).status_override,
        done_to="engagements:goal_detail",
    ),
    # The plan.
    "engagements:plan_agree": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        payload=lambda d: {"summary": "Disepakati di balai desa"},
        state=lambda d: PlanRevision.objects.filter(partnership=d.partnership_a).count(),
        done_to="engagements:plan",
    ),
    "engagements:activity_create": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        payload=activity_data,
        state=lambda d: Activity.objects.filter(partnership=d.partnership_a).count(),
        done_to="engagements:plan",
    ),
    "engagements:activity_edit": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_activity,
        payload=lambda d: activity_data(d, title="Kegiatan 1 diperbarui"),
        state=lambda d: reload(d.activity_a).title,
        done_to="engagements:plan",
    ),
    # A is accountable for the activity: its partner member may mark it done...
    "engagements:activity_status": Write(
        answers=PARTNERS_OF_A_TOO,
        kwargs=on_activity,
        payload=lambda d: {"status": "done"},
        state=lambda d: reload(d.activity_a).status,
        done_to="engagements:plan",
    ),
    # ... also from the plan page, where htmx swaps in the saved status ...
    "engagements:activity_status#htmx": Write(
        answers=PARTNERS_OF_A_TOO | {"partner_a": DONE_PAGE, "facilitator": DONE_PAGE, "admin": DONE_PAGE},
        kwargs=on_activity,
        payload=lambda d: {"status": "done"},
        state=lambda d: reload(d.activity_a).status,
        headers=HTMX,
    ),
    # ... but set no other status ...
    "engagements:activity_status#cancel": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_activity,
        payload=lambda d: {"status": "cancelled"},
        state=lambda d: reload(d.activity_a).status,
        done_to="engagements:plan",
    ),
    # ... and mark done nothing that M, not A, answers for.
    "engagements:activity_status#not_ours": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=lambda d: on_partnership(d) | {"activity_pk": d.activity_m.pk},
        payload=lambda d: {"status": "done"},
        state=lambda d: reload(d.activity_m).status,
        done_to="engagements:plan",
    ),
    "engagements:role_cell": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=lambda d: on_activity(d) | {"member_pk": d.member_m.pk},
        payload=lambda d: {"role": "C"},
        state=lambda d: list(ActivityRole.objects.filter(activity=d.activity_a).values_list("member", "role")),
        done_to="engagements:plan",
    ),
    "engagements:role_cell#htmx": Write(
        answers=FACILITATOR_ONLY_ON_A | {"facilitator": DONE_PAGE, "admin": DONE_PAGE},
        kwargs=lambda d: on_activity(d) | {"member_pk": d.member_m.pk},
        payload=lambda d: {"role": "C"},
        state=lambda d: list(ActivityRole.objects.filter(activity=d.activity_a).values_list("member", "role")),
        headers=HTMX,
    ),
    "engagements:plan_template_save": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        payload=lambda d: {"name": "Templat pesisir", "description": "Untuk kelompok nelayan"},
        state=lambda d: PlanTemplate.objects.count(),
        done_to="engagements:plan",
    ),
    "engagements:plan_template_apply": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        payload=lambda d: {"template": d.plan_template_a.pk},
        state=lambda d: Activity.objects.filter(partnership=d.partnership_a).count(),
        done_to="engagements:plan",
    ),
    # Sharing and inviting.
    "engagements:share_link_create": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        payload=lambda d: {"label": "Grup WhatsApp", "expires_on": today(14)},
        state=lambda d: ShareLink.objects.filter(partnership=d.partnership_a).count(),
        done_to="engagements:partnership_detail",
    ),
    "engagements:share_link_revoke": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=lambda d: on_partnership(d) | {"link_pk": d.share_link_a.pk},
        state=lambda d: reload(d.share_link_a).revoked_at,
        done_to="engagements:partnership_detail",
    ),
    "engagements:invitation_create": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        payload=lambda d: {"contact": d.contact_a.pk, "email": ""},
        state=lambda d: Invitation.objects.filter(partnership=d.partnership_a).count(),
        done_to="engagements:partnership_detail",
    ),
    # The token is the key; someone signed in is told to log out first, so
    # that accepting cannot swap their session for the new account.
    "engagements:invitation_accept": Write(
        answers=dict.fromkeys(ANONYMOUS_ROLES, DONE) | dict.fromkeys(SIGNED_IN_ROLES, PAGE),
        kwargs=lambda d: {"token": d.invitation_a.token},
        payload=lambda d: {"username": "sri_wahyuni", "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
        state=lambda d: User.objects.count(),
        done_to="engagements:our_partnerships",
    ),
    # Check-ins and reminders.
    "engagements:schedule_form": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        payload=lambda d: SCHEDULE_DATA | {"starts_on": today()},
        state=lambda d: list(
            CheckInSchedule.objects.filter(partnership=d.partnership_a).values_list("interval", "channel", "time_zone")
        ),
        done_to="engagements:partnership_detail",
    ),
    "engagements:check_in_create": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        payload=lambda d: {
            "held_at": held_an_hour_ago(d),
            "channel": "phone",
            "summary": "Membahas pembibitan",
            "decisions": "",
            "next_steps": "Beli polybag",
            "shared_notes": "",
            "internal_notes": "",
        },
        state=lambda d: CheckIn.objects.filter(partnership=d.partnership_a).count(),
        done_to="engagements:check_in_detail",
    ),
    "engagements:next_step_to_activity": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=lambda d: on_partnership(d) | {"check_in_pk": d.check_in_a.pk, "step": 0},
        state=lambda d: Activity.objects.filter(partnership=d.partnership_a).count(),
        done_to="engagements:activity_edit",
    ),
    # The trust log: facilitators add entries and corrections; nothing is ever edited or removed.
    "engagements:trust_entry_create": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        payload=lambda d: {
            "kind": "open_meeting",
            "happened_at": held_an_hour_ago(d),
            "shared_text": "Rapat terbuka di balai desa",
            "internal_text": "",
        },
        state=lambda d: TrustEntry.objects.filter(partnership=d.partnership_a).count(),
        done_to="engagements:trust_log",
    ),
    "engagements:trust_entry_correct": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=lambda d: on_partnership(d) | {"entry_pk": d.trust_entry_a.pk},
        payload=lambda d: {"shared_text": "Bergabung bulan Maret, bukan Februari", "internal_text": ""},
        state=lambda d: TrustEntry.objects.filter(partnership=d.partnership_a).count(),
        done_to="engagements:trust_log",
    ),
    # Commitments: facilitators record them and take every step; A's partner
    # member marks A's own commitments kept, and nothing else.
    "engagements:commitment_create": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        payload=lambda d: COMMITMENT_DATA | {"promised_by": d.org_a.pk, "due_on": today(7)},
        state=lambda d: Commitment.objects.filter(partnership=d.partnership_a).count(),
        done_to="engagements:commitment_detail",
    ),
    "engagements:check_in_line_to_commitment": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=lambda d: on_partnership(d) | {"check_in_pk": d.check_in_a.pk, "kind": "next_step", "line": 0},
        payload=lambda d: COMMITMENT_DATA | {"promised_by": d.org_a.pk, "due_on": today(7), "origin": "check_in"},
        state=lambda d: Commitment.objects.filter(check_in=d.check_in_a).count(),
        done_to="engagements:commitment_detail",
    ),
    "engagements:commitment_mark_kept": Write(
        answers=PARTNERS_OF_A_TOO,
        kwargs=on_commitment,
        state=lambda d: reload(d.commitment_a).state,
        done_to="engagements:commitment_detail",
    ),
    "engagements:commitment_mark_kept#portal": Write(
        answers=PARTNERS_OF_A_TOO,
        kwargs=on_commitment,
        payload=lambda d: {"next": "portal"},
        state=lambda d: reload(d.commitment_a).state,
        done_to="engagements:partnership_detail",
    ),
    "engagements:commitment_mark_kept#not_ours": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=lambda d: on_partnership(d) | {"commitment_pk": d.commitment_m.pk},
        state=lambda d: reload(d.commitment_m).state,
        done_to="engagements:commitment_detail",
    ),
    "engagements:commitment_confirm": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=lambda d: on_partnership(d) | {"commitment_pk": d.commitment_kept_a.pk},
        state=lambda d: reload(d.commitment_kept_a).confirmation,
        done_to="engagements:commitment_detail",
    ),
    "engagements:commitment_dispute": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=lambda d: on_partnership(d) | {"commitment_pk": d.commitment_kept_a.pk},
        payload=lambda d: {"note": "Polybag belum sampai"},
        state=lambda d: reload(d.commitment_kept_a).confirmation,
        done_to="engagements:commitment_detail",
    ),
    "engagements:commitment_renegotiate": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_commitment,
        payload=lambda d: {"due_on": today(30), "text": "", "reason": "Musim hujan"},
        state=lambda d: reload(d.commitment_a).state,
        done_to="engagements:commitment_detail",
    ),
    "engagements:commitment_withdraw": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_commitment,
        payload=lambda d: {"reason": "Kegiatan dibatalkan bersama"},
        state=lambda d: reload(d.commitment_a).state,
        done_to="engagements:commitment_detail",
    ),
    "engagements:commitment_mark_broken": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_commitment,
        payload=lambda d: {"reason": "Tidak ada kabar"},
        state=lambda d: reload(d.commitment_a).state,
        done_to="engagements:commitment_detail",
    ),
    # The risk register: facilitators keep it and answer the flags; A's
    # partner member reads the risks (403 on a write), and not the flags.
    "engagements:risk_create": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        payload=lambda d: RISK_DATA,
        state=lambda d: Risk.objects.filter(partnership=d.partnership_a).count(),
        done_to="engagements:risk_detail",
    ),
    "engagements:risk_edit": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_risk,
        payload=lambda d: RISK_DATA | {"title": "Dana desa belum cair", "status": "mitigating"},
        state=lambda d: reload(d.risk_a).title,
        done_to="engagements:risk_detail",
    ),
    "engagements:risk_close": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_risk,
        state=lambda d: reload(d.risk_a).status,
        done_to="engagements:risk_detail",
    ),
    "engagements:flag_acknowledge": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_flag,
        payload=lambda d: {"note": "Sudah dibahas di pertemuan rutin"},
        state=lambda d: FlagAcknowledgement.objects.filter(partnership=d.partnership_a).count(),
        done_to="engagements:risk_list",
    ),
    "engagements:flag_to_risk": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_flag,
        payload=lambda d: RISK_DATA | {"owner_side": "member", "owner_organization": d.org_a.pk},
        state=lambda d: Risk.objects.filter(partnership=d.partnership_a, from_flag=d.flag_a.key).count(),
        done_to="engagements:risk_detail",
    ),
    # The learning log: facilitators write it; A's partner member reads the
    # shared lessons (403 on a write) ...
    "engagements:lesson_create": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        payload=lambda d: lesson_data(organizations=[d.org_a.pk], goals=[d.goal_a.pk]),
        state=lambda d: Lesson.objects.filter(partnership=d.partnership_a).count(),
        done_to="engagements:lesson_detail",
    ),
    "engagements:lesson_edit": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_lesson,
        payload=lambda d: lesson_data(title="Rapat sore lebih ramai"),
        state=lambda d: reload(d.lesson_a).title,
        done_to="engagements:lesson_detail",
    ),
    "engagements:lesson_delete": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_lesson,
        state=lambda d: Lesson.objects.filter(pk=d.lesson_a.pk).exists(),
        done_to="engagements:lesson_list",
    ),
    # ... and is not told that an unshared one exists (404, not 403).
    "engagements:lesson_edit#internal": Write(
        answers=FACILITATOR_ONLY_ON_A | {"partner_a": NOT_FOUND},
        kwargs=on_internal_lesson,
        payload=lambda d: lesson_data(shared=False, title="Catatan fasilitator diubah"),
        state=lambda d: reload(d.lesson_internal_a).title,
        done_to="engagements:lesson_detail",
    ),
    "engagements:lesson_delete#internal": Write(
        answers=FACILITATOR_ONLY_ON_A | {"partner_a": NOT_FOUND},
        kwargs=on_internal_lesson,
        state=lambda d: Lesson.objects.filter(pk=d.lesson_internal_a.pk).exists(),
        done_to="engagements:lesson_list",
    ),
    # The health check: facilitators open and close the rounds; both sides
    # answer, A's partner member for A.
    "engagements:health_check_open": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_partnership,
        payload=lambda d: {"closes_on": today(14), "rhythm_months": "3"},
        state=lambda d: HealthCheckRound.objects.filter(partnership=d.partnership_a).count(),
        done_to="engagements:health_check_answer",
    ),
    "engagements:health_check_answer": Write(
        answers=PARTNERS_OF_A_TOO,
        kwargs=on_health_round,
        payload=lambda d: {f"score_{slug}": "4" for slug in HEALTH_CHECK_SLUGS},
        state=lambda d: HealthCheckAnswer.objects.filter(round=d.health_round_a).count(),
        done_to="engagements:health_check_results",
    ),
    "engagements:health_check_close": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_health_round,
        state=lambda d: reload(d.health_round_a).closed_at,
        done_to="engagements:health_check_results",
    ),
    "engagements:reminder_retry": Write(
        answers=FACILITATORS_ONLY,
        kwargs=lambda d: {"reminder_pk": d.reminder_a.pk},
        state=lambda d: reload(d.reminder_a).status,
        done_to="engagements:reminder_log",
    ),
    # The signed token is the proof (and the view takes mail clients'
    # one-click posts without a CSRF token, RFC 8058).
    "engagements:unsubscribe": Write(
        answers=dict.fromkeys(POST_ROLES, DONE_PAGE),
        kwargs=lambda d: {"token": d.unsubscribe_a.token},
        payload=lambda d: {"List-Unsubscribe": "One-Click"},
        state=lambda d: reload(d.facilitator).email_reminders,
    ),
    # The WhatsApp webhook is not there while the channel is off; with it on,
    # only Meta's signature lets a post in (test_whatsapp_webhook.py).
    "engagements:whatsapp_webhook": Write(
        answers=dict.fromkeys(POST_ROLES, NOT_FOUND),
        state=lambda d: Reminder.objects.count(),
    ),
    # Organizations.
    "partners:organization_create": Write(
        answers=FACILITATORS_ONLY,
        payload=lambda d: ORGANIZATION_DATA,
        state=lambda d: Organization.objects.count(),
        done_to="partners:organization_detail",
    ),
    "partners:organization_import": Write(
        answers=FACILITATORS_ONLY,
        payload=lambda d: {"payload": import_payload()},
        state=lambda d: Organization.objects.count(),
        done_to="partners:directory",
    ),
    "partners:organization_import#htmx": Write(
        answers=FACILITATORS_ONLY | {"facilitator": DONE_PAGE, "admin": DONE_PAGE},
        payload=lambda d: {"payload": import_payload()},
        state=lambda d: Organization.objects.count(),
        headers=HTMX,
    ),
    # The upload only shows a preview: nobody writes anything yet.
    "partners:organization_import#preview": Write(
        answers=FACILITATORS_ONLY | {"facilitator": PAGE, "admin": PAGE},
        payload=lambda d: {"file": SimpleUploadedFile("groups.csv", IMPORT_CSV.encode(), content_type="text/csv")},
        state=lambda d: Organization.objects.count(),
    ),
    "partners:organization_edit": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_org_a,
        payload=lambda d: ORGANIZATION_DATA | {"name": d.org_a.name, "mission": "Pemuda peduli pesisir"},
        state=lambda d: reload(d.org_a).mission,
        done_to="partners:organization_detail",
    ),
    "partners:organization_archive": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_org_a,
        state=lambda d: reload(d.org_a).archived_at,
        done_to="partners:directory",
    ),
    "partners:organization_restore": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_org_a,
        setup=archive_org_a,
        state=lambda d: reload(d.org_a).archived_at,
        done_to="partners:organization_detail",
    ),
    "partners:organization_stage": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_org_a,
        payload=lambda d: {"stage": "building_trust", "reason": "Dua kali bertemu di balai desa"},
        state=lambda d: reload(d.org_a).stage,
        done_to="partners:organization_detail",
    ),
    "partners:contact_create": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_org_a,
        payload=lambda d: CONTACT_DATA,
        state=lambda d: Contact.objects.filter(organization=d.org_a).count(),
        done_to="partners:organization_detail",
    ),
    "partners:contact_edit": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_contact_of_a,
        payload=lambda d: CONTACT_DATA | {"name": "Bu Sri Wahyuni", "email": d.contact_a.email},
        state=lambda d: reload(d.contact_a).name,
        done_to="partners:organization_detail",
    ),
    "partners:contact_erase": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_contact_of_a,
        state=lambda d: reload(d.contact_a).erased_at,
        done_to="partners:organization_detail",
    ),
    "partners:leader_create": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_org_a,
        payload=lambda d: {"leader": "", "new_leader_name": "Pak Joko", "title": "ketua", "started_on": today()},
        state=lambda d: LeadershipTerm.objects.filter(organization=d.org_a).count(),
        done_to="partners:organization_detail",
    ),
    "partners:interaction_create": Write(
        answers=FACILITATOR_ONLY_ON_A,
        kwargs=on_org_a,
        payload=lambda d: {"kind": "visit", "occurred_on": today(), "summary": "Kunjungan ke sekretariat"},
        state=lambda d: Interaction.objects.filter(organization=d.org_a).count(),
        done_to="partners:organization_detail",
    ),
}

# Django's admin is one rule for all its URLs; tests/accounts/test_admin.py.
COVERED_NAMESPACES = {"admin"}


def url_name_of(key: str) -> str:
    return key.split("#", 1)[0]


POST_URL_NAMES = {url_name_of(key) for key in POST_MATRIX}


def _url_names(patterns: list, namespace: str = "") -> list[str]:
    names: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names.extend(_url_names(pattern.url_patterns, inner))
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>")
    return names


def test_it_has_a_post_row_or_a_get_only_row_for_every_url_pattern() -> None:
    names = [n for n in _url_names(get_resolver().url_patterns) if n.split(":")[0] not in COVERED_NAMESPACES]
    missing = [n for n in names if n not in POST_URL_NAMES and n not in GET_MATRIX]
    assert not missing, f"URL patterns with no decision on who may POST: {missing}"
    stale = sorted(POST_URL_NAMES - set(names))
    assert not stale, f"POST rows for URL patterns that no longer exist: {stale}"
    incomplete = [key for key, write in POST_MATRIX.items() if set(write.answers) != set(POST_ROLES)]
    assert not incomplete, f"POST rows that miss a role: {incomplete}"
    unchecked = [key for key, write in POST_MATRIX.items() if DONE in write.answers.values() and not write.done_to]
    assert not unchecked, f"POST rows that redirect after the write without saying where: {unchecked}"


# --- The records every case may ask for ---------------------------------------


@pytest.fixture
def org_m(db: None) -> Organization:
    """The partnership's second member: neither standing partner member belongs to it."""
    return OrganizationFactory(name="Kelompok Nelayan Bahari")


@pytest.fixture
def contact_a(org_a):
    return Contact.objects.create(organization=org_a, name="Bu Sri", email="sri@example.net")


@pytest.fixture
def partnership_a(facilitator, org_a, org_m):
    """A (lead, accountable for its one activity) and M; B's partner member is an outsider."""
    return build_partnership(user=facilitator, organizations=[org_a, org_m], activities=1)


@pytest.fixture
def goal_a(partnership_a):
    return partnership_a.goals.get()


@pytest.fixture
def activity_a(partnership_a):
    return partnership_a.activities.get(title="Kegiatan 1")


@pytest.fixture
def activity_m(partnership_a, member_a, member_m):
    """An activity M is accountable for; A is only kept informed."""
    activity = Activity(partnership=partnership_a, title="Patroli pantai")
    return services.plans.activity_save(activity=activity, roles={member_m: "A", member_a: "I"})


@pytest.fixture
def member_a(partnership_a, org_a):
    return partnership_a.members.get(organization=org_a)


@pytest.fixture
def member_m(partnership_a, org_m):
    return partnership_a.members.get(organization=org_m)


@pytest.fixture
def trust_entry_a(partnership_a):
    """A shared entry: organization A joining the partnership."""
    return partnership_a.trust_entries.order_by("sequence").first()


@pytest.fixture
def share_link_a(facilitator, partnership_a):
    expires_on = timezone.localdate() + datetime.timedelta(days=30)
    return services.sharing.share_link_create(user=facilitator, partnership=partnership_a, expires_on=expires_on)


@pytest.fixture
def invitation_a(facilitator, partnership_a, contact_a):
    _invitation, token = services.invitations.invitation_create(
        user=facilitator, partnership=partnership_a, contact=contact_a, email=""
    )
    return SimpleNamespace(token=token)


@pytest.fixture
def check_in_a(facilitator, partnership_a):
    check_in = CheckIn(
        partnership=partnership_a, held_at=timezone.now(), channel="phone", summary="x", next_steps="Cari bibit"
    )
    return services.checkins.check_in_record(user=facilitator, check_in=check_in)


@pytest.fixture
def reminder_a(facilitator, partnership_a):
    """A reminder that failed: the one a retry is for."""
    return Reminder.objects.create(
        partnership=partnership_a, kind="checkin_due", subject_type="checkin", subject_id=1, occurrence="x",
        recipient_key=f"user:{facilitator.pk}", user=facilitator, email="f@example.org", due_on=timezone.localdate(),
        status=ReminderStatus.FAILED, attempts=5, last_error="SMTPServerDisconnected",
    )  # fmt: skip


@pytest.fixture
def unsubscribe_a(reminder_a):
    return SimpleNamespace(token=access.unsubscribe_url(reminder_a).rstrip("/").rsplit("/", 1)[1])


@pytest.fixture
def calendar_a(facilitator):
    return SimpleNamespace(token=calendar_token_renew(user=facilitator))


def commitment_by(facilitator, partnership, organization) -> Commitment:
    commitment = Commitment(
        partnership=partnership, promised_by=organization, text="Menyiapkan polybag", due_on=timezone.localdate()
    )
    return services.commitments.commitment_make(user=facilitator, commitment=commitment)


@pytest.fixture
def commitment_a(facilitator, partnership_a, org_a):
    """A's promise to all members: A's partner member may mark it kept."""
    return commitment_by(facilitator, partnership_a, org_a)


@pytest.fixture
def commitment_m(facilitator, partnership_a, org_m):
    """M's promise: A's partner member reads it, and may not mark it kept."""
    return commitment_by(facilitator, partnership_a, org_m)


@pytest.fixture
def commitment_kept_a(facilitator, partnership_a, org_a):
    """A's promise, marked kept by another member of A: it waits for a facilitator's confirmation."""
    commitment = commitment_by(facilitator, partnership_a, org_a)
    other_member = make_partner_member(org_a, username="mitra_a_lain")
    return services.commitments.commitment_mark_kept(user=other_member, commitment=commitment)


@pytest.fixture
def plan_template_a(facilitator, partnership_a):
    return services.plan_templates.plan_template_save(user=facilitator, partnership=partnership_a, name="Pesisir")


@pytest.fixture
def risk_a(facilitator, partnership_a):
    """An open risk of partnership A, looked after by the facilitating side."""
    risk = Risk(partnership=partnership_a, category="funding", title="Iuran anggota tidak cukup")
    return services.risks.risk_save(user=facilitator, risk=risk)


@pytest.fixture
def flag_a(partnership_a, org_a):
    """A's funding became irregular: an automatic flag of partnership A, named in its URLs by its key."""
    org_a.funding_stability = "irregular"
    org_a.save()
    return next(flag for flag in selectors.risks.flags_of(partnership_a) if flag.organization == org_a)


@pytest.fixture
def health_round_a(facilitator, partnership_a):
    """An open health check of partnership A."""
    closes_on = timezone.localdate() + datetime.timedelta(days=14)
    return services.health_checks.health_check_open(user=facilitator, partnership=partnership_a, closes_on=closes_on)


def lesson_of(facilitator, partnership, *, title: str, shared: bool) -> Lesson:
    lesson = Lesson(
        partnership=partnership,
        title=title,
        body="Pertemuan setelah isya dihadiri lebih banyak anggota.",
        shared_with_partners=shared,
        happened_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    return services.learning.lesson_save(user=facilitator, lesson=lesson)


@pytest.fixture
def lesson_a(facilitator, partnership_a):
    """A lesson shared with the partner members: A's reads it."""
    return lesson_of(facilitator, partnership_a, title="Rapat malam lebih ramai", shared=True)


@pytest.fixture
def lesson_internal_a(facilitator, partnership_a):
    """A lesson kept with the facilitators: to A's partner member it does not exist."""
    return lesson_of(facilitator, partnership_a, title="Catatan fasilitator", shared=False)


@pytest.fixture
def forgetful(db: None) -> User:
    """Someone who asked for a new password; not one of the standing roles, whose log-in would spoil the link."""
    return UserFactory(username="lupa")


# --- Posting -------------------------------------------------------------------


def csrf_client(user: User | None) -> tuple[Client, str]:
    """A client that checks CSRF as a browser's request is checked, and a valid token for it."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    request = RequestFactory().get("/")
    token = get_token(request)  # masked; the cookie holds the secret it was masked from
    client.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
    return client, token


def database_rows() -> dict[str, list[tuple]]:
    """Every row of every table, to prove that a refused post wrote nothing anywhere."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def csrf_refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "django.security.csrf"]


def view_name(response) -> str:
    return resolve(urlparse(response["Location"]).path).view_name


def user_for(role: str, request: pytest.FixtureRequest) -> User | None:
    return None if role in ANONYMOUS_ROLES else request.getfixturevalue(role)


def open_share_link(client: Client, data: Data) -> None:
    assert client.get(reverse("engagements:shared_plan", args=[data.share_link_a.token])).status_code == 200


CASES = [(key, role) for key in POST_MATRIX for role in POST_ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "role"), CASES, ids=[f"{key}-{role}" for key, role in CASES])
def test_it_answers_each_post_as_expected_and_writes_only_when_allowed(
    key: str, role: str, request: pytest.FixtureRequest, caplog, django_capture_on_commit_callbacks
) -> None:
    write = POST_MATRIX[key]
    expected = write.answers[role]
    data = Data(request, user_for(role, request))
    client, token = csrf_client(data.user)
    if role == "share_viewer":
        open_share_link(client, data)
    if write.setup is not None:
        write.setup(data, client)
    url = reverse(url_name_of(key), kwargs=write.kwargs(data))
    payload = write.payload(data) | {"csrfmiddlewaretoken": token}
    rows, state = database_rows(), write.state(data)

    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        with django_capture_on_commit_callbacks(execute=True):  # emails and tasks queued by the write
            response = client.post(url, payload, headers=write.headers)

    assert not csrf_refusals(caplog), "CSRF refused the post: the case proves nothing"
    assert response.status_code == expected.status
    if expected.to:
        assert view_name(response) == expected.to
    if expected.writes:
        assert write.state(data) != state, "an allowed post changed nothing"
        if expected.status == 302:
            assert view_name(response) == write.done_to
    else:
        assert write.state(data) == state
        assert database_rows() == rows, "a refused post changed the database"


# Every pattern in the GET matrix that has no POST row: POST is refused for
# all, before any write (anonymous visitors meet the log-in page first).
GET_ONLY_CASES = [(name, role) for name in GET_MATRIX if name not in POST_URL_NAMES for role in POST_ROLES]


def _get_matrix_value(request: pytest.FixtureRequest, name: str, value: str) -> object:
    if value not in GET_FIXTURES:
        return value
    return url_value_of(name, request.getfixturevalue(value))


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role"), GET_ONLY_CASES, ids=[f"{n}-{r}" for n, r in GET_ONLY_CASES])
def test_it_refuses_post_on_every_url_pattern_without_a_post_row(
    url_name: str, role: str, request: pytest.FixtureRequest, caplog
) -> None:
    kwargs, get_answers = GET_MATRIX[url_name]
    data = Data(request, user_for(role, request))
    client, token = csrf_client(data.user)
    if role == "share_viewer":
        open_share_link(client, data)
    url = reverse(url_name, kwargs={name: _get_matrix_value(request, name, value) for name, value in kwargs.items()})
    rows = database_rows()

    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = client.post(url, {"csrfmiddlewaretoken": token, "name": "Kelompok Baru"})

    assert not csrf_refusals(caplog)
    expected = LOGIN if role in ANONYMOUS_ROLES and get_answers["anonymous"] == GET_LOGIN else NOT_ALLOWED
    assert response.status_code == expected.status
    if expected.to:
        assert view_name(response) == expected.to
    assert database_rows() == rows


@pytest.mark.django_db
def test_it_refuses_a_post_without_the_csrf_token(facilitator, partnership_a) -> None:
    """The matrix's valid token is what lets its posts through: without one, nothing is written."""
    client, _token = csrf_client(facilitator)
    url = reverse("engagements:partnership_edit", args=[partnership_a.pk])
    response = client.post(url, PARTNERSHIP_DATA | {"title": "Tanpa token"})
    assert response.status_code == 403
    assert reload(partnership_a).title == "Mangrove Pesisir Demak"
