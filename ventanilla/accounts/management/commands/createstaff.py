import getpass

from django.core.management.base import BaseCommand, CommandError

from ventanilla.accounts.roles import Role
from ventanilla.accounts.services import staff_create
from ventanilla.countries.registry import get_pack


class Command(BaseCommand):
    help = "Create or update a staff account with a role (agent, reviewer, administrator)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=[r.value for r in Role], required=True)
        parser.add_argument("--country", default="", help="EC, PE, ... (empty: all)")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="read from the terminal when omitted")

    def handle(self, *args, **opts):
        if opts["country"]:
            get_pack(opts["country"])
        password = opts["password"] or getpass.getpass("Password: ")
        if len(password) < 10:
            raise CommandError("The password must have at least 10 characters.")
        role = Role(opts["role"])
        user = staff_create(username=opts["username"], password=password, role=role,
                            country=opts["country"].upper(), email=opts["email"],
                            superuser=role == Role.ADMINISTRATOR)
        self.stdout.write(self.style.SUCCESS(f"{user.username}: {role.value}"))
