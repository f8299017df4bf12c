"""The register's pages: who reads and who writes, the flag answered or turned into a risk, fixed query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements import services
from engagements.errors import EngagementRuleError
from engagements.models import (
    FlagAcknowledgement,
    FlagKind,
    Partnership,
    Risk,
    RiskCategory,
    RiskOwnerSide,
    RiskStatus,
    TrustEntry,
    TrustEntryKind,
)
from engagements.selectors.risks import flags_of
from engagements.selectors.trust import entries_visible_to
from partners.models import FundingStability
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.engagements.risks.conftest import (
    INTERNAL,
    commitment,
    days_ago,
    dormant_schedule,
    interaction,
    joined_days_ago,
    new_leader,
    risk,
    set_funding,
)

pytestmark = pytest.mark.django_db

RISK_DATA = {
    "category": "funding",
    "title": "Iuran anggota tidak cukup",
    "description": "Kas kelompok menipis",
    "likelihood": "4",
    "impact": "4",
    "owner_side": "facilitators",
    "mitigation": "Cari dana desa",
    "status": "open",
    "review_on": "",
    "internal_notes": INTERNAL,
}


def url(name: str, partnership: Partnership, *args: object) -> str:
    return reverse(f"engagements:{name}", args=[partnership.pk, *args])


@pytest.fixture
def leader_flag(partnership, org_a, facilitator):
    new_leader(org_a, days_ago(3), facilitator, name="Bu Ratna Sari")
    [flag] = [f for f in flags_of(partnership) if f.kind == FlagKind.LEADER_CHANGE]
    return flag


@pytest.fixture
def funding_flag(partnership, org_m):
    set_funding(org_m, FundingStability.IRREGULAR)
    [flag] = [f for f in flags_of(partnership) if f.kind == FlagKind.UNSTABLE_FUNDING]
    return flag


@pytest.fixture
def a_risk(partnership, facilitator) -> Risk:
    return risk(partnership, facilitator)


# --- Acknowledging a flag -----------------------------------------------------


def test_it_acknowledges_a_flag_with_a_note_and_writes_it_to_the_trust_log(
    partnership, leader_flag, facilitator, partner_a, org_a
) -> None:
    before = TrustEntry.objects.filter(partnership=partnership).count()
    response = client_for(facilitator).post(
        url("flag_acknowledge", partnership, leader_flag.key), {"note": "Sudah bertemu Bu Ratna, rencana tetap"}
    )

    assert response.status_code == 302 and response["Location"] == url("risk_list", partnership)
    acknowledgement = FlagAcknowledgement.objects.get(partnership=partnership)
    assert (acknowledgement.flag_key, acknowledgement.acknowledged_by) == (leader_flag.key, facilitator)
    assert acknowledgement.note == "Sudah bertemu Bu Ratna, rencana tetap"
    entry = TrustEntry.objects.filter(partnership=partnership).order_by("-sequence").first()
    assert TrustEntry.objects.filter(partnership=partnership).count() == before + 1
    assert (entry.kind, entry.recorded_by, entry.subject_type, entry.subject_id) == (
        TrustEntryKind.FLAG_ACKNOWLEDGED,
        facilitator,
        "flag_acknowledgement",
        acknowledgement.pk,
    )
    # The log's text names the kind of flag: no note, no person, no group.
    assert entry.internal_text == str(FlagKind.LEADER_CHANGE.label) and entry.shared_text == ""
    assert (
        "Ratna" not in entry.internal_text and partnership.members.first().organization.name not in entry.internal_text
    )
    assert services.trust.trust_log_verify(partnership=partnership).intact
    # Facilitators only: the partner members' log leaves it out.
    assert not entries_visible_to(partner_a, partnership).filter(pk=entry.pk).exists()


def test_it_shows_an_acknowledged_flag_as_acknowledged_not_hidden(partnership, leader_flag, facilitator) -> None:
    services.risks.flag_acknowledge(user=facilitator, partnership=partnership, flag=leader_flag, note="Sudah dibahas")

    page = client_for(facilitator).get(url("risk_list", partnership))

    [flag] = [f for f in page.context["flags"] if f.key == leader_flag.key]
    assert flag.acknowledgement is not None and not flag.is_active
    html = page.content.decode()
    assert f'id="flag-{leader_flag.key}"' in html and "Sudah dibahas" in html and "badge-flag-acknowledged" in html
    assert url("flag_acknowledge", partnership, leader_flag.key) not in html  # answered: no second acknowledgement
    assert url("flag_to_risk", partnership, leader_flag.key) in html  # it may still become a risk


def test_it_refuses_an_empty_note_and_a_second_acknowledgement(partnership, leader_flag, facilitator) -> None:
    page = client_for(facilitator).post(url("flag_acknowledge", partnership, leader_flag.key), {"note": "  "})
    assert page.status_code == 200 and not FlagAcknowledgement.objects.exists()

    services.risks.flag_acknowledge(user=facilitator, partnership=partnership, flag=leader_flag, note="Sudah")
    with pytest.raises(EngagementRuleError):
        services.risks.flag_acknowledge(user=facilitator, partnership=partnership, flag=leader_flag, note="Lagi")
    assert FlagAcknowledgement.objects.count() == 1
    assert TrustEntry.objects.filter(kind=TrustEntryKind.FLAG_ACKNOWLEDGED).count() == 1


def test_it_answers_404_for_a_flag_that_is_not_raised(partnership, leader_flag, facilitator) -> None:
    for key in ("leader_change-999999", "no-such-flag"):
        assert client_for(facilitator).get(url("flag_acknowledge", partnership, key)).status_code == 404
        assert client_for(facilitator).post(url("flag_to_risk", partnership, key), RISK_DATA).status_code == 404
    assert not Risk.objects.exists()


# --- A flag becomes a risk ----------------------------------------------------


def test_it_prefills_the_risk_form_from_the_flag(partnership, leader_flag, facilitator, org_a) -> None:
    page = client_for(facilitator).get(url("flag_to_risk", partnership, leader_flag.key))

    assert page.status_code == 200
    form = page.context["form"]
    assert form["category"].value() == RiskCategory.LEADERSHIP
    assert [value for value, _label in form.fields["category"].choices] == RiskCategory.values  # no blank radio
    assert org_a.name in form["title"].value()
    assert form["description"].value() == leader_flag.explanation
    assert (form["owner_side"].value(), form["owner_organization"].value()) == (RiskOwnerSide.MEMBER, org_a.pk)
    assert form["review_on"].value() == timezone.localdate() + datetime.timedelta(days=30)
    assert leader_flag.explanation in page.content.decode()


def test_it_turns_a_flag_into_a_risk_in_one_click_and_the_flag_then_links_to_it(
    partnership, leader_flag, facilitator, org_a
) -> None:
    client = client_for(facilitator)
    form = client.get(url("flag_to_risk", partnership, leader_flag.key)).context["form"]
    prefilled = {name: ("" if value is None else value) for name, value in form.initial.items()} | {
        name: form[name].value() for name in form.fields
    }
    data = {name: "" if value is None else value for name, value in prefilled.items()}

    response = client.post(url("flag_to_risk", partnership, leader_flag.key), data)

    made = Risk.objects.get(partnership=partnership)
    assert response.status_code == 302 and response["Location"] == url("risk_detail", partnership, made.pk)
    assert (made.from_flag, made.category, made.owner_organization, made.created_by) == (
        leader_flag.key,
        RiskCategory.LEADERSHIP,
        org_a,
        facilitator,
    )
    listing = client.get(url("risk_list", partnership))
    [flag] = [f for f in listing.context["flags"] if f.key == leader_flag.key]
    assert flag.risk == made and not flag.is_active
    assert url("risk_detail", partnership, made.pk) in listing.content.decode()
    # A second time: the flag already is that risk.
    again = client.get(url("flag_to_risk", partnership, leader_flag.key))
    assert again.status_code == 302 and again["Location"] == url("risk_detail", partnership, made.pk)
    assert client.post(url("flag_to_risk", partnership, leader_flag.key), data).status_code == 302
    assert Risk.objects.count() == 1


# --- The register -------------------------------------------------------------


def test_it_records_edits_and_closes_a_risk_after_confirmation(partnership, facilitator) -> None:
    client = client_for(facilitator)
    response = client.post(url("risk_create", partnership), RISK_DATA)
    made = Risk.objects.get()
    assert response["Location"] == url("risk_detail", partnership, made.pk)
    assert (made.severity, made.band, made.status, made.created_by) == (16, "high", RiskStatus.OPEN, facilitator)

    client.post(url("risk_edit", partnership, made.pk), RISK_DATA | {"status": "mitigating", "likelihood": "1"})
    made.refresh_from_db()
    assert (made.status, made.band) == (RiskStatus.MITIGATING, "low")

    confirm = client.get(url("risk_close", partnership, made.pk))
    assert confirm.status_code == 200 and 'method="post"' in confirm.content.decode()
    made.refresh_from_db()
    assert made.status == RiskStatus.MITIGATING  # asking to confirm changes nothing

    response = client.post(url("risk_close", partnership, made.pk))
    made.refresh_from_db()
    assert response["Location"] == url("risk_detail", partnership, made.pk)
    assert made.status == RiskStatus.CLOSED and made.closed_at is not None
    # Closed, it stays in the register, after the open ones.
    other = risk(partnership, facilitator, title="Ketua baru belum dikenal", likelihood=1, impact=1)
    assert list(client.get(url("risk_list", partnership)).context["risks"]) == [other, made]


def test_it_refuses_an_owner_that_is_not_a_member(partnership, facilitator, org_b) -> None:
    response = client_for(facilitator).post(
        url("risk_create", partnership), RISK_DATA | {"owner_side": "member", "owner_organization": org_b.pk}
    )
    assert response.status_code == 200 and not Risk.objects.exists()
    with pytest.raises(EngagementRuleError):
        risk(partnership, facilitator, owner_side=RiskOwnerSide.MEMBER, owner_organization=org_b)


def test_it_lets_a_partner_member_read_the_register_without_internal_notes_or_flags(
    partnership, a_risk, leader_flag, partner_a
) -> None:
    client = client_for(partner_a)
    listing = client.get(url("risk_list", partnership))
    detail = client.get(url("risk_detail", partnership, a_risk.pk))

    assert listing.status_code == detail.status_code == 200
    assert a_risk.title in listing.content.decode() and a_risk.mitigation in detail.content.decode()
    for page in (listing, detail):
        html = page.content.decode()
        assert INTERNAL not in html and "RAHASIA" not in html
        assert leader_flag.key not in html and leader_flag.explanation not in html
        assert url("risk_create", partnership) not in html and url("risk_edit", partnership, a_risk.pk) not in html


WRITE_ROUTES = [
    ("risk_create", lambda r, f: ()),
    ("risk_edit", lambda r, f: (r.pk,)),
    ("risk_close", lambda r, f: (r.pk,)),
    ("flag_acknowledge", lambda r, f: (f.key,)),
    ("flag_to_risk", lambda r, f: (f.key,)),
]


@pytest.mark.parametrize(("name", "args"), WRITE_ROUTES, ids=[name for name, _ in WRITE_ROUTES])
def test_it_refuses_a_partner_member_every_write_route_of_their_own_partnership(
    partnership, a_risk, leader_flag, partner_a, name, args
) -> None:
    """As every write route of the project: 403 for a partnership they may read (tests/test_permission_matrix*.py)."""
    address = url(name, partnership, *args(a_risk, leader_flag))
    client = client_for(partner_a)

    assert client.get(address).status_code == 403
    assert client.post(address, RISK_DATA | {"note": "x"}).status_code == 403

    a_risk.refresh_from_db()
    assert a_risk.status == RiskStatus.OPEN and Risk.objects.count() == 1
    assert not FlagAcknowledgement.objects.exists()


ALL_ROUTES = [("risk_list", lambda r, f: ()), ("risk_detail", lambda r, f: (r.pk,)), *WRITE_ROUTES]


@pytest.mark.parametrize(("name", "args"), ALL_ROUTES, ids=[name for name, _ in ALL_ROUTES])
def test_it_answers_404_to_an_outsider_on_every_route(partnership, a_risk, leader_flag, partner_b, name, args) -> None:
    address = url(name, partnership, *args(a_risk, leader_flag))
    assert client_for(partner_b).get(address).status_code == 404
    assert client_for(partner_b).post(address, RISK_DATA | {"note": "x"}).status_code in (404, 405)
    assert Risk.objects.count() == 1 and not FlagAcknowledgement.objects.exists()


@pytest.mark.parametrize("name", ["risk_detail", "risk_edit", "risk_close"])
def test_it_answers_404_for_a_risk_of_another_partnership(partnership, facilitator, partner_a, org_b, name) -> None:
    elsewhere = risk(
        build_partnership(user=facilitator, organizations=[org_b], activities=0, title="Lain"), facilitator
    )
    address = url(name, partnership, elsewhere.pk)
    for user in (facilitator, partner_a):
        assert client_for(user).get(address).status_code == 404
        assert client_for(user).post(address, RISK_DATA).status_code in (404, 405)
    elsewhere.refresh_from_db()
    assert (elsewhere.status, elsewhere.title) == (RiskStatus.OPEN, "Iuran anggota tidak cukup")


# --- Fixed costs ----------------------------------------------------------------


def queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def _add_facts(partnership, facilitator, org_a, org_m, count: int) -> None:
    """More risks, more answered flags, more history behind every flag."""
    for n in range(count):
        risk(partnership, facilitator, title=f"Risiko {n}", likelihood=1 + n % 5, impact=1 + (n * 2) % 5)
        interaction(org_m, days_ago(100 + n), facilitator)
        commitment(partnership, facilitator, org_a, outcome=["kept", "broken", "broken"][n % 3])
    set_funding(org_m, [FundingStability.NONE, FundingStability.IRREGULAR][count % 2])
    new_leader(org_a, days_ago(80 - count), facilitator)  # a newer leader each time
    for flag in flags_of(partnership)[:2]:
        if flag.acknowledgement is None:
            services.risks.flag_acknowledge(user=facilitator, partnership=partnership, flag=flag, note="Sudah")


@pytest.mark.parametrize("role", ["facilitator", "partner_a"])
def test_the_register_and_partnership_pages_cost_the_same_queries_for_3_and_80_risks(
    partnership, facilitator, org_a, org_m, role, request
) -> None:
    joined_days_ago(partnership, org_m, 300)
    dormant_schedule(partnership, facilitator)
    viewer = client_for(request.getfixturevalue(role))
    pages = [url("risk_list", partnership), url("risk_list", partnership) + "?page=2"]
    pages.append(url("partnership_detail", partnership))

    _add_facts(partnership, facilitator, org_a, org_m, 3)
    at_3 = [queries(viewer, page) for page in pages]
    _add_facts(partnership, facilitator, org_a, org_m, 77)

    assert Risk.objects.count() == 80
    assert [queries(viewer, page) for page in pages] == at_3
    page_2 = viewer.get(pages[1]).context["risks"]
    assert len(page_2) == 30


def test_it_shows_the_open_risks_by_severity_and_the_flags_to_answer_on_the_partnership_page(
    partnership, facilitator, leader_flag, funding_flag
) -> None:
    risk(partnership, facilitator, likelihood=5, impact=5)
    risk(partnership, facilitator, likelihood=2, impact=3)
    closed = risk(partnership, facilitator, likelihood=1, impact=1)
    services.risks.risk_close(user=facilitator, risk=closed)
    services.risks.flag_acknowledge(user=facilitator, partnership=partnership, flag=funding_flag, note="Sudah")

    page = client_for(facilitator).get(url("partnership_detail", partnership)).content.decode()

    assert 'id="risks-heading"' in page and url("risk_list", partnership) in page
    assert "2 open risks" in page and "1 high" in page and "1 medium" in page and "1 closed" in page
    assert "1 automatic flag needs a look" in page


def test_it_says_what_to_do_next_on_an_empty_register(partnership, facilitator, partner_a) -> None:
    facilitator_page = client_for(facilitator).get(url("risk_list", partnership)).content.decode()
    partner_page = client_for(partner_a).get(url("risk_list", partnership)).content.decode()
    assert "No risk recorded yet. Add one" in facilitator_page and "No automatic flag" in facilitator_page
    assert "tell them when you see something" in partner_page


def test_it_shows_the_acknowledgement_in_the_facilitators_trust_log_only(
    partnership, leader_flag, facilitator, partner_a
) -> None:
    services.risks.flag_acknowledge(user=facilitator, partnership=partnership, flag=leader_flag, note="Catatan RAHASIA")
    label = str(TrustEntryKind.FLAG_ACKNOWLEDGED.label)

    for_facilitator = client_for(facilitator).get(url("trust_log", partnership)).content.decode()
    for_partner = client_for(partner_a).get(url("trust_log", partnership)).content.decode()

    assert label in for_facilitator and str(FlagKind.LEADER_CHANGE.label) in for_facilitator
    assert label not in for_partner
    assert "Catatan RAHASIA" not in for_facilitator + for_partner
