"""Share links, the public shared page and the CSV export of the plan.

The partnership here has organization A (lead) and C (member), never B: so
partner_a may read it and partner_b must not learn that it exists.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements import services
from engagements.models import Activity, Partnership, SharedGoal, ShareLink
from partners.models import Contact
from tests.conftest import client_for
from tests.factories import OrganizationFactory

INTERNAL_MARKERS = ("INTERNAL-PARTNERSHIP-zq81", "INTERNAL-GOAL-zq82", "INTERNAL-ACTIVITY-zq83")
SHARED_MARKERS = ("SHARED-PARTNERSHIP-kp51", "SHARED-GOAL-kp52", "SHARED-ACTIVITY-kp53")
CONTACT_NAME = "Pak Wiryo Sastrodiharjo"
CONTACT_PHONE = "+62 812 7766 5544"
CONTACT_EMAIL = "wiryo.sastro@example.org"


def add_activities(partnership: Partnership, *, user, count: int, goal: SharedGoal | None = None, contact=None) -> None:
    lead, other = partnership.members.order_by("pk")
    start = partnership.activities.count()
    for n in range(start, start + count):
        services.plans.activity_save(
            user=user,
            activity=Activity(
                partnership=partnership,
                title=f"Kegiatan {n + 1}",
                goal=goal,
                due_date=timezone.localdate() + datetime.timedelta(days=n),
                shared_notes=SHARED_MARKERS[2],
                internal_notes=INTERNAL_MARKERS[2],
            ),
            roles={lead: "A", other: "R"},
            contacts={lead: contact} if contact else None,
        )


def add_goal(partnership: Partnership, *, user, statement: str = "Tanam 1000 bibit mangrove") -> SharedGoal:
    lead = partnership.members.order_by("pk").first()
    goal = services.goals.goal_save(
        user=user,
        goal=SharedGoal(
            partnership=partnership,
            statement=statement,
            baseline=Decimal(0),
            target=Decimal(1000),
            unit="bibit",
            start_date=timezone.localdate() - datetime.timedelta(days=30),
            target_date=timezone.localdate() + datetime.timedelta(days=300),
            shared_notes=SHARED_MARKERS[1],
            internal_notes=INTERNAL_MARKERS[1],
        ),
        benefits={lead: "Pesisir lebih aman"},
    )
    services.goals.progress_record(user=user, goal=goal, value=Decimal(250), measured_on=timezone.localdate())
    return goal


@pytest.fixture
def contact(org_a) -> Contact:
    return Contact.objects.create(organization=org_a, name=CONTACT_NAME, phone=CONTACT_PHONE, email=CONTACT_EMAIL)


@pytest.fixture
def partnership(facilitator, org_a, contact) -> Partnership:
    partnership = services.partnerships.partnership_save(
        user=facilitator,
        partnership=Partnership(
            title="Mangrove Pesisir Demak",
            purpose="Memulihkan pesisir bersama",
            shared_notes=SHARED_MARKERS[0],
            internal_notes=INTERNAL_MARKERS[0],
        ),
    )
    services.partnerships.member_add(partnership=partnership, organization=org_a, role="lead")
    services.partnerships.member_add(
        partnership=partnership, organization=OrganizationFactory(name="Kelompok Nelayan Bahari"), role="member"
    )
    goal = add_goal(partnership, user=facilitator)
    add_activities(partnership, user=facilitator, count=3, goal=goal, contact=contact)
    services.plans.plan_agree(user=facilitator, partnership=partnership, summary="Disepakati di balai desa")
    return partnership


@pytest.fixture
def link(facilitator, partnership) -> ShareLink:
    return services.sharing.share_link_create(
        user=facilitator,
        partnership=partnership,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        label="Grup WhatsApp",
    )


def shared_url(link: ShareLink) -> str:
    return reverse("engagements:shared_plan", args=[link.token])


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# Creating and revoking


@pytest.mark.django_db
def test_it_lets_a_facilitator_create_a_share_link(facilitator, partnership) -> None:
    client = client_for(facilitator)
    url = reverse("engagements:share_link_create", args=[partnership.pk])
    form = client.get(url)
    expires_on = timezone.localdate() + datetime.timedelta(days=30)
    assert form.status_code == 200
    assert f'value="{expires_on:%Y-%m-%d}"' in form.content.decode()  # 30 days by default

    response = client.post(url, {"label": "Grup WhatsApp RT 04", "expires_on": f"{expires_on:%Y-%m-%d}"})

    link = ShareLink.objects.get(partnership=partnership)
    assert response.status_code == 302
    assert response["Location"] == reverse("engagements:partnership_detail", args=[partnership.pk]) + (
        "#share-links-heading"
    )
    assert (link.label, link.expires_on, link.created_by, link.revoked_at) == (
        "Grup WhatsApp RT 04",
        expires_on,
        facilitator,
        None,
    )
    assert len(link.token) >= 32


@pytest.mark.django_db
def test_it_refuses_an_expiry_date_in_the_past(facilitator, partnership) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client_for(facilitator).post(
        reverse("engagements:share_link_create", args=[partnership.pk]), {"expires_on": f"{yesterday:%Y-%m-%d}"}
    )
    assert response.status_code == 200
    assert "today or later" in response.content.decode()
    assert not ShareLink.objects.exists()


@pytest.mark.django_db
def test_it_lists_share_links_with_the_full_address_to_copy(facilitator, partnership, link) -> None:
    revoked = services.sharing.share_link_create(
        user=facilitator, partnership=partnership, expires_on=timezone.localdate(), label="Lama"
    )
    services.sharing.share_link_revoke(link=revoked)
    ShareLink.objects.filter(pk=link.pk).update(view_count=7)

    # Rendered as partnership_detail.html includes it, with the same context.
    request = RequestFactory().get(reverse("engagements:partnership_detail", args=[partnership.pk]))
    request.user = facilitator
    context = {"partnership": partnership, "share_links": partnership.share_links.all()}
    page = render_to_string("engagements/sharing/_panel.html", context, request=request)

    assert f'value="http://testserver/shared/{link.token}/" readonly' in page
    assert f'<label for="share-link-{link.pk}">' in page
    assert "7 views" in page
    assert reverse("engagements:share_link_revoke", args=[partnership.pk, link.pk]) in page
    # A revoked link is listed, but neither offered for copying nor revocable again.
    assert revoked.token not in page
    assert reverse("engagements:share_link_revoke", args=[partnership.pk, revoked.pk]) not in page


@pytest.mark.django_db
def test_it_lets_a_facilitator_revoke_a_share_link_at_once(facilitator, partnership, link) -> None:
    assert client_for(None).get(shared_url(link)).status_code == 200

    response = client_for(facilitator).post(reverse("engagements:share_link_revoke", args=[partnership.pk, link.pk]))

    link.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"].endswith("#share-links-heading")
    assert link.revoked_at is not None
    assert client_for(None).get(shared_url(link)).status_code == 404


@pytest.mark.django_db
def test_it_revokes_only_with_post(facilitator, partnership, link) -> None:
    response = client_for(facilitator).get(reverse("engagements:share_link_revoke", args=[partnership.pk, link.pk]))
    link.refresh_from_db()
    assert response.status_code == 405
    assert link.revoked_at is None


@pytest.mark.django_db
def test_it_answers_404_for_a_link_of_another_partnership(facilitator, partnership, link) -> None:
    other = services.partnerships.partnership_save(user=facilitator, partnership=Partnership(title="Lain"))
    response = client_for(facilitator).post(reverse("engagements:share_link_revoke", args=[other.pk, link.pk]))
    link.refresh_from_db()
    assert response.status_code == 404
    assert link.revoked_at is None


@pytest.mark.django_db
def test_it_answers_partner_members_403_for_their_partnership_and_404_for_others(
    partner_a, partner_b, partnership, link
) -> None:
    create = reverse("engagements:share_link_create", args=[partnership.pk])
    revoke = reverse("engagements:share_link_revoke", args=[partnership.pk, link.pk])
    data = {"expires_on": f"{timezone.localdate():%Y-%m-%d}"}
    a, b = client_for(partner_a), client_for(partner_b)

    assert [a.get(create).status_code, a.post(create, data).status_code, a.post(revoke).status_code] == [403] * 3
    assert [b.get(create).status_code, b.post(create, data).status_code, b.post(revoke).status_code] == [404] * 3
    link.refresh_from_db()
    assert ShareLink.objects.count() == 1
    assert link.revoked_at is None


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_log_in_for_share_link_management(partnership, link) -> None:
    client = client_for(None)
    create = client.get(reverse("engagements:share_link_create", args=[partnership.pk]))
    revoke = client.post(reverse("engagements:share_link_revoke", args=[partnership.pk, link.pk]))
    link.refresh_from_db()
    assert create.status_code == revoke.status_code == 302
    assert create["Location"].startswith(reverse("accounts:login"))
    assert link.revoked_at is None


# The shared page


@pytest.mark.django_db
def test_it_opens_a_valid_shared_page_without_logging_in(partnership, link) -> None:
    response = client_for(None).get(shared_url(link))
    page = response.content.decode()

    assert response.status_code == 200
    for text in (
        "Mangrove Pesisir Demak",
        "Memulihkan pesisir bersama",
        "Karang Taruna Tunas Harapan",
        "Kelompok Nelayan Bahari",
        "Lead",
        "Tanam 1000 bibit mangrove",
        "Pesisir lebih aman",
        'value="25"',  # progress: 250 of 1000
        "Kegiatan 1",
        "Kegiatan 3",
        "The plan as agreed in revision 1",
        '<abbr title="Accountable">A</abbr>',
        '<abbr title="Responsible">R</abbr>',
    ):
        assert text in page, text
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "private, no-store"
    assert "Set-Cookie" not in response.headers


@pytest.mark.django_db
def test_it_answers_404_for_revoked_expired_and_unknown_links(facilitator, partnership, link) -> None:
    expired = services.sharing.share_link_create(
        user=facilitator, partnership=partnership, expires_on=timezone.localdate()
    )
    ShareLink.objects.filter(pk=expired.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    revoked = services.sharing.share_link_create(
        user=facilitator, partnership=partnership, expires_on=timezone.localdate()
    )
    services.sharing.share_link_revoke(link=revoked)
    client = client_for(None)

    assert client.get(shared_url(expired)).status_code == 404
    assert client.get(shared_url(revoked)).status_code == 404
    assert client.get(reverse("engagements:shared_plan", args=["no-such-token"])).status_code == 404
    assert client.get(shared_url(link)).status_code == 200
    assert ShareLink.objects.filter(view_count__gt=0).count() == 1


@pytest.mark.django_db
def test_it_still_opens_a_link_on_its_last_day(facilitator, partnership) -> None:
    link = services.sharing.share_link_create(
        user=facilitator, partnership=partnership, expires_on=timezone.localdate()
    )
    assert client_for(None).get(shared_url(link)).status_code == 200


@pytest.mark.django_db
def test_it_counts_every_view(link) -> None:
    client = client_for(None)
    client.get(shared_url(link))
    link.refresh_from_db()
    first_view = link.last_viewed_at
    client.get(shared_url(link))
    link.refresh_from_db()

    assert link.view_count == 2
    assert first_view is not None
    assert link.last_viewed_at >= first_view


@pytest.mark.django_db
def test_it_shows_no_contact_data_on_the_shared_page(partnership, link, contact) -> None:
    assert partnership.activities.filter(roles__contact=contact).exists()  # the role names a person
    page = client_for(None).get(shared_url(link)).content.decode()
    for text in (CONTACT_NAME, "Wiryo", CONTACT_PHONE, "7766", CONTACT_EMAIL, "@example.org", "fasilitator"):
        assert text not in page, text


@pytest.mark.django_db
def test_it_shows_shared_notes_but_no_internal_notes_on_the_shared_page(partnership, link) -> None:
    page = client_for(None).get(shared_url(link)).content.decode()
    for marker in INTERNAL_MARKERS:
        assert marker not in page, marker
    for marker in SHARED_MARKERS:
        assert marker in page, marker


@pytest.mark.django_db
def test_it_has_no_link_into_the_app_on_the_shared_page(link) -> None:
    page = client_for(None).get(shared_url(link)).content.decode()
    addresses = re.findall(r'(?:href|src|action)="([^"]*)"', page)
    assert addresses
    assert all(address.startswith(settings.STATIC_URL) for address in addresses), addresses
    assert "<form" not in page
    assert "<script" not in page


# The CSV export


@pytest.mark.django_db
def test_it_exports_the_plan_as_csv(facilitator, partnership) -> None:
    response = client_for(facilitator).get(reverse("engagements:plan_export", args=[partnership.pk]))
    rows = csv_rows(response)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="plan-mangrove-pesisir-demak-')
    assert response.content.startswith("\ufeff".encode())
    assert rows[0] == [
        "Activity",
        "Goal",
        "Due date",
        "Status",
        "Shared notes",
        "Karang Taruna Tunas Harapan",
        "Kelompok Nelayan Bahari",
    ]
    assert rows[1] == [
        "Kegiatan 1",
        "Tanam 1000 bibit mangrove",
        timezone.localdate().isoformat(),
        "Planned",
        SHARED_MARKERS[2],
        "A",
        "R",
    ]
    assert len(rows) == 4


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["facilitator", "partner_a"])
def test_it_never_exports_internal_notes_or_contact_data(role, partnership, request) -> None:
    response = client_for(request.getfixturevalue(role)).get(reverse("engagements:plan_export", args=[partnership.pk]))
    text = response.content.decode("utf-8-sig")

    assert response.status_code == 200
    for marker in INTERNAL_MARKERS:
        assert marker not in text, marker
    for value in (CONTACT_NAME, CONTACT_PHONE, CONTACT_EMAIL):
        assert value not in text, value
    assert SHARED_MARKERS[2] in text


@pytest.mark.django_db
def test_it_neutralises_formulas_in_the_csv(facilitator, partnership) -> None:
    lead, other = partnership.members.order_by("pk")
    services.plans.activity_save(
        user=facilitator,
        activity=Activity(partnership=partnership, title='=HYPERLINK("http://evil.example","klik")', shared_notes="+1"),
        roles={lead: "A"},
    )
    services.plans.activity_save(
        user=facilitator,
        activity=Activity(partnership=partnership, title="@SUM(A1:A9)", shared_notes="-2+3"),
        roles={other: "A"},
    )
    rows = csv_rows(client_for(facilitator).get(reverse("engagements:plan_export", args=[partnership.pk])))

    assert [row[0] for row in rows[-2:]] == ['\'=HYPERLINK("http://evil.example","klik")', "'@SUM(A1:A9)"]
    assert [row[4] for row in rows[-2:]] == ["'+1", "'-2+3"]


@pytest.mark.django_db
def test_it_answers_the_csv_to_who_may_see_the_partnership(partner_a, partner_b, partnership) -> None:
    url = reverse("engagements:plan_export", args=[partnership.pk])
    assert client_for(partner_a).get(url).status_code == 200
    assert client_for(partner_b).get(url).status_code == 404
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_it_offers_the_export_among_the_plan_actions(partnership) -> None:
    # plan.html includes this inside its <ul class="actions">: list items only.
    html = render_to_string("engagements/plans/_export_actions.html", {"partnership": partnership}).strip()
    items = re.findall(r"<li\b.*?</li>", html, flags=re.DOTALL)
    assert len(items) == 2
    assert html.startswith("<li") and html.endswith("</li>")
    assert f'<a class="button" href="{reverse("engagements:plan_export", args=[partnership.pk])}"' in items[0]
    assert "Export CSV" in items[0]
    assert "print" in items[1]


# Query counts


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_it_costs_the_same_queries_at_5_and_200_activities(facilitator, partnership, link, contact) -> None:
    add_activities(partnership, user=facilitator, count=2, contact=contact)  # 5 activities
    anonymous, facilitator_client = client_for(None), client_for(facilitator)
    export = reverse("engagements:plan_export", args=[partnership.pk])
    small = (count_queries(anonymous, shared_url(link)), count_queries(facilitator_client, export))

    goal = add_goal(partnership, user=facilitator, statement="Sepuluh kelompok terlatih")
    add_activities(partnership, user=facilitator, count=195, goal=goal, contact=contact)
    assert partnership.activities.count() == 200
    large = (count_queries(anonymous, shared_url(link)), count_queries(facilitator_client, export))

    assert small == large, (small, large)


# What a share link shows: what was agreed, unless the facilitator shares the draft


@pytest.mark.django_db
def test_it_shows_the_agreed_revision_not_the_edits_made_since(facilitator, partnership, link) -> None:
    activity = Activity.objects.filter(partnership=partnership).first()
    agreed_title = activity.title
    activity.title = "Judul baru setelah kesepakatan"
    services.plans.activity_save(user=facilitator, activity=activity, changed_fields=["title"])

    page = client_for(None).get(shared_url(link)).content.decode()

    assert agreed_title in page
    assert "Judul baru setelah kesepakatan" not in page
    assert "The plan as agreed in revision 1" in page
    assert "have changed the working plan since" in page


@pytest.mark.django_db
def test_it_shows_the_working_plan_marked_as_a_draft_when_the_link_says_so(facilitator, partnership) -> None:
    activity = Activity.objects.filter(partnership=partnership).first()
    activity.title = "Judul baru setelah kesepakatan"
    services.plans.activity_save(user=facilitator, activity=activity, changed_fields=["title"])
    link = services.sharing.share_link_create(
        user=facilitator,
        partnership=partnership,
        expires_on=timezone.localdate() + datetime.timedelta(days=3),
        shows_working_plan=True,
    )

    page = client_for(None).get(shared_url(link)).content.decode()

    assert "Judul baru setelah kesepakatan" in page
    assert "Working draft" in page


@pytest.mark.django_db
def test_it_shows_no_activity_of_a_plan_never_agreed(facilitator, org_a) -> None:
    partnership = services.partnerships.partnership_save(
        user=facilitator, partnership=Partnership(title="Belum sepakat")
    )
    member = services.partnerships.member_add(partnership=partnership, organization=org_a, role="lead")
    services.plans.activity_save(
        activity=Activity(partnership=partnership, title="Kegiatan rancangan"), roles={member: "A"}
    )
    link = services.sharing.share_link_create(
        user=facilitator, partnership=partnership, expires_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    page = client_for(None).get(shared_url(link)).content.decode()
    assert "Kegiatan rancangan" not in page
    assert "This plan has not been agreed yet" in page


@pytest.mark.django_db
def test_it_creates_a_working_plan_link_from_the_form(facilitator, partnership) -> None:
    response = client_for(facilitator).post(
        reverse("engagements:share_link_create", args=[partnership.pk]),
        {"label": "Grup", "expires_on": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
         "shows_working_plan": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert ShareLink.objects.get(label="Grup").shows_working_plan is True
