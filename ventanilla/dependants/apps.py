from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DependantsConfig(AppConfig):
    name = "ventanilla.dependants"
    verbose_name = _("Dependants")
    label = "dependants"
