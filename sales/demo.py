"""A realistic demo company for `make run`: two projects (one of them 协成), three teams,
fifteen marketers, consultants, a secretary, a supervisor, a manager and a partner user."""

import logging
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from common.roles import Role
from partners.choices import CreditRating, PartnerKind, PartnerStatus
from partners.models import Partner
from partners.services import partner_member_create
from partners.validators import credit_code_check_char
from sales.choices import StaffLevel
from sales.models import Project, Staff, Team
from sales.services import staff_create

logger = logging.getLogger(__name__)

DEMO_MARKER_CODE = "xiecheng"
MARKETER_NAMES = [
    "张伟",
    "王芳",
    "李娜",
    "刘洋",
    "陈静",
    "杨磊",
    "赵敏",
    "黄强",
    "周婷",
    "吴刚",
    "徐丽",
    "孙浩",
    "马超",
    "朱琳",
    "胡军",
]
LEVELS = [StaffLevel.SENIOR, StaffLevel.EXCELLENT] + [StaffLevel.REGULAR] * 3


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    name: str


def demo_logins() -> list[DemoLogin]:
    """The logins the demo prints (marketers m01…m15 share the password)."""
    return [
        DemoLogin("manager", Role.MANAGER, "渠道经理 刘总"),
        DemoLogin("supervisor", Role.SUPERVISOR, "渠道主管 郑主管"),
        DemoLogin("secretary", Role.SECRETARY, "渠道秘书 何秘书"),
        DemoLogin("consultant1", Role.CONSULTANT, "置业顾问 林顾问"),
        DemoLogin("m01", Role.MARKETER, "行销 张伟 (m01…m15)"),
        DemoLogin("partner", Role.PARTNER, "链家示例代理"),
    ]


def demo_is_seeded() -> bool:
    return Project.objects.filter(code=DEMO_MARKER_CODE).exists()


@transaction.atomic
def demo_company_seed(*, password: str, today: date) -> bool:
    """Create the demo company once; returns False when it already exists."""
    if demo_is_seeded():
        return False
    actor = None  # the seed acts as the system, outside any role's scope
    staff_create(
        actor=actor,
        name="刘总",
        role=Role.MANAGER,
        hired_on=date(2020, 3, 1),
        username="manager",
        password=password,
    )

    xiecheng = Project.objects.create(name="协成", code=DEMO_MARKER_CODE, city="天津")
    jinxiu = Project.objects.create(
        name="锦绣华庭", code="jinxiu", city="北京", has_garden_house=True, has_villa=True
    )
    supervisor = staff_create(
        actor=actor,
        name="郑主管",
        role=Role.SUPERVISOR,
        hired_on=date(2021, 5, 10),
        username="supervisor",
        password=password,
    )
    teams = [
        Team.objects.create(name="A组", project=xiecheng, supervisor=supervisor),
        Team.objects.create(name="B组", project=xiecheng, supervisor=supervisor),
        Team.objects.create(name="A组", project=jinxiu, supervisor=supervisor),
    ]
    staff_create(
        actor=actor,
        name="何秘书",
        role=Role.SECRETARY,
        hired_on=date(2022, 2, 14),
        username="secretary",
        password=password,
    )
    for number, name in enumerate(["林顾问", "高顾问", "罗顾问", "梁顾问", "宋顾问"], start=1):
        staff_create(
            actor=actor,
            name=name,
            role=Role.CONSULTANT,
            team=teams[(number - 1) % 3],
            hired_on=date(2023, number, 1),
            username=f"consultant{number}",
            password=password,
        )
    marketers: list[Staff] = []
    for index, name in enumerate(MARKETER_NAMES):
        team = teams[index // 5]
        marketers.append(
            staff_create(
                actor=actor,
                name=name,
                role=Role.MARKETER,
                level=LEVELS[index % 5],
                team=team,
                hired_on=date(2024, 1 + index % 12, 1 + index),
                referred_by=marketers[index - 5] if index >= 10 else None,
                username=f"m{index + 1:02d}",
                password=password,
            )
        )
    for team, leader in zip(teams, marketers[::5], strict=True):
        team.leader = leader
        team.save(update_fields=["leader"])

    body = "91120116MA05K8XK3"
    partner = Partner.objects.create(
        name="链家示例代理",
        kind=PartnerKind.AGENCY,
        regions="天津, 北京",
        contact_name="孙经理",
        contact_phone="13900001234",
        credit_code=body + credit_code_check_char(body),
        credit_rating=CreditRating.A,
        tier=1,
        status=PartnerStatus.ACTIVE,
    )
    partner_member_create(partner=partner, username="partner", password=password)
    logger.info("demo company seeded on %s", today)
    return True
