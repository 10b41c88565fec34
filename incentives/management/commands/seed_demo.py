"""Seed the demo company (idempotent): organisation, partner, the seed's commission exceptions
on the default incentive plan, two months of activity through the real services, and last
month's boards and draft statements.

It lives in `incentives` because that app sits on top of the others (incentives → sales →
partners → common) and the demo needs all of them."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand

from common.periods import local_today, month_of
from incentives.models import IncentivePlan
from incentives.selectors.plans import default_plan
from incentives.services.compute import period_compute
from incentives.services.plans import plan_create_default, plan_seed_exceptions
from sales.demo import demo_activity_seed, demo_company_seed, demo_logins
from sales.models import Project

DEFAULT_PASSWORD = "ChannelHub-2026"  # noqa: S105 - demo data, printed on purpose


class Command(BaseCommand):
    help = "Create the demo company (idempotent) and print its logins."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD)
        parser.add_argument(
            "--no-activity",
            action="store_true",
            help="organisation only: no visits, signings or statements",
        )

    def handle(self, *args, password: str, no_activity: bool, **options):
        today = local_today()
        created = demo_company_seed(password=password, today=today)
        if created:
            # The default plan (incentives 0008) pays the demo's projects; the seed's
            # per-project exceptions are commission rates on it.
            plan = default_plan() or plan_create_default(
                name="默认奖励方案", effective_from=date(2020, 1, 1), projects=[]
            )
            plan_seed_exceptions(plan=plan, projects=Project.objects.all())
            if not no_activity:
                last_month = month_of(today).previous()
                visits = demo_activity_seed(start=last_month.start, today=today)
                summary = period_compute(period=str(last_month))
                self.stdout.write(f"{visits} visits logged; {summary.text()}")
        self.stdout.write(
            self.style.SUCCESS("Demo company created.")
            if created
            else "Demo company already there."
        )
        # SITE_URL is where the portal is served (make run sets it from its PORT).
        site = settings.SITE_URL
        self.stdout.write(f"Log in at {site}/ with password {password!r} as:")
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<12} {login.role:<11} {login.name}")
        if not IncentivePlan.objects.exists():
            self.stdout.write(self.style.WARNING("No incentive plan: add one in the admin."))
