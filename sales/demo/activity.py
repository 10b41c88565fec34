"""The demo's days at the sales offices, through the sales services: marketers' and
partners' registrations (报备), the groups they bring (visits: confirmed, a few rejected,
repeat visits, today's still pending), and registrations that have not visited yet."""

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError

from common.periods import SHANGHAI
from common.roles import Role
from partners.models import Partner
from sales.choices import VisitStatus
from sales.demo.pools import Pools, at
from sales.models import Project, Staff
from sales.services.customers import registration_create
from sales.services.visits import visit_record, visit_reject

# Visit groups a marketer brings on an ordinary day, m01…m15: a few stars, a long middle.
MARKETER_RATES = (1.7, 1.5, 0.6, 0.5, 0.4, 1.4, 0.7, 0.5, 0.4, 0.35, 1.0, 0.6, 0.5, 0.4, 0.5)
# Weekends are the sales offices' busy days.
WEEKDAY_FACTOR = (0.7, 0.7, 0.7, 0.8, 1.0, 1.7, 1.6)
REPEAT_SHARE = 0.12  # groups that come back (a second viewing) rather than new customers
REGISTERED_FIRST = 0.75  # a marketer registers most customers before bringing them
REJECTED_SHARE = 0.03
# A marketer's day may also bring a registration of someone who has not come (yet).
REGISTERED_ONLY_SHARE = 0.1
REJECT_REASONS = ("客户未到场，登记信息不实", "同一组客户当日重复登记", "客户表示未经行销人员介绍")
GROUP_SIZES = ((1, 30), (2, 40), (3, 20), (4, 10))
OPEN_HOURS = (9, 18)  # first and last hour a group arrives
PENDING_FROM_HOUR = 16  # yesterday's late groups are still waiting for the secretary
WALK_IN_RATE = 0.5  # groups a day per project that come by themselves (自然到访)


@dataclass(frozen=True)
class Prospect:
    """A new customer's first confirmed visit: who may go on to 认购 and 签约."""

    project: Project
    name: str
    phone: str
    property_type: str
    visited_on: date
    by_partner: bool
    portal: bool  # brought by the partner that has a portal login


@dataclass
class Channel:
    """A marketer or a partner that brings customers, and how many a day."""

    rate: float
    projects: list[Project]
    marketer: Staff | None = None
    partner: Partner | None = None
    registrar: object = None  # whose login registers its customers
    active: tuple[date, date] = (date.min, date.max)
    customers: list[tuple[Project, str, str, str]] = field(default_factory=list)


@dataclass
class Day:
    """What the office logged, for the deals and the seed's summary."""

    secretary: object
    consultants: dict[int, list[Staff]]
    pools: Pools
    now: datetime
    prospects: list[Prospect] = field(default_factory=list)
    visits: int = 0


def activity_seed(
    *, secretary, channels: list[Channel], start: date, today: date, now: datetime, pools: Pools
) -> Day:
    """Every day from `start` to today: each channel registers and brings its groups."""
    consultants: dict[int, list[Staff]] = {}
    for consultant in Staff.objects.filter(role=Role.CONSULTANT).select_related("team"):
        consultants.setdefault(consultant.team.project_id, []).append(consultant)
    log = Day(secretary=secretary, consultants=consultants, pools=pools, now=now)
    day = start
    while day <= today:
        for channel in channels:
            if channel.active[0] <= day <= channel.active[1]:
                _channel_day(log=log, channel=channel, day=day, today=today)
        day += timedelta(days=1)
    return log


def walk_ins_seed(*, log: Day, start: date, today: date) -> int:
    """WALK-INS (自然到访): a few groups a day per project who came by themselves, logged by the
    secretary with neither marketer nor partner — credited to nobody, each customer the sales
    office's for the project's walk-in protection. Today's are still pending."""
    rng = log.pools.rng
    projects = list(Project.objects.filter(pk__in=list(log.consultants)).order_by("code"))
    sizes, weights = zip(*GROUP_SIZES, strict=True)
    logged = 0
    day = start
    while day <= today:
        expected = WALK_IN_RATE * WEEKDAY_FACTOR[day.weekday()]
        for project in projects:
            for _n in range(int(expected) + (rng.random() < expected - int(expected))):
                when = _arrival(log=log, day=day, today=today)
                if when is None:
                    break
                with contextlib.suppress(ValidationError):
                    visit_record(
                        actor=log.secretary,
                        project=project,
                        customer_name=log.pools.person(),
                        customer_phone=log.pools.phone(),
                        visited_at=when,
                        property_type=rng.choice(project.property_types),
                        consultant=rng.choice(log.consultants[project.pk]),
                        group_size=rng.choices(sizes, weights=weights)[0],
                        status=VisitStatus.PENDING if day == today else VisitStatus.CONFIRMED,
                    )
                    logged += 1
        day += timedelta(days=1)
    log.visits += logged
    return logged


