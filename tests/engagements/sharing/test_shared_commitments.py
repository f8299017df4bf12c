"""A share link shows the partnership's commitments only when it was created to include them."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements import services
from engagements.models import Commitment, CommitmentSide, CommitmentState, Partnership, ShareLink
from partners.models import Contact
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.engagements.commitments.conftest import INTERNAL, make
from tests.factories import OrganizationFactory

PERSON = "Bu Sri Wahyuni Rahayu"
PROMISE = "SHARED-PROMISE-kp71 Menyiapkan 500 polybag"
FACILITATORS_PROMISE = "SHARED-PROMISE-kp72 Mengundang dinas"
REASON = "ALASAN-PRIBADI-zq91"


@pytest.fixture
def partnership(facilitator, org_a) -> Partnership:
    return build_partnership(
        user=facilitator, organizations=[org_a, OrganizationFactory(name="Kelompok Nelayan Bahari")], activities=0
    )


@pytest.fixture
def commitments(partnership, facilitator, org_a) -> list[Commitment]:
    person = Contact.objects.create(organization=org_a, name=PERSON, email="sri.wahyuni@example.org")
    today = timezone.localdate()
    ours = make(partnership, facilitator, by=org_a, text=PROMISE, promised_by_contact=person)
    Commitment.objects.filter(pk=ours.pk).update(due_on=today - datetime.timedelta(days=3))
    withdrawn = make(partnership, facilitator, by=None, text=FACILITATORS_PROMISE, due=today)
    services.commitments.commitment_withdraw(user=facilitator, commitment=withdrawn, reason=REASON)
    return [ours, withdrawn]


def link_for(facilitator, partnership, *, include_commitments: bool) -> ShareLink:
    return services.sharing.share_link_create(
        user=facilitator,
        partnership=partnership,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        include_commitments=include_commitments,
    )


def shared_page(link: ShareLink) -> str:
    response = client_for(None).get(reverse("engagements:shared_plan", args=[link.token]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_it_shows_no_commitment_on_a_link_created_without_them(facilitator, partnership, commitments) -> None:
    link = link_for(facilitator, partnership, include_commitments=False)
    assert link.include_commitments is False
    page = shared_page(link)
    assert PROMISE not in page
    assert FACILITATORS_PROMISE not in page
    assert 'id="commitments-heading"' not in page


@pytest.mark.django_db
def test_it_lists_what_by_whom_due_and_state_on_a_link_that_includes_them(
    facilitator, partnership, org_a, commitments
) -> None:
    page = shared_page(link_for(facilitator, partnership, include_commitments=True))

    assert 'id="commitments-heading"' in page
    assert PROMISE in page
    assert FACILITATORS_PROMISE in page
    assert org_a.name in page
    assert "The facilitating side" in page
    due = timezone.localdate() - datetime.timedelta(days=3)
    assert f'<time datetime="{due:%Y-%m-%d}">' in page
    assert "Withdrawn" in page
    assert "Overdue" in page  # the open one is late


@pytest.mark.django_db
def test_it_never_shows_a_persons_name_a_reason_or_internal_notes_on_the_shared_page(
    facilitator, partnership, commitments
) -> None:
    assert Commitment.objects.filter(internal_notes=INTERNAL).count() == 2
    page = shared_page(link_for(facilitator, partnership, include_commitments=True))
    assert PERSON not in page
    assert "sri.wahyuni@example.org" not in page
    assert REASON not in page
    assert INTERNAL not in page


@pytest.mark.django_db
def test_it_escapes_what_was_promised_on_the_shared_page(facilitator, partnership, org_a) -> None:
    make(partnership, facilitator, by=org_a, text="Jum'at & <script>alert(1)</script>")
    page = shared_page(link_for(facilitator, partnership, include_commitments=True))
    assert "Jum&#x27;at &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in page


@pytest.mark.django_db
def test_it_creates_a_link_that_includes_commitments_from_the_form(facilitator, partnership) -> None:
    url = reverse("engagements:share_link_create", args=[partnership.pk])
    client = client_for(facilitator)
    form = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="include_commitments"' in form
    expires_on = f"{timezone.localdate() + datetime.timedelta(days=7):%Y-%m-%d}"

    client.post(url, {"label": "Tanpa", "expires_on": expires_on})
    client.post(url, {"label": "Dengan", "expires_on": expires_on, "include_commitments": "on"})

    assert ShareLink.objects.get(label="Tanpa").include_commitments is False
    assert ShareLink.objects.get(label="Dengan").include_commitments is True


@pytest.mark.django_db
def test_it_costs_the_same_queries_at_5_and_200_commitments(facilitator, partnership, org_a) -> None:
    link = link_for(facilitator, partnership, include_commitments=True)
    url = reverse("engagements:shared_plan", args=[link.token])

    def add(count: int) -> None:
        Commitment.objects.bulk_create(
            Commitment(
                partnership=partnership,
                promised_by_side=CommitmentSide.MEMBER if n % 2 else CommitmentSide.FACILITATORS,
                promised_by=org_a if n % 2 else None,
                text=f"Janji {n}",
                due_on=timezone.localdate() + datetime.timedelta(days=n - 3),
                state=CommitmentState.OPEN if n % 3 else CommitmentState.KEPT,
            )
            for n in range(count)
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client_for(None).get(url).status_code == 200
        return len(captured)

    add(5)
    small = queries()
    add(195)
    assert queries() == small
