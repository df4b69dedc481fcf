from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs):
    from .services import roles_sync

    roles_sync()


class AccountsConfig(AppConfig):
    name = "ventanilla.accounts"
    label = "accounts"

    def ready(self):
        # After every migrate, once all permissions exist: the role groups match the code.
        post_migrate.connect(_sync_roles, sender=self)
