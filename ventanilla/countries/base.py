"""The country-pack interface.

A country pack holds every fact that differs between health systems: identity documents and
their algorithms, geography, holidays and the working-day calendar, the registration
document checklist, the registration-number format, time zone, currency and language.
The core asks the pack and never branches on a country code.

Packs wrap python-stdnum, holidays and phonenumbers and add only local facts, each with
its legal source in a docstring. Every pack passes ``countries/tests/test_conformance.py``.
"""

from __future__ import annotations

import json
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import ClassVar

import holidays as holidays_lib
import phonenumbers
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from phonenumbers import carrier as phone_carrier

from ventanilla.core.errors import ValidationFailed

from .contacts import (
    CareElsewhere,
    CareReason,
    ChannelKind,
    ContactChannel,
    Purpose,
    channels_matching,
)


class IdInvalid(ValidationFailed):
    code = "ID_INVALID"


class PhoneInvalid(ValidationFailed):
    code = "PHONE_INVALID"


@dataclass(frozen=True)
class IdType:
    """An identity document a person can be identified by in this country."""

    code: str                      # stable key stored in the database: "cedula", "dni", ...
    label: Promise                 # "Cédula de identidad"
    hint: Promise                  # what the number looks like, shown under the field
    for_foreigners: bool = False   # passports, carné de extranjería
    national: bool = False         # the country's own citizen ID (may create a clave online)


@dataclass(frozen=True)
class DocumentKind:
    """One entry of the registration document checklist (R-REG-03)."""

    code: str
    label: Promise
    hint: Promise
    required: bool = True
    # Satisfied by the application form itself rather than by an upload.
    provided_by_form: bool = False
    # 2: a card with a front and a back (Ecuador's cédula). The page takes a second file for
    # the back, with the same checks; it may be left out when the first file (a PDF scan,
    # say) already shows both sides, and the reviewer rejects it if it does not.
    sides: int = 1


@dataclass(frozen=True)
class AffiliationType:
    """A kind of affiliation of the country's health system (R-AFF-01, R-AFF-08)."""

    code: str
    label: Promise
    may_book_appointments: bool = True   # R-APT-01: not peasant insurance
    is_dependant: bool = False
    # R-AFF-06: coverage lapses when a month stays unpaid this many days after it ended.
    lapses_after_days_unpaid: int | None = None
    # R-AFF-08: the plan's status (active / inactive / cancelled) can be looked up publicly
    # by ID number (Peru's SIS).
    public_status_lookup: bool = False


@dataclass(frozen=True)
class BasicSalaryDefault:
    """The legal minimum / unified basic salary of a year, with its legal source."""

    year: int
    amount: str
    legal_source: str


@dataclass(frozen=True)
class RateDefault:
    """A contribution rule in force from ``valid_from`` (R-AFF-06): a percentage of a base,
    or a flat monthly amount."""

    affiliation_type: str
    kind: str               # "contribution" | "spouse_surcharge"
    valid_from: str         # ISO date
    legal_source: str
    rate: str | None = None            # percent, e.g. "20.60"
    flat_amount: str | None = None     # per month, e.g. "2.82"
    base: str = "sbu"       # "sbu" | "declared" (at least one SBU) | "pension" | "salary"
    worker_rate: str | None = None
    employer_rate: str | None = None
    covers_family: bool = False


@dataclass(frozen=True)
class Situation:
    """What the checklist depends on. Answers come from the application."""

    id_type: str
    is_foreign_national: bool = False
    employed_locally: bool = False
    has_previous_health_card: bool = False
    documents_in_other_language: bool = False


# The kinds a pack's geography data gives its subdivisions ("kind" in geography.json), as
# people read them; a parish ("parroquia") is feminine in Spanish, hence the context.
SUBDIVISION_KINDS: Mapping[str, Promise] = {
    "urban": pgettext_lazy("kind of parish", "urban"),
    "rural": pgettext_lazy("kind of parish", "rural"),
}


@dataclass(frozen=True)
class Subdivision:
    code: str
    name: str
    level: int
    parent: str | None
    kind: str = ""

    @property
    def kind_label(self) -> str:
        """The kind in the active language ("urbana"), or "" when the data gives none."""
        label = SUBDIVISION_KINDS.get(self.kind)
        return str(label) if label is not None else ""

    @property
    def label(self) -> str:
        """The name as a list shows it: "Bellavista (urbana)" / "Bellavista (urban)"."""
        kind = self.kind_label
        return _("%(name)s (%(kind)s)") % {"name": self.name, "kind": kind} if kind \
            else self.name


