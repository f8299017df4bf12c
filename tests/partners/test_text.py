"""Names and titles with nothing visible are refused; bidirectional controls are removed (partners/text.py)."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners.forms import ContactForm, InteractionForm, LeaderForm, OrganizationForm, StageForm
from partners.models import Contact, LeadershipTerm, Organization
from partners.text import (
    INVISIBLE_MESSAGE,
    NameField,
    VisibleTextField,
    clean_name,
    clean_names_list,
    clean_text,
    validate_name,
)
from tests.conftest import client_for
from tests.test_permission_matrix_post import CONTACT_DATA, ORGANIZATION_DATA

# Each alone, and all together: nothing anyone can read.
INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u00ad",  # soft hyphen
    "\u180e",  # Mongolian vowel separator (Cf)
    "\U000e0001",  # language tag (Cf)
    "\u3164",  # Hangul filler, a "letter" that shows nothing
    "\u2800",  # braille blank
    "\u202e",  # right-to-left override
    "\u0301",  # a combining accent with nothing to sit on
    " \u200b\u00a0\u2060\t\ufeff\u3000 ",  # with spaces of every kind
]
INDONESIAN = [
    "Karang Taruna Tunas Harapan",
    "Kelompok Wanita Tani “Melati”",
    "Kelompok Nelayan Ma'rifat",
    "Jum'at Berkah",
    "Siti Nur'aini",
    "Paguyuban Sêni Jâwa Désa",
    "Koperasi Ibu-ibu PKK RT 03/RW 05",
    "I Gusti Ngurah Ráí",
    "Kelompok Tani Sri Rejeki & Mitra",
    "Komunitas 🌱 Hijau",
    "👩‍🌾 Petani Muda",  # a ZWJ sequence inside: kept
]


@pytest.mark.parametrize("value", INVISIBLE, ids=[f"{ord(v[0]):04X}-{len(v)}" for v in INVISIBLE])
def test_it_refuses_a_name_with_nothing_visible(value: str) -> None:
    assert clean_name(value) == ""
    with pytest.raises(ValidationError) as refused:
        validate_name(value)
    assert refused.value.messages == [str(INVISIBLE_MESSAGE)]


@pytest.mark.parametrize("name", INDONESIAN)
def test_it_leaves_indonesian_names_as_they_are(name: str) -> None:
    assert clean_name(name) == name
    assert validate_name(name) == name
    assert clean_text(name) == name


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Kelompok\u202eTani", "KelompokTani"),
        ("\u202aKarang\u202b Taruna\u202c\u202d", "Karang Taruna"),
        ("\u2066Tunas\u2067 Harapan\u2068\u2069", "Tunas Harapan"),
        ("\u200eKelompok\u200f Tani\u061c", "Kelompok Tani"),
        ("\u200bKelompok Tani\u200b\ufeff", "Kelompok Tani"),  # invisible ends go
        ("Kelompok\r\nTani \n Makmur", "Kelompok Tani Makmur"),  # one line
        ("Kelompok\u2028Tani", "Kelompok Tani"),
        ("Kelompok\x00\x07 Tani\x1b", "Kelompok Tani"),
        ("Cafe\u0301", "Cafe\u0301"),  # the accent belongs to its letter
    ],
)
def test_it_strips_bidirectional_controls_and_keeps_a_name_on_one_line(typed: str, kept: str) -> None:
    assert clean_name(typed) == kept


def test_it_keeps_the_lines_of_a_longer_text_but_not_its_controls() -> None:
    assert clean_text("Baris satu\r\nbaris \u202edua\n\tbaris tiga\x07") == "Baris satu\r\nbaris dua\n\tbaris tiga"
    assert clean_text("\u200b\n\u2060\r\n") == ""


def test_it_cleans_each_name_of_a_list() -> None:
    assert clean_names_list("sampah, \u200b; perikanan\u202e,\u2066literasi") == "sampah,,perikanan,literasi"


class _Sample(forms.Form):
    name = NameField(max_length=20)
    label = NameField(required=False, max_length=20)
    text = VisibleTextField(widget=forms.Textarea)


def test_it_gives_forms_a_field_that_says_why_it_refuses() -> None:
    form = _Sample({"name": "\u200b\u200b", "label": "\u200b", "text": "\u2060"})
    assert not form.is_valid()
    assert form.errors["name"] == [str(INVISIBLE_MESSAGE)]
    assert form.errors["text"] == [str(INVISIBLE_MESSAGE)]
    assert form.cleaned_data["label"] == ""  # optional: nothing, quietly
    form = _Sample({"name": "x" * 21})
    assert form.has_error("name", code="max_length")
    form = _Sample({"name": "Kelompok\u202eTani", "text": "Baris\u202e satu\r\ndua"})
    assert form.is_valid()
    assert form.cleaned_data == {"name": "KelompokTani", "label": "", "text": "Baris satu\r\ndua"}


# The forms of partners/ that take a name or a title

FORMS = [
    pytest.param(OrganizationForm, {}, "name", True, id="organization-name"),
    pytest.param(ContactForm, {}, "name", True, id="contact-name"),
    pytest.param(ContactForm, {}, "role_in_group", False, id="contact-role"),
    pytest.param(LeaderForm, {"organization": None}, "new_leader_name", False, id="leader-name"),
    pytest.param(LeaderForm, {"organization": None}, "title", False, id="leader-title"),
    pytest.param(InteractionForm, {"organization": None}, "summary", True, id="interaction-summary"),
    pytest.param(StageForm, {}, "reason", True, id="stage-reason"),
]


def build_form(form_class, kwargs: dict, data: dict, org_a: Organization):
    return form_class(data, **{name: org_a if value is None else value for name, value in kwargs.items()})


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "kwargs", "field", "required"), FORMS)
def test_it_applies_the_rule_to_every_name_and_title_of_partners(
    org_a, form_class, kwargs: dict, field: str, required: bool
) -> None:
    refused = build_form(form_class, kwargs, {field: "\u200b\u2060"}, org_a)
    refused.is_valid()
    if required:
        assert refused.errors[field] == [str(INVISIBLE_MESSAGE)]
    else:
        assert field not in refused.errors and refused.cleaned_data[field] == ""

    stripped = build_form(form_class, kwargs, {field: "Kelompok\u202eTani"}, org_a)
    stripped.is_valid()
    assert stripped.cleaned_data[field] == "KelompokTani"

    kept = build_form(form_class, kwargs, {field: "Kelompok Nelayan Ma'rifat"}, org_a)
    kept.is_valid()
    assert kept.cleaned_data[field] == "Kelompok Nelayan Ma'rifat"


# What the pages save


@pytest.mark.django_db
def test_it_refuses_an_organization_named_only_by_a_zero_width_space_and_saves_nothing(facilitator) -> None:
    client = client_for(facilitator)
    response = client.post(
        reverse("partners:organization_create"), ORGANIZATION_DATA | {"name": "\u200b", "confirm_not_duplicate": "on"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [str(INVISIBLE_MESSAGE)]
    assert "only spaces or invisible characters" in response.content.decode()
    assert Organization.objects.count() == 0
    assert Organization.history.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "saved"),
    [("Kelompok\u202eTani", "KelompokTani"), ("Kelompok Wanita Tani “Melati” Jum'at", None)],
    ids=["override", "indonesian"],
)
def test_it_saves_an_organization_name_without_bidirectional_controls(facilitator, typed: str, saved) -> None:
    client = client_for(facilitator)
    response = client.post(
        reverse("partners:organization_create"), ORGANIZATION_DATA | {"name": typed, "confirm_not_duplicate": "on"}
    )
    assert response.status_code == 302
    assert list(Organization.objects.values_list("name", flat=True)) == [saved or typed]


@pytest.mark.django_db
def test_it_refuses_a_contact_named_by_invisible_characters_and_cleans_one_with_an_override(facilitator, org_a) -> None:
    client = client_for(facilitator)
    url = reverse("partners:contact_create", args=[org_a.pk])
    refused = client.post(url, CONTACT_DATA | {"name": "\u200b\u200c\u200d"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["name"] == [str(INVISIBLE_MESSAGE)]
    assert Contact.objects.count() == 0

    assert client.post(url, CONTACT_DATA | {"name": "Pak\u202e Budi\u2069"}).status_code == 302
    assert list(Contact.objects.values_list("name", flat=True)) == ["Pak Budi"]


@pytest.mark.django_db
def test_it_refuses_a_new_leader_named_by_invisible_characters(facilitator, org_a) -> None:
    response = client_for(facilitator).post(
        reverse("partners:leader_create", args=[org_a.pk]),
        {"new_leader_name": "\u200b", "title": "ketua", "started_on": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "Who is the new leader?" in response.content.decode()
    assert LeadershipTerm.objects.count() == 0
    assert Contact.objects.count() == 0
