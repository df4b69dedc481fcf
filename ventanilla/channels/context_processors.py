"""``help_country``: whose help lines the footer and "call us" texts show (R-HLP-01)."""

from __future__ import annotations

from functools import cache

from ventanilla.countries.registry import UnknownCountry, get_pack

# the session keys of the portal's visitor (portal.views) and of an application in progress
# (web.session)
VISITOR_SESSION_KEY = "portal_visitor"
APPLICATION_SESSION_KEY = "application_id"


def visitor_country(request) -> str:
    """The country of the visitor, as far as the site knows it: the signed-in affiliate's,
    the staff member's, the visitor who proved who they are with an e-mailed code, the
    application this browser is filling in, the country in the address
    (``/registro/<country>/…``); "" when none says."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        person = getattr(user, "person", None)
        if person is not None:
            return person.country
        if getattr(user, "country", ""):
            return user.country
    session = getattr(request, "session", None)
    if session is not None:
        from ventanilla.people.models import Person
        from ventanilla.registration.models import Application

        visitor = (session.get(VISITOR_SESSION_KEY) or {}).get("person")
        if visitor:
            country = (Person.objects.filter(public_id=visitor)
                       .values_list("country", flat=True).first())
            if country:
                return country
        application = session.get(APPLICATION_SESSION_KEY)
        if application:
            country = (Application.objects.filter(public_id=application)
                       .values_list("country", flat=True).first())
            if country:
                return country
    match = getattr(request, "resolver_match", None)
    return str(match.kwargs.get("country", "")) if match is not None else ""


def help_contacts(request):
    """Lazily, so a page that shows no help asks nothing: ``help_country`` is a callable the
    ``{% help_contacts %}`` tag calls once."""
    @cache
    def country() -> str:
        code = visitor_country(request)
        try:
            return get_pack(code).code if code else ""
        except UnknownCountry:
            return ""
    return {"help_country": country}
