from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ventanilla.core"
    verbose_name = _("Core and audit log")
    label = "core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401 (registers the deployment checks)

        post_migrate.connect(_grant_app_role, sender=self)


def _grant_app_role(sender, using="default", **kwargs) -> None:
    """With DATABASE_APP_ROLE set, every migrate (run as the owner) grants the application's
    role its privileges again, the audit log append-only (core.dbroles)."""
    from django.conf import settings
    from django.db import connections

    role = getattr(settings, "DATABASE_APP_ROLE", "")
    if role and connections[using].vendor == "postgresql":
        from .dbroles import app_role_grant

        app_role_grant(role)
