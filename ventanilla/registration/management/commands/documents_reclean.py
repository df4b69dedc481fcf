from django.core.management.base import BaseCommand, CommandError

from ventanilla.registration.services import documents_reclean


class Command(BaseCommand):
    help = ("Pass every stored registration PDF through today's upload check: a file that "
            "carries JavaScript, actions or attached files is replaced by its clean "
            "rewrite; one the check refuses is listed and left as it is. Run once after "
            "upgrading from a release that stored PDFs unchecked; safe to run again. Exits "
            "with status 1 when a file was refused or is missing.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="list what would be rewritten, change nothing")

    def handle(self, *args, **opts):
        report = documents_reclean(dry_run=opts["dry_run"])
        verb = "would rewrite" if opts["dry_run"] else "rewrote"
        for doc, removed in report.cleaned:
            self.stdout.write(f"{verb} document {doc.public_id} "
                              f"({doc.application.case.reference}, {doc.kind}) without "
                              f"{', '.join(removed)}")
        for doc, reason in report.refused:
            self.stderr.write(f"refused document {doc.public_id} "
                              f"({doc.application.case.reference}, {doc.kind}): {reason}")
        for doc in report.missing:
            self.stderr.write(f"missing file for document {doc.public_id}: {doc.file.name}")
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {len(report.cleaned)} PDFs; {report.unchanged} already clean; "
            f"{len(report.refused)} refused; {len(report.missing)} without a file"))
        if report.refused or report.missing:
            raise CommandError(f"{len(report.refused) + len(report.missing)} PDFs need a "
                               "person: ask the applicant for the document again")
