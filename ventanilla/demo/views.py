"""The demo mailbox: lets a newcomer read the e-mails the service "sent" (local settings write
them to files). Off unless settings.DEMO_MAILBOX; production settings turn it off."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.shortcuts import render


def _mail_dir() -> Path | None:
    mailers: dict = settings.MAILERS
    options = mailers.get("default", {}).get("OPTIONS", {})
    path = options.get("file_path")
    return Path(path) if path else None


def mailbox(request):
    if not getattr(settings, "DEMO_MAILBOX", False):
        raise Http404
    folder = _mail_dir()
    messages = []
    if folder and folder.is_dir():
        files = sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
        for path in files[:10]:
            raw = path.read_bytes()
            # the file backend writes one or more messages separated by a line of dashes
            for chunk in raw.split(b"\n" + b"-" * 79 + b"\n"):
                if not chunk.strip():
                    continue
                msg = email.message_from_bytes(chunk, policy=policy.default)
                body = msg.get_body(("plain",))
                messages.append({"to": msg["To"], "subject": msg["Subject"],
                                 "date": msg["Date"],
                                 "body": body.get_content() if body else ""})
    return render(request, "demo/mailbox.html", {"messages": messages[:20]})
