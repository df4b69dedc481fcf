from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ventanilla.core.errors import DomainError
from ventanilla.countries.registry import get_pack
from ventanilla.scheduling.services import slots_generate_ahead


class Command(BaseCommand):
    help = ("Generate bookable slots from the centres' schedules, skipping holidays and "
            "closures. Safe to run repeatedly (daily).")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.SLOTS_AHEAD_DAYS,
                            help=f"days ahead (default SLOTS_AHEAD_DAYS: "
                                 f"{settings.SLOTS_AHEAD_DAYS})")
        parser.add_argument("--country", default="", help="EC, PE, ... (empty: all)")
        parser.add_argument("--centre", default="", help="one centre, by its code")

    def handle(self, *args, **opts):
        if not 0 <= opts["days"] <= 366:
            raise CommandError("--days must be between 0 and 366.")
        if opts["country"]:
            try:
                get_pack(opts["country"])
            except DomainError as exc:
                raise CommandError(str(exc)) from exc
        result = slots_generate_ahead(days=opts["days"], country=opts["country"] or None,
                                      centre_code=opts["centre"] or None)
        self.stdout.write(self.style.SUCCESS(
            f"created {result.created}, closed {result.closed}, reopened {result.reopened}"))
