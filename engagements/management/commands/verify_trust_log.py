"""manage.py verify_trust_log: recompute every partnership's trust-log chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from engagements.models import Partnership, TrustEntry
from engagements.services.trust import trust_log_verify


class Command(BaseCommand):
    help = "Check that no trust-log entry was changed, removed or reordered since it was written."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", type=int, help="Only the partnership with this id.")

    def handle(self, *args: Any, **options: Any) -> None:
        partnerships = Partnership.objects.order_by("pk")
        if options["partnership"] is not None:
            partnerships = partnerships.filter(pk=options["partnership"])
        broken = 0
        for partnership in partnerships.iterator():
            result = trust_log_verify(partnership=partnership)
            if result.first_broken is None:
                self.stdout.write(f"{partnership.pk} {partnership.title}: {result.entries} entries, chain intact")
                continue
            broken += 1
            entry = TrustEntry.objects.get(pk=result.first_broken)
            self.stdout.write(
                f"{partnership.pk} {partnership.title}: chain broken at entry {entry.sequence} (id {entry.pk})"
            )
        if broken:
            raise CommandError(f"{broken} trust log(s) do not verify.")
