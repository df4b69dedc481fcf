"""Form fields shared by every channel's forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .text import clean_text


class TextField(forms.CharField):
    """Text a person types, cleaned like every text input (``core.text.clean_text``: control
    characters and lone surrogates dropped, white space folded, NFC) before it is validated,
    so no form hands a NUL, an escape sequence or white space alone to a service, a sign-in
    throttle or the database.

    ``max_length`` is required: the column it is stored in (or what the rule allows) bounds
    it, and a longer answer is an error shown next to the field, never a database error.
    Text areas keep their line breaks.
    """

    default_error_messages = {
        "max_length": _("Enter %(limit_value)s characters or fewer (you entered "
                        "%(show_value)s)"),
    }

    def __init__(self, *, max_length: int, multiline: bool | None = None, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
        self.multiline = (isinstance(self.widget, forms.Textarea) if multiline is None
                          else multiline)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return clean_text(value, multiline=self.multiline) or self.empty_value
