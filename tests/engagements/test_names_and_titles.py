"""Every name, title and required text of engagements/ follows partners/text.py: nothing invisible, no bidi control."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.urls import reverse

import engagements.forms
import partners.forms
from engagements.forms.checkins import CheckInForm
from engagements.forms.commitments import CommitmentForm, DisputeForm, ReasonForm, RenegotiateForm
from engagements.forms.goals import GoalForm
from engagements.forms.partnerships import PartnershipForm, StatusForm
from engagements.forms.plan_templates import PlanTemplateSaveForm
from engagements.forms.plans import ActivityForm, AgreeForm
from engagements.forms.sharing import ShareLinkForm
from engagements.forms.trust import CorrectionForm, TrustEntryForm
from engagements.models import Activity, Commitment, Partnership, PlanTemplate, ShareLink, TrustEntry
from partners.text import INVISIBLE_MESSAGE, NameField, VisibleTextField
from tests.conftest import client_for
from tests.engagements.builders import build_partnership
from tests.test_permission_matrix_post import COMMITMENT_DATA, PARTNERSHIP_DATA

# Fields that hold what people call a thing or say about it; each is a NameField or a VisibleTextField.
NAMED_FIELDS = {
    "name",
    "title",
    "statement",
    "label",
    "text",
    "summary",
    "reason",
    "note",
    "shared_text",
    "internal_text",
    "new_leader_name",
    "role_in_group",
    "decisions",
    "next_steps",
}
# Not names: how to find a group (search), where to reach it, and login data.
NOT_NAMES = {"DirectoryForm.q", "InvitationAcceptForm.username"}


def _form_classes() -> list[type[forms.BaseForm]]:
    modules = [partners.forms] + [
        importlib.import_module(f"engagements.forms.{info.name}")
        for info in pkgutil.iter_modules(engagements.forms.__path__)
    ]
    return [
        cls
        for module in modules
        for _name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
    ]


def test_it_uses_the_one_rule_for_every_name_title_and_text_field_of_every_form() -> None:
    plain = [
        f"{cls.__name__}.{name}"
        for cls in _form_classes()
        for name, field in cls.base_fields.items()
        if name in NAMED_FIELDS
        and f"{cls.__name__}.{name}" not in NOT_NAMES
        and not isinstance(field, NameField | VisibleTextField)
    ]
    assert not plain, f"fields without the rule of partners/text.py: {plain}"


@pytest.fixture
def partnership(facilitator, org_a) -> Partnership:
    return build_partnership(user=facilitator, organizations=[org_a], activities=1)


FORMS = [
    pytest.param(PartnershipForm, {}, "title", True, id="partnership-title"),
    pytest.param(StatusForm, {"partnership": None}, "reason", True, id="partnership-status-reason"),
    pytest.param(GoalForm, {"members": []}, "statement", True, id="goal-title"),
    pytest.param(ActivityForm, {"partnership": None, "members": []}, "title", True, id="activity-title"),
    pytest.param(AgreeForm, {}, "summary", True, id="plan-agreement-summary"),
    pytest.param(PlanTemplateSaveForm, {}, "name", True, id="plan-template-name"),
    pytest.param(ShareLinkForm, {}, "label", False, id="share-link-label"),
    pytest.param(CommitmentForm, {"partnership": None}, "text", True, id="commitment-text"),
    pytest.param(ReasonForm, {}, "reason", True, id="commitment-reason"),
    pytest.param(DisputeForm, {}, "note", True, id="commitment-dispute"),
    pytest.param(RenegotiateForm, {}, "text", False, id="commitment-renegotiated-text"),
    pytest.param(RenegotiateForm, {}, "reason", True, id="commitment-renegotiation-reason"),
    pytest.param(TrustEntryForm, {"partnership": None}, "shared_text", False, id="trust-shared-text"),
    pytest.param(TrustEntryForm, {"partnership": None}, "internal_text", False, id="trust-internal-text"),
    pytest.param(CorrectionForm, {}, "shared_text", False, id="trust-correction"),
    pytest.param(CheckInForm, {"partnership": None}, "summary", True, id="check-in-summary"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "kwargs", "field", "required"), FORMS)
def test_it_applies_the_rule_to_every_name_and_title_of_engagements(
    partnership, form_class, kwargs: dict, field: str, required: bool
) -> None:
    def build(value: str):
        form = form_class({field: value}, **{k: partnership if v is None else v for k, v in kwargs.items()})
        form.is_valid()
        return form

    refused = build("\u200b\u00ad\ufeff")
    if required:
        assert refused.errors[field] == [str(INVISIBLE_MESSAGE)]
    else:
        assert field not in refused.errors and refused.cleaned_data[field] == ""
    assert build("Kelompok\u202eTani").cleaned_data[field] == "KelompokTani"
    assert build("Bersih Desa Jum'at “Berkah”").cleaned_data[field] == "Bersih Desa Jum'at “Berkah”"


# What the pages save


@pytest.mark.django_db
def test_it_refuses_a_partnership_titled_only_by_a_zero_width_space_and_saves_nothing(facilitator) -> None:
    response = client_for(facilitator).post(
        reverse("engagements:partnership_create"), PARTNERSHIP_DATA | {"title": "\u200b"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [str(INVISIBLE_MESSAGE)]
    assert Partnership.objects.count() == 0


@pytest.mark.django_db
def test_it_saves_a_partnership_title_without_the_override(facilitator) -> None:
    response = client_for(facilitator).post(
        reverse("engagements:partnership_create"), PARTNERSHIP_DATA | {"title": "Kelompok\u202eTani"}
    )
    assert response.status_code == 302
    assert list(Partnership.objects.values_list("title", flat=True)) == ["KelompokTani"]


@pytest.mark.django_db
def test_it_refuses_an_invisible_activity_title(facilitator, partnership) -> None:
    member = partnership.members.get()
    response = client_for(facilitator).post(
        reverse("engagements:activity_create", args=[partnership.pk]),
        {
            "title": "\u2060\u200b",
            "goal": partnership.goals.get().pk,
            "due_date": "2026-03-01",
            "status": "planned",
            f"role_{member.pk}": "A",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [str(INVISIBLE_MESSAGE)]
    assert Activity.objects.filter(partnership=partnership).count() == 1


@pytest.mark.django_db
def test_it_refuses_an_invisible_commitment(facilitator, partnership, org_a) -> None:
    response = client_for(facilitator).post(
        reverse("engagements:commitment_create", args=[partnership.pk]),
        COMMITMENT_DATA | {"text": "\u200b\n\u200b", "promised_by": org_a.pk, "due_on": "2030-01-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["text"] == [str(INVISIBLE_MESSAGE)]
    assert Commitment.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_a_trust_entry_whose_texts_are_invisible(facilitator, partnership) -> None:
    before = TrustEntry.objects.count()
    response = client_for(facilitator).post(
        reverse("engagements:trust_entry_create", args=[partnership.pk]),
        {"kind": "open_meeting", "happened_at": "2026-01-05T10:00", "shared_text": "\u200b", "internal_text": "\ufeff"},
    )
    assert response.status_code == 200
    assert "Write a shared text, an internal text, or both." in response.content.decode()
    assert TrustEntry.objects.count() == before


@pytest.mark.django_db
def test_it_saves_a_plan_template_and_a_share_link_label_without_bidirectional_controls(
    facilitator, partnership
) -> None:
    client = client_for(facilitator)
    refused = client.post(reverse("engagements:plan_template_save", args=[partnership.pk]), {"name": "\u200b"})
    assert refused.status_code == 200
    assert PlanTemplate.objects.count() == 0
    client.post(reverse("engagements:plan_template_save", args=[partnership.pk]), {"name": "Templat\u202e pesisir"})
    client.post(
        reverse("engagements:share_link_create", args=[partnership.pk]),
        {"label": "\u2066Grup WhatsApp\u2069", "expires_on": "2099-01-01"},
    )
    assert list(PlanTemplate.objects.values_list("name", flat=True)) == ["Templat pesisir"]
    assert list(ShareLink.objects.values_list("label", flat=True)) == ["Grup WhatsApp"]
