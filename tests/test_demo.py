"""The demo `make run` seeds (sales.demo, incentives.demo): every page a newcomer opens has
something on it, and seeding again changes nothing. Seeded once for the module; the crawl of
every demo login's pages on SQLite is tests/test_make_run.py."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Sum
from django.test import override_settings
from rest_framework.test import APIClient

from common.periods import local_today, month_of, quarter_of
from incentives.choices import LineKind, StatementStatus, TargetSubject
from incentives.models import ChannelCost, IncentivePlan, Statement, StatementLine, Target
from partners.choices import CONTRACT_REMINDER_DAYS, ApplicationStatus, ContractStatus
from partners.models import PartnerApplication, PartnerContract, TrainingAttendance
from sales.choices import MortgageStatus, PaymentKind, SigningStatus, VisitStatus
from sales.models import (
    Customer,
    Mortgage,
    Payment,
    Registration,
    Signing,
    Staff,
    Subscription,
    Visit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    """The appeals' evidence files go here, not into the checkout's var/media."""
    media = tmp_path_factory.mktemp("demo-media")
    with override_settings(MEDIA_ROOT=media):
        yield media


@pytest.fixture(scope="module")
def demo(demo_media, module_db) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seeding_again_changes_no_counts(demo):
    before = _counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "already there" in out.getvalue()
    assert _counts() == before


def test_its_printed_logins_work(demo):
    assert "ChannelHub-2026" in demo
    assert Staff.objects.filter(role="marketer").count() == 15
    assert IncentivePlan.objects.count() == 1
    for username in ("manager", "supervisor", "secretary", "consultant1", "m01", "partner"):
        assert username in demo
        token = APIClient().post(
            "/api/v1/auth/token/", {"username": username, "password": "ChannelHub-2026"}
        )
        assert token.status_code == 200, username


def test_a_quarter_of_visits_in_every_state(demo):
    start = month_of(local_today()).previous().previous().previous().start
    visits = Visit.objects.all()
    assert visits.filter(visited_at__date__lt=start + timedelta(days=7)).exists()
    assert visits.filter(status=VisitStatus.CONFIRMED, is_valid=True).count() > 500
    assert visits.filter(status=VisitStatus.CONFIRMED, is_valid=False).exists()  # repeats
    assert visits.filter(status=VisitStatus.REJECTED).exists()
    assert visits.filter(status=VisitStatus.PENDING).exists()  # today's and last evening's
    assert visits.filter(partner__isnull=False).exists()
    statuses = set(Registration.objects.values_list("status", flat=True))
    assert {"active", "visited", "expired"} <= statuses


def test_walk_ins_are_the_sales_offices_customers(demo):
    walk_ins = Visit.objects.filter(brought_marketer__isnull=True, brought_partner__isnull=True)
    confirmed = walk_ins.filter(status=VisitStatus.CONFIRMED)
    assert confirmed.count() > 20
    assert not confirmed.filter(marketer__isnull=False).exists()  # credited to nobody
    assert Customer.objects.filter(
        owner_office=True, owner_locked_until__gte=local_today()
    ).exists()


def test_deals_go_from_subscription_to_mortgage(demo):
    assert Subscription.objects.filter(status="active").exists()  # reserved, not signed yet
    assert Subscription.objects.filter(status="signed").count() >= 30
    signings = Signing.objects.all()
    assert signings.filter(subscription__isnull=False).count() == signings.count()
    assert signings.filter(partner__isnull=False).exists()
    assert {"high_rise", "garden_house", "villa"} >= set(
        signings.values_list("property_type", flat=True)
    )
    assert set(Payment.objects.values_list("kind", flat=True)) >= {
        PaymentKind.DOWN_PAYMENT,
        PaymentKind.FULL,
    }
    stages = set(Mortgage.objects.values_list("status", flat=True))
    assert {MortgageStatus.DISBURSED, MortgageStatus.REJECTED} <= stages
    assert stages & {MortgageStatus.APPLIED, MortgageStatus.APPROVED}  # still under way
    for mortgage in Mortgage.objects.select_related("signing"):
        assert mortgage.amount % 10000 == 0  # banks lend in whole 万
        assert mortgage.amount < mortgage.signing.amount


def test_cancellations_include_one_after_its_month_was_approved(demo):
    cancelled = Signing.objects.filter(status=SigningStatus.CANCELLED)
    assert cancelled.count() >= 2
    assert all(signing.cancel_reason for signing in cancelled)
    clawbacks = StatementLine.objects.filter(kind=LineKind.CLAWBACK)
    waiting = clawbacks.filter(statement__status=StatementStatus.DRAFT)
    assert waiting.filter(statement__staff__isnull=False).exists()
    seen_by_the_partner = clawbacks.filter(
        statement__partner__members__user__username="partner",
        statement__status=StatementStatus.APPROVED,
    )
    assert seen_by_the_partner.exists()


def test_contracts_one_active_one_expiring_one_terminated(demo):
    today = local_today()
    contracts = PartnerContract.objects.all()
    expiring = contracts.filter(
        status=ContractStatus.ACTIVE,
        end_on__range=(today, today + timedelta(days=max(CONTRACT_REMINDER_DAYS))),
    )
    assert expiring.filter(partner__members__user__username="partner").exists()
    assert contracts.filter(status=ContractStatus.ACTIVE).exclude(pk__in=expiring).exists()
    assert (
        contracts.filter(status=ContractStatus.TERMINATED).exclude(termination_reason="").exists()
    )
    assert contracts.filter(status=ContractStatus.DRAFT).exists()


def test_trainings_have_invitations_attendance_and_scores(demo):
    attendances = TrainingAttendance.objects.all()
    assert attendances.filter(attended=True, score__isnull=False).count() >= 4
    assert attendances.filter(attended=False, session__held_on__lt=local_today()).exists()
    assert attendances.filter(session__held_on__gt=local_today()).exists()  # still to come


def test_recruitment_board_has_a_waiting_and_a_screened_application(demo):
    statuses = list(PartnerApplication.objects.values_list("status", "is_passed"))
    assert (ApplicationStatus.SUBMITTED, None) in statuses
    assert (ApplicationStatus.SCREENING, True) in statuses


def test_targets_for_every_subject_and_the_quarter_split(demo):
    today = local_today()
    last_month, quarter = str(month_of(today).previous()), quarter_of(today)
    for subject in TargetSubject.values:
        assert Target.objects.filter(subject_type=subject, period=last_month).exists(), subject
    assert Target.objects.filter(subject_type="staff", period__contains="-W").exists()
    for target in Target.objects.filter(period=str(quarter)).exclude(metric="new_partners"):
        parts = target.parts.all()
        assert {p.period for p in parts} == {str(m) for m in quarter.months()}
        assert parts.aggregate(total=Sum("value"))["total"] == target.value


def test_channel_costs_for_every_month(demo):
    today = local_today()
    month = month_of(today)
    for _n in range(4):
        assert ChannelCost.objects.filter(period=str(month)).exists(), month
        month = month.previous()
    assert ChannelCost.objects.filter(partner__isnull=False).exists()
    assert ChannelCost.objects.filter(category="training").exists()


def test_statements_paid_approved_and_last_month_waiting(demo):
    last_month = month_of(local_today()).previous()
    waiting = Statement.objects.filter(period=str(last_month))
    assert waiting.filter(status=StatementStatus.DRAFT, staff__isnull=False).count() >= 14
    assert waiting.aggregate(total=Sum("total_amount"))["total"] > 0
    earlier = Statement.objects.filter(period=str(last_month.previous()))
    assert set(earlier.values_list("status", flat=True)) == {StatementStatus.APPROVED}
    assert earlier.filter(partner__isnull=False).exists()
    oldest = Statement.objects.filter(period=str(last_month.previous().previous()))
    assert set(oldest.values_list("status", flat=True)) == {StatementStatus.PAID}
    kinds = set(StatementLine.objects.values_list("kind", flat=True))
    assert {"base_salary", "commission", "visit_incentive", "referral_bonus"} <= kinds


def test_budgets_and_campaigns_one_closed_one_running(demo):
    from incentives.models import Budget
    from sales.models import Campaign

    assert Budget.objects.filter(project__isnull=True).exists()
    closed = Campaign.objects.get(status="closed")
    assert closed.effect_snapshot["visits"] > 0
    assert closed.costs.exists()
    running = Campaign.objects.get(status="running")
    assert running.partners.exists()


def test_appeals_open_upheld_and_not_upheld_with_evidence(demo, demo_media):
    """The office's queue, the decision screen and the appellants' pages all have one."""
    from sales.choices import AppealStatus
    from sales.models import Appeal

    by_status = {appeal.status: appeal for appeal in Appeal.objects.all()}
    assert set(by_status) == {AppealStatus.OPEN, AppealStatus.UPHELD, AppealStatus.REJECTED}
    assert by_status[AppealStatus.OPEN].comments.exists()
    upheld = by_status[AppealStatus.UPHELD]
    assert upheld.customer.owner_partner_id == upheld.partner_id  # the customer moved
    assert by_status[AppealStatus.REJECTED].marketer_id is not None
    for appeal in by_status.values():
        evidence = appeal.evidence.get()
        assert (demo_media / evidence.file.name).read_bytes().startswith(b"\x89PNG")
