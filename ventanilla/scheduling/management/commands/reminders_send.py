from django.core.management.base import BaseCommand

from ventanilla.scheduling.reminders import email_reminders_send


class Command(BaseCommand):
    help = ("Queue tomorrow's reminders: by e-mail for every booking, by WhatsApp for people "
            "who booked there (run once a day; repeated runs send nothing twice).")

    def handle(self, *args, **options):
        from ventanilla.whatsapp.services import reminders_send as whatsapp_reminders_send

        email = email_reminders_send()
        whatsapp = whatsapp_reminders_send()
        self.stdout.write(f"e-mail reminders: {email}; WhatsApp reminders: {whatsapp}")
