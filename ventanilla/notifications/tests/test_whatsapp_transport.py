"""The WhatsApp transport posts Cloud API JSON to the configured endpoint: a local HTTP
server here (fixture ``graph_api``)."""

from __future__ import annotations

import pytest

from ventanilla.notifications.transports import NotConfigured
from ventanilla.notifications.transports.whatsapp import (
    RecipientRefused,
    SendFailed,
    message_send,
)

ANA_PHONE = "593991234567"


def test_the_sender_posts_the_cloud_api_json(graph_api):
    provider_id = message_send(to=ANA_PHONE, body="Hola, ¿en qué le ayudo?")
    assert provider_id == "wamid.out1"
    [request] = graph_api.requests
    assert request["path"] == "/v21.0/106540352242922/messages"
    assert request["headers"]["Authorization"] == "Bearer test-access-token"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["json"] == {"messaging_product": "whatsapp", "to": ANA_PHONE,
                               "type": "text", "text": {"body": "Hola, ¿en qué le ayudo?"}}


def test_a_refusal_of_the_api_is_an_error_worth_retrying(graph_api):
    graph_api.status = 401  # a token being renewed: trying later may work
    with pytest.raises(SendFailed, match="HTTP 401"):
        message_send(to=ANA_PHONE, body="x")


def test_a_refusal_of_the_message_itself_is_permanent(graph_api):
    graph_api.status = 400  # not a WhatsApp number, a bad payload: the same answer again
    with pytest.raises(RecipientRefused, match="HTTP 400"):
        message_send(to=ANA_PHONE, body="x")


def test_no_access_token_sends_nothing(settings):
    settings.WHATSAPP_ACCESS_TOKEN = ""
    with pytest.raises(NotConfigured):
        message_send(to=ANA_PHONE, body="x")


def test_an_unreachable_api_is_an_error(settings):
    settings.WHATSAPP_ACCESS_TOKEN = "t"
    settings.WHATSAPP_API_URL = "http://127.0.0.1:9/{phone_number_id}"
    with pytest.raises(SendFailed):
        message_send(to=ANA_PHONE, body="x", timeout=2)
