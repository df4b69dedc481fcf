"""Failed sign-ins counted per user name across every address (R-AFF-04, issue 11).

django-axes locks a (name, address) pair after a few failures; on its own it let 30
addresses make 5 guesses each at one ID. Here the failures of one name from anywhere add
up, in the database (shared by every process and channel):

- from the ``SIGNIN_DELAY_AFTER``-th failure, each further try must wait a delay that
  doubles (30 s, 1 min, 2 min, …); a try during the delay is refused without looking at the
  clave and does not count;
- at ``SIGNIN_LOCK_AFTER`` failures the name is locked for ``SIGNIN_LOCK_HOURS``; its owner
  gets one e-mail saying so and how to unlock it at once (a new clave online, R-AFF-09, or
  at a service centre), and setting a new clave lifts the lock;
- a successful sign-in forgets the failures.

``ThrottleBackend`` is the first authentication backend, so staff sign-in, the portal and
the API all pass through it; failures are counted from Django's ``user_login_failed``.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ventanilla.core.dates import day_time_text
from ventanilla.core.errors import RateLimited

from .models import SignInThrottle


class SignInLocked(RateLimited):
    code = "SIGN_IN_LOCKED"
    default_message = _("Too many failed attempts with this ID number. Wait 30 minutes and "
                        "try again, or reset your clave.")


def _wait_text(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def delay_for(failures: int) -> timedelta:
    """How long the next try must wait after ``failures`` failures (pure)."""
    over = failures - settings.SIGNIN_DELAY_AFTER
    if over < 0:
        return timedelta(0)
    return timedelta(seconds=settings.SIGNIN_DELAY_FIRST_SECONDS * 2 ** min(over, 20))


def signin_refusal(username: str, *, now: datetime | None = None) -> SignInLocked | None:
    """Why ``username`` may not try now (a lock, or a delay not yet over), or None."""
    now = now or timezone.now()
    row = SignInThrottle.objects.filter(username=username).first()
    if row is None:
        return None
    staff = ":" not in username  # affiliates sign in as country:id type:number
    field = "username" if staff else "id_number"
    if row.locked_until and row.locked_until > now:
        when = day_time_text(timezone.localtime(row.locked_until))
        retry = max(1, math.ceil((row.locked_until - now).total_seconds()))
        if staff:
            return SignInLocked(_(
                "This username is locked after too many failed attempts, until %(when)s. "
                "We have sent an e-mail to its address. An administrator can unlock it "
                "sooner.") % {"when": when}, field=field, retry_after=retry)
        return SignInLocked(_(
            "This ID number is locked after too many failed attempts. We have sent an "
            "e-mail to the address on file. To unlock it now, create a new clave online "
            "or ask for one at a service centre; otherwise it unlocks on %(when)s.") % {
                "when": when}, field=field, retry_after=retry)
    if row.window_started_at < now - timedelta(hours=settings.SIGNIN_WINDOW_HOURS):
        return None
    ready = row.last_failure_at + delay_for(row.failures)
    if ready > now:
        wait = max(1, math.ceil((ready - now).total_seconds()))
        if staff:
            return SignInLocked(_(
                "Too many failed attempts with this username. Wait %(wait)s and try "
                "again.") % {"wait": _wait_text(wait)}, field=field, retry_after=wait)
        return SignInLocked(_(
            "Too many failed attempts with this ID number. Wait %(wait)s and try again, or "
            "create a new clave if you do not remember it.") % {"wait": _wait_text(wait)},
            field=field, retry_after=wait)
    return None


def signin_failed(username: str, *, now: datetime | None = None) -> SignInThrottle:
    """Count one failure of ``username`` (from any address); lock it at the limit."""
    now = now or timezone.now()
    window = timedelta(hours=settings.SIGNIN_WINDOW_HOURS)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = SignInThrottle.objects.create(username=username, failures=1,
                                                    window_started_at=now,
                                                    last_failure_at=now)
            # names whose failures are long past and whose lock (if any) is over are
            # forgotten: the table holds only names that are counting or locked
            SignInThrottle.objects.filter(
                Q(locked_until__isnull=True) | Q(locked_until__lte=now),
                last_failure_at__lt=now - window).delete()
        except IntegrityError:
            row = SignInThrottle.objects.select_for_update().get(username=username)
            if row.window_started_at < now - window and not (
                    row.locked_until and row.locked_until > now):
                row.failures, row.window_started_at, row.locked_until = 0, now, None
                row.notified_at = None
            row.failures = F("failures") + 1
            row.last_failure_at = now
            row.save()
            row.refresh_from_db()
        if row.failures >= settings.SIGNIN_LOCK_AFTER and not (
                row.locked_until and row.locked_until > now):
            row.locked_until = now + timedelta(hours=settings.SIGNIN_LOCK_HOURS)
            row.save(update_fields=["locked_until"])
        if row.locked_until and row.locked_until > now and row.notified_at is None:
            row.notified_at = now
            row.save(update_fields=["notified_at"])
            _notify_locked(username, until=row.locked_until)
    return row


def signin_forget(username: str) -> None:
    """A successful sign-in, or a new clave: the failures (and any lock) are forgotten."""
    SignInThrottle.objects.filter(username=username).delete()


def _notify_locked(username: str, *, until: datetime) -> None:
    """One e-mail to the owner of the name, if the name is an account with an address."""
    from django.contrib.auth import get_user_model

    from . import tasks

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        return
    person = getattr(user, "person", None)
    email = (person.email if person is not None else "") or user.email
    if not email:
        return
    language = person.language if person is not None else user.language
    tasks.signin_locked.queue(to=email, language=language, key=None,
                              until=until.isoformat(), staff=person is None)


class ThrottleBackend:
    """The first authentication backend: a name that must wait, or is locked, is refused
    before any other backend looks at the password (``request.signin_refusal`` says why)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            return None
        refusal = signin_refusal(username)
        if refusal is not None:
            if request is not None:
                request.signin_refusal = refusal
            raise PermissionDenied(str(refusal.message))
        return None


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """``user_login_failed``: count it, unless it was refused without a try (a delay, a
    lock, or django-axes' own lock-out of this address)."""
    username = credentials.get("username")
    if not username or (request is not None and (
            getattr(request, "signin_refusal", None) is not None
            or getattr(request, "axes_locked_out", False))):
        return
    signin_failed(username)


def on_logged_in(sender, request, user, **kwargs) -> None:
    signin_forget(user.get_username())
