"""Reads of the dependants procedure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.db.models import Q, QuerySet

from ventanilla.accounts.authz import staff_acting, staff_may
from ventanilla.affiliation import selectors as affiliation_selectors
from ventanilla.affiliation.models import Affiliation
from ventanilla.affiliation.rules import Coverage
from ventanilla.core.errors import ValidationFailed
from ventanilla.countries.registry import get_pack

from . import rules
from .errors import RequestNotFound
from .models import OPEN_STATUSES, DependantRequest

REVIEW_PERMISSION = "dependants.review_dependantrequest"
VIEW_PERMISSION = "dependants.view_dependantrequest"


def _open_on(on: date) -> Q:
    return Q(starts_on__lte=on) & (Q(ends_on=None) | Q(ends_on__gte=on))


def dependants_of(person, *, on: date) -> list[tuple]:
    """(person, affiliation, coverage) of each dependant hanging from this affiliate's
    affiliations on ``on``. A child past 18 stays listed, not covered: the coverage says
    why (R-DEP-01)."""
    rows = (Affiliation.objects.select_related("person", "holder__person")
            .filter(holder__person=person).filter(_open_on(on))
            .order_by("-relationship", "person__date_of_birth", "id"))
    out: list[tuple] = []
    for affiliation in rows:
        coverage: Coverage = affiliation_selectors.coverage_for(
            affiliation.person, on=on, country=affiliation.country)
        out.append((affiliation.person, affiliation, coverage))
    return out


def holder_affiliation_on(person, *, on: date) -> Affiliation | None:
    """The affiliation in force through which this person could extend coverage."""
    return (Affiliation.objects.select_related("person", "holder__person")
            .filter(person=person, country=person.country).filter(_open_on(on))
            .order_by("-starts_on").first())


def open_affiliation_of_identity(*, country: str, id_type: str, id_number: str, on: date
                                 ) -> Affiliation | None:
    """Whoever holds this identity and is affiliated on ``on``: as an affiliate or as
    anyone's dependant."""
    return (Affiliation.objects.filter(country=country, person__country=country,
                                       person__id_type=id_type, person__id_number=id_number)
            .filter(_open_on(on)).first())


def requests_of(person) -> QuerySet[DependantRequest]:
    """The affiliate's requests, newest first."""
    return (DependantRequest.objects.select_related("case", "affiliation")
            .filter(holder_affiliation__person=person).order_by("-created_at", "-id"))


def _uuid(value) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def request_get_for_holder(person, public_id) -> DependantRequest:
    """The request, only when it is this affiliate's; anyone else's is 'not found'."""
    pk = _uuid(public_id)
    found = requests_of(person).filter(public_id=pk).first() if pk else None
    if found is None:
        raise RequestNotFound()
    return found


def request_get_for_staff(actor, public_id, *, permission: str = VIEW_PERMISSION
                          ) -> DependantRequest:
    held = permission if staff_may(actor, permission) else REVIEW_PERMISSION
    staff_acting(actor, perm=held, country=None)
    pk = _uuid(public_id)
    found = (DependantRequest.objects.select_related("case", "holder_affiliation__person")
             .filter(public_id=pk).first()) if pk else None
    if found is None:
        raise RequestNotFound()
    staff_acting(actor, perm=held, country=found.country, other_country=RequestNotFound)
    return found


def review_queue(actor) -> QuerySet[DependantRequest]:
    """Requests waiting for a decision, oldest first; staff of one country see only
    theirs."""
    staff_acting(actor, perm=REVIEW_PERMISSION, country=None)  # filtered by country below
    qs = (DependantRequest.objects.select_related("case", "holder_affiliation__person")
          .filter(status__in=OPEN_STATUSES).order_by("created_at", "id"))
    country = getattr(actor, "country", "") or ""
    if country:
        qs = qs.filter(country=country)
    return qs


