"""Issue 11, item 7, for what was stored before uploads were checked: ``documents_reclean``
rewrites stored PDFs that carry active content, leaves clean ones alone and reports the
ones it cannot clean; a file is swapped like an upload's (new file, row, old file after the
commit)."""

from __future__ import annotations

import io

import pikepdf
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from ventanilla.registration import pdf_clean
from ventanilla.registration.services import documents_reclean

from . import hostile

pytestmark = pytest.mark.django_db


def _store(doc, data: bytes) -> None:
    """What an older release stored: the bytes as they came."""
    with default_storage.open(doc.file.name, "wb") as fh:
        fh.write(data)


@pytest.fixture
def stored(make_application):
    app = make_application("EC", state="submitted")
    docs = list(app.documents.filter(content_type="application/pdf").order_by("pk"))
    assert len(docs) >= 2
    hostile_doc, polyglot_doc = docs[0], docs[1]
    _store(hostile_doc, hostile.hostile_pdf(*hostile.REMOVABLE))
    _store(polyglot_doc, hostile.html_polyglot())
    return {"hostile": hostile_doc, "polyglot": polyglot_doc, "clean": docs[2:]}


def test_a_stored_pdf_with_active_content_is_rewritten_and_the_old_file_removed(
        stored, django_capture_on_commit_callbacks):
    doc = stored["hostile"]
    old = doc.file.name
    with django_capture_on_commit_callbacks(execute=True):
        report = documents_reclean()
    assert [d.pk for d, _removed in report.cleaned] == [doc.pk]
    assert [d.pk for d, _reason in report.refused] == [stored["polyglot"].pk]
    assert report.unchanged == len(stored["clean"])
    doc.refresh_from_db()
    assert doc.file.name != old and not default_storage.exists(old)
    with doc.file.open("rb") as fh:
        data = fh.read()
    assert doc.size == len(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf_clean.hazards(pdf) == set()
        assert pdf.pages[0].obj.Contents.read_bytes() == hostile.PAGE_TEXT
    # again: nothing left to rewrite
    again = documents_reclean(dry_run=True)
    assert again.cleaned == [] and again.unchanged == len(stored["clean"]) + 1


def test_dry_run_changes_nothing_and_the_command_fails_for_what_needs_a_person(stored):
    doc = stored["hostile"]
    name = doc.file.name
    with doc.file.open("rb") as fh:
        before = fh.read()
    with pytest.raises(CommandError, match="1 PDFs need a person"):
        call_command("documents_reclean", "--dry-run")
    doc.refresh_from_db()
    assert doc.file.name == name
    with doc.file.open("rb") as fh:
        assert fh.read() == before
    assert pdf_clean.hazards(pikepdf.open(io.BytesIO(before))) != set()
