from django.core.management.base import BaseCommand

from common.periods import local_today
from sales.demo import demo_company_seed, demo_logins

DEFAULT_PASSWORD = "ChannelHub-2026"  # noqa: S105 - demo data, printed on purpose


class Command(BaseCommand):
    help = "Create the demo company (idempotent) and print its logins."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD)

    def handle(self, *args, password: str, **options):
        created = demo_company_seed(password=password, today=local_today())
        self.stdout.write(
            self.style.SUCCESS("Demo company created.")
            if created
            else "Demo company already there."
        )
        self.stdout.write(f"Log in at http://127.0.0.1:8000/ with password {password!r} as:")
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<12} {login.role:<11} {login.name}")
