"""Staff open applicants' documents as downloads or sandboxed images, never as active content
of the site's origin; every open is audited."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import png_bytes
from ventanilla.core.models import AuditEntry
from ventanilla.registration import services

pytestmark = pytest.mark.django_db

SANDBOX = "sandbox; default-src 'none'; img-src 'self'"


def _open(reviewer, app, doc):
    client = Client()
    client.force_login(reviewer)
    return client.get(f"/staff/solicitudes/{app.public_id}/archivos/{doc.public_id}/")


def test_staff_download_a_pdf_with_a_safe_name_under_a_sandbox(make_application, reviewer):
    app = make_application("EC", state="submitted")
    doc = app.documents.get(kind="identity")
    r = _open(reviewer, app, doc)
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == f'attachment; filename="{app.case.reference}-identity.pdf"'
    assert r["Content-Security-Policy"] == SANDBOX
    assert r["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in {d.strip() for d in r["Cache-Control"].split(",")}
    assert b"".join(r.streaming_content)[:5] == b"%PDF-"
    entry = AuditEntry.objects.get(actor=reviewer, action="document.view")
    assert entry.details == {"kind": "identity", "document": str(doc.public_id)}


def test_staff_open_a_photo_inline_under_a_sandbox(make_application, reviewer):
    app = make_application("EC", state="draft")
    services.document_upload(application=app, kind="identity", data=png_bytes(),
                             filename='"><script>alert(1)</script>.png')
    services.document_upload(application=app, kind="residence", data=png_bytes(),
                             filename="recibo.png")
    services.application_submit(application=app, declaration=True)
    doc = app.documents.get(kind="identity")
    r = _open(reviewer, app, doc)
    assert r.status_code == 200
    assert r["Content-Type"] == "image/png"
    assert r["Content-Disposition"] == f'inline; filename="{app.case.reference}-identity.png"'
    assert r["Content-Security-Policy"] == SANDBOX
    assert r["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(actor=reviewer, action="document.view").count() == 1


def test_the_link_says_whether_the_document_downloads_or_opens(make_application, reviewer,
                                                               pdf_bytes):
    app = make_application("EC", state="draft")
    services.document_upload(application=app, kind="identity", data=png_bytes(),
                             filename="cedula.png")
    services.document_upload(application=app, kind="residence", data=pdf_bytes,
                             filename="recibo.pdf")
    services.application_submit(application=app, declaration=True)
    client = Client()
    client.force_login(reviewer)
    page = client.get(f"/staff/solicitudes/{app.public_id}/",
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    identity = app.documents.get(kind="identity", is_current=True)
    assert f'{identity.public_id}/" target="_blank" rel="noopener">Open the document' in page
    pdfs = app.documents.filter(is_current=True, content_type="application/pdf")
    assert pdfs.exists()
    for doc in pdfs:
        assert f'{doc.public_id}/" download>Download the document' in page
