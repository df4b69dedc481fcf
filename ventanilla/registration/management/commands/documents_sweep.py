from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from ventanilla.certificates.services import certificate_files_sweep
from ventanilla.registration.services import documents_sweep


class Command(BaseCommand):
    help = ("Delete stored registration documents and certificate scans that no row "
            "points at (what a crash between writing a file and committing its row "
            "leaves), once older than the "
            "grace period, and report rows whose file is missing. Safe to run repeatedly "
            "(daily); exits with status 1 when a row points at a missing file.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="list what would be deleted, delete nothing")
        parser.add_argument("--older-than", type=float, default=24.0, metavar="HOURS",
                            help="only delete orphans last written this many hours ago "
                                 "(default 24; an upload in progress is never that old)")

    def handle(self, *args, **opts):
        if opts["older_than"] < 1:
            raise CommandError("--older-than must be at least 1 hour, so an upload in "
                               "progress is never swept.")
        older_than = timedelta(hours=opts["older_than"])
        report = documents_sweep(older_than=older_than, dry_run=opts["dry_run"])
        scans = certificate_files_sweep(older_than=older_than, dry_run=opts["dry_run"])
        verb = "would delete" if opts["dry_run"] else "deleted"
        for name in [*report.removed, *scans.removed]:
            self.stdout.write(f"{verb} orphan file {name}")
        for doc in report.missing:
            self.stderr.write(f"missing file for document {doc.public_id} "
                              f"({doc.application.case.reference}, {doc.kind}): "
                              f"{doc.file.name}")
        for row in scans.missing:
            self.stderr.write(f"missing file for certificate scan {row.public_id} "
                              f"({row.certificate.case.reference}, {row.role}): "
                              f"{row.file.name}")
        removed = len(report.removed) + len(scans.removed)
        missing = len(report.missing) + len(scans.missing)
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {removed} orphan files; kept {len(report.recent) + len(scans.recent)} "
            f"younger than {opts['older_than']:g} h; {missing} documents without a file"))
        if missing:
            raise CommandError(f"{missing} documents point at a missing file")
