"""Fixtures shared by every test: a real local SMTP server, staff of each role, a third,
fictitious country pack, and helpers to drive an application through the services."""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# A one-page PDF: uploads are parsed and rewritten (registration.pdf_clean), so it must be one
# a reader can open (the missing cross-reference table is rebuilt, as every reader does).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 120]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def png_bytes() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: rate-limit counters (keyed by the test
    client's one address) and sign-in state must not leak from the tests that ran before
    in the same process, whatever order xdist gives them."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Unit tests read messages in English; requests still pick their language themselves
    (Spanish by default), and tests of Spanish text ask for it explicitly."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def pdf_bytes() -> bytes:
    return PDF


# --- a real SMTP server ----------------------------------------------------------------------

class _Inbox:
    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(msg)
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                return self.messages
            time.sleep(0.05)
        return self.messages


class SmtpServer:
    """A real SMTP server (aiosmtpd) on a fixed loopback port that can be stopped and
    started again, as a mail server that goes down and comes back."""

    def __init__(self, inbox: _Inbox):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.inbox = inbox
        self._controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        if self._controller is None:
            self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
            self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def mailers(self, timeout: float = 5):
        return {"default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": self.port, "use_tls": False,
                        "timeout": timeout}}}


@pytest.fixture
def smtp(settings):
    """``SmtpServer`` running, with Django's mailer pointed at it (``smtp.stop()`` /
    ``smtp.start()``; received messages in ``smtp.inbox``)."""
    server = SmtpServer(_Inbox())
    server.start()
    settings.MAILERS = server.mailers()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_server(smtp):
    """A real SMTP server on loopback; settings point Django's SMTP backend at it."""
    return smtp.inbox


# --- a stand-in for the WhatsApp Cloud API ---------------------------------------------------

