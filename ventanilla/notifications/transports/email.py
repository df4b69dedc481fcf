"""E-mail transport: Django's configured mailer (SMTP in production and in tests).

Each message carries a Message-ID made from its outbox id, the same on every attempt, so
that in the rare case a message is sent twice (the worker died after the server accepted it
and before the outbox recorded it) mail clients can tell it is the same one.
"""

from __future__ import annotations

import contextlib
import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend

from . import PermanentFailure, TransientFailure


def message_id_for(public_id: str) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "ventanilla"
    return f"<{public_id}@{domain}>"


def _permanent(exc: smtplib.SMTPException) -> bool:
    """A 5xx answer about this message or its recipient: sending again gives the same."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return False


class Connection:
    """One mailer connection for a batch of messages, opened on first use."""

    def __init__(self) -> None:
        self._backend: BaseEmailBackend | None = None

    def send(self, *, public_id: str, to: str, subject: str, body: str,
             attachments: list[tuple[str, bytes, str]]) -> str:
        """Send one e-mail; returns its Message-ID. Raises ``PermanentFailure`` or
        ``TransientFailure``."""
        message_id = message_id_for(public_id)
        message = EmailMessage(subject=subject, body=body, to=[to],
                               from_email=settings.DEFAULT_FROM_EMAIL,
                               headers={"Message-ID": message_id})
        for name, content, mimetype in attachments:
            message.attach(name, content, mimetype)
        try:
            backend = self._backend
            if backend is None:
                backend = self._backend = mailers.default
                backend.open()
            sent = backend.send_messages([message])
        except smtplib.SMTPException as exc:
            self.close()
            failure = PermanentFailure if _permanent(exc) else TransientFailure
            raise failure(f"{type(exc).__name__}: {exc}") from exc
        except OSError as exc:  # refused, unreachable, timed out
            self.close()
            raise TransientFailure(f"{type(exc).__name__}: {exc}") from exc
        except ValueError as exc:  # an address or header that no server would take
            raise PermanentFailure(f"{type(exc).__name__}: {exc}") from exc
        if not sent:
            raise TransientFailure("the mailer sent nothing")
        return message_id

    def close(self) -> None:
        backend, self._backend = self._backend, None
        if backend is not None:
            with contextlib.suppress(Exception):  # a broken connection is dropped anyway
                backend.close()
