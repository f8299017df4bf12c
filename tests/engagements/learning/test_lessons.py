"""Recording, editing and removing lessons: what the database holds afterwards, and the rules the service keeps."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements.errors import EngagementRuleError
from engagements.models import Lesson, LessonKind, SharedGoal
from tests.conftest import client_for
from tests.engagements.learning.conftest import make

pytestmark = pytest.mark.django_db


def url(name: str, lesson: Lesson) -> str:
    return reverse(f"engagements:{name}", args=[lesson.partnership_id, lesson.pk])


def lesson_data(**overrides: object) -> dict[str, object]:
    return {
        "kind": LessonKind.INNOVATION,
        "title": "Iuran lewat QRIS",
        "body": "Bendahara memakai QRIS: iuran masuk tepat waktu dan tercatat.",
        "happened_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "tags": " Keuangan,  #Simpan Pinjam ; keuangan",
    } | overrides


def test_it_records_a_lesson_with_the_groups_goals_and_activities_it_names(
    partnership, facilitator, org_a, org_m
) -> None:
    goal = partnership.goals.get()
    activity = partnership.activities.get()
    response = client_for(facilitator).post(
        reverse("engagements:lesson_create", args=[partnership.pk]),
        lesson_data(organizations=[org_a.pk], goals=[goal.pk], activities=[activity.pk], shared_with_partners="on"),
    )

    lesson = Lesson.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("lesson_detail", lesson)
    assert (lesson.kind, lesson.title, lesson.tags) == (
        LessonKind.INNOVATION,
        "Iuran lewat QRIS",
        "keuangan,simpan pinjam",
    )
    assert lesson.tag_list == ["keuangan", "simpan pinjam"]
    assert lesson.shared_with_partners is True
    assert lesson.created_by == facilitator
    assert list(lesson.organizations.all()) == [org_a]
    assert list(lesson.goals.all()) == [goal]
    assert list(lesson.activities.all()) == [activity]
    assert lesson.history.get().history_user == facilitator


def test_it_keeps_a_new_lesson_with_the_facilitators_unless_it_is_shared(partnership, facilitator) -> None:
    client_for(facilitator).post(reverse("engagements:lesson_create", args=[partnership.pk]), lesson_data())
    assert Lesson.objects.get().shared_with_partners is False


def test_it_offers_only_the_partnerships_own_groups_goals_and_activities(
    partnership, partnership_b, facilitator, org_a, org_m, org_b
) -> None:
    response = client_for(facilitator).get(reverse("engagements:lesson_create", args=[partnership.pk]))
    form = response.context["form"]
    assert set(form.fields["organizations"].queryset) == {org_a, org_m}
    assert set(form.fields["goals"].queryset) == set(partnership.goals.all())
    assert set(form.fields["activities"].queryset) == set(partnership.activities.all())

    foreign_goal = SharedGoal.objects.get(partnership=partnership_b)
    response = client_for(facilitator).post(
        reverse("engagements:lesson_create", args=[partnership.pk]),
        lesson_data(organizations=[org_b.pk], goals=[foreign_goal.pk]),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"organizations", "goals"}
    assert not Lesson.objects.exists()


def test_the_service_refuses_what_belongs_to_another_partnership(
    partnership, partnership_b, facilitator, org_b
) -> None:
    goal_b = partnership_b.goals.get()
    for links in ({"organizations": [org_b]}, {"goals": [goal_b]}):
        with pytest.raises(EngagementRuleError):
            make(partnership, facilitator, **links)
    assert not Lesson.objects.exists()


def test_it_leaves_out_a_list_with_nothing_to_choose(partnership_b, facilitator) -> None:
    """Partnership B has no activity: the form shows no empty list of activities, and saves without one."""
    form = client_for(facilitator).get(reverse("engagements:lesson_create", args=[partnership_b.pk])).context["form"]
    assert "activities" not in form.fields
    response = client_for(facilitator).post(
        reverse("engagements:lesson_create", args=[partnership_b.pk]), lesson_data()
    )
    assert response.status_code == 302
    assert Lesson.objects.get().partnership == partnership_b


def test_it_refuses_a_lesson_dated_in_the_future(partnership, facilitator) -> None:
    tomorrow = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = client_for(facilitator).post(
        reverse("engagements:lesson_create", args=[partnership.pk]), lesson_data(happened_on=tomorrow)
    )
    assert response.status_code == 200
    assert "cannot be in the future" in str(response.context["form"].non_field_errors())
    assert not Lesson.objects.exists()


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (",".join(f"tag{n}" for n in range(11)), "At most 10 tags"),
        ("x" * 41, "at most 40 characters"),
    ],
)
def test_it_refuses_too_many_or_too_long_tags(partnership, facilitator, tags: str, message: str) -> None:
    response = client_for(facilitator).post(
        reverse("engagements:lesson_create", args=[partnership.pk]), lesson_data(tags=tags)
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["tags"])
    with pytest.raises(EngagementRuleError, match=message):
        make(partnership, facilitator, tags=tags)
    assert not Lesson.objects.exists()


def test_it_edits_a_lesson_and_keeps_who_wrote_it(shared, facilitator, admin, org_m) -> None:
    response = client_for(admin).get(url("lesson_edit", shared))
    assert response.context["form"]["tags"].value() == "mangrove, pembibitan"

    response = client_for(admin).post(
        url("lesson_edit", shared),
        lesson_data(title="Bibit dari kebun warga lebih kuat", tags="mangrove", organizations=[org_m.pk]),
    )

    assert response.status_code == 302 and response["Location"] == url("lesson_detail", shared)
    shared.refresh_from_db()
    assert (shared.title, shared.tags, shared.created_by) == (
        "Bibit dari kebun warga lebih kuat",
        "mangrove",
        facilitator,
    )
    assert shared.shared_with_partners is False  # the box was left unticked
    assert list(shared.organizations.all()) == [org_m]
    assert [row.history_user for row in shared.history.all()] == [admin, facilitator]


def test_it_asks_before_removing_a_lesson_and_removes_it_on_post(shared, facilitator) -> None:
    client = client_for(facilitator)
    page = client.get(url("lesson_delete", shared))
    assert page.status_code == 200
    assert shared.title in page.content.decode()
    assert Lesson.objects.filter(pk=shared.pk).exists()

    response = client.post(url("lesson_delete", shared))

    assert response.status_code == 302
    assert response["Location"] == reverse("engagements:lesson_list", args=[shared.partnership_id])
    assert not Lesson.objects.filter(pk=shared.pk).exists()
    assert shared.history.filter(history_type="-").get().history_user == facilitator


def test_it_filters_the_list_by_kind_and_tag(partnership, facilitator) -> None:
    make(partnership, facilitator, title="Satu", kind=LessonKind.IMPACT, tags="air bersih,sekolah")
    make(partnership, facilitator, title="Dua", kind=LessonKind.IMPACT, tags="air")
    make(partnership, facilitator, title="Tiga", kind=LessonKind.INNOVATION, tags="bersih air")
    listing = reverse("engagements:lesson_list", args=[partnership.pk])

    def shown(**query: object) -> set[str]:
        response = client_for(facilitator).get(listing, query)
        assert response.status_code == 200
        return {lesson.title for lesson in response.context["page"].object_list}

    assert shown() == {"Satu", "Dua", "Tiga"}
    assert shown(kind="impact") == {"Satu", "Dua"}
    assert shown(tag="Air") == {"Dua"}  # the tag exactly: not "air bersih", not "bersih air"
    assert shown(tag="air bersih") == {"Satu"}
    assert shown(tag="sekolah") == {"Satu"}
    assert shown(tag="#Bersih  Air") == {"Tiga"}
    assert shown(kind="impact", tag="sekolah") == {"Satu"}
    assert shown(kind="nonsense") == {"Satu", "Dua", "Tiga"}  # a bad filter filters nothing
    page = client_for(facilitator).get(listing).content.decode()
    assert f'href="{listing}?tag=air%20bersih"' in page


def test_it_pages_the_list_newest_first(partnership, facilitator) -> None:
    for n in range(25):
        make(partnership, facilitator, title=f"Pelajaran {n:02}", days_ago=n)
    listing = reverse("engagements:lesson_list", args=[partnership.pk])
    first = client_for(facilitator).get(listing).context["page"]
    second = client_for(facilitator).get(listing, {"page": 2}).context["page"]
    assert [lesson.title for lesson in first.object_list][:2] == ["Pelajaran 00", "Pelajaran 01"]
    assert len(first.object_list) == 20 and len(second.object_list) == 5
    assert client_for(facilitator).get(listing, {"page": "x'%"}).status_code == 200


def test_it_shows_an_empty_state_that_says_what_to_do(partnership, facilitator, partner_a) -> None:
    listing = reverse("engagements:lesson_list", args=[partnership.pk])
    assert "write down what worked" in client_for(facilitator).get(listing).content.decode()
    assert "Nothing has been shared with you yet" in client_for(partner_a).get(listing).content.decode()
    search = client_for(facilitator).get(reverse("engagements:learning_search")).content.decode()
    assert "record what it has taught you" in search
    nothing = client_for(facilitator).get(reverse("engagements:learning_search"), {"q": "zzz"}).content.decode()
    assert "Try fewer or shorter words" in nothing


def test_the_admin_saves_through_the_service(admin, partnership, partnership_b, org_a, org_b) -> None:
    client = client_for(admin)
    data = {
        "partnership": partnership.pk,
        "kind": "exchange",
        "title": "Belajar dari kelompok tetangga",
        "body": "Kunjungan ke kelompok tani sebelah.",
        "tags": "Kunjungan, Pertukaran",
        "happened_on": timezone.localdate().isoformat(),
    }
    refused = client.post("/admin/engagements/lesson/add/", data | {"organizations": [org_b.pk]})
    assert refused.status_code == 302
    assert not Lesson.objects.exists()

    response = client.post("/admin/engagements/lesson/add/", data | {"organizations": [org_a.pk]})

    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert (lesson.tags, lesson.created_by) == ("kunjungan,pertukaran", admin)
    assert list(lesson.organizations.all()) == [org_a]
    client.post(f"/admin/engagements/lesson/{lesson.pk}/delete/", {"post": "yes"})
    assert not Lesson.objects.exists()


def test_the_admin_shows_a_lesson_and_its_history(admin, shared) -> None:
    client = client_for(admin)
    change = client.get(f"/admin/engagements/lesson/{shared.pk}/change/")
    assert change.status_code == 200
    assert shared.title in change.content.decode()
    history = client.get(f"/admin/engagements/lesson/{shared.pk}/history/")
    assert history.status_code == 200
    assert client.get("/admin/engagements/lesson/", {"q": "bibit"}).status_code == 200