def _channel_day(*, log: Day, channel: Channel, day: date, today: date) -> None:
    rng = log.pools.rng
    expected = channel.rate * WEEKDAY_FACTOR[day.weekday()]
    groups = int(expected) + (rng.random() < expected - int(expected))
    for _n in range(groups):
        when = _arrival(log=log, day=day, today=today)
        if when is None:
            return
        first = not (channel.customers and rng.random() < REPEAT_SHARE)
        if first:
            project = rng.choice(channel.projects)
            name, phone = log.pools.person(), log.pools.phone()
            kind = log.pools.interest(project.code)
            if channel.partner is not None or rng.random() < REGISTERED_FIRST:
                registered = at(day - timedelta(days=rng.randint(1, 12)), rng.randint(9, 20))
                _register(
                    log=log,
                    channel=channel,
                    project=project,
                    name=name,
                    phone=phone,
                    when=registered,
                )
            channel.customers.append((project, name, phone, kind))
        else:  # a customer of the channel's comes again
            project, name, phone, kind = rng.choice(channel.customers[-40:])
        _visit(
            log=log,
            channel=channel,
            project=project,
            name=name,
            phone=phone,
            kind=kind,
            when=when,
            today=today,
            first=first,
        )
    if channel.marketer is not None and rng.random() < REGISTERED_ONLY_SHARE:
        _registration_only(log=log, channel=channel, day=day, today=today)


def _arrival(*, log: Day, day: date, today: date) -> datetime | None:
    """When a group arrives: office hours, and never later than now on the current day."""
    rng = log.pools.rng
    last = OPEN_HOURS[1]
    if day == today:
        last = min(last, log.now.astimezone(SHANGHAI).hour - 1)
        if last < OPEN_HOURS[0]:
            return None
    return at(day, rng.randint(OPEN_HOURS[0], last), rng.randrange(0, 60, 5))


def _register(*, log: Day, channel: Channel, project, name, phone, when) -> None:
    on_behalf = {"partner": channel.partner} if channel.registrar is log.secretary else {}
    with contextlib.suppress(ValidationError):  # 撞单: another channel holds the customer
        registration_create(
            actor=channel.registrar,
            project=project,
            customer_name=name,
            customer_phone=phone,
            registered_at=when,
            **on_behalf,
        )


def _registration_only(*, log: Day, channel: Channel, day: date, today: date) -> None:
    """A customer registered who has not come to the sales office (yet)."""
    when = _arrival(log=log, day=day, today=today)
    if when is None:
        return
    project = log.pools.rng.choice(channel.projects)
    _register(
        log=log,
        channel=channel,
        project=project,
        name=log.pools.person(),
        phone=log.pools.phone(),
        when=when,
    )


def _visit(*, log: Day, channel: Channel, project, name, phone, kind, when, today, first):
    rng = log.pools.rng
    day = when.date()
    waiting = day == today or (day == today - timedelta(days=1) and when.hour >= PENDING_FROM_HOUR)
    rejected = not waiting and rng.random() < REJECTED_SHARE
    sizes, weights = zip(*GROUP_SIZES, strict=True)
    try:
        visit = visit_record(
            actor=log.secretary,
            project=project,
            customer_name=name,
            customer_phone=phone,
            visited_at=when,
            property_type=kind,
            marketer=channel.marketer,
            partner=channel.partner,
            consultant=rng.choice(log.consultants[project.pk]),
            group_size=rng.choices(sizes, weights=weights)[0],
            status=VisitStatus.PENDING if waiting or rejected else VisitStatus.CONFIRMED,
        )
    except ValidationError:
        return
    log.visits += 1
    if rejected:
        visit_reject(actor=log.secretary, visit=visit, reason=rng.choice(REJECT_REASONS))
    elif first and not waiting:
        log.prospects.append(
            Prospect(
                project,
                name,
                phone,
                kind,
                day,
                by_partner=channel.partner is not None,
                portal=channel.partner is not None and channel.registrar is not log.secretary,
            )
        )
