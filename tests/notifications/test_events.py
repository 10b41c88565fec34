"""The events SPEC lists reach the right inboxes through the existing services: the credited
channel hears of its customer (a partner never of another channel), the registrant of its
protection, the office of contracts and applications — each event once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from common.models import Notification
from common.notifications.kinds import notification_text
from common.periods import local_today
from common.roles import Role
from partners.choices import ContractStatus
from partners.models import PartnerMember
from partners.services import application_submit, contract_reminders_send
from sales.models import Registration, Staff
from sales.services.customers import registration_create
from sales.services.deals import signing_cancel, signing_record, subscription_record
from sales.services.notices import protection_ending_notify
from sales.services.protection import registration_protection_extend
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory
from tests.factories.partners import PartnerContractFactory
from tests.helpers import log_visit, next_phone

pytestmark = pytest.mark.django_db

# What a partner may read of its customer's events: nothing of any other channel.
PARTNER_SAFE_FACTS = {"project", "customer", "unit", "on", "until", "days", "days_left"}


@pytest.fixture
def project(db):
    return ProjectFactory(name="协成", protection_days=30)


@pytest.fixture
def partner_users(make_login):
    partner = PartnerFactory(name="链家示例代理")
    first = make_login(Role.PARTNER, partner=partner)
    second = make_login(Role.PARTNER, partner=partner)
    return partner, [first, second]


@pytest.fixture
def marketer_user(make_login, project):
    return make_login(Role.MARKETER, team=TeamFactory(project=project), name="张行销")


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_a_partners_customer_through_visit_subscription_signing_and_cancel(
    office, project, partner_users, marketer_user
):
    partner, users = partner_users
    phone = next_phone()
    registration_create(
        actor=users[0], project=project, customer_name="李女士", customer_phone=phone
    )
    log_visit(office, project, by=partner, phone=phone)
    subscription_record(
        actor=office,
        project=project,
        customer_name="李女士",
        customer_phone=phone,
        unit="3-1502",
        property_type="high_rise",
        amount=Decimal("1000000"),
        subscribed_on=local_today(),
    )
    signing = signing_record(
        actor=office,
        project=project,
        customer_name="李女士",
        customer_phone=phone,
        unit="3-1502",
        property_type="high_rise",
        area=Decimal("100"),
        amount=Decimal("1000000"),
        signed_on=local_today(),
    )
    signing_cancel(actor=office, signing=signing, cancelled_on=local_today())

    for user in users:
        assert sorted(kinds_of(user)) == sorted(
            ["customer_visited", "customer_subscribed", "customer_signed", "customer_cancelled"]
        )
    assert kinds_of(marketer_user) == []
    for note in Notification.objects.filter(user__in=users):
        assert set(note.facts) <= PARTNER_SAFE_FACTS
        with translation.override("en"):
            text = notification_text(note.kind, note.facts)
        assert "李女士" in text and "张行销" not in text


def test_a_visit_is_told_once_when_confirmed_not_when_logged_pending(
    office, project, marketer_user
):
    from sales.services.visits import visit_confirm

    marketer = Staff.objects.get(user=marketer_user)
    visit = log_visit(office, project, by=marketer, status="pending")
    assert kinds_of(marketer_user) == []
    visit_confirm(actor=office, visit=visit)
    visit_confirm(actor=office, visit=visit)
    assert kinds_of(marketer_user) == ["customer_visited"]


def test_a_walk_in_tells_nobody(office, project, marketer_user):
    log_visit(office, project, by=None)  # neither marketer nor partner: 自然到访
    assert Notification.objects.count() == 0


def test_an_extension_tells_the_registrant(make_login, project, partner_users):
    _partner, users = partner_users
    registration = registration_create(
        actor=users[0], project=project, customer_name="张伟", customer_phone=next_phone()
    )
    registration_protection_extend(
        actor=make_login(Role.MANAGER), registration=registration, days=10, reason="客户出差"
    )
    registration.refresh_from_db()
    for user in users:
        note = Notification.objects.get(user=user, kind="protection_extended")
        assert note.facts["until"] == registration.protected_until.isoformat()
        assert note.facts["days"] == 10


def test_protection_ending_tells_each_registrant_once_however_often_it_runs(
    project, marketer_user, partner_users
):
    _partner, users = partner_users
    today = local_today()
    ending = registration_create(
        actor=marketer_user, project=project, customer_name="甲", customer_phone=next_phone()
    )
    partners_ending = registration_create(
        actor=users[0], project=project, customer_name="乙", customer_phone=next_phone()
    )
    later = registration_create(
        actor=marketer_user, project=project, customer_name="丙", customer_phone=next_phone()
    )
    Registration.objects.filter(pk=ending.pk).update(protected_until=today + timedelta(days=3))
    Registration.objects.filter(pk=partners_ending.pk).update(protected_until=today)
    Registration.objects.filter(pk=later.pk).update(protected_until=today + timedelta(days=4))

    assert protection_ending_notify(today=today) == 3  # the marketer, the partner's two logins
    assert protection_ending_notify(today=today) == 0
    assert protection_ending_notify(today=today + timedelta(days=1)) == 1  # 丙 now within 3 days

    mine = Notification.objects.filter(user=marketer_user, kind="protection_ending")
    assert {note.facts["customer"] for note in mine} == {"甲", "丙"}
    assert Notification.objects.get(user=users[1], kind="protection_ending").facts["days_left"] == 0


def test_contract_reminders_tell_the_managers_once(make_login):
    manager = make_login(Role.MANAGER)
    PartnerContractFactory(status=ContractStatus.ACTIVE, end_on=local_today() + timedelta(days=7))
    contract_reminders_send(today=local_today())
    contract_reminders_send(today=local_today())
    assert kinds_of(manager) == ["contract_expiring"]


def test_an_application_tells_managers_and_supervisors(make_login):
    manager, supervisor = make_login(Role.MANAGER), make_login(Role.SUPERVISOR)
    marketer = make_login(Role.MARKETER)
    application_submit(
        company_name="新申请公司",
        kind="broker",  # an individual broker applies without a credit code
        regions="天津",
        contact_name="王经理",
        contact_phone="13812341234",
        contact_email="a@example.com",
        capability="十人团队",
    )
    assert kinds_of(manager) == kinds_of(supervisor) == ["application_arrived"]
    assert kinds_of(marketer) == []
    assert PartnerMember.objects.count() == 0


def test_beat_fires_the_protection_ending_notices_daily_at_nine(settings):
    from celery.schedules import crontab

    from sales.tasks import protection_ending_notices

    entry = settings.CELERY_BEAT_SCHEDULE["sales-protection-ending-notices"]
    assert entry["task"] == protection_ending_notices.name
    assert entry["schedule"] == crontab(hour=9, minute=0)


def test_the_command_runs_the_job_for_a_date(project, marketer_user):
    from io import StringIO

    from django.core.management import call_command

    registration = registration_create(
        actor=marketer_user, project=project, customer_name="甲", customer_phone=next_phone()
    )
    day = registration.protected_until - timedelta(days=1)
    out = StringIO()
    call_command("notify_protection_ending", today=day.isoformat(), stdout=out)
    assert f"1 notification(s) written (today = {day.isoformat()})" in out.getvalue()
    call_command("notify_protection_ending", today=day.isoformat(), stdout=out)
    assert Notification.objects.filter(kind="protection_ending").count() == 1
