"""The employer's check (R-CER-05): whether a certificate is validated and for which days,
never the diagnosis, the ICD-10 code or the doctor's notes (LOPDP art. 26, Ley 29733)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date

from ventanilla.cases import rules as case_rules
from ventanilla.core.ratelimit import limit
from ventanilla.countries.base import IdInvalid
from ventanilla.countries.registry import UnknownCountry, get_pack

from ..errors import CertificateVerifyFailed
from ..models import Certificate


@dataclass(frozen=True)
class Verified:
    """All an employer may know: no diagnosis, no code, no doctor, no kind of leave."""

    reference: str
    status: str
    status_label: str
    validated: bool
    rest_start: date
    rest_end: date
    rest_days: int
    validated_on: date | None
    official_number: str
    worker_initials: str


def _initials(names: str) -> str:
    return " ".join(f"{w[0]}." for w in names.split() if w)


def certificate_verify(*, reference: str, id_number: str) -> Verified:
    """A wrong ID and an unknown reference get the same answer after the same work; every
    channel shares the case lookup's limit of attempts per address."""
    limit("cases.lookup")
    ref = case_rules.reference_normalise(reference)
    cert = None
    if case_rules.reference_is_well_formed(ref):
        cert = (Certificate.objects.select_related("case", "patient")
                .filter(case__reference=ref).first())
    expected = cert.patient.id_number if cert else "0" * 10
    given = id_number or ""
    if cert is not None:
        try:
            given = get_pack(cert.country).validate_id(cert.patient.id_type, given)
        except (IdInvalid, UnknownCountry):
            given = ""
    if not hmac.compare_digest(expected.encode(), given.encode()) or cert is None:
        raise CertificateVerifyFailed()
    pack = get_pack(cert.country)
    return Verified(
        reference=cert.case.reference, status=cert.status,
        status_label=str(Certificate.Status(cert.status).label),
        validated=cert.status == Certificate.Status.VALIDATED,
        rest_start=cert.rest_start, rest_end=cert.rest_end, rest_days=cert.rest_days,
        validated_on=(pack.localtime(cert.decided_at).date()
                      if cert.decided_at and cert.status == Certificate.Status.VALIDATED
                      else None),
        official_number=cert.official_number or "",
        worker_initials=_initials(cert.patient.full_name))
