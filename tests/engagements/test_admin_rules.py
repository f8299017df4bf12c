"""The admin obeys the app's rules and writes the same history (issue #9, part 4).

Every test posts the admin's real change form, inlines and management
forms included, as a browser would (tests/admin_forms.py).
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone, translation

from engagements import services
from engagements.domain import schedules
from engagements.models import (
    Activity,
    ActivityRole,
    CheckIn,
    CheckInSchedule,
    Partnership,
    PartnershipMember,
    PartnershipStatus,
    ShareLink,
    StatusChange,
)
from partners.history import history_for
from tests.admin_forms import form_data, post_form
from tests.conftest import client_for
from tests.engagements.builders import build_partnership, three_organizations

TODAY = timezone.localdate()


def schedule_for(partnership: Partnership, user) -> CheckInSchedule:
    schedule = CheckInSchedule(
        partnership=partnership, cadence="days", interval=7, starts_on=TODAY - datetime.timedelta(days=40)
    )
    return services.checkins.schedule_save(user=user, schedule=schedule)


def descriptions(instance) -> list[str]:
    with translation.override("en"):
        return [f"{entry.user}: {entry.description}" for entry in history_for(instance)]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_it_moves_the_due_date_for_a_check_in_added_in_the_admin_as_for_one_logged_in_the_app(
    admin, facilitator
) -> None:
    by_admin, in_app = (build_partnership(user=facilitator, organizations=three_organizations(), title=t) for t in "AB")
    for partnership in (by_admin, in_app):
        schedule_for(partnership, facilitator)
    due_before = CheckInSchedule.objects.get(partnership=by_admin).due_on
    held = timezone.now() - datetime.timedelta(days=3)
    services.checkins.check_in_record(
        user=facilitator, check_in=CheckIn(partnership=in_app, held_at=held, channel="phone", summary="Rapat")
    )
    local = timezone.localtime(held)

    response = client_for(admin).post(
        "/admin/engagements/checkin/add/",
        {
            "partnership": by_admin.pk,
            "held_at_0": local.date().isoformat(),
            "held_at_1": local.strftime("%H:%M:%S"),
            "channel": "phone",
            "summary": "Rapat di balai desa",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    check_in = CheckIn.objects.get(partnership=by_admin)
    assert check_in.recorded_by == admin
    moved = CheckInSchedule.objects.get(partnership=by_admin)
    assert moved.last_held_on == local.date()
    assert moved.due_on == CheckInSchedule.objects.get(partnership=in_app).due_on != due_before
    assert "admin: Added check-in" in "\n".join(descriptions(by_admin))


@pytest.mark.django_db
def test_it_moves_the_due_date_back_when_a_check_in_is_deleted_in_the_admin(admin, facilitator) -> None:
    partnership = build_partnership(user=facilitator, organizations=three_organizations())
    due_before = schedule_for(partnership, facilitator).due_on
    check_in = services.checkins.check_in_record(
        user=facilitator,
        check_in=CheckIn(partnership=partnership, held_at=timezone.now(), channel="phone", summary="Rapat"),
    )
    assert CheckInSchedule.objects.get().due_on != due_before

    response = client_for(admin).post(f"/admin/engagements/checkin/{check_in.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not CheckIn.objects.exists()
    assert CheckInSchedule.objects.get().due_on == due_before


@pytest.mark.django_db
def test_it_refuses_a_check_in_in_the_future_in_the_admin_with_a_message(admin, facilitator) -> None:
    partnership = build_partnership(user=facilitator, organizations=three_organizations())
    due_before = schedule_for(partnership, facilitator).due_on
    future = timezone.localtime() + datetime.timedelta(days=2)
    response = client_for(admin).post(
        "/admin/engagements/checkin/add/",
        {
            "partnership": partnership.pk,
            "held_at_0": future.date().isoformat(),
            "held_at_1": "10:00:00",
            "channel": "phone",
            "summary": "Belum terjadi",
        },
    )
    assert response.status_code == 302
    assert messages_of(response) == ["A check-in that was held cannot be in the future."]
    assert not CheckIn.objects.exists()
    assert not CheckIn.history.exists()
    assert CheckInSchedule.objects.get().due_on == due_before


@pytest.mark.django_db
def test_it_recomputes_the_derived_dates_of_a_schedule_saved_in_the_admin(admin, facilitator) -> None:
    partnership = build_partnership(user=facilitator, organizations=three_organizations())
    schedule = schedule_for(partnership, facilitator)
    url = f"/admin/engagements/checkinschedule/{schedule.pk}/change/"

    response = post_form(client_for(admin), url, {"interval": "30", "grace_days": "5"})

    assert response.status_code == 302, response.content.decode()[:2000]
    schedule.refresh_from_db()
    expected = schedules.derive(schedule, None)
    assert (schedule.interval, schedule.grace_days) == (30, 5)
    assert (schedule.planned_on, schedule.due_on, schedule.late_from, schedule.dormant_from) == (
        expected.planned_on,
        expected.due_on,
        expected.late_from,
        expected.dormant_from,
    )
    assert schedule.due_on >= TODAY - datetime.timedelta(days=40) + datetime.timedelta(days=30)
    assert "admin: Changed every and grace period (days) for check-in schedule" in "\n".join(descriptions(partnership))


@pytest.mark.django_db
def test_it_keeps_the_status_read_only_in_the_partnership_form(admin, facilitator) -> None:
    partnership = build_partnership(user=facilitator, organizations=three_organizations())
    client = client_for(admin)
    url = f"/admin/engagements/partnership/{partnership.pk}/change/"
    assert "status" not in form_data(client, url)

    response = post_form(client, url, {"status": "closed", "title": "Mangrove Pesisir Demak Baru"})

    assert response.status_code == 302, response.content.decode()[:2000]
    partnership.refresh_from_db()
    assert partnership.title == "Mangrove Pesisir Demak Baru"
    assert partnership.status == PartnershipStatus.EXPLORING
    assert not StatusChange.objects.exists()
    assert f"/partnerships/{partnership.pk}/status/" in client.get(url).content.decode()


@pytest.mark.django_db
def test_it_changes_the_status_in_the_admin_only_through_a_status_change_with_a_reason(admin, facilitator) -> None:
    partnership = build_partnership(user=facilitator, organizations=three_organizations())
    client = client_for(admin)
    data = {"partnership": partnership.pk, "to_status": "agreed", "reason": "Semua kelompok sepakat"}

    response = client.post("/admin/engagements/statuschange/add/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.AGREED
    change = StatusChange.objects.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("exploring", "agreed", admin)
    assert "admin: Changed status." in descriptions(partnership)
    assert Partnership.history.filter(id=partnership.pk).latest().history_change_reason == "Semua kelompok sepakat"


@pytest.mark.django_db
def test_it_refuses_a_status_change_the_app_would_refuse_and_changes_nothing(admin, facilitator) -> None:
    partnership = build_partnership(user=facilitator, organizations=three_organizations())
    records = Partnership.history.count()

    response = client_for(admin).post(
        "/admin/engagements/statuschange/add/",
        {"partnership": partnership.pk, "to_status": "active", "reason": "Langsung jalan"},
    )

    assert response.status_code == 302
    assert messages_of(response) == ["A partnership cannot go from “Exploring” to “Active”."]
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.EXPLORING
    assert not StatusChange.objects.exists()
    assert Partnership.history.count() == records


@pytest.mark.django_db
def test_it_keeps_status_changes_append_only_in_the_admin(admin, facilitator) -> None:
    partnership = build_partnership(user=facilitator, organizations=three_organizations())
    change = services.partnerships.partnership_set_status(
        user=facilitator, partnership=partnership, status="agreed", reason="Sepakat"
    )
    client = client_for(admin)
    response = client.post(
        f"/admin/engagements/statuschange/{change.pk}/change/",
        {"partnership": partnership.pk, "to_status": "closed", "reason": "x"},
    )
    assert response.status_code == 403
    assert client.post(f"/admin/engagements/statuschange/{change.pk}/delete/", {"post": "yes"}).status_code == 403
    assert StatusChange.objects.get().to_status == "agreed"


def roles_form(client, activity: Activity) -> dict[str, str]:
    """The inline rows of the activity's roles as the page shows them, by member organization: {name: row prefix}."""
    data = form_data(client, f"/admin/engagements/activity/{activity.pk}/change/")
    names = dict(activity.partnership.members.values_list("pk", "organization__name"))
    return {
        names[int(values[0])]: name.removesuffix("-member")
        for name, values in data.items()
        if name.startswith("roles-") and name.endswith("-member")
    }


