from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import FACILITATOR, PARTNER_MEMBER
from partners.models import Organization, OrganizationMember

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Kelompok {n}")


def make_facilitator(**kwargs: object) -> User:
    user = UserFactory(**kwargs)
    # get_or_create: transactional tests (live server) flush the groups that
    # the data migration created.
    user.groups.add(Group.objects.get_or_create(name=FACILITATOR)[0])
    return user


def make_partner_member(organization: Organization, **kwargs: object) -> User:
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=PARTNER_MEMBER)[0])
    OrganizationMember.objects.create(organization=organization, user=user)
    return user
