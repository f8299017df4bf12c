"""A facilitator saves a plan as a template and starts another plan from it."""

from __future__ import annotations

import datetime
import json
from unittest import mock
from urllib.parse import urlparse

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from engagements import services
from engagements.errors import EngagementRuleError
from engagements.models import Activity, ActivityRole, Partnership, PartnershipMember, PlanTemplate
from partners.models import Organization
from tests.conftest import ROLES, client_for
from tests.factories import OrganizationFactory

SOURCE_START = datetime.date(2025, 1, 6)
TARGET_START = datetime.date(2025, 7, 1)


def make_partnership(user: User, *, title: str = "Kebun Gizi", start_date: datetime.date | None = SOURCE_START):
    return services.partnerships.partnership_save(
        user=user, partnership=Partnership(title=title, start_date=start_date)
    )


def add_members(partnership: Partnership, roles: list[tuple[str, str]]) -> dict[str, PartnershipMember]:
    """(organization name, member role) pairs; returns the members by organization name."""
    return {
        name: services.partnerships.member_add(
            partnership=partnership, organization=OrganizationFactory(name=name), role=role
        )
        for name, role in roles
    }


def add_activity(partnership: Partnership, title: str, roles: dict[PartnershipMember, str], **fields: object):
    return services.plans.activity_save(activity=Activity(partnership=partnership, title=title, **fields), roles=roles)


def roles_of(activity: Activity) -> dict[str, str]:
    return {role.member.organization.name: role.role for role in activity.roles.select_related("member__organization")}


@pytest.fixture
def source(facilitator: User) -> Partnership:
    """Five activities; two plain members hold different letters on some."""
    partnership = make_partnership(facilitator)
    m = add_members(
        partnership,
        [
            ("Karang Taruna Lama", "lead"),
            ("PKK Lama", "co_lead"),
            ("Kelompok Tani Lama", "member"),
            ("Posyandu Lama", "member"),
            ("Koperasi Lama", "supporter"),
        ],
    )
    lead, co_lead, tani, posyandu, koperasi = m.values()
    day = datetime.timedelta
    add_activity(
        partnership,
        "Pemetaan lahan",
        {lead: "A", tani: "R", posyandu: "C", koperasi: "I"},
        description="Peta kebun bersama",
        due_date=SOURCE_START,
        internal_notes="RAHASIA: ketua kelompok sedang sakit",
        shared_notes="Bawa meteran",
    )
    add_activity(partnership, "Pembibitan", {co_lead: "A", tani: "I", posyandu: "R"}, due_date=SOURCE_START + day(14))
    add_activity(
        partnership, "Pelatihan kompos", {tani: "A", lead: "C", koperasi: "R"}, due_date=SOURCE_START + day(30)
    )
    add_activity(partnership, "Arisan hasil panen", {koperasi: "A", posyandu: "I"})
    add_activity(
        partnership, "Evaluasi bersama", {lead: "A", co_lead: "R"}, due_date=SOURCE_START - day(3)
    )  # before the start
    return partnership


@pytest.fixture
def target(facilitator: User) -> tuple[Partnership, dict[str, PartnershipMember]]:
    partnership = make_partnership(facilitator, title="Kebun Gizi Boyolali", start_date=TARGET_START)
    members = add_members(
        partnership,
        [
            ("Karang Taruna Baru", "lead"),
            ("PKK Baru", "co_lead"),
            ("Kelompok Anggrek", "member"),
            ("Kelompok Bambu", "member"),
            ("Koperasi Baru", "supporter"),
        ],
    )
    return partnership, members


def template_with(*roles_by_member_role: dict[str, str], offset_days: int | None = 0) -> PlanTemplate:
    return PlanTemplate.objects.create(
        name="Uji",
        activities=[
            {"title": f"Kegiatan {n}", "description": "", "offset_days": offset_days, "roles_by_member_role": roles}
            for n, roles in enumerate(roles_by_member_role, start=1)
        ],
    )


