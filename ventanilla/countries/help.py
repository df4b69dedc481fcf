"""Which contact channels a page shows (R-HLP-01): the pack's, for one country or, when the
visitor's country is unknown, every served country's main line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .base import CountryPack
from .contacts import ChannelKind, ContactChannel, Purpose, channels_matching
from .registry import UnknownCountry, all_packs, get_pack


@dataclass(frozen=True)
class HelpGroup:
    """The channels of one country, as a page lists them."""

    country: str
    country_name: Promise | str
    channels: tuple[ContactChannel, ...]


def _pack(country: CountryPack | str | None) -> CountryPack | None:
    if isinstance(country, CountryPack):
        return country
    if not country:
        return None
    try:
        return get_pack(country)
    except UnknownCountry:
        return None


def help_groups(country: CountryPack | str | None = None, *,
                purpose: Purpose | str | None = None,
                kinds: Iterable[ChannelKind | str] | None = None) -> list[HelpGroup]:
    """The channels for ``purpose`` of ``country``'s pack. With no (or an unknown) country:
    for each served country, its channels for ``purpose``, or its main lines when no
    purpose is asked. Countries without a matching channel are left out."""
    kinds = None if kinds is None else tuple(kinds)
    pack = _pack(country)
    packs = [pack] if pack is not None else all_packs()
    groups = []
    for p in packs:
        if pack is None and purpose is None:
            channels = channels_matching(p.main_channels(), kinds=kinds)
        else:
            channels = p.contact_channels(purpose, kinds=kinds)
        if channels:
            groups.append(HelpGroup(p.code, p.name, channels))
    return groups


def numbers_text(country: CountryPack | str | None,
                 purpose: Purpose | str | None = Purpose.APPOINTMENTS, *,
                 kind: ChannelKind | str = ChannelKind.PHONE) -> str:
    """The numbers of ``kind`` for ``purpose`` as a phrase for a message: "140,
    1800-100-000 or 161" (every country's when ``country`` is unknown; "" when none)."""
    groups = help_groups(country, purpose=purpose, kinds=[kind])
    # several countries: say whose number each is ("IESS 140, EsSalud (01) 411-8000")
    numbers = [f"{c.institution} {c.display}" if len(groups) > 1 else c.display
               for g in groups for c in g.channels]
    if len(numbers) < 2:
        return "".join(numbers)
    return _("%(first)s or %(last)s") % {"first": ", ".join(numbers[:-1]),
                                         "last": numbers[-1]}
