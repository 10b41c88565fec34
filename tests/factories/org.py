from datetime import date

import factory
from django.contrib.auth import get_user_model

from common.roles import Role
from partners.choices import PartnerKind, PartnerStatus
from partners.models import Partner
from partners.validators import credit_code_check_char
from sales.choices import StaffLevel
from sales.models import Project, Staff, Team


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("Secret-pass-123")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"项目{n}")
    code = factory.Sequence(lambda n: f"p{n}")
    city = "天津"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"T{n}组")
    project = factory.SubFactory(ProjectFactory)


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    name = factory.Sequence(lambda n: f"员工{n}")
    role = Role.MARKETER
    level = factory.LazyAttribute(lambda o: StaffLevel.REGULAR if o.role == Role.MARKETER else None)
    team = factory.SubFactory(TeamFactory)
    hired_on = date(2025, 1, 1)


def _credit_code(n: int) -> str:
    body = f"9112011{n:010d}"[:17]
    return body + credit_code_check_char(body)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"合作伙伴{n}")
    kind = PartnerKind.AGENCY
    status = PartnerStatus.ACTIVE
    credit_code = factory.Sequence(_credit_code)


def marketer(team=None, **kwargs) -> Staff:
    """An active marketer (with a team)."""
    return StaffFactory(role=Role.MARKETER, team=team or TeamFactory(), **kwargs)


def consultant(team=None) -> Staff:
    return StaffFactory(role=Role.CONSULTANT, level=None, team=team or TeamFactory())
