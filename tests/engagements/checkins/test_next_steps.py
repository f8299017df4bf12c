"""A next step of a check-in becomes at most one plan activity, and says which."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from engagements import services
from engagements.models import Activity, CheckIn
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory


@pytest.fixture
def partnership(facilitator, org_a):
    return build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()], activities=0)


@pytest.fixture
def check_in(facilitator, partnership) -> CheckIn:
    return services.checkins.check_in_record(
        user=facilitator,
        check_in=CheckIn(partnership=partnership, held_at=timezone.now(), channel="phone", summary="Rapat",
                         next_steps="Beli polybag\nHubungi dinas"),
    )  # fmt: skip


def step_url(check_in: CheckIn, step: int) -> str:
    return f"/partnerships/{check_in.partnership_id}/check-ins/{check_in.pk}/next-steps/{step}/activity/"


@pytest.mark.django_db
def test_it_makes_one_activity_of_a_next_step_however_often_it_is_clicked(facilitator, check_in) -> None:
    client = client_for(facilitator)
    first = client.post(step_url(check_in, 0))
    second = client.post(step_url(check_in, 0), follow=True)

    activity = Activity.objects.get()
    assert first.status_code == 302
    assert (activity.title, activity.source_check_in, activity.source_step) == ("Beli polybag", check_in, 0)
    assert "already the activity “Beli polybag”" in second.content.decode()
    assert Activity.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_a_second_activity_for_the_same_step_in_the_database(partnership, check_in) -> None:
    Activity.objects.create(partnership=partnership, title="A", source_check_in=check_in, source_step=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(partnership=partnership, title="B", source_check_in=check_in, source_step=1)


@pytest.mark.django_db
def test_it_links_each_step_to_the_activity_it_became(facilitator, partner_a, check_in) -> None:
    client_for(facilitator).post(step_url(check_in, 1))
    activity = Activity.objects.get()
    for user in (facilitator, partner_a):
        page = client_for(user).get(f"/partnerships/{check_in.partnership_id}/check-ins/{check_in.pk}/").content
        page = page.decode()
        assert f'/partnerships/{check_in.partnership_id}/plan/#activity-{activity.pk}">Hubungi dinas</a>' in page
        assert page.count("Make it a plan activity") == (1 if user == facilitator else 0)


@pytest.mark.django_db
def test_it_shows_on_the_plan_which_check_in_an_activity_came_from(facilitator, check_in) -> None:
    client_for(facilitator).post(step_url(check_in, 0))
    page = client_for(facilitator).get(f"/partnerships/{check_in.partnership_id}/plan/").content.decode()
    assert f"/partnerships/{check_in.partnership_id}/check-ins/{check_in.pk}/" in page
    assert "From the check-in of" in page
