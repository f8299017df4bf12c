"""Check-ins restart the clock; badges show the state; next steps become activities."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from engagements import services
from engagements.models import Activity, ActivityRole, CheckIn, CheckInSchedule
from partners.models import Contact
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.factories import OrganizationFactory

TODAY = timezone.localdate()


@pytest.fixture
def partnership(facilitator, org_a):
    return build_partnership(user=facilitator, organizations=[org_a, OrganizationFactory()])


def schedule_for(partnership, facilitator, **fields) -> CheckInSchedule:
    item = CheckInSchedule(partnership=partnership, cadence="days", interval=14, starts_on=TODAY, **fields)
    return services.checkins.schedule_save(user=facilitator, schedule=item)


@pytest.mark.django_db
def test_it_sets_the_rhythm_through_the_form(facilitator, partnership) -> None:
    data = {
        "cadence": "monthly", "interval": "1", "month_week": "1", "month_weekday": "0", "starts_on": TODAY.isoformat(),
        "grace_days": "3", "lead_days": "2", "channel": "video", "time_zone": "Asia/Makassar",
        "repeat_every_days": "3", "escalate_after": "2",
    }  # fmt: skip
    response = client_for(facilitator).post(f"/partnerships/{partnership.pk}/schedule/", data)
    assert response.status_code == 302
    schedule = CheckInSchedule.objects.get()
    assert schedule.due_on.weekday() in range(5)
    assert schedule.planned_on.weekday() == 0
    assert (schedule.time_zone, schedule.channel) == ("Asia/Makassar", "video")


@pytest.mark.django_db
def test_it_refuses_nonsense_in_the_schedule_form(facilitator, partnership) -> None:
    data = {"cadence": "weeks", "interval": "0", "grace_days": "-1", "lead_days": "2", "channel": "video",
            "time_zone": "Europe/Paris", "repeat_every_days": "3", "escalate_after": "2", "month_week": "1",
            "month_weekday": "0", "starts_on": TODAY.isoformat()}  # fmt: skip
    response = client_for(facilitator).post(f"/partnerships/{partnership.pk}/schedule/", data)
    assert response.status_code == 200
    assert response.content.decode().count('class="errorlist') >= 3
    assert not CheckInSchedule.objects.exists()


@pytest.mark.django_db
def test_it_restarts_the_clock_when_a_check_in_is_logged(facilitator, partnership, org_a) -> None:
    schedule = schedule_for(partnership, facilitator)
    contact = Contact.objects.create(organization=org_a, name="Bu Sri")
    held_at = timezone.now() - datetime.timedelta(days=1)
    response = client_for(facilitator).post(
        f"/partnerships/{partnership.pk}/check-ins/new/",
        {
            "held_at": timezone.localtime(held_at).strftime("%Y-%m-%dT%H:%M"),
            "channel": "whatsapp_call",
            "contacts": [contact.pk],
            "participants": [facilitator.pk],
            "summary": "Membahas jadwal pembibitan",
            "next_steps": "- Beli polybag\n- Hubungi dinas",
            "internal_notes": "RAHASIA-checkin",
            "shared_notes": "Terima kasih semua",
        },
    )
    check_in = CheckIn.objects.get()
    assert response["Location"] == f"/partnerships/{partnership.pk}/check-ins/{check_in.pk}/"
    schedule.refresh_from_db()
    assert schedule.last_held_on == timezone.localtime(held_at).date()
    assert schedule.planned_on == schedule.last_held_on + datetime.timedelta(days=14)
    assert check_in.next_step_lines() == ["Beli polybag", "Hubungi dinas"]


@pytest.mark.django_db
def test_it_refuses_a_check_in_in_the_future(facilitator, partnership) -> None:
    later = timezone.localtime() + datetime.timedelta(days=2)
    response = client_for(facilitator).post(
        f"/partnerships/{partnership.pk}/check-ins/new/",
        {"held_at": later.strftime("%Y-%m-%dT%H:%M"), "channel": "phone", "summary": "x"},
    )
    assert "cannot be in the future" in response.content.decode()
    assert not CheckIn.objects.exists()


@pytest.mark.django_db
def test_it_turns_a_next_step_into_a_plan_activity_in_one_click(facilitator, partnership) -> None:
    check_in = services.checkins.check_in_record(
        user=facilitator,
        check_in=CheckIn(partnership=partnership, held_at=timezone.now(), channel="phone", summary="x",
                         next_steps="Beli polybag\nHubungi dinas"),
    )  # fmt: skip
    response = client_for(facilitator).post(
        f"/partnerships/{partnership.pk}/check-ins/{check_in.pk}/next-steps/1/activity/"
    )
    activity = Activity.objects.get(title="Hubungi dinas")
    assert response["Location"] == f"/partnerships/{partnership.pk}/activities/{activity.pk}/edit/"
    assert ActivityRole.objects.get(activity=activity).role == "A"
    assert (
        client_for(facilitator)
        .post(f"/partnerships/{partnership.pk}/check-ins/{check_in.pk}/next-steps/7/activity/")
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_it_shows_the_state_badge_wherever_the_partnership_appears(facilitator, partner_a, partnership) -> None:
    schedule = schedule_for(partnership, facilitator)
    CheckInSchedule.objects.filter(pk=schedule.pk).update(
        remind_from=TODAY - datetime.timedelta(days=10), late_from=TODAY - datetime.timedelta(days=2),
        dormant_from=TODAY + datetime.timedelta(days=20), due_on=TODAY - datetime.timedelta(days=5),
    )  # fmt: skip
    for user, path in [
        (facilitator, "/partnerships/"),
        (facilitator, f"/partnerships/{partnership.pk}/"),
        (facilitator, "/today/"),
        (partner_a, "/our-partnerships/"),
        (partner_a, f"/partnerships/{partnership.pk}/"),
    ]:
        assert "badge-checkin-late" in client_for(user).get(path).content.decode(), path


@pytest.mark.django_db
def test_it_keeps_internal_check_in_notes_from_partner_members(facilitator, partner_a, partnership) -> None:
    check_in = services.checkins.check_in_record(
        user=facilitator,
        check_in=CheckIn(partnership=partnership, held_at=timezone.now(), channel="phone", summary="Ringkasan",
                         internal_notes="RAHASIA-checkin", shared_notes="Catatan untuk semua"),
    )  # fmt: skip
    html = client_for(partner_a).get(f"/partnerships/{partnership.pk}/check-ins/{check_in.pk}/").content.decode()
    assert "Catatan untuk semua" in html and "RAHASIA-checkin" not in html
    assert client_for(partner_a).get(f"/partnerships/{partnership.pk}/check-ins/new/").status_code == 403


@pytest.mark.django_db
def test_it_prefills_the_check_in_form_with_now_and_the_usual_channel(facilitator, partnership) -> None:
    schedule_for(partnership, facilitator, channel="video")
    form = client_for(facilitator).get(f"/partnerships/{partnership.pk}/check-ins/new/").context["form"]
    assert form["channel"].value() == "video"
    assert form["held_at"].value().date() == timezone.localdate()
