from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "ventanilla.notifications"
    verbose_name = _("Notifications")
    label = "notifications"

    def ready(self) -> None:
        # Each app declares its messages in its tasks.py (notifications.messages): load them
        # all, so the worker can build any message in the outbox.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
