from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from partners.demo.users import demo_users_create


class Command(BaseCommand):
    help = "Create the demo log-ins (admin, facilitator, two partner members) and print them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Create the demo users even though DEBUG is off (their passwords are public).",
        )

    def handle(self, *args: object, allow_production: bool = False, **options: object) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError("Demo users have public passwords; refusing with DEBUG off.")
        logins = demo_users_create()
        self.stdout.write("Demo log-ins:")
        for login in logins:
            group = f" ({login.organization})" if login.organization else ""
            self.stdout.write(f"  {login.role:<15} {login.username:<12} {login.password}{group}")
