"""A partnership of A (lead) and M, where B's partner member is an outsider, and lessons in it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from engagements import services
from engagements.models import Lesson, LessonKind, Partnership
from partners.models import Organization
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory


@pytest.fixture
def org_m(db: None) -> Organization:
    return OrganizationFactory(name="Kelompok Nelayan Bahari")


@pytest.fixture
def partnership(facilitator, org_a, org_m) -> Partnership:
    return build_partnership(user=facilitator, organizations=[org_a, org_m], activities=1)


@pytest.fixture
def partnership_b(facilitator, org_b) -> Partnership:
    """A partnership organization A is not part of."""
    return build_partnership(user=facilitator, organizations=[org_b], activities=0, title="Kebun Gizi Boyolali")


def make(
    partnership: Partnership,
    user,
    *,
    title: str = "Rapat malam lebih ramai",
    body: str = "Pertemuan setelah isya dihadiri lebih banyak anggota daripada siang hari.",
    tags: str = "",
    kind: str = LessonKind.LESSON,
    shared: bool = False,
    days_ago: int = 1,
    **links: object,
) -> Lesson:
    lesson = Lesson(
        partnership=partnership,
        kind=kind,
        title=title,
        body=body,
        tags=tags,
        shared_with_partners=shared,
        happened_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )
    return services.learning.lesson_save(user=user, lesson=lesson, **links)  # type: ignore[arg-type]


@pytest.fixture
def shared(partnership, facilitator) -> Lesson:
    return make(
        partnership, facilitator, title="Bibit dari kebun warga", tags="Mangrove, pembibitan", shared=True, days_ago=2
    )


@pytest.fixture
def internal(partnership, facilitator) -> Lesson:
    return make(partnership, facilitator, title="RAHASIA catatan fasilitator", body="Hanya untuk fasilitator")
