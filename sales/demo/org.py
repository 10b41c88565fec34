"""The demo company: two projects (one of them 协成), three teams, fifteen marketers,
consultants, a secretary, a supervisor, a manager, four partners and a partner user.

Projects and teams are configuration (the admin's), so they are created as rows; people and
partners go through their services like anyone the admin adds."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from common.periods import month_of
from common.roles import Role
from partners.choices import CreditRating, PartnerKind, PartnerStatus
from partners.models import Partner
from partners.services import partner_create, partner_member_create
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
# m15 胡军 joined during the demo's quarter, referred by m10 吴刚: his first month is
# prorated, and 吴刚 earns the referral bonus once he has completed a month.
NEWCOMER = 14
NEWCOMER_JOINS_AFTER_DAYS = 12


def credit_code(body: str) -> str:
    """A valid unified social credit code from its first 17 characters."""
    return body + credit_code_check_char(body)


# (name, kind, rating, tier, regions, contact, phone, e-mail, credit code body or "")
PARTNERS = [
    (
        "链家示例代理",
        PartnerKind.AGENCY,
        CreditRating.A,
        1,
        "天津, 北京",
        "孙经理",
        "13900001234",
        "sun@lianjia-demo.example.com",
        "91120116MA05K8XK3",
    ),
    (
        "我爱我家示例",
        PartnerKind.AGENCY,
        CreditRating.B,
        2,
        "北京",
        "钱经理",
        "13911112345",
        "qian@5i5j-demo.example.com",
        "91110105MA01B2XW7",
    ),
    (
        "房小二分销",
        PartnerKind.DISTRIBUTOR,
        CreditRating.B,
        3,
        "天津",
        "周总",
        "13822223456",
        "zhou@fangxiaoer-demo.example.com",
        "91120104MA06C7LT2",
    ),
    (
        "张建国（全民经纪人）",
        PartnerKind.BROKER,
        CreditRating.C,
        3,
        "天津",
        "张建国",
        "13633334567",
        "zhangjianguo@example.com",
        "",
    ),
]


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


def demo_start(today: date) -> date:
    """The demo's history starts three whole months before the current one."""
    return month_of(today).previous().previous().previous().start


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
    _marketers_create(actor=actor, teams=teams, password=password, today=today)
    _partners_create(password=password)
    logger.info("demo company seeded on %s", today)
    return True


def _marketers_create(*, actor, teams: list[Team], password: str, today: date) -> None:
    marketers: list[Staff] = []
    for index, name in enumerate(MARKETER_NAMES):
        hired_on = date(2024, 1 + index % 12, 1 + index)
        if index == NEWCOMER:
            hired_on = demo_start(today) + timedelta(days=NEWCOMER_JOINS_AFTER_DAYS)
        marketers.append(
            staff_create(
                actor=actor,
                name=name,
                role=Role.MARKETER,
                level=LEVELS[index % 5],
                team=teams[index // 5],
                hired_on=hired_on,
                referred_by=marketers[index - 5] if index >= 10 else None,
                username=f"m{index + 1:02d}",
                password=password,
            )
        )
    for team, leader in zip(teams, marketers[::5], strict=True):
        team.leader = leader
        team.save(update_fields=["leader"])


def _partners_create(*, password: str) -> None:
    for name, kind, rating, tier, regions, contact, phone, email, body in PARTNERS:
        partner = partner_create(
            actor=None,
            name=name,
            kind=kind,
            status=PartnerStatus.ACTIVE if body else PartnerStatus.PROSPECT,
            regions=regions,
            contact_name=contact,
            contact_phone=phone,
            contact_email=email,
            credit_code=credit_code(body) if body else "",
            credit_rating=rating,
            tier=tier,
        )
        if partner.name == PARTNERS[0][0]:
            partner_member_create(partner=partner, username="partner", password=password)


def demo_partners() -> dict[str, Partner]:
    """The demo's partners by name, in the order of PARTNERS."""
    found = {p.name: p for p in Partner.objects.filter(name__in=[row[0] for row in PARTNERS])}
    return {row[0]: found[row[0]] for row in PARTNERS}