@dataclass(frozen=True)
class Phone:
    e164: str
    national: str
    carrier: str


class Geography:
    """The complete administrative geography of a country, loaded once from the pack's data."""

    def __init__(self, path: Path, level_labels: Sequence[Promise]):
        self._path = path
        self.level_labels = tuple(level_labels)

    @cached_property
    def _data(self) -> dict:
        with self._path.open(encoding="utf-8") as fh:
            return json.load(fh)

    @cached_property
    def _by_code(self) -> dict[str, Subdivision]:
        return {
            d["code"]: Subdivision(d["code"], d["name"], d["level"], d["parent"],
                                   d.get("kind", ""))
            for d in self._data["divisions"]
        }

    @cached_property
    def _children(self) -> dict[str | None, list[Subdivision]]:
        children: dict[str | None, list[Subdivision]] = {}
        for sub in self._by_code.values():
            children.setdefault(sub.parent, []).append(sub)
        for subs in children.values():
            subs.sort(key=lambda s: s.name)
        return children

    @property
    def source(self) -> str:
        return self._data.get("source", "")

    @property
    def depth(self) -> int:
        return len(self.level_labels)

    def get(self, code: str) -> Subdivision | None:
        return self._by_code.get(code)

    def children(self, parent: str | None = None) -> list[Subdivision]:
        return list(self._children.get(parent, []))

    def top_level(self) -> list[Subdivision]:
        return self.children(None)

    def ancestor_at(self, code: str, level: int) -> Subdivision | None:
        """The subdivision at ``level`` (0 = province / region) above or at a place code."""
        sub = self.get(code or "")
        while sub is not None and sub.level > level and sub.parent:
            sub = self.get(sub.parent)
        return sub if sub is not None and sub.level == level else None

    def top_level_of(self, code: str) -> str:
        """The province / region above a place code ("" for an unknown code)."""
        sub = self.get(code or "")
        while sub is not None and sub.parent:
            sub = self.get(sub.parent)
        return sub.code if sub is not None else ""

    def count(self, level: int) -> int:
        return sum(1 for s in self._by_code.values() if s.level == level)

    def path(self, code: str) -> list[Subdivision]:
        """From the top level down to ``code``."""
        out: list[Subdivision] = []
        sub = self._by_code.get(code)
        while sub is not None:
            out.append(sub)
            sub = self._by_code.get(sub.parent) if sub.parent else None
        return list(reversed(out))

    def is_leaf(self, code: str) -> bool:
        sub = self._by_code.get(code)
        return sub is not None and sub.level == self.depth - 1


