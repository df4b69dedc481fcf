from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .roles import ROLE_PERMISSIONS, Role


def roles_sync() -> None:
    """Create the role groups with exactly their permissions (idempotent)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label,
                                                 codename=codename))
        group.permissions.set(wanted)


@transaction.atomic
def staff_create(*, username: str, password: str, role: Role, country: str = "",
                 centre=None, email: str = "", first_name: str = "", last_name: str = "",
                 superuser: bool = False):
    roles_sync()
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User(username=username)
    user.email = email
    user.first_name = first_name
    user.last_name = last_name
    user.country = country
    user.centre = centre
    user.is_staff = True
    user.is_superuser = superuser
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role.value)])
    return user
