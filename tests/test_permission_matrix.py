"""Every URL pattern x every standing role has an expected answer.

A new URL pattern without a row here fails
``test_it_has_an_expected_answer_for_every_url_pattern``: whoever adds a
page must decide who may open it.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.services import calendar_token_renew
from engagements import access, selectors, services
from engagements.models import CheckIn, Commitment, Lesson, Reminder, Risk
from partners.models import Contact
from tests.conftest import ROLES, client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

LOGIN = "login"  # sent to the log-in page
OK = 200
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405


def to(view_name: str) -> tuple[str, str]:
    return ("redirect", view_name)


FACILITATORS_ONLY = {"anonymous": LOGIN, "partner_a": FORBIDDEN, "partner_b": FORBIDDEN, "facilitator": OK, "admin": OK}

# URL name -> (kwargs to reverse with, {role: expected answer to GET}). A
# kwarg value naming a fixture (org_a, contact_a) is replaced by its pk.
MATRIX: dict[str, tuple[dict[str, str], dict[str, object]]] = {
    "home": (
        {},
        {
            "anonymous": LOGIN,
            "partner_a": to("engagements:our_partnerships"),
            "partner_b": to("engagements:our_partnerships"),
            "facilitator": to("engagements:today"),
            "admin": to("engagements:today"),
        },
    ),
    "healthz": ({}, dict.fromkeys(ROLES, OK)),
    "favicon": ({}, dict.fromkeys(ROLES, OK)),
    "service_worker": ({}, dict.fromkeys(ROLES, OK)),
    "accounts:login": (
        {},
        {"anonymous": OK} | dict.fromkeys(ROLES[1:], to("home")),
    ),
    "accounts:logout": ({}, {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], NOT_ALLOWED)),
    "accounts:set_language": ({}, dict.fromkeys(ROLES, NOT_ALLOWED)),
    "accounts:no_role": ({}, {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], OK)),
    "accounts:password_change": ({}, {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], OK)),
    "accounts:password_change_done": ({}, {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], OK)),
    "accounts:password_reset": ({}, dict.fromkeys(ROLES, OK)),
    "accounts:password_reset_done": ({}, dict.fromkeys(ROLES, OK)),
    "accounts:password_reset_confirm": ({"uidb64": "MQ", "token": "set-password"}, dict.fromkeys(ROLES, OK)),
    "accounts:password_reset_complete": ({}, dict.fromkeys(ROLES, OK)),
    "engagements:today": (
        {},
        {"anonymous": LOGIN, "partner_a": FORBIDDEN, "partner_b": FORBIDDEN, "facilitator": OK, "admin": OK},
    ),
    "engagements:today_list": ({"kind": "flags"}, FACILITATORS_ONLY),
    "engagements:our_partnerships": (
        {},
        {"anonymous": LOGIN, "partner_a": OK, "partner_b": OK, "facilitator": FORBIDDEN, "admin": FORBIDDEN},
    ),
}

# Pages about organization A: its own partner member may read the profile
# only; a member of B must not learn that A exists.
ORG_A = {"pk": "org_a"}
CONTACT_OF_A = {"pk": "org_a", "contact_pk": "contact_a"}
FACILITATOR_ONLY_ON_A = {
    "anonymous": LOGIN,
    "partner_a": FORBIDDEN,
    "partner_b": NOT_FOUND,
    "facilitator": OK,
    "admin": OK,
}
MATRIX |= {
    "partners:directory": ({}, FACILITATORS_ONLY),
    "partners:organization_create": ({}, FACILITATORS_ONLY),
    "partners:directory_export": ({}, FACILITATORS_ONLY),
    "partners:organization_import": ({}, FACILITATORS_ONLY),
    "partners:organization_detail": (
        ORG_A,
        {"anonymous": LOGIN, "partner_a": OK, "partner_b": NOT_FOUND, "facilitator": OK, "admin": OK},
    ),
    "partners:organization_edit": (ORG_A, FACILITATOR_ONLY_ON_A),
    "partners:organization_archive": (ORG_A, FACILITATOR_ONLY_ON_A),
    "partners:organization_restore": (
        ORG_A,
        {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], NOT_ALLOWED),
    ),
    "partners:organization_stage": (ORG_A, FACILITATOR_ONLY_ON_A),
    # The whole timeline holds internal notes (interactions): facilitators only, like the profile's part of it.
    "partners:organization_timeline": (ORG_A, FACILITATOR_ONLY_ON_A),
    "partners:contact_list": (
        ORG_A,
        {"anonymous": LOGIN, "partner_a": OK, "partner_b": NOT_FOUND, "facilitator": OK, "admin": OK},
    ),
    "partners:contact_create": (ORG_A, FACILITATOR_ONLY_ON_A),
    "partners:contact_edit": (CONTACT_OF_A, FACILITATOR_ONLY_ON_A),
    "partners:contact_export": (CONTACT_OF_A, FACILITATOR_ONLY_ON_A),
    "partners:contact_erase": (CONTACT_OF_A, FACILITATOR_ONLY_ON_A),
    "partners:leader_create": (ORG_A, FACILITATOR_ONLY_ON_A),
    "partners:interaction_create": (ORG_A, FACILITATOR_ONLY_ON_A),
}

# Pages of a partnership that organization A belongs to and B does not.
P = {"pk": "partnership_a"}
READ_ON_A = {"anonymous": LOGIN, "partner_a": OK, "partner_b": NOT_FOUND, "facilitator": OK, "admin": OK}
POST_ONLY = {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], NOT_ALLOWED)
MATRIX |= {
    "engagements:partnership_list": ({}, FACILITATORS_ONLY),
    "engagements:portfolio_export": ({}, FACILITATORS_ONLY),
    "engagements:partnership_summary": (P, READ_ON_A),
    "engagements:partnership_history": (P, FACILITATOR_ONLY_ON_A),
    "engagements:partnership_create": ({}, FACILITATORS_ONLY),
    "engagements:partnership_detail": (P, READ_ON_A),
    "engagements:partnership_edit": (P, FACILITATOR_ONLY_ON_A),
    "engagements:partnership_status": (P, FACILITATOR_ONLY_ON_A),
    "engagements:member_add": (P, FACILITATOR_ONLY_ON_A),
    "engagements:member_remove": (P | {"member_pk": "member_a"}, FACILITATOR_ONLY_ON_A),
    "engagements:goal_create": (P, FACILITATOR_ONLY_ON_A),
    "engagements:goal_detail": (P | {"goal_pk": "goal_a"}, READ_ON_A),
    "engagements:goal_edit": (P | {"goal_pk": "goal_a"}, FACILITATOR_ONLY_ON_A),
    "engagements:progress_add": (P | {"goal_pk": "goal_a"}, POST_ONLY),
    "engagements:goal_status": (P | {"goal_pk": "goal_a"}, POST_ONLY),
    "engagements:plan": (P, READ_ON_A),
    "engagements:plan_agree": (P, POST_ONLY),
    "engagements:share_link_create": (P, FACILITATOR_ONLY_ON_A),
    "engagements:share_link_revoke": (P | {"link_pk": "share_link_a"}, POST_ONLY),
    "engagements:plan_export": (P, READ_ON_A),
    # The share-link viewer: anyone holding a live token, signed in or not.
    "engagements:shared_plan": ({"token": "share_link_a"}, dict.fromkeys(ROLES, OK)),
    "engagements:invitation_create": (P, FACILITATOR_ONLY_ON_A),
    # Open to anyone with a live token; an unknown one is a 404 for all.
    "engagements:invitation_accept": ({"token": "no-such-invitation"}, dict.fromkeys(ROLES, NOT_FOUND)),
    "engagements:schedule_form": (P, FACILITATOR_ONLY_ON_A),
    "engagements:check_in_create": (P, FACILITATOR_ONLY_ON_A),
    "engagements:check_in_detail": (P | {"check_in_pk": "check_in_a"}, READ_ON_A),
    "engagements:next_step_to_activity": (P | {"check_in_pk": "check_in_a", "step": "0"}, POST_ONLY),
    "engagements:reminder_log": ({}, FACILITATORS_ONLY),
    "engagements:reminder_retry": ({"reminder_pk": "reminder_a"}, POST_ONLY),
    # Signed and secret links work without logging in, for anyone holding them.
    "engagements:unsubscribe": ({"token": "unsubscribe_a"}, dict.fromkeys(ROLES, OK)),
    "engagements:calendar_feed": ({"token": "calendar_a"}, dict.fromkeys(ROLES, OK)),
    # Not there while the WhatsApp channel is off (as here); with it on, Meta's
    # verify token and signature decide, whoever is signed in
    # (tests/engagements/reminders/test_whatsapp_webhook.py).
    "engagements:whatsapp_webhook": ({}, dict.fromkeys(ROLES, NOT_FOUND)),
    "accounts:preferences": ({}, {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], OK)),
    "accounts:calendar_address": ({}, POST_ONLY),
    "engagements:plan_template_save": (P, FACILITATOR_ONLY_ON_A),
    "engagements:plan_template_apply": (P, FACILITATOR_ONLY_ON_A),
    "engagements:activity_create": (P, FACILITATOR_ONLY_ON_A),
    "engagements:activity_edit": (P | {"activity_pk": "activity_a"}, FACILITATOR_ONLY_ON_A),
    "engagements:activity_status": (P | {"activity_pk": "activity_a"}, POST_ONLY),
    "engagements:role_cell": (P | {"activity_pk": "activity_a", "member_pk": "member_a"}, POST_ONLY),
}

# The trust log: partner members of A read the shared entries; only facilitators add and correct.
MATRIX |= {
    "engagements:trust_log": (P, READ_ON_A),
    "engagements:trust_log_export": (P, READ_ON_A),
    "engagements:trust_entry_create": (P, FACILITATOR_ONLY_ON_A),
    "engagements:trust_entry_correct": (P | {"entry_pk": "trust_entry_a"}, FACILITATOR_ONLY_ON_A),
}

# Commitments: partner members of A read them (and mark their own kept, by POST); facilitators write.
C_A = P | {"commitment_pk": "commitment_a"}
MATRIX |= {
    "engagements:commitment_list": (P, READ_ON_A),
    "engagements:commitment_export": (P, READ_ON_A),
    "engagements:commitment_create": (P, FACILITATOR_ONLY_ON_A),
    "engagements:check_in_line_to_commitment": (
        P | {"check_in_pk": "check_in_a", "kind": "next_step", "line": "0"},
        FACILITATOR_ONLY_ON_A,
    ),
    "engagements:commitment_detail": (C_A, READ_ON_A),
    "engagements:commitment_renegotiate": (C_A, FACILITATOR_ONLY_ON_A),
    "engagements:commitment_mark_kept": (C_A, POST_ONLY),
    "engagements:commitment_confirm": (C_A, POST_ONLY),
    "engagements:commitment_dispute": (C_A, POST_ONLY),
    "engagements:commitment_withdraw": (C_A, POST_ONLY),
    "engagements:commitment_mark_broken": (C_A, POST_ONLY),
}

# The risk register: partner members of A read the risks; facilitators keep
# them. The flags are the facilitators' reading of the partnership: A's
# partner member is refused even a look (403), B's learns nothing (404).
R_A = P | {"risk_pk": "risk_a"}
F_A = P | {"key": "flag_a"}
MATRIX |= {
    "engagements:risk_list": (P, READ_ON_A),
    "engagements:risk_create": (P, FACILITATOR_ONLY_ON_A),
    "engagements:risk_detail": (R_A, READ_ON_A),
    "engagements:risk_edit": (R_A, FACILITATOR_ONLY_ON_A),
    "engagements:risk_close": (R_A, FACILITATOR_ONLY_ON_A),
    "engagements:flag_acknowledge": (F_A, FACILITATOR_ONLY_ON_A),
    "engagements:flag_to_risk": (F_A, FACILITATOR_ONLY_ON_A),
}

# The health score: facilitators and A's partner member read it (GET only); B's learns nothing.
MATRIX |= {"engagements:health_detail": (P, READ_ON_A)}

# The learning log: partner members of A read the lessons shared with them;
# facilitators write, and search across partnerships.
L_A = P | {"lesson_pk": "lesson_a"}
MATRIX |= {
    "engagements:learning_search": ({}, FACILITATORS_ONLY),
    "engagements:lesson_list": (P, READ_ON_A),
    "engagements:lesson_create": (P, FACILITATOR_ONLY_ON_A),
    "engagements:lesson_detail": (L_A, READ_ON_A),
    "engagements:lesson_edit": (L_A, FACILITATOR_ONLY_ON_A),
    "engagements:lesson_delete": (L_A, FACILITATOR_ONLY_ON_A),
}

# The health check: both sides answer (A's partner member too) and read the
# results; facilitators open and close the rounds.
H_A = P | {"round_pk": "health_round_a"}
MATRIX |= {
    "engagements:health_check_list": (P, READ_ON_A),
    "engagements:health_check_open": (P, FACILITATOR_ONLY_ON_A),
    "engagements:health_check_results": (H_A, READ_ON_A),
    "engagements:health_check_answer": (H_A, READ_ON_A),
    "engagements:health_check_close": (H_A, FACILITATOR_ONLY_ON_A),
}

# Django's admin is one rule for all its URLs: staff only, others go to its
# log-in page. tests/accounts/test_admin.py proves it on its main pages.
COVERED_NAMESPACES = {"admin"}


def _url_names(patterns: list, namespace: str = "") -> list[str]:
    names: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names.extend(_url_names(pattern.url_patterns, inner))
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>")
    return names


def test_it_has_an_expected_answer_for_every_url_pattern() -> None:
    names = _url_names(get_resolver().url_patterns)
    missing = [n for n in names if n not in MATRIX and n.split(":")[0] not in COVERED_NAMESPACES]
    assert not missing, f"URL patterns without an expected answer per role: {missing}"
    incomplete = [name for name, (_, answers) in MATRIX.items() if set(answers) != set(ROLES)]
    assert not incomplete, f"Rows that miss a role: {incomplete}"
    stale = [name for name in MATRIX if name not in names]
    assert not stale, f"Rows for URL patterns that no longer exist: {stale}"


FIXTURES = {
    "org_a",
    "contact_a",
    "partnership_a",
    "goal_a",
    "activity_a",
    "member_a",
    "share_link_a",
    "check_in_a",
    "reminder_a",
    "unsubscribe_a",
    "calendar_a",
    "commitment_a",
    "trust_entry_a",
    "risk_a",
    "flag_a",
    "lesson_a",
    "health_round_a",
}


@pytest.fixture
def contact_a(org_a):
    return Contact.objects.create(organization=org_a, name="Bu Sri")


@pytest.fixture
def partnership_a(facilitator, org_a):
    return build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=1)


@pytest.fixture
def goal_a(partnership_a):
    return partnership_a.goals.get()


@pytest.fixture
def activity_a(partnership_a):
    return partnership_a.activities.get()


@pytest.fixture
def share_link_a(facilitator, partnership_a):
    expires_on = timezone.localdate() + datetime.timedelta(days=30)
    return services.sharing.share_link_create(user=facilitator, partnership=partnership_a, expires_on=expires_on)


@pytest.fixture
def check_in_a(facilitator, partnership_a):
    check_in = CheckIn(partnership=partnership_a, held_at=timezone.now(), channel="phone", summary="x", next_steps="a")
    return services.checkins.check_in_record(user=facilitator, check_in=check_in)


@pytest.fixture
def reminder_a(facilitator, partnership_a):
    return Reminder.objects.create(
        partnership=partnership_a, kind="checkin_due", subject_type="checkin", subject_id=1, occurrence="x",
        recipient_key=f"user:{facilitator.pk}", user=facilitator, email="f@example.org", due_on=timezone.localdate(),
    )  # fmt: skip


@pytest.fixture
def unsubscribe_a(reminder_a):
    return SimpleNamespace(token=access.unsubscribe_url(reminder_a).rstrip("/").rsplit("/", 1)[1])


@pytest.fixture
def calendar_a(facilitator):
    return SimpleNamespace(token=calendar_token_renew(user=facilitator))


@pytest.fixture
def member_a(partnership_a, org_a):
    return partnership_a.members.get(organization=org_a)


@pytest.fixture
def trust_entry_a(partnership_a):
    """A shared entry: organization A joining the partnership."""
    return partnership_a.trust_entries.order_by("sequence").first()


@pytest.fixture
def commitment_a(facilitator, partnership_a, org_a):
    """A commitment organization A made to all members."""
    commitment = Commitment(
        partnership=partnership_a, promised_by=org_a, text="Menyiapkan polybag", due_on=timezone.localdate()
    )
    return services.commitments.commitment_make(user=facilitator, commitment=commitment)


@pytest.fixture
def risk_a(facilitator, partnership_a):
    risk = Risk(partnership=partnership_a, category="funding", title="Iuran anggota tidak cukup")
    return services.risks.risk_save(user=facilitator, risk=risk)


@pytest.fixture
def flag_a(partnership_a, org_a):
    """A's funding became irregular: an automatic flag of partnership A, named in its URLs by its key."""
    org_a.funding_stability = "irregular"
    org_a.save()
    return next(flag for flag in selectors.risks.flags_of(partnership_a) if flag.organization == org_a)


