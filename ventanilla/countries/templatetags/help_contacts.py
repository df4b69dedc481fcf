"""``{% load help_contacts %}``: the institutions' contact channels on a page (R-HLP-01).

``{% help_contacts %}`` renders ``includes/help_contacts.html``::

    {% help_contacts %}                                  the visitor's country, every channel
    {% help_contacts country=person.country purpose="appointments" %}
    {% help_contacts purpose="appointments" kinds="phone,whatsapp" online_down=True %}
    {% help_contacts style="footer" %}                   <li> items for base.html's footer

``country`` is a code or a pack; without it, the ``help_country`` the context processor
``channels.context_processors.help_contacts`` found for this visitor; when that is unknown
too (or the page has no request, like the outage page), every served country's lines.
``style`` is "list" (links with purpose, hours and instructions) or "footer".
"""

from __future__ import annotations

from django import template

from ventanilla.countries.help import help_groups, numbers_text

register = template.Library()


def _country(context, country):
    if country is None:
        country = context.get("help_country")
    return country() if callable(country) else country


@register.inclusion_tag("includes/help_contacts.html", takes_context=True)
def help_contacts(context, country=None, purpose=None, kinds=None, style="list",
                  online_down=False):
    if isinstance(kinds, str):
        kinds = [k.strip() for k in kinds.split(",") if k.strip()]
    groups = help_groups(_country(context, country), purpose=purpose or None, kinds=kinds)
    return {"groups": groups, "several": len(groups) > 1, "style": style,
            "online_down": online_down}


@register.simple_tag(takes_context=True)
def help_numbers(context, country=None, purpose="appointments"):
    """The phone numbers as a phrase inside a sentence: "140, 1800-100-000 or 161"."""
    return numbers_text(_country(context, country), purpose or None)
