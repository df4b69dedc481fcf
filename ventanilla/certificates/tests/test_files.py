"""Nothing lost, nothing stuck: a failed submission leaves no file, a crash leaves only an
orphan that the daily sweep removes once old, and a row without its file is reported."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from ventanilla.certificates import services
from ventanilla.certificates.models import Certificate, CertificateFile
from ventanilla.certificates.services import submit as submit_module
from ventanilla.core.file_sweep import stored_files

pytestmark = pytest.mark.django_db


def _age(name: str, hours: float) -> None:
    when = (timezone.now() - timedelta(hours=hours)).timestamp()
    os.utime(default_storage.path(name), (when, when))


def test_a_submission_that_fails_in_its_transaction_leaves_no_file(submit, monkeypatch):
    monkeypatch.setattr(submit_module, "certificate_notify",
                        lambda *a, **k: (_ for _ in ()).throw(RuntimeError("database gone")))
    with pytest.raises(RuntimeError):
        submit()
    assert Certificate.objects.count() == 0
    assert stored_files(default_storage, "certificates") == {}


def test_a_crash_leaves_an_orphan_that_the_sweep_removes_once_old(submit, monkeypatch):
    monkeypatch.setattr(submit_module, "_file_discard", lambda name: None)
    monkeypatch.setattr(submit_module, "certificate_notify",
                        lambda *a, **k: (_ for _ in ()).throw(SystemExit("killed")))
    with pytest.raises(SystemExit):
        submit()
    monkeypatch.undo()
    kept = submit().files.get()
    (orphan,) = set(stored_files(default_storage, "certificates")) - {kept.file.name}
    young = services.certificate_files_sweep(older_than=timedelta(hours=24))
    assert (young.removed, young.recent, young.missing) == ([], [orphan], [])
    _age(orphan, 25)
    old = services.certificate_files_sweep(older_than=timedelta(hours=24))
    assert (old.removed, old.recent, old.missing) == ([orphan], [], [])
    assert set(stored_files(default_storage, "certificates")) == {kept.file.name}


def test_the_daily_command_sweeps_scans_and_fails_on_a_row_without_its_file(submit, capsys):
    cert = submit()
    stray = default_storage.save(f"certificates/{cert.public_id}/stray", ContentFile(b"x"))
    _age(stray, 48)
    default_storage.delete(cert.files.get().file.name)
    with pytest.raises(CommandError, match="1 documents point at a missing file"):
        call_command("documents_sweep")
    out = capsys.readouterr()
    assert f"deleted orphan file {stray}" in out.out
    assert f"missing file for certificate scan {CertificateFile.objects.get().public_id}" \
        in out.err
