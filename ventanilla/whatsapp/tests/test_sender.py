"""The sender posts Cloud API JSON to the configured endpoint: a local HTTP server here."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ventanilla.whatsapp.models import WhatsAppMessage
from ventanilla.whatsapp.sender import NotConfigured, SendFailed, message_send

from .conftest import ANA_PHONE


class _Recorder(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.server.requests.append({"path": self.path, "headers": dict(self.headers),
                                     "json": json.loads(body)})
        status = self.server.status
        answer = (json.dumps({"messaging_product": "whatsapp",
                              "messages": [{"id": f"wamid.out{len(self.server.requests)}"}]})
                  if status == 200 else json.dumps({"error": {"message": "Invalid token"}}))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def graph_api(settings):
    """A local stand-in for graph.facebook.com that records what it receives."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.requests = []
    server.status = 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WHATSAPP_API_URL = (f"http://127.0.0.1:{server.server_address[1]}"
                                 "/v21.0/{phone_number_id}/messages")
    settings.WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
    settings.WHATSAPP_ACCESS_TOKEN = "test-access-token"
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_the_sender_posts_the_cloud_api_json(graph_api):
    provider_id = message_send(to=ANA_PHONE, body="Hola, ¿en qué le ayudo?")
    assert provider_id == "wamid.out1"
    [request] = graph_api.requests
    assert request["path"] == "/v21.0/106540352242922/messages"
    assert request["headers"]["Authorization"] == "Bearer test-access-token"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["json"] == {"messaging_product": "whatsapp", "to": ANA_PHONE,
                               "type": "text", "text": {"body": "Hola, ¿en qué le ayudo?"}}


def test_a_refusal_of_the_api_is_an_error(graph_api):
    graph_api.status = 401
    with pytest.raises(SendFailed, match="HTTP 401"):
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


@pytest.mark.django_db
def test_replies_of_the_webhook_are_sent_after_the_commit(graph_api, webhook):
    webhook(ANA_PHONE, "Hola", message_id="wamid.in1")
    bodies = [r["json"]["text"]["body"] for r in graph_api.requests]
    sent = list(WhatsAppMessage.objects.filter(direction="out").order_by("pk"))
    assert bodies == [m.body for m in sent] and len(sent) == 2
    assert [(m.status, m.wa_id) for m in sent] == [("sent", "wamid.out1"),
                                                    ("sent", "wamid.out2")]
    assert {r["json"]["to"] for r in graph_api.requests} == {ANA_PHONE}


@pytest.mark.django_db
def test_a_failed_send_is_recorded(graph_api, webhook):
    graph_api.status = 500
    webhook(ANA_PHONE, "Hola", message_id="wamid.in2")
    statuses = set(WhatsAppMessage.objects.filter(direction="out")
                   .values_list("status", "error"))
    assert {s for s, _e in statuses} == {"failed"}
    assert all(e.startswith("HTTP 500") for _s, e in statuses)


@pytest.mark.django_db
def test_a_message_is_sent_once_even_if_the_task_runs_twice(graph_api):
    from ventanilla.whatsapp.tasks import send_whatsapp_message

    message = WhatsAppMessage.objects.create(direction="out", phone=ANA_PHONE, body="x",
                                             status="queued")
    assert send_whatsapp_message.call(message_id=str(message.public_id)) == "sent"
    assert send_whatsapp_message.call(message_id=str(message.public_id)) == "skipped"
    assert len(graph_api.requests) == 1
