"""Parsing and signing of Cloud API webhook payloads.

Shape (messages only; delivery statuses are ignored)::

    {"object": "whatsapp_business_account",
     "entry": [{"id": "...", "changes": [{"field": "messages", "value": {
         "messaging_product": "whatsapp",
         "metadata": {"display_phone_number": "...", "phone_number_id": "..."},
         "contacts": [{"profile": {"name": "Ana"}, "wa_id": "593991234567"}],
         "messages": [{"from": "593991234567", "id": "wamid.X", "timestamp": "1700000000",
                       "type": "text", "text": {"body": "Hola"}}]}}]}]}
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass

SIGNATURE_HEADER = "X-Hub-Signature-256"
SIGNATURE_PREFIX = "sha256="


class PayloadInvalid(ValueError):
    pass


@dataclass(frozen=True)
class Inbound:
    wa_id: str
    phone: str          # digits, country code first, no "+"
    kind: str           # "text", "image", "audio", ...
    text: str
    profile_name: str


def signature(body: bytes, secret: str) -> str:
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(body: bytes, header: str | None, secret: str) -> bool:
    """Constant-time check of ``X-Hub-Signature-256``; an empty secret accepts nothing."""
    if not secret or not header or not header.startswith(SIGNATURE_PREFIX):
        return False
    return hmac.compare_digest(signature(body, secret).encode(), header.strip().encode())


def _text(message: dict) -> str:
    kind = message.get("type")
    if kind == "text":
        return str((message.get("text") or {}).get("body") or "")
    if kind == "button":  # a quick-reply button of a template message
        return str((message.get("button") or {}).get("text") or "")
    if kind == "interactive":
        reply = message.get("interactive") or {}
        chosen = reply.get("button_reply") or reply.get("list_reply") or {}
        return str(chosen.get("title") or "")
    return ""


def parse(body: bytes) -> list[Inbound]:
    """The messages of a webhook delivery, in order. Raises ``PayloadInvalid``."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadInvalid("not JSON") from exc
    if not isinstance(data, dict) or not isinstance(data.get("entry", []), list):
        raise PayloadInvalid("not a webhook payload")
    out: list[Inbound] = []
    for entry in data.get("entry") or []:
        if not isinstance(entry, dict):
            raise PayloadInvalid("entry")
        for change in entry.get("changes") or []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            names = {}
            for contact in value.get("contacts") or []:
                if isinstance(contact, dict):
                    names[str(contact.get("wa_id", ""))] = str(
                        (contact.get("profile") or {}).get("name") or "")
            for message in value.get("messages") or []:
                if not isinstance(message, dict) or not message.get("id") \
                        or not message.get("from"):
                    continue
                sender = str(message["from"])
                kind = str(message.get("type") or "")
                text = _text(message)
                out.append(Inbound(wa_id=str(message["id"]), phone=sender,
                                   kind="text" if text else kind, text=text,
                                   profile_name=names.get(sender, "")))
    return out


def build(*, phone: str, text: str, name: str = "", message_id: str | None = None,
          phone_number_id: str = "000000000000000") -> dict:
    """A delivery of one text message, as the Cloud API sends it (the demo simulator and
    tests use it)."""
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "0", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "593000000000",
                         "phone_number_id": phone_number_id},
            "contacts": [{"profile": {"name": name}, "wa_id": phone}],
            "messages": [{"from": phone,
                          "id": message_id or f"wamid.{uuid.uuid4().hex}",
                          "timestamp": str(int(time.time())), "type": "text",
                          "text": {"body": text}}],
        }}]}],
    }