class _GraphApi(BaseHTTPRequestHandler):
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
    """A local stand-in for graph.facebook.com that records what it receives; set
    ``graph_api.status`` to make it refuse."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GraphApi)
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


# --- people ---------------------------------------------------------------------------------

@pytest.fixture
def roles(db):
    from ventanilla.accounts.services import roles_sync

    roles_sync()


def _staff(username, role, country=""):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    return staff_create(username=username, password="Staff-password-123", role=Role(role),
                        country=country)


@pytest.fixture
def reviewer(db):
    return _staff("rev", "reviewer")


@pytest.fixture
def agent(db):
    return _staff("agent", "agent", "EC")


@pytest.fixture
def administrator(db):
    return _staff("boss", "administrator")


@pytest.fixture
def make_affiliate(db):
    """A registered person with an open affiliation and (by default) a clave already set.

    ``make_affiliate(id_number="1710034065", affiliation_type="voluntary")``; the person's
    password is ``una clave larga 2026``. Dependants: pass ``holder=<Affiliation>`` and
    ``relationship="child"|"spouse"``.
    """
    import itertools

    from django.contrib.auth import get_user_model

    from ventanilla.affiliation.models import Affiliation
    from ventanilla.people.models import Person

    seq = itertools.count(1)

    def make(*, country="EC", id_type="cedula", id_number="1710034065", given_names="Ana",
             family_names="Paz Vera", date_of_birth=date(1980, 1, 1), nationality=None,
             email="ana@example.com", mobile_phone="+593991234567",
             affiliation_type="employee", starts_on=date(2020, 1, 1), ends_on=None,
             holder=None, relationship="", with_clave=True, residency_document=""):
        n = next(seq)
        person = Person.objects.create(
            country=country, id_type=id_type, id_number=id_number, given_names=given_names,
            family_names=family_names, date_of_birth=date_of_birth,
            nationality=nationality or country, email=email, mobile_phone=mobile_phone,
            residency_document=residency_document,
            registration_number=f"{country}-TEST-{id_number}", verification_code=f"v{n}{id_number}")
        if affiliation_type:
            Affiliation.objects.create(
                person=person, country=country, number=f"{country}{n:06d}{id_number[-4:]}",
                affiliation_type=affiliation_type, starts_on=starts_on, ends_on=ends_on,
                holder=holder, relationship=relationship)
        if with_clave:
            user = get_user_model().objects.create_user(
                username=f"{country}:{id_type}:{id_number}", password="una clave larga 2026",
                first_name=given_names, last_name=family_names, email=email)
            person.user = user
            person.save(update_fields=["user"])
        return person

    return make


# --- a fictitious third country -------------------------------------------------------------

@pytest.fixture
def zembla(tmp_path):
    """Registers the pack of a country that does not exist and removes it afterwards."""
    from ventanilla.countries.registry import register_pack, unregister_pack
    from ventanilla.countries.tests.zembla import ZemblaPack

    pack = ZemblaPack()
    register_pack(pack)
    yield pack
    unregister_pack(pack.code)


# --- applications ---------------------------------------------------------------------------

VALID_EC = {
    "given_names": "María José", "family_names": "Guamán Quishpe",
    "date_of_birth": date(1988, 4, 12), "nationality": "EC", "id_type": "cedula",
    "id_number": "1710034065", "mobile_phone": "0991234567", "subdivision_code": "170150",
    "street": "Av. Amazonas N24-03", "has_previous_health_card": False,
    "documents_in_other_language": False, "affiliation_type": "voluntary",
}
VALID_PE = {
    "given_names": "Rosa Elvira", "family_names": "Quispe Mamani",
    "date_of_birth": date(1990, 7, 28), "nationality": "PE", "id_type": "dni",
    "id_number": "10117410", "mobile_phone": "912345678", "subdivision_code": "150113",
    "street": "Av. Brasil 1234", "employed_locally": False,
    "documents_in_other_language": False, "affiliation_type": "sis_para_todos",
}


@pytest.fixture
def make_application(db):
    """Drive an application to a given state through the services, as a person would."""
    from ventanilla.core.channels import Channel
    from ventanilla.registration import selectors, services

    def make(country="EC", *, answers=None, state="draft", email="ana@example.com",
             language="es"):
        answers = dict(answers or (VALID_EC if country == "EC" else VALID_PE))
        app = services.application_start(country=country, channel=Channel.WEB, email=email,
                                          language=language)
        services.application_update(application=app, answers={"email": email, **answers})
        if state == "started":
            return app
        from ventanilla.accounts import one_time
        from ventanilla.accounts.models import OneTimeSecret

        # the person types the code they received: issue a known one for the test
        code = one_time.code_issue(purpose=OneTimeSecret.Purpose.EMAIL_CODE,
                                   subject=str(app.public_id), email=email,
                                   ttl=__import__("datetime").timedelta(minutes=5))
        services.application_confirm_email(application=app, code=code)
        if state == "draft":
            return app
        for item in selectors.application_checklist(app):
            if item.kind.required and not item.kind.provided_by_form:
                services.document_upload(application=app, kind=item.kind.code, data=PDF,
                                         filename=f"{item.kind.code}.pdf")
        if state == "complete":
            return app
        services.application_submit(application=app, declaration=True)
        app.refresh_from_db()
        return app

    return make


# --- tests that must run alone --------------------------------------------------------------
# The fault run (tests/chaos) kills workers and database connections of its own stack and
# classifies each failed request by the moment it was in flight; other tests sharing the two
# cores would stretch those moments. Under xdist the workers leave the tests marked "alone"
# out, and the controller runs them after everything else, by themselves, in one process.

def _xdist_controller(config) -> bool:
    return bool(getattr(config.option, "numprocesses", None)) and not hasattr(
        config, "workerinput")


def pytest_collection_modifyitems(config, items):
    if not hasattr(config, "workerinput"):
        return
    alone = [item for item in items if item.get_closest_marker("alone")]
    if alone:
        config.hook.pytest_deselected(items=alone)
        items[:] = [item for item in items if not item.get_closest_marker("alone")]


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if not _xdist_controller(config) or session.shouldstop or exitstatus not in (0, 5):
        return
    import subprocess
    import sys

    args, skip = [], False
    for arg in config.invocation_params.args:   # the same selection, without xdist's options
        if skip:
            skip = False
        elif arg in ("-n", "--numprocesses", "--maxprocesses", "--dist"):
            skip = True
        elif not arg.startswith(("--numprocesses=", "--maxprocesses=", "--dist=", "-n")):
            args.append(arg)
    command = [sys.executable, "-m", "pytest", *args, "-p", "no:xdist", "-m", "alone",
               "-o", "addopts=-ra --strict-markers"]
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter:
        reporter.write_sep("=", "tests that run alone: " + " ".join(command[3:]))
    result = subprocess.run(command, cwd=config.invocation_params.dir, check=False)  # noqa: S603
    if result.returncode not in (0, 5):   # 5: nothing selected (none of them was asked for)
        session.exitstatus = result.returncode
