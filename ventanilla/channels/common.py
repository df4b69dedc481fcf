"""What the web portal and the call centre share when they ask what to book and where
(STYLE.md "Next shapes" 3: shared form helpers live here, not in one channel's views)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from ventanilla.core.forms import HintedChoice
from ventanilla.countries.registry import get_pack
from ventanilla.scheduling import selectors as scheduling_selectors
from ventanilla.scheduling.catalogue import known_service, suits_age


def specialty_choices(country: str, people=()) -> list[tuple[str, HintedChoice]]:
    """The specialties to offer, most booked first, each with its plain description; a
    specialty for an age none of ``people`` has (Pediatrics for adults only) is left out."""
    today = timezone.localdate(timezone=get_pack(country).tz)
    out = []
    for service in scheduling_selectors.specialties_by_use(country):
        if people and not any(suits_age(service.code, born=p.date_of_birth, on=today)
                              for p in people):
            continue
        label = str(service.label)
        if service.needs_referral:
            label = _("%(specialty)s (needs a referral)") % {"specialty": label}
        known = known_service(service.code)
        out.append((service.code, HintedChoice(label, str(known.description) if known
                                               else "")))
    return out


def place_choices(country: str, province: str | None):
    """The provinces, and the cities of ``province`` only (the city depends on the
    province, with and without JavaScript: ``js/place-select.js`` refreshes them)."""
    geography = get_pack(country).geography
    provinces = [(p.code, p.name) for p in geography.top_level()]
    chosen = geography.get(province) if province else None
    cities = ([(c.code, c.name) for c in geography.children(chosen.code)]
              if chosen is not None and chosen.level == 0 else [])
    return provinces, cities


def grouped_place_choices(country: str):
    """The provinces, and every city grouped under its province (the call centre's
    operators move between provinces while they talk)."""
    geography = get_pack(country).geography
    provinces = geography.top_level()
    return ([(p.code, p.name) for p in provinces],
            [(p.name, [(c.code, c.name) for c in geography.children(p.code)])
             for p in provinces])
