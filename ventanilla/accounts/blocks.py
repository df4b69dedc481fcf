"""Blocked web accounts (R-APT-05): blocked by a rule or by staff, unblocked by staff with a
recorded reason."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.core.audit import audit_record
from ventanilla.core.errors import Conflict, PermissionDenied, ValidationFailed
from ventanilla.core.text import clean_text
from ventanilla.countries.help import numbers_text

from .authz import is_staff, staff_acting
from .models import AccountBlock


class AccountBlocked(PermissionDenied):
    code = "ACCOUNT_BLOCKED"
    default_message = _("Your web account is blocked. Go to a service centre with your "
                        "identity document to have it unblocked.")


def account_block_active(person) -> AccountBlock | None:
    if person is None or person.pk is None:
        return None
    return AccountBlock.objects.filter(person=person, unblocked_at=None).first()


def account_block_cause(person_ref):
    """The cause of the active block of a person, as a subquery: ``person_ref`` is an
    ``OuterRef`` to the person's id, so a query that reads people anyway (the booking's row
    lock, the API token's user) learns about the block without another round trip."""
    from django.db.models import Subquery

    return Subquery(AccountBlock.objects.filter(person=person_ref, unblocked_at=None)
                    .values("cause")[:1])


def account_blocked_error(cause: str, *, country: str = "") -> AccountBlocked:
    """The refusal for a person whose web account is blocked for ``cause``; it names the
    appointment lines of ``country`` (R-HLP-01; every served country's when unknown)."""
    label = AccountBlock.Cause(cause).label if cause in AccountBlock.Cause.values else cause
    return AccountBlocked(_("Your web account is blocked (%(cause)s). Go to a service "
                            "centre with your identity document to have it unblocked. You "
                            "can still book by phone: %(numbers)s.")
                          % {"cause": label, "numbers": numbers_text(country)})


def account_check_not_blocked(person) -> None:
    block = account_block_active(person)
    if block is not None:
        raise account_blocked_error(block.cause, country=person.country)


def account_block(*, person, cause: str, detail: str = "", actor=None) -> AccountBlock:
    """Block the person's web account; blocking an already blocked account keeps the first
    block. Staff blocks need the unblock permission and a reason."""
    if cause not in AccountBlock.Cause.values:
        raise ValidationFailed(_("Choose a cause"), field="cause")
    if cause == AccountBlock.Cause.STAFF:
        staff_acting(actor, perm="accounts.unblock_account", country=person.country)
    text = clean_text(detail, max_length=300)
    if cause == AccountBlock.Cause.STAFF and not text:
        raise ValidationFailed(_("Enter the reason"), field="detail")
    existing = account_block_active(person)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            block = AccountBlock.objects.create(person=person, cause=cause, detail=text,
                                                blocked_by=actor if is_staff(actor) else None)
            audit_record(actor=actor, action="account.block", obj=person,
                         subject_ref=person.subject_ref,
                         details={"cause": cause, "detail": text})
    except IntegrityError:  # blocked at the same moment by another request
        return AccountBlock.objects.get(person=person, unblocked_at=None)
    return block


def account_unblock(*, person, reason: str, actor) -> AccountBlock:
    """Staff unblock a person's web account; the reason is required and recorded."""
    staff_acting(actor, perm="accounts.unblock_account", country=person.country)
    text = clean_text(reason, max_length=300)
    if not text:
        raise ValidationFailed(_("Enter the reason for unblocking"), field="reason")
    with transaction.atomic():
        block = (AccountBlock.objects.select_for_update()
                 .filter(person=person, unblocked_at=None).first())
        if block is None:
            raise Conflict(_("This account is not blocked."), field="person")
        block.unblocked_at = timezone.now()
        block.unblocked_by = actor
        block.unblock_reason = text
        block.save(update_fields=["unblocked_at", "unblocked_by", "unblock_reason"])
        audit_record(actor=actor, action="account.unblock", obj=person,
                     subject_ref=person.subject_ref, details={"reason": text})
    return block
