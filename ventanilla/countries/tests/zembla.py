"""A fictitious country pack used to prove that the core never branches on a country code."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ventanilla.countries.base import (
    AffiliationType,
    CountryPack,
    DocumentKind,
    IdInvalid,
    IdType,
    Situation,
)
from ventanilla.countries.contacts import (
    CareElsewhere,
    CareReason,
    ChannelKind,
    ContactChannel,
    Purpose,
    Source,
)

ZID = IdType(code="zid", label="Zemblan identity card", hint="6 digits", national=True)
IDENTITY = DocumentKind("identity", "Identity card", "Both sides")
LEASE = DocumentKind("lease", "Lease", "Any lease")
FORM = DocumentKind("form", "Form", "This form", provided_by_form=True)
# Fictitious, like the country: 1999 is no short number of Norway's plan it borrows.
ZHS_SOURCE = Source("Pale Fire, canto 5 (fictitious)", date(1962, 4, 1))
ZHS_LINE = ContactChannel(ChannelKind.PHONE, "1999", "19 99", (Purpose.APPOINTMENTS,),
                          ZHS_SOURCE, institution="ZHS", name="Onhava line",
                          hours="Dawn to dusk", instructions="Ask for the king", main=True)
ZHS_WEB = ContactChannel(ChannelKind.WEB, "https://zembla.invalid/", "zembla.invalid",
                         (Purpose.GENERAL,), ZHS_SOURCE, institution="ZHS")


class ZemblaPack(CountryPack):
    """Zembla (Nabokov's Pale Fire). Code ZZ is user-assigned in ISO 3166, so no real
    country can collide with it."""

    code = "ZZ"
    name = "Zembla"
    institution = "ZHS"
    timezone = "Europe/Oslo"
    currency = "EUR"
    phone_region = "NO"  # borrow a real numbering plan for mobile validation
    id_types = (ZID,)
    geography_levels = ("Region", "Town")
    data_dir = Path(__file__).parent / "zembla_data"
    registration_due_working_days = 5
    affiliation_types = (AffiliationType("resident", "Resident"),
                         AffiliationType("kin", "Kin", is_dependant=True))
    contacts = (ZHS_LINE, ZHS_WEB)
    care_options = (CareElsewhere(CareReason.NOT_COVERED, "Not a resident of Zembla",
                                  "The palace in Onhava", ZHS_SOURCE, (ZHS_LINE,)),)

    def validate_id(self, id_type, value, /):
        self.id_type(id_type)
        raw = (value or "").strip()
        if not re.fullmatch(r"\d{6}", raw):
            raise IdInvalid("Six digits", field="id_number")
        if sum(int(c) for c in raw) % 7:
            raise IdInvalid("Checksum", field="id_number")
        return raw

    def _holidays(self, year, language):
        return {date(year, 7, 1): "Zembla Day"}

    def all_document_kinds(self):
        return (IDENTITY, LEASE, FORM)

    def required_documents(self, situation: Situation):
        return [IDENTITY, LEASE, FORM]

    def registration_number(self, sequence: int, issued_on: date) -> str:
        return f"Z{sequence:05d}{sequence % 7}"

    def registration_number_is_valid(self, value: str) -> bool:
        m = re.fullmatch(r"Z(\d{5})(\d)", value or "")
        return bool(m) and int(m.group(1)) % 7 == int(m.group(2))