def rejections_count(*, holder_person, country: str, id_type: str, id_number: str) -> int:
    """How many times this affiliate's requests for this person were rejected (R-AFF-05)."""
    from ventanilla.cases.models import CaseStatus

    return DependantRequest.objects.filter(
        holder_affiliation__person=holder_person, country=country, id_type=id_type,
        id_number=id_number, status=CaseStatus.REJECTED).count()


def checklist_get(*, country: str, relationship: str, marriage_abroad: bool = False,
                  union_kind: str = rules.MARRIAGE) -> dict:
    """The public checklist: papers, where it may be filed, and what it costs."""
    pack = get_pack(country)
    relationship = rules.relationship_check(relationship)
    union_kind = rules.union_kind_check(relationship, union_kind)
    abroad = rules.is_abroad_marriage(relationship, union_kind, marriage_abroad)
    items = rules.checklist(pack.code, relationship, marriage_abroad=abroad,
                            union_kind=union_kind or rules.MARRIAGE)
    return {
        "country": pack.code, "relationship": relationship, "union_kind": union_kind,
        "marriage_abroad": abroad,
        "in_person_only": rules.in_person_only(pack.code, relationship, abroad),
        "needs_inscription": rules.needs_inscription(pack.code, relationship, abroad),
        "items": [i.as_dict() for i in items],
        "legal_source": rules.policy_for(pack.code).legal_source,
    }


def surcharge_for(*, country: str, relationship: str, affiliation_type: str, on: date,
                  declared_base: Decimal | None = None) -> rules.Surcharge:
    """R-DEP-03, read from the contribution tables: the spouse surcharge rule in force for
    this affiliation type, and the amount when ``contributions`` can compute it."""
    from ventanilla.contributions import rules as contribution_rules
    from ventanilla.contributions import selectors as contributions
    from ventanilla.contributions.errors import NoBasicSalary, NoRate
    from ventanilla.contributions.models import ContributionRate

    if relationship != rules.SPOUSE:
        return rules.surcharge_none(relationship)
    pack = get_pack(country)
    main = contributions.rate_in_force(country=pack.code, affiliation_type=affiliation_type,
                                       kind=ContributionRate.Kind.CONTRIBUTION, on=on)
    if main is not None and main.covers_family:
        return rules.surcharge_family_included()
    row = contributions.rate_in_force(country=pack.code, affiliation_type=affiliation_type,
                                      kind=ContributionRate.Kind.SPOUSE_SURCHARGE, on=on)
    if row is None or row.rate is None:
        return rules.surcharge_none(relationship)
    monthly = None
    try:
        quote = contributions.contribution_quote(
            country=pack.code, year=on.year, month=on.month, affiliation_type=affiliation_type,
            declared_base=declared_base, with_spouse=True)
        monthly = quote.spouse_surcharge
    except (ValidationFailed, NoBasicSalary, NoRate):
        # The quote needs the holder's own contribution rule (a pensioner has none) or a
        # salary only the affiliate knows: with a known pension or income, the surcharge is
        # still the rate of it, rounded as the contribution tables round.
        if declared_base is not None and declared_base > 0 and row.base in (
                ContributionRate.Base.PENSION, ContributionRate.Base.SALARY,
                ContributionRate.Base.DECLARED):
            monthly = contribution_rules.percent_of(declared_base, row.rate)
    rate = row.rate
    if rate == rate.quantize(Decimal("0.01")):  # the table keeps 3 places: 3.410 -> 3.41
        rate = rate.quantize(Decimal("0.01"))
    return rules.surcharge_spouse(
        rate=rate, base=row.base, base_label=ContributionRate.Base(row.base).label,
        monthly=monthly, currency=pack.currency, legal_sources=[row.legal_source])


def request_history(request: DependantRequest) -> list[dict]:
    """The public history of the request's case."""
    from ventanilla.cases.selectors import case_history

    return case_history(request.case)
