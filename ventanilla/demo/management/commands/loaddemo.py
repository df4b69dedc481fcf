from django.core.management.base import BaseCommand

from ventanilla.demo import data


class Command(BaseCommand):
    help = "Load demo centres, staff accounts and applications (once; safe to repeat)."

    def handle(self, *args, **opts):
        if data.load():
            self.stdout.write(self.style.SUCCESS(
                f"Demo data loaded. Staff password for every demo account: {data.DEMO_PASSWORD}"))
        else:
            self.stdout.write("Demo data already loaded.")
