from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ventanilla.channels.portal.certificate_uploads import pending_sweep


class Command(BaseCommand):
    help = ("Delete the files of certificates being typed in the portal that were never "
            "submitted (an abandoned session), once older than the grace period. Safe to "
            "run repeatedly (daily, like documents_sweep).")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="list what would be deleted, delete nothing")
        parser.add_argument("--older-than", type=float, default=24.0, metavar="HOURS",
                            help="only delete files kept this many hours ago (default 24)")

    def handle(self, *args, **opts):
        hours = opts["older_than"]
        if hours * 3600 < settings.SESSION_COOKIE_AGE:
            raise CommandError("--older-than must be at least the session's lifetime "
                               f"({settings.SESSION_COOKIE_AGE / 3600:g} h), so a file of a "
                               "certificate still being typed is never swept.")
        report = pending_sweep(older_than=timedelta(hours=hours), dry_run=opts["dry_run"])
        verb = "would delete" if opts["dry_run"] else "deleted"
        for name in report.removed:
            self.stdout.write(f"{verb} {name}")
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {len(report.removed)} kept uploads; kept {len(report.recent)} younger "
            f"than {hours:g} h"))
