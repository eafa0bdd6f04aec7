"""factory_boy factories for the organisation; other apps add theirs beside these."""

from __future__ import annotations

import factory

from thidua.org import models

TEST_PASSWORD = "Mat-khau-thu-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Unit

    code = factory.Sequence(lambda n: f"DV{n:03d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = models.UnitKind.DISTRICT


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Group

    code = factory.Sequence(lambda n: f"CUM{n:03d}")
    name = factory.Sequence(lambda n: f"Cụm thi đua số {n}")
    kind = models.GroupKind.CLUSTER
    level = models.GroupLevel.DISTRICT


class GroupYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.GroupYear

    group = factory.SubFactory(GroupFactory)
    year = 2024


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    group_year = factory.SubFactory(GroupYearFactory)
    unit = factory.SubFactory(UnitFactory)
    position = models.Position.MEMBER


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = models.Role.UNIT_OFFICER