@pytest.mark.django_db
def test_it_refuses_an_activity_with_two_accountable_members_in_the_admin(admin, facilitator) -> None:
    partnership = build_partnership(user=facilitator, organizations=three_organizations(), activities=1)
    activity = partnership.activities.get()
    before = sorted(activity.roles.values_list("member__organization__name", "role"))
    records = (Activity.history.count(), ActivityRole.history.count())
    client = client_for(admin)
    rows = roles_form(client, activity)
    assert before == [("Kelompok A", "A"), ("Kelompok B", "R"), ("Kelompok C", "I")]

    response = post_form(
        client,
        f"/admin/engagements/activity/{activity.pk}/change/",
        {f"{rows['Kelompok B']}-role": "A", "title": "Judul yang tidak disimpan"},
    )

    assert response.status_code == 200
    assert "Choose exactly one accountable member organization." in response.content.decode()
    activity.refresh_from_db()
    assert activity.title == "Kegiatan 1"
    assert sorted(activity.roles.values_list("member__organization__name", "role")) == before
    assert (Activity.history.count(), ActivityRole.history.count()) == records


@pytest.mark.django_db
def test_it_saves_the_roles_of_an_activity_edited_in_the_admin_through_the_service(admin, facilitator) -> None:
    partnership = build_partnership(user=facilitator, organizations=three_organizations(), activities=1)
    activity = partnership.activities.get()
    client = client_for(admin)
    rows = roles_form(client, activity)

    response = post_form(
        client,
        f"/admin/engagements/activity/{activity.pk}/change/",
        {f"{rows['Kelompok A']}-role": "R", f"{rows['Kelompok B']}-role": "A", f"{rows['Kelompok C']}-DELETE": "on"},
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(activity.roles.values_list("member__organization__name", "role")) == [
        ("Kelompok A", "R"),
        ("Kelompok B", "A"),
    ]
    history = descriptions(partnership)
    assert "admin: Changed role for activity role “Kegiatan 1: Kelompok B”." in history
    assert "admin: Deleted activity role “Kegiatan 1: Kelompok C”." in history
    page = client.get(f"/admin/engagements/activity/{activity.pk}/history/").content.decode()
    assert "Deleted activity role “Kegiatan 1: Kelompok C”." in page  # the activity's own History page


@pytest.mark.django_db
def test_it_refuses_to_remove_an_accountable_member_in_the_admin(admin, facilitator) -> None:
    partnership = build_partnership(user=facilitator, organizations=three_organizations(), activities=1)
    lead = partnership.members.get(organization__name="Kelompok A")
    url = f"/admin/engagements/partnership/{partnership.pk}/change/"
    rows = form_data(client_for(admin), url)
    row = next(name for name, values in rows.items() if name.startswith("members-") and values == [str(lead.pk)])

    inline = post_form(client_for(admin), url, {row.replace("-id", "-DELETE"): "on"})
    direct = client_for(admin).post(f"/admin/engagements/partnershipmember/{lead.pk}/delete/", {"post": "yes"})

    expected = "Kelompok A is accountable for activities: make another member accountable first."
    assert messages_of(inline) == [expected], messages_of(inline)
    assert messages_of(direct) == [expected], messages_of(direct)
    assert PartnershipMember.objects.filter(pk=lead.pk).exists()


@pytest.mark.django_db
def test_it_adds_a_member_in_the_admin_through_the_service(admin, facilitator, org_a) -> None:
    partnership = build_partnership(user=facilitator, organizations=three_organizations(), activities=0)
    response = post_form(
        client_for(admin),
        "/admin/engagements/partnershipmember/add/",
        {"partnership": str(partnership.pk), "organization": str(org_a.pk), "role": "supporter"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert partnership.members.filter(organization=org_a, role="supporter").exists()
    assert f"admin: Added member organization “{org_a.name} (Supporter)”." in descriptions(partnership)


@pytest.mark.django_db
def test_it_shows_admin_edits_in_the_same_history_as_app_edits(admin, facilitator) -> None:
    partnership = build_partnership(user=facilitator, organizations=three_organizations(), activities=1)
    goal = partnership.goals.get()
    url = f"/admin/engagements/sharedgoal/{goal.pk}/change/"

    response = post_form(client_for(admin), url, {"statement": "Tanam 2000 bibit mangrove", "target": "2000"})

    assert response.status_code == 302, response.content.decode()[:2000]
    history = descriptions(partnership)
    assert history[0] == "admin: Changed goal and target for shared goal “Tanam 2000 bibit mangrove”."
    assert "fasilitator: Added shared goal “Tanam 1000 bibit mangrove”." in history
    page = client_for(facilitator).get(f"/partnerships/{partnership.pk}/history/").content.decode()
    section = page[page.index('id="history-heading"') :]
    assert "admin: Changed goal and target for shared goal “Tanam 2000 bibit mangrove”." in section


@pytest.mark.django_db
def test_it_makes_share_link_tokens_itself_and_revokes_through_the_service(admin, facilitator) -> None:
    partnership = build_partnership(user=facilitator, organizations=three_organizations(), activities=0)
    client = client_for(admin)
    expires = (TODAY + datetime.timedelta(days=30)).isoformat()
    for label in ("Grup WA", "Grup FB"):
        response = client.post(
            "/admin/engagements/sharelink/add/",
            {"partnership": partnership.pk, "label": label, "expires_on": expires, "token": "chosen-by-hand"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    tokens = set(ShareLink.objects.values_list("token", flat=True))
    assert len(tokens) == 2 and "chosen-by-hand" not in tokens and all(len(token) > 20 for token in tokens)

    link = ShareLink.objects.get(label="Grup WA")
    client.post("/admin/engagements/sharelink/", {"action": "revoke", "_selected_action": [link.pk], "index": "0"})

    link.refresh_from_db()
    assert link.revoked_at is not None
    assert "admin: Changed revoked at for share link “Grup WA”." in descriptions(partnership)


@pytest.mark.django_db
def test_it_issues_invitations_only_from_the_app(admin) -> None:
    assert client_for(admin).get("/admin/engagements/invitation/add/").status_code == 403


@pytest.mark.django_db
def test_it_refuses_to_revert_a_record_from_its_admin_history(admin, facilitator) -> None:
    partnership = build_partnership(user=facilitator, organizations=three_organizations(), activities=0)
    services.partnerships.partnership_set_status(
        user=facilitator, partnership=partnership, status="agreed", reason="Sepakat"
    )
    first = Partnership.history.filter(id=partnership.pk).earliest()
    url = f"/admin/engagements/partnership/{partnership.pk}/history/{first.history_id}/"
    client = client_for(admin)
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": partnership.title, "_change_history": "1"}).status_code == 403
    partnership.refresh_from_db()
    assert partnership.status == "agreed"
