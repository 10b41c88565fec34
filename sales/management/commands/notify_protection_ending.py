from datetime import date

from django.core.management.base import BaseCommand, CommandError

from common.periods import local_today
from sales.services.notices import protection_ending_notify


class Command(BaseCommand):
    help = (
        "Tell registrants of protections ending within 3 days (the 09:00 daily job, by hand); "
        "running it again tells nobody twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="Run as if it were this local date (YYYY-MM-DD); default today."
        )

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else local_today()
        except ValueError as exc:
            raise CommandError(f"--today must be a date like 2026-11-22: {exc}") from None
        told = protection_ending_notify(today=day)
        self.stdout.write(f"{told} notification(s) written (today = {day.isoformat()}).")
