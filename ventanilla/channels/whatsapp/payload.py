"""Parsing and signing of Cloud API webhook payloads (the shape is ``schema.Delivery``)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import uuid
from dataclasses import dataclass

from pydantic import ValidationError

from . import schema

logger = logging.getLogger("ventanilla.channels.whatsapp")

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


def parse(body: bytes) -> list[Inbound]:
    """The messages of a webhook delivery, in order. Raises ``PayloadInvalid`` when the body
    is not a JSON object; parts of another shape inside it are logged and left out
    (``schema``), so that Meta, which retries any answer but 200 for days, is answered."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise PayloadInvalid("not JSON") from exc
    if not isinstance(data, dict):
        raise PayloadInvalid("not a webhook payload")
    try:
        delivery = schema.Delivery.model_validate(data)
    except ValidationError as exc:  # only the top level is strict: "object" not a string
        logger.warning("WhatsApp webhook: a delivery of an unexpected shape, ignored: %s",
                       exc.errors(include_url=False, include_input=False))
        return []
    out: list[Inbound] = []
    for entry in delivery.entry:
        for change in entry.changes:
            value = change.value
            names = {c.wa_id: c.profile.name for c in value.contacts}
            for error in value.errors:
                logger.warning("WhatsApp webhook: error %s %s", error.code, error.title)
            for message in value.messages:
                text = schema.message_text(message)
                if isinstance(message, schema.UnknownMessage):
                    logger.info("WhatsApp webhook: message %s of type %r answered as not "
                                "text", message.id, message.type[:40])
                out.append(Inbound(
                    wa_id=message.id, phone=message.sender,
                    kind="text" if text is not None else (message.type[:32] or "unknown"),
                    text=text or "", profile_name=names.get(message.sender, "")))
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
