"""Whether to ask "is this one of these groups?" before adding an organization: the form decides, not the view."""

from __future__ import annotations

import pytest

from partners import services
from partners.forms import OrganizationForm
from partners.models import Organization
from tests.partners.test_profile import organization_data


def add(name: str, regency: str = "Kabupaten Boyolali") -> Organization:
    organization = Organization(name=name, regency=regency, province="33")
    return services.organization_save(user=None, organization=organization, focus_area_names=[])


def valid_form(instance: Organization | None = None, **overrides: object) -> OrganizationForm:
    form = OrganizationForm(organization_data(**overrides), instance=instance)
    assert form.is_valid(), form.errors
    return form


@pytest.mark.django_db
def test_it_names_the_look_alikes_of_a_new_organization_in_the_same_regency() -> None:
    twin = add("Kelompok Wanita Tani Melati")
    add("Kelompok Wanita Tani Melati", regency="Kota Surakarta")
    assert valid_form(name="Kelompok Wanita Tani Melati.").duplicates_to_confirm() == [twin]


@pytest.mark.django_db
def test_it_asks_nothing_once_the_user_confirmed_a_different_group() -> None:
    add("Kelompok Wanita Tani Melati")
    form = valid_form(name="Kelompok Wanita Tani Melati.", confirm_not_duplicate="on")
    assert form.duplicates_to_confirm() == []


@pytest.mark.django_db
def test_it_never_asks_when_an_organization_is_edited() -> None:
    add("Kelompok Wanita Tani Melati")
    edited = add("Kelompok Wanita Tani Melati.")
    assert valid_form(instance=edited, name="Kelompok Wanita Tani Melati.").duplicates_to_confirm() == []


@pytest.mark.django_db
def test_it_records_profile_fields_without_the_confirmation_box() -> None:
    edited = add("Kelompok Wanita Tani Melati")
    form = valid_form(instance=edited, name="Kelompok Wanita Tani Melati", confirm_not_duplicate="on")
    changed = form.changed_profile_fields()
    assert "focus_areas" in changed and "mission" in changed
    assert "confirm_not_duplicate" not in changed and "focus_areas_text" not in changed
    assert "name" not in changed
