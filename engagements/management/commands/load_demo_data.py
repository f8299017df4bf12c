from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from engagements.demo.loader import (
    demo_check_ins_load,
    demo_commitments_load,
    demo_health_load,
    demo_partnerships_load,
)
from engagements.models import Partnership
from partners.demo.loader import demo_data_load
from partners.demo.users import DEMO_FACILITATOR, demo_users_create
from partners.models import Organization


class Command(BaseCommand):
    help = (
        "Create the demo log-ins, fictional demo organizations and partnerships between them, then print the log-ins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo data even though DEBUG is off (the demo users' passwords are public).",
        )

    def handle(self, *args: object, allow_production: bool = False, **options: object) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError("Demo users have public passwords; refusing with DEBUG off.")
        logins = demo_users_create()
        loaded = demo_data_load()
        self.stdout.write(f"Demo organizations: {loaded} loaded, {Organization.objects.count()} in total.")
        loaded = demo_partnerships_load()
        self.stdout.write(f"Demo partnerships: {loaded} loaded, {Partnership.objects.count()} in total.")
        facilitator = User.objects.get(username=DEMO_FACILITATOR)
        loaded = demo_check_ins_load(user=facilitator)
        self.stdout.write(f"Demo check-in rhythms: {loaded} loaded.")
        loaded = demo_commitments_load(user=facilitator)
        self.stdout.write(f"Demo commitments and trust logs: {loaded} loaded.")
        loaded = demo_health_load(user=facilitator)
        self.stdout.write(f"Demo risks, lessons and health checks: {loaded} loaded.")
        self.stdout.write("Demo log-ins:")
        for login in logins:
            group = f" ({login.organization})" if login.organization else ""
            self.stdout.write(f"  {login.role:<15} {login.username:<12} {login.password}{group}")
