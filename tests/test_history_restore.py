"""Pages that answer htmx with a fragment still give the whole page to a history restore.

When the user goes Back and htmx has no snapshot of that page (its history
cache is full, cleared, or the tab was restored), htmx 2 fetches the URL
again with ``HX-Request: true`` *and* ``HX-History-Restore-Request: true``, and
puts the answer in place of the whole <body>. A view that looked only at
``request.htmx`` sent back its results fragment, and the page lost its
header, heading and filters. Every response that depends on those headers
says so in ``Vary``, so that no cache hands one answer to the other request.
"""

from __future__ import annotations

import pytest

from accounts.models import User
from partners import services
from partners.models import Organization
from tests.conftest import client_for
from tests.engagements.builders import build_partnership

HTMX = {"HX-Request": "true"}
HISTORY_RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}

# Every GET view that renders a fragment for htmx, with a query that shows something.
FRAGMENT_VIEWS = {
    "directory": ("/organizations/?q=makmur", 'id="directory-results"'),
    "import": ("/organizations/import/", 'id="importer"'),
}


def vary(response) -> set[str]:
    return {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}


def add_organization(name: str, regency: str) -> Organization:
    organization = Organization(name=name, regency=regency)
    return services.organization_save(user=None, organization=organization, focus_area_names=[])


@pytest.fixture
def organization(db: None) -> Organization:
    return add_organization("Kelompok Tani Makmur", "Demak")


@pytest.mark.django_db
@pytest.mark.parametrize("view", FRAGMENT_VIEWS)
def test_it_gives_the_whole_page_to_a_history_restore(view: str, facilitator: User, organization) -> None:
    url, marker = FRAGMENT_VIEWS[view]
    response = client_for(facilitator).get(url, headers=HISTORY_RESTORE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and "<header" in html and "<h1" in html
    assert marker in html


@pytest.mark.django_db
@pytest.mark.parametrize("view", FRAGMENT_VIEWS)
def test_it_still_answers_other_htmx_requests_with_the_fragment(view: str, facilitator: User, organization) -> None:
    url, _marker = FRAGMENT_VIEWS[view]
    html = client_for(facilitator).get(url, headers=HTMX).content.decode()
    assert "<html" not in html and "<h1" not in html


@pytest.mark.django_db
def test_it_shows_the_filters_and_results_of_the_restored_directory(facilitator: User, organization) -> None:
    add_organization("Koperasi Nelayan Sido Makmur", "Rembang")
    html = client_for(facilitator).get("/organizations/?q=tani", headers=HISTORY_RESTORE).content.decode()
    assert 'role="search"' in html and 'value="tani"' in html
    assert "Kelompok Tani Makmur" in html and "Sido Makmur" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("view", FRAGMENT_VIEWS)
@pytest.mark.parametrize("headers", [{}, HTMX, HISTORY_RESTORE], ids=["page", "htmx", "history-restore"])
def test_it_varies_on_the_htmx_headers(view: str, headers: dict, facilitator: User, organization) -> None:
    url, _marker = FRAGMENT_VIEWS[view]
    response = client_for(facilitator).get(url, headers=headers)
    assert {"hx-request", "hx-history-restore-request"} <= vary(response)


@pytest.mark.django_db
def test_it_varies_the_htmx_answers_to_posts_on_hx_request(facilitator: User, org_a) -> None:
    """The POST-only views that answer htmx with a fragment (a history restore never posts)."""
    partnership = build_partnership(user=facilitator, organizations=[org_a], activities=1)
    goal, activity = partnership.goals.get(), partnership.activities.get()
    member = partnership.members.get()
    client = client_for(facilitator)
    base = f"/partnerships/{partnership.pk}"
    posts = [
        (f"{base}/goals/{goal.pk}/progress/", {"value": "lots", "measured_on": "2026-01-02"}),
        (f"{base}/activities/{activity.pk}/status/", {"status": "done"}),
        (f"{base}/activities/{activity.pk}/roles/{member.pk}/", {"role": "C"}),
    ]
    for url, data in posts:
        response = client.post(url, data, headers=HTMX)
        assert response.status_code == 200, url
        assert "hx-request" in vary(response), url
