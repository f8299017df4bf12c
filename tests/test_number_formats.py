"""Numbers people read are grouped for their language; numbers machines read never are."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from engagements import services
from engagements.models import Activity
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory


def test_it_groups_thousands_for_people() -> None:
    assert settings.USE_THOUSAND_SEPARATOR is True


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "id"])
def test_it_writes_large_ids_into_attributes_without_separators(facilitator, org_a, language) -> None:
    facilitator.language = language
    facilitator.save()
    partnership = build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=0)
    member = partnership.members.first()
    services.plans.activity_save(
        user=facilitator, activity=Activity(pk=123456, partnership=partnership, title="Besar"), roles={member: "A"}
    )
    page = client_for(facilitator).get(f"/partnerships/{partnership.pk}/plan/").content.decode()
    assert 'id="activity-123456"' in page
    assert 'id="status-123456"' in page
    assert f'id="role-123456-{member.pk}"' in page
    # No attribute anywhere holds a grouped number such as "123.456" or "123,456".
    attributes = re.findall(r'(?:id|for|value|aria-describedby)="([^"]*)"', page)
    assert not [a for a in attributes if re.search(r"\d[.,]\d{3}\b", a)]


def test_it_unlocalizes_every_number_a_template_writes_into_a_url_or_attribute() -> None:
    """A lint over the templates: ids, page numbers and percentages in attributes go through |unlocalize."""
    machine_read = re.compile(
        r'(?:id|for|value|href|aria-describedby)="[^"]*\{\{ ?[\w.]*(?:pk|_id|number|percent) ?\}\}'
    )
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
        for match in machine_read.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
