from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from incentives.services.compute import period_compute


class Command(BaseCommand):
    help = "Compute a week's leaderboard (2026-W47) or a month's boards and statements (2026-11)."

    def add_arguments(self, parser):
        parser.add_argument("period", help="2026-W47 or 2026-11")

    def handle(self, *args, period: str, **options):
        try:
            summary = period_compute(period=period)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(summary.text()))
        if summary.promotions:
            self.stdout.write(f"promotion exam eligible: staff {summary.promotions}")
