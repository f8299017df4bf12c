"""The trust log page, entries added by hand, corrections, the CSV export and the admin.

Partnership here: organization A (lead) and another group, never B. So
partner_a reads its shared entries, partner_b must not learn it exists, and
internal texts reach facilitators only: never a partner page, a share page,
a CSV (unless a facilitator asks) or an email.
"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements import services
from engagements.models import Partnership, TrustEntry, TrustEntryKind
from tests.conftest import client_for
from tests.engagements.builders import build_partnership, fill_trust_log
from tests.factories import OrganizationFactory

K = TrustEntryKind
INTERNAL = "INTERNAL-TRUST-wq71"
INTERNAL_CORRECTION = "INTERNAL-CORRECTION-wq72"
SHARED = "SHARED-TRUST-mn31"
SHARED_CORRECTION = "SHARED-CORRECTION-mn32"

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://...: disabling a trigger is PostgreSQL's"
)


@pytest.fixture
def partnership(facilitator, org_a) -> Partnership:
    return build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=1)


def an_hour_ago() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=1)


@pytest.fixture
def entries(facilitator, partnership) -> dict[str, TrustEntry]:
    """A shared hand entry, an internal-only one, and a correction of the shared one with both texts."""
    shared = services.trust.trust_entry_add(
        user=facilitator, partnership=partnership, kind=K.BUDGET_SHARED, happened_at=an_hour_ago(),
        shared_text=SHARED, internal_text=INTERNAL,
    )  # fmt: skip
    internal = services.trust.trust_entry_add(
        user=facilitator, partnership=partnership, kind=K.CONFLICT_RAISED, happened_at=an_hour_ago(),
        internal_text=INTERNAL + " konflik",
    )  # fmt: skip
    correction = services.trust.trust_entry_correct(
        user=facilitator, entry=shared, shared_text=SHARED_CORRECTION, internal_text=INTERNAL_CORRECTION
    )
    return {"shared": shared, "internal": internal, "correction": correction}


def log_url(partnership: Partnership) -> str:
    return reverse("engagements:trust_log", args=[partnership.pk])


def export_url(partnership: Partnership) -> str:
    return reverse("engagements:trust_log_export", args=[partnership.pk])


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# Who sees what


def test_it_shows_facilitators_every_entry_with_its_internal_text(facilitator, partnership, entries) -> None:
    response = client_for(facilitator).get(log_url(partnership))
    page = response.content.decode()
    assert response.status_code == 200
    for text in (SHARED, INTERNAL, INTERNAL + " konflik", SHARED_CORRECTION, INTERNAL_CORRECTION):
        assert text in page, text
    assert "5 entries, chain intact" in page


def test_it_shows_partner_members_the_shared_entries_only(partner_a, partnership, entries) -> None:
    response = client_for(partner_a).get(log_url(partnership))
    page = response.content.decode()
    assert response.status_code == 200
    assert SHARED in page and SHARED_CORRECTION in page
    assert INTERNAL not in page and INTERNAL_CORRECTION not in page
    assert "Conflict raised" not in page  # the internal-only entry is not shown at all
    # Newest first by when it happened: the correction, the two groups joining (now), the budget (an hour ago).
    assert [entry.sequence for entry in response.context["page"].entries] == [5, 2, 1, 3]
    assert "5 entries, chain intact" in page  # the verdict counts every entry of the chain
    assert reverse("engagements:trust_entry_create", args=[partnership.pk]) not in page
    assert "Correct this entry" not in page


def test_it_answers_404_to_a_member_of_another_group_and_sends_visitors_to_log_in(
    partner_b, partnership, entries
) -> None:
    for url in (log_url(partnership), export_url(partnership)):
        assert client_for(partner_b).get(url).status_code == 404
        response = client_for(None).get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_it_answers_404_for_an_internal_entry_and_403_for_a_shared_one_to_a_partner_member(
    partner_a, partnership, entries
) -> None:
    client = client_for(partner_a)
    correct = "engagements:trust_entry_correct"
    assert client.get(reverse(correct, args=[partnership.pk, entries["internal"].pk])).status_code == 404
    assert client.get(reverse(correct, args=[partnership.pk, entries["shared"].pk])).status_code == 403
    response = client.post(reverse(correct, args=[partnership.pk, entries["shared"].pk]), {"shared_text": "x"})
    assert response.status_code == 403
    assert partnership.trust_entries.count() == 5


def test_it_links_the_log_from_the_partnership_page_and_the_portal(facilitator, partner_a, partnership) -> None:
    detail = reverse("engagements:partnership_detail", args=[partnership.pk])
    for user in (facilitator, partner_a):
        assert f'href="{log_url(partnership)}"' in client_for(user).get(detail).content.decode()


def test_it_never_shows_internal_texts_on_partner_facing_outputs(facilitator, partner_a, partnership, entries) -> None:
    link = services.sharing.share_link_create(
        user=facilitator, partnership=partnership, expires_on=timezone.localdate() + datetime.timedelta(days=7)
    )
    partner = client_for(partner_a)
    outputs = {
        "log": partner.get(log_url(partnership)).content.decode(),
        "portal": partner.get(reverse("engagements:partnership_detail", args=[partnership.pk])).content.decode(),
        "share page": client_for(None).get(reverse("engagements:shared_plan", args=[link.token])).content.decode(),
        "partner CSV": partner.get(export_url(partnership), {"internal": "1"}).content.decode(),
        "facilitator CSV": client_for(facilitator).get(export_url(partnership)).content.decode(),
        "emails": "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox),
    }
    for name, text in outputs.items():
        assert INTERNAL not in text and INTERNAL_CORRECTION not in text, name
    assert SHARED in outputs["log"] and SHARED in outputs["partner CSV"]
    assert SHARED not in outputs["share page"]  # a share link shows nothing of the log
    assert log_url(partnership) not in outputs["share page"]


# Entries by hand, and corrections


def test_it_adds_an_entry_by_hand(facilitator, partnership) -> None:
    url = reverse("engagements:trust_entry_create", args=[partnership.pk])
    form = client_for(facilitator).get(url).content.decode()
    assert "write no personal data of other people" in form
    when = timezone.localtime(an_hour_ago()).strftime("%Y-%m-%dT%H:%M")
    response = client_for(facilitator).post(
        url, {"kind": "open_meeting", "happened_at": when, "shared_text": "Rapat terbuka", "internal_text": ""}
    )
    assert response.status_code == 302 and response["Location"] == log_url(partnership)
    entry = partnership.trust_entries.order_by("-sequence").first()
    assert (entry.kind, entry.shared_text, entry.recorded_by) == (K.OPEN_MEETING, "Rapat terbuka", facilitator)
    assert services.trust.trust_log_verify(partnership=partnership).intact


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": "open_meeting", "shared_text": "", "internal_text": "  "}, "Write a shared text"),
        ({"kind": "plan_agreed", "shared_text": "Palsu", "internal_text": ""}, "Select a valid choice"),
        (
            {"kind": "open_meeting", "shared_text": "Besok", "internal_text": "", "future": True},
            "cannot be in the future",
        ),
        ({"kind": "open_meeting", "shared_text": "x", "internal_text": "", "happened_at": "kemarin"}, "Enter a valid"),
    ],
)
def test_it_refuses_a_hand_entry_that_breaks_a_rule_and_writes_nothing(facilitator, partnership, data, error) -> None:
    moment = timezone.now() + datetime.timedelta(days=2) if data.pop("future", False) else an_hour_ago()
    data.setdefault("happened_at", timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M"))
    before = partnership.trust_entries.count()
    response = client_for(facilitator).post(reverse("engagements:trust_entry_create", args=[partnership.pk]), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert partnership.trust_entries.count() == before


def test_it_shows_a_correction_beside_the_entry_it_corrects(facilitator, partnership, entries) -> None:
    page = client_for(facilitator).get(log_url(partnership)).content.decode()
    original = page[page.index(f'id="entry-{entries["shared"].sequence}"') :]
    original = original[: original.index("</li>")]
    assert SHARED in original
    assert f"Corrected by entry #{entries['correction'].sequence}" in original and SHARED_CORRECTION in original
    assert f"Corrects entry #{entries['shared'].sequence}" in page
    # The original is untouched.
    assert TrustEntry.objects.get(pk=entries["shared"].pk).shared_text == SHARED


def test_it_adds_a_correction_through_the_form(facilitator, partnership, entries) -> None:
    url = reverse("engagements:trust_entry_correct", args=[partnership.pk, entries["internal"].pk])
    assert INTERNAL + " konflik" in client_for(facilitator).get(url).content.decode()
    response = client_for(facilitator).post(url, {"shared_text": "", "internal_text": "Sudah diselesaikan"})
    assert response.status_code == 302
    correction = partnership.trust_entries.order_by("-sequence").first()
    assert (correction.kind, correction.corrects, correction.internal_text) == (
        K.CORRECTION, entries["internal"], "Sudah diselesaikan",
    )  # fmt: skip
    empty = client_for(facilitator).post(url, {"shared_text": " ", "internal_text": ""})
    assert empty.status_code == 200 and partnership.trust_entries.count() == 6


def test_it_offers_no_way_to_edit_or_remove_an_entry(facilitator, partnership, entries) -> None:
    page = client_for(facilitator).get(log_url(partnership)).content.decode()
    assert "Delete" not in page and "/edit/" not in page


# The CSV export


def test_it_exports_shared_texts_and_internal_ones_only_when_a_facilitator_asks(facilitator, partnership, entries):
    plain = csv_rows(client_for(facilitator).get(export_url(partnership)))
    full = csv_rows(client_for(facilitator).get(export_url(partnership), {"internal": "1"}))
    assert "Internal text" not in plain[0] and "Internal text" in full[0]
    assert len(plain) == len(full) == 6  # the header and five entries, oldest first
    assert [row[0] for row in plain[1:]] == ["1", "2", "3", "4", "5"]
    assert INTERNAL in "".join(",".join(row) for row in full)
    last = dict(zip(plain[0], plain[-1], strict=True))
    assert (last["Kind"], last["Corrects entry"], last["Shared text"]) == ("Correction", "3", SHARED_CORRECTION)
    assert last["Hash"] == entries["correction"].hash


def test_it_keeps_spreadsheets_from_running_a_typed_formula(facilitator, partnership) -> None:
    services.trust.trust_entry_add(
        user=facilitator, partnership=partnership, kind=K.OTHER, happened_at=an_hour_ago(),
        shared_text='=HYPERLINK("http://evil.example","klik")',
    )  # fmt: skip
    rows = csv_rows(client_for(facilitator).get(export_url(partnership)))
    assert rows[-1][5] == '\'=HYPERLINK("http://evil.example","klik")'


# A fixed number of queries whatever the length of the log


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["facilitator", "partner_a"])
def test_it_costs_the_same_queries_at_10_and_1000_entries(
    role, facilitator, partnership, entries, request: pytest.FixtureRequest
) -> None:
    client = client_for(request.getfixturevalue(role))
    fill_trust_log(partnership, 5, user=facilitator)
    assert partnership.trust_entries.count() == 12  # 2 members, 3 entries, a check-in, a revision, 5 more
    small = (queries_for(client, log_url(partnership)), queries_for(client, log_url(partnership) + "?page=1"))
    small_export = queries_for(client, export_url(partnership))

    fill_trust_log(partnership, 1000, user=facilitator)
    large = (queries_for(client, log_url(partnership)), queries_for(client, log_url(partnership) + "?page=3"))
    assert large == small == (small[0], small[0])
    assert queries_for(client, export_url(partnership)) == small_export
    response = client.get(log_url(partnership))
    assert response.context["page"].verification.entries == 1014
    assert "entries, chain intact" in response.content.decode()


def test_it_keeps_a_page_to_fifty_entries_and_survives_any_page_number(facilitator, partnership) -> None:
    fill_trust_log(partnership, 120, user=facilitator)
    client = client_for(facilitator)
    first = client.get(log_url(partnership)).context["page"]
    assert len(first.entries) == 50 and first.num_pages == 3
    for value in ("999", "0", "-1", "abc", "9" * 30):
        assert client.get(log_url(partnership), {"page": value}).status_code == 200


# The chain's verdict on the page


@needs_postgres
def test_it_shows_the_first_broken_link_after_an_edit_behind_the_triggers_back(
    facilitator, partner_a, partnership, entries
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE engagements_trustentry DISABLE TRIGGER USER")
        cursor.execute("UPDATE engagements_trustentry SET shared_text = 'diubah' WHERE id = %s", [entries["shared"].pk])
        cursor.execute("ALTER TABLE engagements_trustentry ENABLE TRIGGER USER")
    number = entries["shared"].sequence
    for user in (facilitator, partner_a):
        page = client_for(user).get(log_url(partnership)).content.decode()
        assert f"The chain is broken at entry #{number}" in page
        assert "chain intact" not in page


# The admin: to read, never to write


def test_it_lets_the_admin_read_entries_but_never_add_change_or_delete(admin, partnership, entries) -> None:
    client = client_for(admin)
    entry = entries["shared"]
    assert client.get(reverse("admin:engagements_trustentry_changelist")).status_code == 200
    change = client.get(reverse("admin:engagements_trustentry_change", args=[entry.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert client.get(reverse("admin:engagements_trustentry_add")).status_code == 403
    assert client.get(reverse("admin:engagements_trustentry_delete", args=[entry.pk])).status_code == 403
    assert client.post(reverse("admin:engagements_trustentry_change", args=[entry.pk]), {}).status_code == 403
    assert TrustEntry.objects.get(pk=entry.pk).shared_text == SHARED


def test_it_refuses_to_delete_a_partnership_with_a_log_in_the_admin(admin, partnership) -> None:
    client = client_for(admin)
    url = reverse("admin:engagements_partnership_delete", args=[partnership.pk])
    response = client.post(url, {"post": "yes"}, follow=True)
    assert "has a trust log, which is kept for good" in response.content.decode()
    assert Partnership.objects.filter(pk=partnership.pk).exists()
    change = client.get(reverse("admin:engagements_partnership_change", args=[partnership.pk])).content.decode()
    assert url not in change


def test_it_still_deletes_a_partnership_without_a_log_in_the_admin(admin) -> None:
    empty = Partnership.objects.create(title="Belum mulai")
    response = client_for(admin).post(reverse("admin:engagements_partnership_delete", args=[empty.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Partnership.objects.filter(pk=empty.pk).exists()
