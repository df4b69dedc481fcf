"""Hostile files through both channels that upload documents: the web page and the API.
Each is refused with a 422 naming the file field, and nothing is saved: no row, no file."""

from __future__ import annotations

import io

import pikepdf
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ventanilla.registration import pdf_clean, services
from ventanilla.registration.models import ApplicationDocument

from . import hostile
from .test_uploads import DAMAGED, NOT_CHECKED, NOT_REMOVABLE, TOO_MANY_PIXELS

pytestmark = pytest.mark.django_db

HOSTILE = {
    "png-20000x20000": (lambda: hostile.huge_png(20_000, 20_000), TOO_MANY_PIXELS),
    "png-12000x12000": (lambda: hostile.huge_png(12_000, 12_000), TOO_MANY_PIXELS),
    "png-just-over-the-cap": (lambda: hostile.huge_png(8_000, 8_001), TOO_MANY_PIXELS),
    "truncated-jpeg": (lambda: hostile.image("JPEG", (800, 600))[:4000], DAMAGED),
    "html-polyglot-pdf": (hostile.html_polyglot, NOT_REMOVABLE),
    "html-before-the-pdf-header": (hostile.html_before_header,
                                   "The selected file must be a JPG, PNG, HEIC or PDF"),
    "script-in-an-unknown-slot": (hostile.javascript_in_an_unknown_slot, NOT_REMOVABLE),
    "password-pdf": (hostile.encrypted_pdf, "The selected PDF is protected with a password. "
                                            "Save it without the password and upload it"),
    "broken-pdf": (hostile.broken_pdf, DAMAGED),
    "memory-bomb-pdf": (lambda: hostile.object_stream_bomb(128 << 20), NOT_CHECKED),
}


@pytest.fixture
def draft(make_application, settings):
    settings.UPLOAD_PDF_MAX_MEMORY = 96 << 20  # the memory bomb needs 128 MB
    return make_application("EC", state="draft")


def _web(app) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    session = client.session
    session["application_id"] = str(app.public_id)
    session.save()
    return client


def _web_upload(app, data: bytes, name: str = "documento.pdf"):
    return _web(app).post("/solicitud/documentos/identity/",
                          {"file": SimpleUploadedFile(name, data)})


def _api_upload(app, data: bytes, name: str = "documento.pdf"):
    token = services.application_issue_api_token(application=app)
    return Client().post(f"/api/v1/registrations/{app.case.reference}/documents",
                         {"kind": "identity", "file": SimpleUploadedFile(name, data)},
                         HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Bearer {token}")


def _stored_files(app) -> list[str]:
    try:
        return default_storage.listdir(f"registration/{app.public_id}")[1]
    except FileNotFoundError:
        return []


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_upload_on_the_web_is_a_422_and_nothing_is_saved(draft, kind):
    build, message = HOSTILE[kind]
    r = _web_upload(draft, build())
    assert r.status_code == 422
    assert message in r.content.decode()
    assert not ApplicationDocument.objects.filter(application=draft).exists()
    assert _stored_files(draft) == []


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_upload_through_the_api_is_a_422_naming_the_field(draft, kind):
    build, message = HOSTILE[kind]
    r = _api_upload(draft, build())
    assert r.status_code == 422, r.content
    assert r.json()["code"] == "UPLOAD_INVALID"
    assert r.json()["fields"] == {"file": message}
    assert not ApplicationDocument.objects.filter(application=draft).exists()
    assert _stored_files(draft) == []


def test_pixel_cap_message_is_spanish_by_default(draft):
    r = Client().post(f"/api/v1/registrations/{draft.case.reference}/documents",
                      {"kind": "identity",
                       "file": SimpleUploadedFile("foto.png", hostile.huge_png(20_000, 20_000))},
                      HTTP_AUTHORIZATION="Bearer "
                      + services.application_issue_api_token(application=draft))
    assert r.json()["fields"]["file"] == ("La imagen seleccionada debe tener menos de 64 "
                                          "megapíxeles. Tome la foto de nuevo con una "
                                          "resolución menor")


@pytest.mark.parametrize("channel", ["web", "api"])
def test_pdf_with_active_content_is_stored_rewritten_without_it(draft, channel):
    data = hostile.hostile_pdf(*hostile.REMOVABLE)
    r = (_web_upload if channel == "web" else _api_upload)(draft, data)
    assert r.status_code == (302 if channel == "web" else 201)
    doc = ApplicationDocument.objects.get(application=draft, is_current=True)
    with doc.file.open("rb") as f:
        stored = f.read()
    assert doc.content_type == "application/pdf" and doc.size == len(stored)
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        assert pdf_clean.hazards(pdf) == set()
        assert pdf.pages[0].obj.Contents.read_bytes() == hostile.PAGE_TEXT