class CountryPack:
    """Base class of every country pack. Subclasses declare metadata and override hooks."""

    code: ClassVar[str]
    name: ClassVar[Promise]
    institution: ClassVar[str]
    default_language: ClassVar[str] = "es"
    timezone: ClassVar[str]
    currency: ClassVar[str]
    phone_region: ClassVar[str]
    # Mobile carriers a person may choose when the number does not tell (R-APT-03).
    carriers: ClassVar[tuple[str, ...]] = ()
    id_types: ClassVar[tuple[IdType, ...]]
    geography_levels: ClassVar[tuple[Promise, ...]]
    data_dir: ClassVar[Path]
    # R-REG-05: confirmation "within a few days" -> working days until an application is due.
    registration_due_working_days: ClassVar[int] = 3
    # R-APT-10: where the law moves a holiday, centres close on the observed day only.
    holidays_closed_on_observed_day: ClassVar[bool] = False
    holidays_country: ClassVar[str | None] = None  # defaults to ``code``
    # R-APT-04: bookings are cancelled or rescheduled at least this many hours before.
    cancel_notice_hours: ClassVar[int] = 12
    # R-APT-05: this many missed medical appointments block the person's web account.
    no_show_block_after: ClassVar[int] = 3
    # R-APT-11: an attempt over a quota is refused with a warning; the channel is blocked
    # at this many refused attempts within ``quota_attempts_window_hours``.
    quota_block_after_attempts: ClassVar[int] = 3
    quota_attempts_window_hours: ClassVar[int] = 24
    # Sick-leave certificates (R-CER-04, R-CER-05): the person's deadline to submit a
    # private certificate (working days after the last day of rest), the longest rest
    # validated online, the rest over which it becomes an official certificate, and the
    # validators' own deadline (working days from submission).
    certificate_submit_working_days: ClassVar[int | None] = None
    certificate_online_max_days: ClassVar[int | None] = None
    certificate_official_over_days: ClassVar[int | None] = None
    certificate_review_working_days: ClassVar[int] = 3
    # The doctor's registration code on a certificate's stamp (R-CER-01), as a regular
    # expression over the upper-cased text, and an example for the message; None: not
    # checked.
    doctor_registration_pattern: ClassVar[str | None] = None
    # R-CER-04 (Ecuador): the days off are written in figures and in words.
    certificate_days_in_words: ClassVar[bool] = False
    doctor_registration_example: ClassVar[str] = ""
    # R-CER-04 (Peru): the prefix of the official incapacity certificate's number.
    official_certificate_prefix: ClassVar[str] = ""
    # Which situation questions of the application matter for this country's checklist.
    situation_questions: ClassVar[tuple[str, ...]] = ("documents_in_other_language",)
    # Affiliation and contributions (R-AFF-01..08). Defaults become editable rows.
    affiliation_types: ClassVar[tuple[AffiliationType, ...]] = ()
    quote_affiliation_type: ClassVar[str] = ""   # what a public quote is for by default
    basic_salary_name: ClassVar[Promise | str] = ""
    basic_salary_defaults: ClassVar[tuple[BasicSalaryDefault, ...]] = ()
    rate_defaults: ClassVar[tuple[RateDefault, ...]] = ()
    asks_social_security_number: ClassVar[bool] = False
    # R-HLP-01: the institutions' real channels, each with its source (countries/contacts.py).
    contacts: ClassVar[tuple[ContactChannel, ...]] = ()
    # R-APT-01 / R-APT-14: where people the service cannot serve get care instead.
    care_options: ClassVar[tuple[CareElsewhere, ...]] = ()

    # --- help and contact (R-HLP-01) -----------------------------------------------------
    def contact_channels(self, purpose: Purpose | str | None = None, *,
                         kinds: Iterable[ChannelKind | str] | None = None,
                         ) -> tuple[ContactChannel, ...]:
        """The channels for ``purpose`` (every channel when None), of ``kinds`` (every kind
        when None), in the pack's order."""
        return channels_matching(self.contacts, purpose=purpose, kinds=kinds)

    def main_channels(self) -> tuple[ContactChannel, ...]:
        """The lines shown when nothing else is known about the visitor."""
        return tuple(c for c in self.contacts if c.main) or self.contacts[:1]

    def care_elsewhere(self, reason: CareReason | str) -> CareElsewhere | None:
        """Where a person refused for ``reason`` gets care, or None if the pack has no
        such fact."""
        code = CareReason(reason)
        return next((c for c in self.care_options if c.reason is code), None)

    def affiliation_type(self, code: str) -> AffiliationType | None:
        return next((t for t in self.affiliation_types if t.code == code), None)

    def affiliation_number(self, id_type: str, id_number: str,
                           next_sequence: Callable[[], int]) -> str:
        """Holders of the national ID are affiliated under its number (IESS uses the cédula,
        EsSalud the DNI); others get a number from the country's sequence."""
        if self.id_type(id_type).national:
            return id_number
        return f"{self.code}{next_sequence():09d}"

    # --- identity ----------------------------------------------------------------------
    def id_type(self, code: str) -> IdType:
        for t in self.id_types:
            if t.code == code:
                return t
        raise IdInvalid(_("Choose a type of identity document."), field="id_type")

    def validate_id(self, id_type: str, value: str, /) -> str:
        """Return the compact form of ``value`` or raise ``IdInvalid`` saying what is wrong."""
        raise NotImplementedError

    # --- calendar ----------------------------------------------------------------------
    @cached_property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def localtime(self, moment: datetime) -> datetime:
        """``moment`` on the country's clock."""
        return moment.astimezone(self.tz)

    def today(self, now: datetime | None = None) -> date:
        """The date in the country now (or at ``now``): what "today" means for its rules."""
        from django.utils import timezone

        return self.localtime(now or timezone.now()).date()

    def holidays(self, year: int, language: str | None = None) -> Mapping[date, str]:
        """National holidays on which offices and centres are closed."""
        return dict(self._holidays_cached(year, language or self.default_language))

    def _holidays_cached(self, year: int, language: str) -> dict[date, str]:
        # Every working-day count asks for them; computing them is not cheap.
        cache = self.__dict__.setdefault("_holiday_cache", {})
        key = (year, language)
        if key not in cache:
            cache[key] = self._holidays(year, language)
        return cache[key]

    def _holidays(self, year: int, language: str) -> dict[date, str]:
        lib = holidays_lib.country_holidays(
            self.holidays_country or self.code, years=year,
            language="en_US" if language.startswith("en") else "es",
        )
        days = dict(lib.items())
        if not self.holidays_closed_on_observed_day:
            return days
        # The library lists the legal date and the moved date "(observado)"/"(observed)";
        # when a holiday was moved, the legal date is a working day.
        es = holidays_lib.country_holidays(self.holidays_country or self.code, years=year,
                                           language="es")
        names = {d: n.split("; ") for d, n in es.items()}
        legal_dates_moved: set[tuple[date, str]] = set()
        for observed_day, day_names in names.items():
            for name in day_names:
                if not name.endswith("(observado)"):
                    continue
                base = name.replace(" (observado)", "")
                # the legal date of this occurrence is the nearest one with the base name
                near = [d for d, ns in names.items() if base in ns
                        and abs((d - observed_day).days) <= 7]
                if near:
                    legal = min(near, key=lambda d: abs((d - observed_day).days))
                    legal_dates_moved.add((legal, base))
        closed: dict[date, str] = {}
        for d, day_names in names.items():
            if any((d, n) not in legal_dates_moved for n in day_names):
                closed[d] = days[d]
        return closed

    def phone_booking_weekdays(self, id_number: str, /) -> set[int]:
        """R-APT-06: the weekdays (Monday = 0) the call centre may give an appointment to a
        caller with this ID number. No restriction unless the country's rule says otherwise."""
        return set(range(7))

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays_cached(
            day.year, self.default_language)

    def add_working_days(self, start: date, n: int) -> date:
        """The date ``n`` working days after ``start`` (start itself does not count)."""
        day = start
        added = 0
        while added < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                added += 1
        return day

    # --- geography ---------------------------------------------------------------------
    @cached_property
    def geography(self) -> Geography:
        return Geography(self.data_dir / "geography.json", self.geography_levels)

    # --- phones ------------------------------------------------------------------------
    def validate_mobile(self, value: str, /) -> Phone:
        """A mobile number of this country, in E.164, with its carrier where known."""
        try:
            number = phonenumbers.parse(value, self.phone_region)
        except phonenumbers.NumberParseException as exc:
            raise PhoneInvalid(
                _("Enter a mobile phone number, like %(example)s")
                % {"example": self.mobile_example()}, field="mobile_phone") from exc
        region = phonenumbers.region_code_for_number(number)
        if region != self.phone_region:
            raise PhoneInvalid(
                _("Enter a mobile phone number of %(country)s, like %(example)s")
                % {"country": self.name, "example": self.mobile_example()},
                field="mobile_phone")
        if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ):
            raise PhoneInvalid(
                _("Enter a mobile phone number, like %(example)s")
                % {"example": self.mobile_example()}, field="mobile_phone")
        return Phone(
            e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
            national=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
            carrier=phone_carrier.name_for_number(number, "es") or "",
        )

    def mobile_example(self) -> str:
        example = phonenumbers.example_number_for_type(
            self.phone_region, phonenumbers.PhoneNumberType.MOBILE)
        if example is None:
            return ""
        return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)

    # --- registration ------------------------------------------------------------------
    def required_documents(self, situation: Situation) -> Sequence[DocumentKind]:
        raise NotImplementedError

    def all_document_kinds(self) -> Sequence[DocumentKind]:
        """Every kind the checklist can contain, for labels and validation of uploads."""
        raise NotImplementedError

    def document_kind(self, code: str) -> DocumentKind | None:
        return next((k for k in self.all_document_kinds() if k.code == code), None)

    def registration_number(self, sequence: int, issued_on: date) -> str:
        raise NotImplementedError

    def registration_number_is_valid(self, value: str) -> bool:
        raise NotImplementedError
