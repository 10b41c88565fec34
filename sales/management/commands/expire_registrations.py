from datetime import date

from django.core.management.base import BaseCommand, CommandError

from common.periods import local_today
from sales.services.customers import registrations_expire


class Command(BaseCommand):
    help = "Expire registrations whose protection ended (the 00:10 daily job, by hand)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="Run as if it were this local date (YYYY-MM-DD); default today."
        )

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else local_today()
        except ValueError as exc:
            raise CommandError(f"--today must be a date like 2026-11-22: {exc}") from None
        expired = registrations_expire(today=day)
        self.stdout.write(f"{expired} registration(s) expired (today = {day.isoformat()}).")
