"""Lazy registry of country packs, configured by ``settings.COUNTRY_PACKS``."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import NotFound

from .base import CountryPack

_extra: dict[str, CountryPack] = {}


class UnknownCountry(NotFound):
    code = "COUNTRY_UNKNOWN"
    default_message = _("This country is not served.")


@cache
def _configured() -> dict[str, CountryPack]:
    packs: dict[str, CountryPack] = {}
    for dotted in settings.COUNTRY_PACKS:
        pack = import_string(dotted)()
        packs[pack.code] = pack
    return packs


def all_packs() -> list[CountryPack]:
    return [*_configured().values(), *_extra.values()]


def get_pack(code: str) -> CountryPack:
    code = (code or "").upper()
    pack = _configured().get(code) or _extra.get(code)
    if pack is None:
        raise UnknownCountry(field="country")
    return pack


def register_pack(pack: CountryPack) -> None:
    """Add a pack at run time (used by tests to prove the core is country-agnostic)."""
    _extra[pack.code] = pack


def unregister_pack(code: str) -> None:
    _extra.pop(code, None)

