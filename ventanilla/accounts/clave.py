"""The clave: the affiliate's own password (R-AFF-04).

At a counter an agent checks the identity document and issues a one-time code, handed over
in person; the person turns it into their own password. Passwords are hashed with Argon2.
Sign-in uses the ID (as ``country:id_type:id_number``, the user name) and the password,
throttled and locked by django-axes like every sign-in.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ventanilla.core.audit import audit_record
from ventanilla.core.errors import ValidationFailed
from ventanilla.core.ratelimit import limit
from ventanilla.core.text import mask_email

from . import one_time
from .authz import staff_acting
from .models import OneTimeSecret

CLAVE_TTL = timedelta(hours=24)
# Crockford's alphabet: a code read out or copied from paper survives O/0 and I/1 mix-ups.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


# The longest clave taken: enough for any passphrase or password manager, short enough that
# hashing a pasted novel cannot tie up a worker (Argon2 reads all of it).
CLAVE_MAX_LENGTH = 128


def clave_rule_text() -> str:
    """What the clave rule enforces, sentence by sentence, read from the validators that
    enforce it (``settings.AUTH_PASSWORD_VALIDATORS``) and ``CLAVE_MAX_LENGTH``: the help
    text of every clave field, so it cannot promise one length while the rule checks
    another. A validator this function does not know is described by its own help text."""
    sentences = []
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            sentences.append(ngettext(
                "Use at least %(min)d character and at most %(max)d.",
                "Use at least %(min)d characters and at most %(max)d.",
                validator.min_length) % {"min": validator.min_length, "max": CLAVE_MAX_LENGTH})
        elif isinstance(validator, password_validation.UserAttributeSimilarityValidator):
            sentences.append(str(_("It must not look like your name, ID number or e-mail "
                                   "address.")))
        elif isinstance(validator, password_validation.CommonPasswordValidator):
            sentences.append(str(_("It must not be a commonly used password.")))
        elif isinstance(validator, password_validation.NumericPasswordValidator):
            sentences.append(str(_("It must not be only digits.")))
        else:
            sentences.append(str(validator.get_help_text()))
    sentences.append(str(_("A few words you can remember work well. You may paste it from a "
                           "password manager.")))
    return " ".join(sentences)


clave_rule_text_lazy = lazy(clave_rule_text, str)


def clave_validate(person, user, password: str) -> None:
    """The clave rule (``clave_rule_text`` says it to the person): the validators see the
    person's name, ID and e-mail even before the account exists, so "not like your name"
    holds for a first clave too."""
    if len(password) > CLAVE_MAX_LENGTH:
        raise ValidationFailed(_("Use at most %(max)d characters.") % {"max": CLAVE_MAX_LENGTH},
                               field="password")
    user.first_name = person.given_names[:150]
    user.last_name = person.family_names[:150]
    user.email = person.email
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="password") from exc


def username_for(person) -> str:
    return f"{person.country}:{person.id_type}:{person.id_number}"


def clave_issue(*, person, actor) -> str:
    """An agent, having checked the identity document, issues a one-time code (24 hours,
    single use). Earlier unused codes of the person stop working."""
    staff_acting(actor, perm="people.issue_clave", country=person.country)
    if not person.registration_number:
        raise ValidationFailed(_("Only people registered with the health system get a clave."),
                               field="person")
    code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    with transaction.atomic():
        one_time.secret_store(purpose=OneTimeSecret.Purpose.CLAVE,
                              subject=str(person.public_id), secret=code, ttl=CLAVE_TTL)
        audit_record(actor=actor, action="clave.issue", obj=person,
                     subject_ref=person.subject_ref, channel="in_person")
    return f"{code[:4]}-{code[4:]}"


def clave_set(*, person, code: str, password: str):
    """The person turns the code into their own password; returns their user account.
    A clave too weak is refused before the code is used up."""
    typed = code.upper().replace("-", "").replace(" ", "").translate(
        str.maketrans("OIL", "011"))
    User = get_user_model()
    user = person.user or User(username=username_for(person), is_staff=False)
    clave_validate(person, user, password)
    one_time.secret_redeem(purpose=OneTimeSecret.Purpose.CLAVE,
                           subject=str(person.public_id), secret=typed)
    with transaction.atomic():
        _save_password(person, user, password)
    return user


def clave_set_with_code(*, country: str, id_type: str, id_number: str, code: str,
                        password: str):
    """R-AFF-04 for a person who gives their ID: the counter's code becomes their clave. An
    unknown ID answers like a wrong code; attempts are limited per client address on every
    channel (``accounts.clave_code``)."""
    from ventanilla.people.selectors import person_find

    limit("accounts.clave_code")
    person = person_find(country=country, id_type=id_type, id_number=id_number)
    if person is None:  # the same answer as a wrong code
        raise one_time.CodeInvalid(_("The code is not right. Check it and try again"),
                                   field="code")
    return clave_set(person=person, code=code, password=password)


# --- the clave created online (R-AFF-09) ----------------------------------------------------

CLAVE_LINK_TTL = timedelta(hours=1)


def limit_per_id(group: str, id_number: str) -> None:
    """At most a few tries an hour per ID number, whatever the address (R-AFF-09)."""
    from ventanilla.core.errors import RateLimited

    digits = "".join(ch for ch in id_number or "" if ch.isalnum()).upper()
    try:
        limit(group, key=digits)
    except RateLimited as exc:
        raise RateLimited(_("Too many attempts with this ID number. Try again in an hour, "
                            "or ask for your clave at a service centre."), field="id_number",
                          retry_after=exc.retry_after) from exc


class ClaveOnlineRefused(ValidationFailed):
    code = "CLAVE_ONLINE_REFUSED"
    default_message = _("We could not confirm your identity with these answers. Check them "
                        "and try again, or ask for your clave at a service centre.")


class ClaveInPersonOnly(ValidationFailed):
    code = "CLAVE_IN_PERSON_ONLY"
    default_message = _("A clave for a foreign identity document is issued only in person. "
                        "Book a visit to a service centre and take your passport or "
                        "residence card.")


def clave_online_request(*, country: str, id_type: str, id_number: str, date_of_birth,
                         province_code: str, phone_last_digits: str) -> str:
    """R-AFF-09: a national ID holder proves who they are (date of birth and two questions
    only they can answer: their province and the end of their mobile number); a link to set
    the clave goes to the e-mail on file. Returns the masked address. Every mismatch gives
    the same answer. Attempts are limited per client address and per ID number
    (``accounts.clave_online``, ``accounts.clave_online.id``)."""
    from ventanilla.countries.base import IdInvalid
    from ventanilla.countries.registry import get_pack
    from ventanilla.people.selectors import person_find

    from . import tasks

    limit("accounts.clave_online")
    limit_per_id("accounts.clave_online.id", id_number)
    pack = get_pack(country)
    try:
        id_kind = pack.id_type(id_type)
        number = pack.validate_id(id_type, id_number)
    except IdInvalid as exc:
        if exc.fields.get("id_type"):
            raise
        raise ValidationFailed(exc.message, field="id_number") from exc
    if not id_kind.national:
        raise ClaveInPersonOnly(field="id_type")
    person = person_find(country=pack.code, id_type=id_type, id_number=number)
    digits = "".join(ch for ch in (phone_last_digits or "") if ch.isdigit())
    matches = (person is not None and person.registration_number is not None
               and person.date_of_birth == date_of_birth and len(digits) == 4
               and bool(person.mobile_phone) and person.mobile_phone.endswith(digits)
               and bool(province_code)
               and pack.geography.top_level_of(person.subdivision_code) == province_code
               and bool(person.email))
    if not matches or person is None:
        raise ClaveOnlineRefused()
    with transaction.atomic():
        token = one_time.token_issue(purpose=OneTimeSecret.Purpose.CLAVE_LINK,
                                     subject=str(person.public_id), email=person.email,
                                     ttl=CLAVE_LINK_TTL)
        tasks.clave_link.queue(to=person.email, language=person.language, token=token)
    return mask_email(person.email)


def clave_link_check(token: str):
    """The person the still-valid link belongs to (without using it up), or None."""
    from ventanilla.people.models import Person

    row = one_time.token_peek(purpose=OneTimeSecret.Purpose.CLAVE_LINK, token=token)
    return Person.objects.filter(public_id=row.subject).first() if row else None


def clave_set_by_link(*, token: str, password: str):
    """Set the clave from the e-mailed link (single use, 1 hour)."""
    person = clave_link_check(token)
    if person is None:
        raise one_time.CodeInvalid(_("This link has expired or was already used. Ask for a "
                                     "new link"), field="token")
    User = get_user_model()
    user = person.user or User(username=username_for(person), is_staff=False)
    clave_validate(person, user, password)
    with transaction.atomic():
        one_time.token_redeem(purpose=OneTimeSecret.Purpose.CLAVE_LINK, token=token)
        _save_password(person, user, password)
    return user


def _save_password(person, user, password: str) -> None:
    user.set_password(password)
    user.first_name = person.given_names[:150]
    user.last_name = person.family_names[:150]
    user.email = person.email
    user.save()
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    # a new clave lifts a lock of failed sign-ins (the self-service way out of it)
    from .throttle import signin_forget

    signin_forget(user.get_username())
