from django.core.management.base import BaseCommand, CommandError

from ventanilla.core.dbroles import app_role_grant


class Command(BaseCommand):
    help = ("PostgreSQL: grant the application's database role what the service needs, and "
            "no UPDATE, DELETE or TRUNCATE on the audit log. Run as the owner role that runs "
            "the migrations, after each migrate (docs/deploy.md).")

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the service connects as")

    def handle(self, *args, role: str, **options):
        try:
            for statement in app_role_grant(role):
                self.stdout.write(statement)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
