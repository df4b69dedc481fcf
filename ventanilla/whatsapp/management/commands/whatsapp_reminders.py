from django.core.management.base import BaseCommand

from ventanilla.whatsapp.tasks import send_appointment_reminders


class Command(BaseCommand):
    help = ("Queue the WhatsApp reminders of tomorrow's medical appointments for numbers that "
            "opted in (R-APT-09). Safe to run repeatedly: each booking is reminded once. "
            "Run daily, e.g. in the afternoon.")

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true",
                            help="hand the job to the background worker instead of running "
                                 "it here")

    def handle(self, *args, **opts):
        if opts["enqueue"]:
            result = send_appointment_reminders.enqueue()
            self.stdout.write(self.style.SUCCESS(f"enqueued {result.id}"))
            return
        count = send_appointment_reminders.call()
        self.stdout.write(self.style.SUCCESS(f"reminders queued: {count}"))
