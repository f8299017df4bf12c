"""A partnership of A (lead) and M for the facilitator; B's partner member is an outsider."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from engagements.models import Partnership
from partners.models import Organization
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory


@pytest.fixture
def org_m(db: None) -> Organization:
    return OrganizationFactory(name="Kelompok Nelayan Bahari")


@pytest.fixture
def partnership(facilitator, org_a, org_m) -> Partnership:
    return build_partnership(user=facilitator, organizations=[org_a, org_m], activities=0)


def open_today(client: Client):
    response = client.get(reverse("engagements:today"))
    assert response.status_code == 200
    return response


def section(response, kind: str):
    return response.context["page"].by_kind[kind]


def today_of(facilitator):
    """Today as the facilitator's client sees it: a fresh client each time, as a new morning would be."""
    return open_today(client_for(facilitator))


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)
