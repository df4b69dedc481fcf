"""A failed write loses nothing: the new file is written first, rows change inside the
transaction, old files go only after the commit; the sweep removes exactly what a crash
leaves. Failures are injected for real at each step."""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import DatabaseError, OperationalError
from django.utils import timezone

from conftest import PDF, png_bytes
from ventanilla.registration import services
from ventanilla.registration.models import ApplicationDocument
from ventanilla.registration.services import documents as documents_module

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """A storage of this test's own, so the sweep sees only the files this test wrote."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None}}}
    return tmp_path / "private"


def _files(app) -> set[str]:
    folder = f"registration/{app.public_id}"
    try:
        return {f"{folder}/{name}" for name in default_storage.listdir(folder)[1]}
    except FileNotFoundError:
        return set()


def assert_every_row_has_its_file():
    for doc in ApplicationDocument.objects.all():
        with default_storage.open(doc.file.name, "rb") as f:
            assert hashlib.sha256(f.read()).hexdigest() == doc.sha256, doc.file.name


@pytest.fixture
def with_identity(make_application):
    app = make_application("EC", state="draft")
    doc = services.document_upload(application=app, kind="identity", data=PDF,
                                   filename="cedula.pdf")
    return app, doc


def _assert_untouched(app, old):
    """The old row is still the current one, its file whole, and no other file exists."""
    current = ApplicationDocument.objects.get(application=app, kind="identity", is_current=True)
    assert (current.pk, current.sha256, current.file.name) == (old.pk, old.sha256,
                                                               old.file.name)
    assert ApplicationDocument.objects.filter(application=app).count() == 1
    assert _files(app) == {old.file.name}
    assert_every_row_has_its_file()


# --- replacing -------------------------------------------------------------------------------

def test_replacing_a_draft_document_deletes_the_old_file_only_after_commit(
        with_identity, django_capture_on_commit_callbacks):
    app, old = with_identity
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        new = services.document_upload(application=app, kind="identity", data=png_bytes(),
                                       filename="cedula.png")
        # Before the commit, both files are there: the rows may still roll back.
        assert _files(app) == {old.file.name, new.file.name}
    assert not ApplicationDocument.objects.filter(pk=old.pk).exists()
    for callback in callbacks:
        callback()
    assert _files(app) == {new.file.name}
    assert_every_row_has_its_file()


def test_failed_row_save_keeps_the_old_row_and_file_and_removes_the_new_file(with_identity,
                                                                            monkeypatch):
    app, old = with_identity
    save = ApplicationDocument.save

    def failing_save(self, *args, **kwargs):
        if self._state.adding:
            raise DatabaseError("disk full")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(ApplicationDocument, "save", failing_save)
    with pytest.raises(DatabaseError):
        services.document_upload(application=app, kind="identity", data=png_bytes(),
                                 filename="cedula.png")
    _assert_untouched(app, old)


def test_failure_after_the_rows_changed_rolls_them_back_and_removes_the_new_file(
        with_identity, monkeypatch, django_capture_on_commit_callbacks):
    app, old = with_identity

    def failing_audit(*args, **kwargs):
        raise RuntimeError("audit log unreachable")

    monkeypatch.setattr(documents_module, "application_audit", failing_audit)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        services.document_upload(application=app, kind="identity", data=png_bytes(),
                                 filename="cedula.png")
    _assert_untouched(app, old)


def test_failure_between_the_file_write_and_the_transaction_removes_the_new_file(
        with_identity, monkeypatch):
    app, old = with_identity

    def database_down(*args, **kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(documents_module.transaction, "atomic", database_down)
    with pytest.raises(OperationalError):
        services.document_upload(application=app, kind="identity", data=png_bytes(),
                                 filename="cedula.png")
    _assert_untouched(app, old)


@pytest.mark.django_db(transaction=True)
def test_failed_replace_with_a_real_commit_and_rollback_loses_nothing(make_application,
                                                                       monkeypatch):
    """The same as above without the test's wrapping transaction: the rollback and the
    on-commit deletion are the database's own."""
    app = make_application("EC", state="draft")
    old = services.document_upload(application=app, kind="identity", data=PDF,
                                   filename="cedula.pdf")
    replaced = services.document_upload(application=app, kind="identity", data=png_bytes(),
                                        filename="cedula.png")
    assert _files(app) == {replaced.file.name}  # committed: the old file went at once
    assert not ApplicationDocument.objects.filter(pk=old.pk).exists()
    save = ApplicationDocument.save
    monkeypatch.setattr(ApplicationDocument, "save", lambda self, *a, **k: (
        (_ for _ in ()).throw(DatabaseError("disk full")) if self._state.adding
        else save(self, *a, **k)))
    with pytest.raises(DatabaseError):
        services.document_upload(application=app, kind="identity", data=PDF,
                                 filename="otra.pdf")
    _assert_untouched(app, replaced)


def test_sent_back_document_keeps_the_rejected_file_as_history(make_application, reviewer,
                                                               django_capture_on_commit_callbacks):
    app = make_application("EC", state="submitted")
    for doc in app.documents.all():
        services.document_review(document=doc, accept=doc.kind != "residence",
                                 reason="Ilegible", actor=reviewer)
    services.application_request_changes(application=app, actor=reviewer)
    app.refresh_from_db()
    rejected = app.documents.get(kind="residence")
    with django_capture_on_commit_callbacks(execute=True):
        new = services.document_upload(application=app, kind="residence", data=png_bytes(),
                                       filename="planilla.png")
    assert rejected.file.name in _files(app) and new.file.name in _files(app)
    assert_every_row_has_its_file()


