"""``GET|POST /api/v1/whatsapp/webhook``: the Cloud API handshake and deliveries."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from ninja import Router

from ventanilla.core.api_contract import errors
from ventanilla.core.api_schema import OutputSchema
from ventanilla.whatsapp.services import message_receive

from .payload import SIGNATURE_HEADER, PayloadInvalid, parse, signature_valid

logger = logging.getLogger(__name__)

router = Router(tags=["whatsapp"])


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "fields": {}}, status=status)


class WebhookAckOut(OutputSchema):
    status: str
    processed: int


def _query(name: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}


@router.get("/webhook", summary="Webhook verification handshake (Cloud API)",
            response=errors(403), openapi_extra={
                "parameters": [_query("hub.mode"), _query("hub.verify_token"),
                               _query("hub.challenge")],
                "responses": {200: {"description": "The challenge, echoed",
                                    "content": {"text/plain": {"schema": {"type": "string"}}}}}})
def webhook_verify(request: HttpRequest):
    """Meta calls this once with ``hub.mode=subscribe``, ``hub.verify_token`` and
    ``hub.challenge``; the challenge is echoed when the token is ours."""
    mode = request.GET.get("hub.mode", "")
    token = request.GET.get("hub.verify_token", "")
    challenge = request.GET.get("hub.challenge", "")
    expected = getattr(settings, "WHATSAPP_VERIFY_TOKEN", "")
    if mode == "subscribe" and expected and constant_time_compare(token, expected):
        return HttpResponse(challenge[:200], content_type="text/plain")
    return _error(403, "WEBHOOK_VERIFY_FAILED", _("The verification token is not valid."))


@router.post("/webhook", summary="Messages received (Cloud API)",
             response={200: WebhookAckOut, **errors(400, 401, 403)}, openapi_extra={
                 "parameters": [{"name": SIGNATURE_HEADER, "in": "header", "required": False,
                                 "schema": {"type": "string"}}],
                 "requestBody": {"content": {"application/json": {"schema": {
                     "type": "object", "description": "A Cloud API webhook payload"}}}}})
def webhook_receive(request: HttpRequest):
    """Every delivery is signed with the app secret (``X-Hub-Signature-256``): anything
    unsigned or wrongly signed is refused before it is read. Answers 200 once the messages
    are recorded; replies go out through the background worker."""
    body = request.body
    header = request.headers.get(SIGNATURE_HEADER)
    if not header:
        return _error(401, "SIGNATURE_MISSING", _("The request is not signed."))
    if not signature_valid(body, header, getattr(settings, "WHATSAPP_APP_SECRET", "")):
        return _error(403, "SIGNATURE_INVALID", _("The request signature is not valid."))
    try:
        messages = parse(body)
    except PayloadInvalid:
        return _error(400, "PAYLOAD_INVALID", _("The request body is not a webhook payload."))
    processed = 0
    for inbound in messages:
        if message_receive(wa_id=inbound.wa_id, phone=inbound.phone, text=inbound.text,
                           kind=inbound.kind) is not None:
            processed += 1
    return JsonResponse({"status": "ok", "processed": processed})
