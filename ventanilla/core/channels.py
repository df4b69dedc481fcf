from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where an action came from. Recorded on cases, events and audit entries."""

    WEB = "web", _("Online")
    IN_PERSON = "in_person", _("At a service centre")
    API = "api", _("API")
    PHONE = "phone", _("Call centre")
    WHATSAPP = "whatsapp", _("WhatsApp")
    BACK_OFFICE = "back_office", _("Back office")
    SYSTEM = "system", _("System")