@pytest.fixture
def lesson_a(facilitator, partnership_a):
    """A lesson shared with the partner members: A's may read it."""
    lesson = Lesson(
        partnership=partnership_a,
        title="Rapat malam lebih ramai",
        body="Pertemuan setelah isya dihadiri lebih banyak anggota.",
        shared_with_partners=True,
        happened_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    return services.learning.lesson_save(user=facilitator, lesson=lesson)


@pytest.fixture
def health_round_a(facilitator, partnership_a):
    """An open health check of partnership A."""
    closes_on = timezone.localdate() + datetime.timedelta(days=14)
    return services.health_checks.health_check_open(user=facilitator, partnership=partnership_a, closes_on=closes_on)


def url_value_of(name: str, record) -> object:
    """What a URL names a record by: a token or a flag's key, else its pk."""
    return getattr(record, name) if name in ("token", "key") else record.pk


def _url_value(request: pytest.FixtureRequest, name: str, value: str) -> object:
    if value not in FIXTURES:
        return value
    return url_value_of(name, request.getfixturevalue(value))


CASES = [(name, role) for name in MATRIX for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role_user"), CASES, indirect=["role_user"], ids=[f"{n}-{r}" for n, r in CASES])
def test_it_answers_each_role_as_expected(url_name: str, role_user, request: pytest.FixtureRequest) -> None:
    kwargs, answers = MATRIX[url_name]
    role = request.node.callspec.id.rsplit("-", 1)[1]
    expected = answers[role]
    kwargs = {name: _url_value(request, name, value) for name, value in kwargs.items()}
    response = client_for(role_user).get(reverse(url_name, kwargs=kwargs))

    if expected == LOGIN:
        assert response.status_code == 302
        target = urlparse(response["Location"])
        assert target.path == reverse("accounts:login")
    elif isinstance(expected, tuple):
        assert response.status_code == 302
        assert urlparse(response["Location"]).path == reverse(expected[1])
    else:
        assert response.status_code == expected
