"""Template helpers for the GOV.UK partials (``{% load govuk %}``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import template
from django.forms.forms import BaseForm

from ventanilla.core.forms import error_target_id

register = template.Library()


def _form_items(form: BaseForm) -> list[dict[str, str]]:
    items: list[dict[str, str]] = []
    if not form.is_bound or not form.errors:
        return items
    for error in form.non_field_errors():
        items.append({"text": str(error), "href": ""})
    for field in form:
        if not field.errors:
            continue
        target = "" if field.is_hidden else error_target_id(field)
        for error in field.errors:
            items.append({"text": str(error), "href": f"#{target}" if target else ""})
    return items


@register.simple_tag
def govuk_error_items(form=None, forms=None, errors=None) -> list[dict[str, str]]:
    """The error summary's items, in page order: ``[{"text": ..., "href": "#id" or ""}]``.

    ``form`` / ``forms``: bound forms; non-field and hidden-field errors have no link, field
    errors link to the field (the first radio or checkbox, the day box of a date).
    ``errors``: extra errors, as strings or ``{"text": ..., "href": ...}`` mappings.
    """
    items: list[dict[str, str]] = []
    for extra in errors or ():
        if isinstance(extra, Mapping):
            items.append({"text": str(extra.get("text", "")), "href": str(extra.get("href", ""))})
        else:
            items.append({"text": str(extra), "href": ""})
    all_forms: list[BaseForm] = []
    if isinstance(form, BaseForm):
        all_forms.append(form)
    if isinstance(forms, Iterable):
        all_forms.extend(f for f in forms if isinstance(f, BaseForm))
    for f in all_forms:
        items.extend(_form_items(f))
    return items
