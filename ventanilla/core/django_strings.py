"""Strings of Django 6.1's admin that its Spanish catalogue does not translate yet (the
date filter, the action button, a select's empty choice). Marked here so that
``makemessages`` keeps them in ours, which ``LOCALE_PATHS`` consults first; drop each one
when Django's own catalogue has it."""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = (
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Run"),
    gettext_noop("- Select an option -"),
)