# --- removing --------------------------------------------------------------------------------

def test_removing_a_document_deletes_its_file_only_after_commit(
        with_identity, django_capture_on_commit_callbacks):
    app, old = with_identity
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.document_remove(application=app, document_id=old.public_id)
        assert _files(app) == {old.file.name}
    assert not ApplicationDocument.objects.filter(pk=old.pk).exists()
    for callback in callbacks:
        callback()
    assert _files(app) == set()


def test_failed_remove_keeps_the_row_and_its_file(with_identity, monkeypatch,
                                                  django_capture_on_commit_callbacks):
    app, old = with_identity

    def failing_audit(*args, **kwargs):
        raise RuntimeError("audit log unreachable")

    monkeypatch.setattr(documents_module, "application_audit", failing_audit)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        services.document_remove(application=app, document_id=old.public_id)
    _assert_untouched(app, old)


# --- the sweep -------------------------------------------------------------------------------

def _age(name: str, hours: float) -> None:
    when = (timezone.now() - timedelta(hours=hours)).timestamp()
    os.utime(default_storage.path(name), (when, when))


def test_crash_after_the_file_write_leaves_only_an_orphan_which_the_sweep_removes(
        with_identity, monkeypatch):
    app, old = with_identity
    # The process dies before it can clean up: nothing deletes the new file.
    monkeypatch.setattr(documents_module, "_file_discard", lambda name: None)
    monkeypatch.setattr(documents_module, "application_audit",
                        lambda *a, **k: (_ for _ in ()).throw(SystemExit("killed")))
    with pytest.raises(SystemExit):
        services.document_upload(application=app, kind="identity", data=png_bytes(),
                                 filename="cedula.png")
    monkeypatch.undo()
    (orphan,) = _files(app) - {old.file.name}
    assert_every_row_has_its_file()  # no row points at a missing file, only a file is extra
    report = services.documents_sweep(older_than=timedelta(hours=24))
    assert (report.removed, report.recent) == ([], [orphan])  # too young: maybe in progress
    _age(orphan, 25)
    report = services.documents_sweep(older_than=timedelta(hours=24))
    assert (report.removed, report.recent, report.missing) == ([orphan], [], [])
    assert _files(app) == {old.file.name}


def test_sweep_removes_exactly_the_old_orphans_and_reports_rows_without_a_file(
        make_application):
    app = make_application("EC", state="draft")
    kept = services.document_upload(application=app, kind="identity", data=PDF,
                                    filename="a.pdf")
    lost = services.document_upload(application=app, kind="residence", data=PDF,
                                    filename="b.pdf")
    default_storage.delete(lost.file.name)
    old_orphan = default_storage.save(f"registration/{app.public_id}/old", _content())
    young_orphan = default_storage.save(f"registration/{app.public_id}/young", _content())
    gone_app_orphan = default_storage.save("registration/0d0c2a4e-0000/doc", _content())
    for name in (kept.file.name, old_orphan, gone_app_orphan):
        _age(name, 48)
    _age(young_orphan, 2)

    dry = services.documents_sweep(older_than=timedelta(hours=24), dry_run=True)
    assert dry.removed == sorted([old_orphan, gone_app_orphan])
    assert default_storage.exists(old_orphan) and default_storage.exists(gone_app_orphan)

    report = services.documents_sweep(older_than=timedelta(hours=24))
    assert report.removed == sorted([old_orphan, gone_app_orphan])
    assert report.recent == [young_orphan]
    assert [d.pk for d in report.missing] == [lost.pk]
    assert _files(app) == {kept.file.name, young_orphan}
    assert not os.path.exists(default_storage.path("registration/0d0c2a4e-0000"))


def test_sweep_command_reports_and_fails_on_a_row_without_a_file(make_application, capsys):
    app = make_application("EC", state="draft")
    lost = services.document_upload(application=app, kind="identity", data=PDF,
                                    filename="a.pdf")
    orphan = default_storage.save(f"registration/{app.public_id}/old", _content())
    _age(orphan, 30)
    call_command("documents_sweep", "--dry-run")
    out = capsys.readouterr().out
    assert f"would delete orphan file {orphan}" in out
    assert default_storage.exists(orphan)
    default_storage.delete(lost.file.name)
    with pytest.raises(CommandError, match="1 documents point at a missing file"):
        call_command("documents_sweep", "--older-than", "24")
    captured = capsys.readouterr()
    assert f"deleted orphan file {orphan}" in captured.out
    assert f"missing file for document {lost.public_id} ({app.case.reference}, identity)" in (
        captured.err)
    assert not default_storage.exists(orphan)


def test_sweep_command_refuses_a_grace_period_an_upload_could_still_be_in(db):
    with pytest.raises(CommandError, match="at least 1 hour"):
        call_command("documents_sweep", "--older-than", "0")


def _content():
    from django.core.files.base import ContentFile

    return ContentFile(b"%PDF-1.4 orphan")
