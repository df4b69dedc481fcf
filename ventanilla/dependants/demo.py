"""Demo dependants, through the same services as real use.

``demo_dependants(holders=[...], actor=<staff user>)`` is meant to be called by the demo
loader once the holders (registered persons with an open, non-dependant affiliation) and a
staff member with ``dependants.add_dependantrequest``, ``dependants.review_dependantrequest``
and ``affiliation.add_affiliation`` (the demo administrator, a superuser) exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from ventanilla.core.channels import Channel
from ventanilla.countries.registry import get_pack

from . import services
from .models import DependantRequest


def _cedula(base9: str) -> str:
    from stdnum.ec import ci

    return next(base9 + str(d) for d in range(10) if ci.is_valid(base9 + str(d)))


def _national_id(country: str, seed: str) -> tuple[str, str]:
    """A valid national ID for the demo (EC cédula, PE DNI), else a passport number.
    ``seed`` is six digits."""
    pack = get_pack(country)
    national = next((t for t in pack.id_types if t.national), None)
    candidates = {"EC": lambda: _cedula("170" + seed), "PE": lambda: "41" + seed}
    if national is not None and pack.code in candidates:
        return national.code, candidates[pack.code]()
    return "passport", f"D{seed}"


def _years_ago(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


@transaction.atomic
def demo_dependants(*, holders: Sequence, actor, on: date | None = None
                    ) -> list[DependantRequest]:
    """For the first holder: an approved spouse and an approved child; for the second holder
    (or the first when there is only one): a child's request waiting for a decision.
    Returns the three requests. Filed at a counter by ``actor`` (in person), so no country
    rule about channels stands in the way."""
    from django.utils import timezone

    if not holders:
        return []
    today = on or timezone.localdate()
    first, second = holders[0], holders[1] if len(holders) > 1 else holders[0]
    out: list[DependantRequest] = []

    def file(holder, relationship: str, given: str, born: date, seed: str, **extra):
        id_type, id_number = _national_id(holder.country, seed)
        return services.dependant_request_create(
            holder_person=holder, relationship=relationship, channel=Channel.IN_PERSON,
            actor=actor, dependant={
                "id_type": id_type, "id_number": id_number, "given_names": given,
                "family_names": holder.family_names, "date_of_birth": born,
                "nationality": holder.nationality}, **extra)

    spouse = file(first, "spouse", "Carmen Lucía", _years_ago(today, 38),
                  f"1{first.pk % 100000:05d}", union_kind="marriage")
    out.append(services.dependant_request_decide(request=spouse, approve=True, reason="",
                                                 actor=actor))
    child = file(first, "child", "Mateo", _years_ago(today, 9), f"2{first.pk % 100000:05d}")
    out.append(services.dependant_request_decide(request=child, approve=True, reason="",
                                                 actor=actor))
    out.append(file(second, "child", "Valentina", _years_ago(today, 4),
                    f"3{second.pk % 100000:05d}"))
    return out
