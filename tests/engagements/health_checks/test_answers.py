"""Opening a round, answering it from both sides, changing answers, closing it, and who may do what."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from engagements import services
from engagements.errors import EngagementRuleError
from engagements.models import HealthCheckAnswer, HealthCheckRound, HealthCheckSide, Reminder, ReminderKind
from tests.conftest import client_for
from tests.engagements.health_checks.conftest import answer, form_data, url
from tests.factories import make_partner_member

pytestmark = pytest.mark.django_db


def test_it_opens_a_round_and_invites_everyone_who_should_answer_through_the_outbox(
    partnership, facilitator, partner_a
) -> None:
    partnership.title = "Mangrove <b>Demak</b>"
    partnership.save()
    response = client_for(facilitator).post(
        url("health_check_open", partnership), {"closes_on": "2099-01-31", "rhythm_months": "6"}
    )

    found = HealthCheckRound.objects.get(partnership=partnership)
    assert response.status_code == 302
    assert response["Location"] == url("health_check_answer", partnership, found.pk)
    assert (found.opened_by, found.rhythm_months, str(found.closes_on)) == (facilitator, 6, "2099-01-31")
    invitations = Reminder.objects.filter(kind=ReminderKind.HEALTH_CHECK_OPEN, subject_id=found.pk)
    assert sorted(invitations.values_list("email", flat=True)) == sorted([facilitator.email, partner_a.email])
    assert mail.outbox == []  # the outbox delivers, not the request

    assert services.reminders.deliver() == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted([facilitator.email, partner_a.email])
    message = mail.outbox[0]
    assert "\n" not in message.subject and "Mangrove <b>Demak</b>" in message.subject  # plain text, not escaped
    assert f"/partnerships/{partnership.pk}/health-checks/{found.pk}/answer/" in message.body
    assert "&lt;" not in message.body
    html = dict((mimetype, content) for content, mimetype in message.alternatives)["text/html"]
    assert "Mangrove &lt;b&gt;Demak&lt;/b&gt;" in html and f"/health-checks/{found.pk}/answer/" in html


def test_it_keeps_one_open_round_at_a_time(partnership, facilitator, health_round) -> None:
    response = client_for(facilitator).post(
        url("health_check_open", partnership), {"closes_on": "2099-01-31", "rhythm_months": "3"}
    )

    assert response.status_code == 200 and "already open" in response.content.decode()
    assert HealthCheckRound.objects.filter(partnership=partnership).count() == 1


def test_it_saves_answers_from_both_sides(partnership, health_round, facilitator, partner_a, org_a) -> None:
    for user in (facilitator, partner_a):
        response = client_for(user).post(
            url("health_check_answer", partnership, health_round.pk), form_data(4, comment="Cukup jelas")
        )
        assert response.status_code == 302
        assert response["Location"] == url("health_check_results", partnership, health_round.pk)

    mine = HealthCheckAnswer.objects.filter(round=health_round, respondent=facilitator)
    theirs = HealthCheckAnswer.objects.filter(round=health_round, respondent=partner_a)
    assert mine.count() == theirs.count() == 10
    assert set(mine.values_list("side", "organization")) == {(HealthCheckSide.FACILITATORS, None)}
    assert set(theirs.values_list("side", "organization")) == {(HealthCheckSide.MEMBER, org_a.pk)}
    assert theirs.get(statement="goals-clear").comment == "Cukup jelas"


def test_it_lets_a_person_change_their_answers_while_the_round_is_open(partnership, health_round, partner_a) -> None:
    client = client_for(partner_a)
    client.post(url("health_check_answer", partnership, health_round.pk), form_data(2))
    page = client.get(url("health_check_answer", partnership, health_round.pk))
    assert page.context["form"]["score_goals-clear"].initial == 2

    client.post(url("health_check_answer", partnership, health_round.pk), form_data(5))

    answers = HealthCheckAnswer.objects.filter(round=health_round, respondent=partner_a)
    assert answers.count() == 10 and set(answers.values_list("score", flat=True)) == {5}


def test_it_asks_for_every_score(partnership, health_round, partner_a) -> None:
    data = form_data(3)
    del data["score_trust-open"]

    response = client_for(partner_a).post(url("health_check_answer", partnership, health_round.pk), data)

    assert response.status_code == 200 and response.context["form"].errors
    assert not HealthCheckAnswer.objects.filter(round=health_round).exists()


def test_it_refuses_answers_once_closed(partnership, health_round, facilitator, partner_a) -> None:
    response = client_for(facilitator).post(url("health_check_close", partnership, health_round.pk))
    assert response.status_code == 302
    health_round.refresh_from_db()
    assert health_round.closed_at is not None and not health_round.is_open

    response = client_for(partner_a).post(url("health_check_answer", partnership, health_round.pk), form_data(3))

    assert response.status_code == 302
    assert response["Location"] == url("health_check_results", partnership, health_round.pk)
    assert not HealthCheckAnswer.objects.filter(round=health_round).exists()
    with pytest.raises(EngagementRuleError):
        answer(partner_a, health_round)


def test_a_partner_member_cannot_answer_for_a_partnership_they_are_not_in(partnership, health_round, partner_b) -> None:
    response = client_for(partner_b).post(url("health_check_answer", partnership, health_round.pk), form_data(3))

    assert response.status_code == 404
    with pytest.raises(EngagementRuleError):
        answer(partner_b, health_round)
    assert not HealthCheckAnswer.objects.filter(round=health_round).exists()


def test_a_member_of_two_groups_answers_once_for_the_first(partnership, health_round, org_a, org_m) -> None:
    both = make_partner_member(org_a, username="dua_kelompok")
    both.organization_memberships.create(organization=org_m)

    answer(both, health_round, 3)

    assert set(HealthCheckAnswer.objects.filter(respondent=both).values_list("organization", flat=True)) == {
        min(org_a.pk, org_m.pk)
    }


def test_it_answers_a_partner_member_of_another_group_404_on_every_route(partnership, health_round, partner_b) -> None:
    client = client_for(partner_b)
    pk = health_round.pk
    for name, args in [
        ("health_check_list", ()),
        ("health_check_open", ()),
        ("health_check_answer", (pk,)),
        ("health_check_results", (pk,)),
        ("health_check_close", (pk,)),
    ]:
        assert client.get(url(name, partnership, *args)).status_code == 404, name
        assert client.post(url(name, partnership, *args), form_data(3)).status_code in (404, 405), name
    assert HealthCheckRound.objects.get().closed_at is None
    assert not HealthCheckAnswer.objects.exists()


def test_it_refuses_a_partner_member_the_facilitators_writes_of_their_own_partnership(
    partnership, health_round, partner_a
) -> None:
    client = client_for(partner_a)

    assert client.post(url("health_check_open", partnership), {"closes_on": "2099-01-31"}).status_code == 403
    assert client.post(url("health_check_close", partnership, health_round.pk)).status_code == 403
    assert HealthCheckRound.objects.filter(partnership=partnership).count() == 1
    assert HealthCheckRound.objects.get().closed_at is None


def test_it_answers_404_for_a_round_of_another_partnership(
    partnership, health_round, facilitator, org_b, partner_a
) -> None:
    from tests.engagements.builders import build_partnership

    other = build_partnership(user=facilitator, organizations=[org_b], activities=0, title="Lain")
    for name in ("health_check_answer", "health_check_results", "health_check_close"):
        target = reverse(f"engagements:{name}", args=[other.pk, health_round.pk])
        assert client_for(facilitator).get(target).status_code == 404
        assert client_for(partner_a).get(url(name, partnership, health_round.pk + 1000)).status_code == 404


def test_it_offers_answer_now_on_the_partnership_page_until_answered(partnership, health_round, partner_a) -> None:
    client = client_for(partner_a)
    answer_url = url("health_check_answer", partnership, health_round.pk)
    page = client.get(reverse("engagements:partnership_detail", args=[partnership.pk])).content.decode()
    assert f'href="{answer_url}"' in page

    answer(partner_a, health_round)

    page = client.get(reverse("engagements:partnership_detail", args=[partnership.pk])).content.decode()
    assert f'href="{answer_url}"' not in page
    assert 'id="health-checks-heading"' in page


def test_it_shows_the_rounds_and_when_the_next_is_due(partnership, health_round, facilitator) -> None:
    page = client_for(facilitator).get(url("health_check_list", partnership))

    assert page.status_code == 200
    assert page.context["rounds"] == [health_round]
    assert page.context["next_due_on"].month == (health_round.opened_on.month + 2) % 12 + 1


def test_the_service_refuses_a_closing_date_in_the_past(partnership, facilitator) -> None:
    import datetime

    from django.utils import timezone

    with pytest.raises(EngagementRuleError):
        services.health_checks.health_check_open(
            user=facilitator, partnership=partnership, closes_on=timezone.localdate() - datetime.timedelta(days=1)
        )