@pytest.mark.django_db
def test_it_round_trips_a_plan_through_a_template(facilitator, source, target) -> None:
    partnership, _members = target
    response = client_for(facilitator).post(
        reverse("engagements:plan_template_save", kwargs={"pk": source.pk}),
        {"name": "Kebun gizi 3 bulan", "description": "Untuk kelompok tani dan PKK"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("engagements:plan", kwargs={"pk": source.pk})
    template = PlanTemplate.objects.get()
    assert (template.name, template.description, template.created_by) == (
        "Kebun gizi 3 bulan",
        "Untuk kelompok tani dan PKK",
        facilitator,
    )
    assert [a["offset_days"] for a in template.activities] == [0, 14, 30, None, -3]
    # Kelompok Tani (R) and Posyandu (C) are both "member": R is stronger.
    assert template.activities[0]["roles_by_member_role"] == {"lead": "A", "member": "R", "supporter": "I"}
    assert template.activities[1]["roles_by_member_role"] == {"co_lead": "A", "member": "R"}

    response = client_for(facilitator).post(
        reverse("engagements:plan_template_apply", kwargs={"pk": partnership.pk}), {"template": template.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("engagements:plan", kwargs={"pk": partnership.pk})

    copied = list(Activity.objects.filter(partnership=partnership).order_by("position"))
    assert [a.title for a in copied] == [
        a.title for a in Activity.objects.filter(partnership=source).order_by("position")
    ]
    assert [a.due_date for a in copied] == [
        TARGET_START,
        TARGET_START + datetime.timedelta(days=14),
        TARGET_START + datetime.timedelta(days=30),
        None,
        TARGET_START - datetime.timedelta(days=3),
    ]
    assert copied[0].description == "Peta kebun bersama"
    assert copied[0].internal_notes == copied[0].shared_notes == ""
    assert [roles_of(a) for a in copied] == [
        {"Karang Taruna Baru": "A", "Kelompok Anggrek": "R", "Kelompok Bambu": "R", "Koperasi Baru": "I"},
        {"PKK Baru": "A", "Kelompok Anggrek": "R", "Kelompok Bambu": "R"},
        # Both plain members would be accountable: the first by name keeps A.
        {"Kelompok Anggrek": "A", "Kelompok Bambu": "R", "Karang Taruna Baru": "C", "Koperasi Baru": "R"},
        {"Koperasi Baru": "A", "Kelompok Anggrek": "I", "Kelompok Bambu": "I"},
        {"Karang Taruna Baru": "A", "PKK Baru": "R"},
    ]
    for activity in copied:
        assert activity.roles.filter(role="A").count() == 1
    added = Activity.history.filter(history_type="+", id__in=[a.pk for a in copied])
    assert {(record.id, record.history_user) for record in added} == {(a.pk, facilitator) for a in copied}
    # The source plan is untouched.
    assert Activity.objects.filter(partnership=source).count() == 5


@pytest.mark.django_db
def test_it_keeps_the_strongest_letter_per_member_role(facilitator) -> None:
    partnership = make_partnership(facilitator)
    m = add_members(partnership, [("Satu", "lead"), ("Dua", "member"), ("Tiga", "member"), ("Empat", "member")])
    add_activity(partnership, "A menang", {m["Satu"]: "R", m["Dua"]: "I", m["Tiga"]: "A", m["Empat"]: "C"})
    add_activity(partnership, "C menang", {m["Satu"]: "A", m["Dua"]: "I", m["Tiga"]: "C"})
    add_activity(partnership, "Tanpa anggota", {m["Satu"]: "A"})

    template = services.plan_templates.plan_template_save(user=facilitator, partnership=partnership, name="Kuat")

    assert [a["roles_by_member_role"] for a in template.activities] == [
        {"lead": "R", "member": "A"},
        {"lead": "A", "member": "C"},
        {"lead": "A"},
    ]


@pytest.mark.django_db
def test_it_stores_no_due_offset_when_the_partnership_has_no_start_date(facilitator) -> None:
    partnership = make_partnership(facilitator, start_date=None)
    m = add_members(partnership, [("Satu", "lead")])
    add_activity(partnership, "Rapat", {m["Satu"]: "A"}, due_date=datetime.date(2025, 3, 1))

    template = services.plan_templates.plan_template_save(user=facilitator, partnership=partnership, name="Tanpa mulai")

    assert template.activities[0]["offset_days"] is None


@pytest.mark.django_db
def test_it_stores_no_internal_notes_in_the_template(facilitator, source) -> None:
    Partnership.objects.filter(pk=source.pk).update(internal_notes="RAHASIA: dana belum cair")
    source.refresh_from_db()

    template = services.plan_templates.plan_template_save(
        user=facilitator, partnership=source, name="Bersih", description="  Tanpa catatan internal  "
    )

    stored = json.dumps(PlanTemplate.objects.values_list("activities", flat=True).get(pk=template.pk))
    assert "RAHASIA" not in stored
    assert "Bawa meteran" not in stored  # shared notes are about this partnership, not the plan
    assert {key for entry in template.activities for key in entry} == {
        "title",
        "description",
        "offset_days",
        "roles_by_member_role",
    }
    assert template.description == "Tanpa catatan internal"


@pytest.mark.django_db
def test_it_refuses_to_save_an_empty_plan(facilitator) -> None:
    partnership = make_partnership(facilitator)

    response = client_for(facilitator).post(
        reverse("engagements:plan_template_save", kwargs={"pk": partnership.pk}), {"name": "Kosong"}
    )

    assert response.status_code == 200
    assert "nothing to save as a template" in response.content.decode()
    assert not PlanTemplate.objects.exists()


@pytest.mark.django_db
def test_it_requires_a_template_name(facilitator, source) -> None:
    response = client_for(facilitator).post(
        reverse("engagements:plan_template_save", kwargs={"pk": source.pk}), {"name": " ", "description": "x"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not PlanTemplate.objects.exists()


@pytest.mark.django_db
def test_it_gives_a_to_the_first_member_by_role_then_name(target) -> None:
    partnership, _members = target
    template = template_with(
        {"member": "A"},  # two plain members: Anggrek before Bambu
        {"lead": "A", "co_lead": "A", "member": "A", "supporter": "A"},
        {"supporter": "A", "member": "A"},
    )

    activities = services.plan_templates.plan_template_apply(partnership=partnership, template=template)

    assert [roles_of(a) for a in activities] == [
        {"Kelompok Anggrek": "A", "Kelompok Bambu": "R"},
        {
            "Karang Taruna Baru": "A",
            "PKK Baru": "R",
            "Kelompok Anggrek": "R",
            "Kelompok Bambu": "R",
            "Koperasi Baru": "R",
        },
        {"Kelompok Anggrek": "A", "Kelompok Bambu": "R", "Koperasi Baru": "R"},
    ]


@pytest.mark.django_db
def test_it_orders_members_by_name_ignoring_case(facilitator) -> None:
    partnership = make_partnership(facilitator)
    add_members(partnership, [("bambu", "member"), ("Anggrek", "member")])

    (activity,) = services.plan_templates.plan_template_apply(
        partnership=partnership, template=template_with({"member": "A"})
    )

    assert roles_of(activity) == {"Anggrek": "A", "bambu": "R"}


@pytest.mark.django_db
def test_it_makes_the_lead_accountable_when_nobody_would_be(target) -> None:
    partnership, _members = target
    template = template_with({"member": "R", "supporter": "C"}, {"lead": "I", "member": "R"}, {})

    activities = services.plan_templates.plan_template_apply(partnership=partnership, template=template)

    assert [roles_of(a) for a in activities] == [
        {"Karang Taruna Baru": "A", "Kelompok Anggrek": "R", "Kelompok Bambu": "R", "Koperasi Baru": "C"},
        {"Karang Taruna Baru": "A", "Kelompok Anggrek": "R", "Kelompok Bambu": "R"},
        {"Karang Taruna Baru": "A"},
    ]


@pytest.mark.django_db
def test_it_makes_the_first_member_accountable_when_there_is_no_lead(facilitator) -> None:
    partnership = make_partnership(facilitator)
    add_members(partnership, [("Pendukung", "supporter"), ("Wakil", "co_lead"), ("Anggota", "member")])

    (activity,) = services.plan_templates.plan_template_apply(
        partnership=partnership, template=template_with({"lead": "A", "member": "R"})
    )

    assert roles_of(activity) == {"Wakil": "A", "Anggota": "R"}


@pytest.mark.django_db
def test_it_adds_no_due_date_without_a_start_date_or_an_offset(facilitator, target) -> None:
    partnership, _members = target
    undated = make_partnership(facilitator, title="Belum mulai", start_date=None)
    add_members(undated, [("Satu", "lead")])

    (without_start,) = services.plan_templates.plan_template_apply(
        partnership=undated, template=template_with({"lead": "A"}, offset_days=10)
    )
    (without_offset,) = services.plan_templates.plan_template_apply(
        partnership=partnership, template=template_with({"lead": "A"}, offset_days=None)
    )

    assert without_start.due_date is None
    assert without_offset.due_date is None


@pytest.mark.django_db
def test_it_adds_the_activities_after_the_existing_ones(target) -> None:
    partnership, members = target
    existing = add_activity(partnership, "Sudah ada", {members["Karang Taruna Baru"]: "A"})

    services.plan_templates.plan_template_apply(partnership=partnership, template=template_with({"lead": "A"}, {}))

    assert [a.title for a in Activity.objects.filter(partnership=partnership).order_by("position")] == [
        "Sudah ada",
        "Kegiatan 1",
        "Kegiatan 2",
    ]
    assert Activity.objects.get(pk=existing.pk).position == 1


@pytest.mark.django_db
def test_it_refuses_a_partnership_without_members(facilitator) -> None:
    partnership = make_partnership(facilitator)
    template = template_with({"lead": "A"})
    url = reverse("engagements:plan_template_apply", kwargs={"pk": partnership.pk})

    page = client_for(facilitator).get(url)
    response = client_for(facilitator).post(url, {"template": template.pk})

    assert "Add member organizations to the partnership first" in page.content.decode()
    assert response.status_code == 200
    assert "Add member organizations to the partnership first" in response.content.decode()
    assert not Activity.objects.exists()
    with pytest.raises(EngagementRuleError):
        services.plan_templates.plan_template_apply(partnership=partnership, template=template)


@pytest.mark.django_db
def test_it_creates_nothing_when_one_activity_fails(target) -> None:
    partnership, _members = target
    template = template_with({"lead": "A"}, {"lead": "A"}, {"lead": "A"})
    real_save = services.plans.activity_save
    calls = []

    def fail_on_the_second(**kwargs: object) -> Activity:
        calls.append(kwargs)
        if len(calls) == 2:
            raise EngagementRuleError("stop")
        return real_save(**kwargs)

    with (
        mock.patch("engagements.services.plan_templates.activity_save", side_effect=fail_on_the_second),
        pytest.raises(EngagementRuleError),
    ):
        services.plan_templates.plan_template_apply(partnership=partnership, template=template)

    assert len(calls) == 2
    assert not Activity.objects.filter(partnership=partnership).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "activities",
    [
        [],
        "not a list",
        [{"description": "no title"}],
        [{"title": "Ok", "roles_by_member_role": {"lead": "A"}}, {"title": "   "}],
        [{"title": "Ok", "offset_days": "10"}],
        [{"title": "Ok", "offset_days": 10**9}],
        [{"title": "x" * 201}],
    ],
)
def test_it_refuses_a_malformed_template_and_creates_nothing(target, activities) -> None:
    partnership, _members = target
    template = PlanTemplate.objects.create(name="Rusak", activities=activities)

    with pytest.raises(EngagementRuleError, match="Rusak"):
        services.plan_templates.plan_template_apply(partnership=partnership, template=template)

    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_it_ignores_letters_that_are_not_raci(target) -> None:
    partnership, _members = target

    (activity,) = services.plan_templates.plan_template_apply(
        partnership=partnership, template=template_with({"lead": "X", "member": "R", "guest": "A"})
    )

    assert roles_of(activity) == {"Karang Taruna Baru": "A", "Kelompok Anggrek": "R", "Kelompok Bambu": "R"}


@pytest.mark.django_db
def test_it_lists_the_templates_with_their_activity_count(facilitator, source, target) -> None:
    partnership, _members = target
    services.plan_templates.plan_template_save(
        user=facilitator, partnership=source, name="Kebun gizi", description="Tiga bulan pertama"
    )
    template_with({"lead": "A"})

    response = client_for(facilitator).get(reverse("engagements:plan_template_apply", kwargs={"pk": partnership.pk}))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Kebun gizi (5 activities)" in page
    assert "Uji (1 activity)" in page
    assert "Tiga bulan pertama" in page
    assert page.count('type="radio"') == 2


@pytest.mark.django_db
def test_it_says_when_there_is_no_template_yet(facilitator, source) -> None:
    response = client_for(facilitator).get(reverse("engagements:plan_template_apply", kwargs={"pk": source.pk}))

    assert response.status_code == 200
    assert "There is no template yet" in response.content.decode()
    assert 'type="radio"' not in response.content.decode()


@pytest.mark.django_db
def test_it_asks_to_choose_a_template(facilitator, target) -> None:
    partnership, _members = target

    response = client_for(facilitator).post(
        reverse("engagements:plan_template_apply", kwargs={"pk": partnership.pk}), {"template": "999999"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["template"]
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_it_offers_both_actions_as_list_items(facilitator, source) -> None:
    # plan.html includes this inside its <ul class="actions">.
    html = render_to_string("engagements/plan_templates/_actions.html", {"partnership": source})

    save_url = reverse("engagements:plan_template_save", kwargs={"pk": source.pk})
    apply_url = reverse("engagements:plan_template_apply", kwargs={"pk": source.pk})
    assert html.count("<li>") == html.count("</li>") == 2
    assert f'<a class="button" href="{save_url}">Save as template</a>' in html
    assert f'<a class="button" href="{apply_url}">Start from a template</a>' in html


@pytest.fixture
def partnership_with_a(facilitator: User, org_a: Organization, org_b: Organization) -> Partnership:
    """Includes organization A, not organization B."""
    partnership = make_partnership(facilitator)
    member = services.partnerships.member_add(partnership=partnership, organization=org_a, role="lead")
    add_activity(partnership, "Rapat warga", {member: "A"})
    return partnership


GET_ANSWERS = {"anonymous": "login", "partner_a": 403, "partner_b": 404, "facilitator": 200, "admin": 200}
CASES = [
    (url_name, role)
    for url_name in ("engagements:plan_template_save", "engagements:plan_template_apply")
    for role in ROLES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role_user"), CASES, indirect=["role_user"], ids=[f"{n}-{r}" for n, r in CASES])
def test_it_answers_each_role_as_expected(url_name, role_user, partnership_with_a, request) -> None:
    expected = GET_ANSWERS[request.node.callspec.id.rsplit("-", 1)[1]]
    url = reverse(url_name, kwargs={"pk": partnership_with_a.pk})

    response = client_for(role_user).get(url)

    if expected == "login":
        assert response.status_code == 302
        assert urlparse(response["Location"]).path == reverse("accounts:login")
    else:
        assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [("partner_a", 403), ("partner_b", 404)])
def test_it_lets_no_partner_member_save_or_apply(role, status, partnership_with_a, request) -> None:
    client = client_for(request.getfixturevalue(role))
    template = template_with({"lead": "A"})
    kwargs = {"pk": partnership_with_a.pk}

    saved = client.post(reverse("engagements:plan_template_save", kwargs=kwargs), {"name": "Curian"})
    applied = client.post(reverse("engagements:plan_template_apply", kwargs=kwargs), {"template": template.pk})

    assert (saved.status_code, applied.status_code) == (status, status)
    assert list(PlanTemplate.objects.values_list("name", flat=True)) == ["Uji"]
    assert Activity.objects.filter(partnership=partnership_with_a).count() == 1
    assert not ActivityRole.objects.filter(activity__title="Kegiatan 1").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["engagements:plan_template_save", "engagements:plan_template_apply"])
def test_it_answers_405_to_other_methods(facilitator, partnership_with_a, url_name) -> None:
    response = client_for(facilitator).put(reverse(url_name, kwargs={"pk": partnership_with_a.pk}))

    assert response.status_code == 405


@pytest.mark.django_db
def test_it_shows_the_actions_on_the_plan_page_to_facilitators_only(facilitator, partner_a, partnership_with_a) -> None:
    url = reverse("engagements:plan", kwargs={"pk": partnership_with_a.pk})
    save_url = reverse("engagements:plan_template_save", kwargs={"pk": partnership_with_a.pk})
    apply_url = reverse("engagements:plan_template_apply", kwargs={"pk": partnership_with_a.pk})

    for_facilitator = client_for(facilitator).get(url).content.decode()
    for_partner = client_for(partner_a).get(url).content.decode()

    assert save_url in for_facilitator
    assert apply_url in for_facilitator
    assert save_url not in for_partner
    assert apply_url not in for_partner
