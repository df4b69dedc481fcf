from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "ventanilla.scheduling"
    verbose_name = _("Appointments and visits")
    label = "scheduling"
