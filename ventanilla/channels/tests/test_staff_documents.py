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


# --- previews on the review page ----------------------------------------------------------

def _photo(width=1600, height=1000) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buf, "PNG")
    return buf.getvalue()


def _review_page(reviewer, app, language="en"):
    client = Client()
    client.force_login(reviewer)
    return client, client.get(f"/staff/solicitudes/{app.public_id}/",
                              HTTP_ACCEPT_LANGUAGE=language)


def test_a_photo_shows_as_a_thumbnail_made_on_the_server_under_the_same_sandbox(
        make_application, reviewer):
    import io

    from PIL import Image

    app = make_application("EC", state="draft")
    services.document_upload(application=app, kind="identity", data=_photo(),
                             filename="cedula.png")
    services.document_upload(application=app, kind="residence", data=png_bytes(),
                             filename="recibo.png")
    services.application_submit(application=app, declaration=True)
    doc = app.documents.get(kind="identity")
    client, r = _review_page(reviewer, app)
    page = r.content.decode()
    src = f"/staff/solicitudes/{app.public_id}/archivos/{doc.public_id}/?vista=miniatura"
    assert f'<img class="app-document__thumbnail" src="{src}" alt="Preview of' in page
    # the page's own policy lets an <img> load it from this origin
    assert "img-src 'self'" in r["Content-Security-Policy"]
    thumb = client.get(src)
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/png"
    assert thumb["Content-Security-Policy"] == SANDBOX  # not weakened for the preview
    assert thumb["Cross-Origin-Resource-Policy"] == "same-origin"
    assert Image.open(io.BytesIO(thumb.content)).size == (480, 300)
    entry = AuditEntry.objects.filter(action="document.view").latest("pk")
    assert entry.details == {"kind": "identity", "document": str(doc.public_id),
                             "preview": True}


def test_a_pdf_shows_its_file_name_and_page_count_and_stays_a_sandboxed_download(
        make_application, reviewer):
    app = make_application("EC", state="submitted")
    doc = app.documents.get(kind="identity")
    client, r = _review_page(reviewer, app)
    page = r.content.decode()
    assert "<strong>identity.pdf</strong> · PDF, 1 page</p>" in page
    assert f"{doc.public_id}/?vista=miniatura" not in page
    pdf = client.get(f"/staff/solicitudes/{app.public_id}/archivos/{doc.public_id}/"
                     "?vista=miniatura")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert pdf["Content-Security-Policy"] == SANDBOX


@pytest.mark.parametrize("language", ["en", "es"])
def test_sizes_are_readable_in_the_language_of_the_page(make_application, reviewer, language):
    app = make_application("EC", state="submitted")
    size = app.documents.get(kind="identity").size
    assert size < 1024
    page = _review_page(reviewer, app, language=language)[1].content.decode()
    assert f"({size}\u00a0B)" in page and "bytes" not in page


@pytest.mark.parametrize(("size", "en", "es"), [
    (391, "391\u00a0B", "391\u00a0B"),
    (1434, "1.4\u00a0KB", "1,4\u00a0KB"),
    (2_411_725, "2.3\u00a0MB", "2,3\u00a0MB"),
], ids=["bytes", "kilobytes", "megabytes"])
def test_human_size(size, en, es):
    from django.utils import translation

    from ventanilla.core.templatetags.sizes import human_size

    with translation.override("en"):
        assert human_size(size) == en
    with translation.override("es"):
        assert human_size(size) == es
