"""A small company with one of everything, and a login for every role."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from common.periods import local_today
from common.roles import Role
from sales.models import Project, Staff
from sales.services.customers import registration_create
from sales.services.deals import signing_record
from sales.services.visits import visit_record
from tests.factories.org import PartnerFactory, ProjectFactory, StaffFactory, TeamFactory

ROLES = [Role.MANAGER, Role.SUPERVISOR, Role.SECRETARY, Role.MARKETER, Role.CONSULTANT]
ALL_ROLES = [*ROLES, Role.PARTNER]

PARTNER_PHONE = "13912345678"
MARKETER_PHONE = "13787654321"


@dataclass
class World:
    project: Project
    marketer: Staff
    consultant: Staff
    partner: object
    users: dict = field(default_factory=dict)


@pytest.fixture
def world(make_login) -> World:
    """Users of every role, a partner's customer (registered, visited, signed) and a
    marketer's customer, both in one project."""
    project = ProjectFactory()
    team = TeamFactory(project=project)
    users = {role: make_login(role, team=team) for role in ROLES}
    team.supervisor = Staff.objects.get(user=users[Role.SUPERVISOR])
    team.save(update_fields=["supervisor"])
    partner = PartnerFactory()
    users[Role.PARTNER] = make_login(Role.PARTNER, partner=partner)
    marketer = Staff.objects.get(user=users[Role.MARKETER])
    consultant = StaffFactory(role=Role.CONSULTANT, level=None, team=team)
    office = users[Role.SECRETARY]
    registration_create(
        actor=users[Role.PARTNER],
        project=project,
        customer_name="王先生",
        customer_phone=PARTNER_PHONE,
        partner=partner,
    )
    registration_create(
        actor=users[Role.MARKETER],
        project=project,
        customer_name="李女士",
        customer_phone=MARKETER_PHONE,
        marketer=marketer,
    )
    visited_at = timezone.now() - timedelta(hours=1)
    for phone, channel in ((PARTNER_PHONE, {"partner": partner}), (MARKETER_PHONE, {})):
        visit_record(
            actor=office,
            project=project,
            customer_name="客户",
            customer_phone=phone,
            visited_at=visited_at,
            property_type="high_rise",
            consultant=consultant,
            status="pending" if channel else "confirmed",
            **(channel or {"marketer": marketer}),
        )
    signing_record(
        actor=office,
        project=project,
        customer_name="王先生",
        customer_phone=PARTNER_PHONE,
        unit="1-101",
        property_type="high_rise",
        area=Decimal("90"),
        amount=Decimal("900000"),
        signed_on=local_today(),
        partner=partner,
    )
    return World(
        project=project, marketer=marketer, consultant=consultant, partner=partner, users=users
    )
