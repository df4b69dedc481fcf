"""The institutions' real contact channels and where people get care the service cannot give
(R-HLP-01, R-APT-01, R-APT-14).

A pack declares them as data (``CountryPack.contacts``, ``CountryPack.care_options``); every
page, message and refusal that says "call us" renders them from here, so a number is written
once, with its source and the date of that source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ChannelKind(StrEnum):
    PHONE = "phone"
    WHATSAPP = "whatsapp"
    WEB = "web"


class Purpose(StrEnum):
    """What a channel is for. The labels below are what the person reads."""

    APPOINTMENTS = "appointments"
    GENERAL = "general"
    EMERGENCIES = "emergencies"
    COVERAGE = "coverage"


PURPOSE_LABELS: dict[Purpose, Promise] = {
    Purpose.APPOINTMENTS: _("Medical appointments"),
    Purpose.GENERAL: _("General information"),
    Purpose.EMERGENCIES: _("Emergencies"),
    Purpose.COVERAGE: _("Joining the health insurance"),
}


class CareReason(StrEnum):
    """Why a person is sent elsewhere for care (the refusal's reason code)."""

    PEASANT_INSURANCE = "peasant_insurance"   # R-APT-01
    NOT_COVERED = "not_covered"               # no current coverage (R-APT-14)


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a seed ("Seed 004") or a public page, and its date (the
    date printed on it, or the day it was read when it has none)."""

    title: str
    on: date
    url: str = ""

    def __str__(self) -> str:
        where = f", {self.url}" if self.url else ""
        return f"{self.title} ({self.on.isoformat()}){where}"


@dataclass(frozen=True)
class ContactChannel:
    """One way to reach an institution.

    ``dial`` is what the device dials or opens: a short number stays short ("140"), a full
    number is E.164 ("+5114118000"), a WhatsApp number is E.164 too, a web channel is an
    https address. ``display`` is how people know the number ("(01) 411-8000").
    """

    kind: ChannelKind
    dial: str
    display: str
    purposes: tuple[Purpose, ...]
    source: Source
    institution: str
    name: str = ""                     # the line's own name, a proper noun: "Línea 107"
    hours: Promise | str = ""
    instructions: Promise | str = ""   # "Choose option 1"
    main: bool = False                 # the country's line shown when nothing else is known
    more_sources: tuple[Source, ...] = ()   # for the hours or instructions, when another

    @property
    def sources(self) -> tuple[Source, ...]:
        return (self.source, *self.more_sources)

    @property
    def href(self) -> str:
        if self.kind is ChannelKind.PHONE:
            return f"tel:{self.dial}"
        if self.kind is ChannelKind.WHATSAPP:
            return f"https://wa.me/{self.dial.removeprefix('+')}"
        return self.dial

    @property
    def purpose_labels(self) -> list[Promise]:
        return [PURPOSE_LABELS[p] for p in self.purposes]

    def serves(self, purpose: Purpose | str) -> bool:
        return Purpose(purpose) in self.purposes


@dataclass(frozen=True)
class CareElsewhere:
    """Where a person the service cannot serve gets care, and whom to ask (R-APT-14)."""

    reason: CareReason
    explanation: Promise | str
    place: Promise | str
    source: Source
    channels: tuple[ContactChannel, ...]
    place_url: str = ""


def channels_matching(channels: Iterable[ContactChannel], *,
                      purpose: Purpose | str | None = None,
                      kinds: Iterable[ChannelKind | str] | None = None,
                      ) -> tuple[ContactChannel, ...]:
    wanted = None if kinds is None else {ChannelKind(k) for k in kinds}
    return tuple(c for c in channels
                 if (purpose is None or c.serves(purpose))
                 and (wanted is None or c.kind in wanted))
