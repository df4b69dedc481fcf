from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    from .services import roles_sync

    roles_sync()


class AccountsConfig(AppConfig):
    name = "ventanilla.accounts"
    verbose_name = _("Accounts")
    label = "accounts"

    def ready(self):
        # After every migrate, once all permissions exist: the role groups match the code.
        post_migrate.connect(_sync_roles, sender=self)
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import throttle

        user_login_failed.connect(throttle.on_login_failed,
                                  dispatch_uid="ventanilla.accounts.throttle.failed")
        user_logged_in.connect(throttle.on_logged_in,
                               dispatch_uid="ventanilla.accounts.throttle.logged_in")
