"""Seed the demo company (idempotent): organisation and partners, the seed's commission
exceptions on the default incentive plan, a quarter of activity through the real services
(sales.demo), targets, channel costs and the months' statements (incentives.demo).

It lives in `incentives` because that app sits on top of the others (incentives → sales →
partners → common) and the demo needs all of them."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation

from common.periods import local_date
from incentives.demo import demo_incentives_seed, demo_plan_prepare
from incentives.models import IncentivePlan
from sales.demo import demo_activity_seed, demo_company_seed, demo_logins, demo_start

DEFAULT_PASSWORD = "ChannelHub-2026"  # noqa: S105 - demo data, printed on purpose


class Command(BaseCommand):
    help = "Create the demo company (idempotent) and print its logins."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD)
        parser.add_argument(
            "--no-activity",
            action="store_true",
            help="organisation only: no visits, deals, contracts, targets or statements",
        )

    def handle(self, *args, password: str, no_activity: bool, **options):
        now = timezone.now()
        today = local_date(now)
        # One transaction: a seed that fails half-way leaves nothing, so the next run starts
        # over. Stored texts (notes, audit summaries) are in the portal's default language.
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            created = demo_company_seed(password=password, today=today)
            if created and no_activity:
                demo_plan_prepare()
            elif created:
                start = demo_start(today)
                activity = demo_activity_seed(start=start, today=today, now=now)
                summaries = demo_incentives_seed(start=start, today=today, now=now)
                self.stdout.write(
                    f"{activity.visits} visits, {activity.signings} signings "
                    f"({activity.cancelled} cancelled) since {start}."
                )
                for summary in summaries:
                    self.stdout.write(summary.text())
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
