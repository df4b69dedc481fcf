from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts.authz import staff_acting
from ventanilla.core.audit import audit_record
from ventanilla.core.counters import counter_next
from ventanilla.countries.registry import get_pack

from . import rules, selectors
from .errors import AffiliationRefused, AlreadyAffiliated
from .models import Affiliation


def affiliation_open(*, person, affiliation_type: str, starts_on: date, actor,
                     holder: Affiliation | None = None, relationship: str = "") -> Affiliation:
    """Affiliate a registered person (R-AFF-01); dependants hang from a holder (R-DEP-01)."""
    staff_acting(actor, perm="affiliation.add_affiliation", country=person.country)
    return _open(person=person, affiliation_type=affiliation_type, starts_on=starts_on,
                 actor=actor, holder=holder, relationship=relationship)


def affiliation_open_on_registration(*, person, affiliation_type: str, starts_on: date,
                                     actor) -> Affiliation:
    """An approved registration becomes an affiliate of the type the applicant chose.
    Called inside ``registration.services.application_approve``, whose reviewer permission
    covers it."""
    return _open(person=person, affiliation_type=affiliation_type, starts_on=starts_on,
                 actor=actor)


def _open(*, person, affiliation_type: str, starts_on: date, actor,
          holder: Affiliation | None = None, relationship: str = "") -> Affiliation:
    pack = get_pack(person.country)
    kind = pack.affiliation_type(affiliation_type)
    if kind is None:
        raise AffiliationRefused(_("Choose an affiliation type of this country"),
                                 field="affiliation_type")
    if not person.registration_number:
        raise AffiliationRefused(_("Only people registered with the health system can be "
                                   "affiliated."), field="person")
    if kind.is_dependant:
        if holder is None or relationship not in Affiliation.Relationship.values:
            raise AffiliationRefused(_("A dependant needs the affiliate they depend on and "
                                       "the relationship."), field="holder")
        if holder.person_id == person.pk:
            raise AffiliationRefused(_("A person cannot depend on themself."), field="holder")
        if not selectors.coverage_for(holder.person, on=starts_on,
                                      country=holder.country).covered:
            raise AffiliationRefused(_("The affiliate is not covered on that date."),
                                     field="holder")
        if relationship == Affiliation.Relationship.CHILD and starts_on >= rules.birthday(
                person.date_of_birth, rules.ADULT_AGE):
            raise AffiliationRefused(_("Children can be covered as dependants only until "
                                       "their 18th birthday."), field="person")
    elif holder is not None or relationship:
        raise AffiliationRefused(_("Only dependants have a holder."), field="holder")
    try:
        with transaction.atomic():
            number = pack.affiliation_number(
                person.id_type, person.id_number,
                lambda: counter_next(f"affiliation:{pack.code}"))
            affiliation = Affiliation.objects.create(
                person=person, country=pack.code, number=number,
                affiliation_type=affiliation_type, starts_on=starts_on, holder=holder,
                relationship=relationship, opened_by=actor)
            audit_record(actor=actor, action="affiliation.open", obj=affiliation,
                         subject_ref=person.subject_ref,
                         details={"type": affiliation_type, "starts_on": str(starts_on)})
    except IntegrityError as exc:
        raise AlreadyAffiliated(field="person") from exc
    return affiliation


def affiliation_end(*, affiliation: Affiliation, ends_on: date, reason: str, actor
                    ) -> Affiliation:
    staff_acting(actor, perm="affiliation.change_affiliation", country=affiliation.country)
    if ends_on < affiliation.starts_on:
        raise AffiliationRefused(_("The end date must be on or after the start date."),
                                 field="ends_on")
    if not reason.strip():
        raise AffiliationRefused(_("Enter the reason"), field="reason")
    affiliation.ends_on = ends_on
    affiliation.end_reason = reason.strip()[:200]
    affiliation.save(update_fields=["ends_on", "end_reason", "updated_at"])
    audit_record(actor=actor, action="affiliation.end", obj=affiliation,
                 subject_ref=affiliation.person.subject_ref,
                 details={"ends_on": str(ends_on), "reason": affiliation.end_reason})
    return affiliation


def plan_status_public(*, country: str, id_type: str, id_number: str, on: date):
    """R-AFF-08 for anyone: ``selectors.plan_status_lookup`` behind the limit of lookups per
    client address that every channel shares (``affiliation.plan_status``)."""
    from ventanilla.core.ratelimit import limit

    from .selectors import plan_status_lookup

    limit("affiliation.plan_status")
    return plan_status_lookup(country=country, id_type=id_type, id_number=id_number, on=on)
