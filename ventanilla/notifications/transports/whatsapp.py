"""WhatsApp transport: text messages through the WhatsApp Business Cloud API (or any server
speaking its JSON, e.g. a local one in tests): ``POST settings.WHATSAPP_API_URL`` with a
Bearer token.

urllib from the standard library: the project has no HTTP client dependency.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

from . import NotConfigured, PermanentFailure, TransientFailure

DEFAULT_API_URL = "https://graph.facebook.com/v21.0/{phone_number_id}/messages"
TIMEOUT_SECONDS = 10


class SendFailed(TransientFailure):
    """The API could not be reached or failed; trying again later may work."""


class RecipientRefused(PermanentFailure):
    """The API refused the message itself (HTTP 400: not a WhatsApp number, a bad payload):
    sending it again gives the same answer."""


def api_url() -> str:
    template = getattr(settings, "WHATSAPP_API_URL", "") or DEFAULT_API_URL
    return template.format(phone_number_id=getattr(settings, "WHATSAPP_PHONE_NUMBER_ID", ""))


def text_payload(*, to: str, body: str) -> dict:
    return {"messaging_product": "whatsapp", "to": to, "type": "text", "text": {"body": body}}


def message_send(*, to: str, body: str, timeout: float = TIMEOUT_SECONDS) -> str:
    """Send ``body`` to the number ``to`` (digits with country code). Returns the id the API
    gave the message ("" when it gave none); raises ``NotConfigured`` without an access
    token, ``RecipientRefused`` or ``SendFailed``."""
    token = getattr(settings, "WHATSAPP_ACCESS_TOKEN", "")
    if not token:
        raise NotConfigured("WHATSAPP_ACCESS_TOKEN is not set")
    url = api_url()
    if urlsplit(url).scheme not in ("http", "https"):
        raise SendFailed("WHATSAPP_API_URL must be an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, method="POST", data=json.dumps(text_payload(to=to, body=body)).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace")
        failure = RecipientRefused if exc.code == 400 else SendFailed
        raise failure(f"HTTP {exc.code}: {detail}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise SendFailed(str(exc)) from exc
    try:
        data = json.loads(raw or b"{}")
        return str(data["messages"][0]["id"])
    except (ValueError, KeyError, IndexError, TypeError):
        return ""
