"""The sweep of certificate scans that no row points at (a crash between writing a scan and
committing its certificate), and the rows whose file is missing; run by
``ventanilla documents_sweep`` with the registration documents'."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from ventanilla.core.file_sweep import orphans_sweep

from ..models import CERTIFICATES_PREFIX, CertificateFile


@dataclass
class FilesSweep:
    removed: list[str] = field(default_factory=list)
    recent: list[str] = field(default_factory=list)
    missing: list[CertificateFile] = field(default_factory=list)


def certificate_files_sweep(*, older_than: timedelta, dry_run: bool = False,
                            now: datetime | None = None) -> FilesSweep:
    storage = CertificateFile._meta.get_field("file").storage  # type: ignore[attr-defined]
    sweep = orphans_sweep(
        storage=storage, prefix=CERTIFICATES_PREFIX, older_than=older_than,
        now=now or timezone.now(), dry_run=dry_run,
        referenced=lambda: CertificateFile.objects.values_list("file", flat=True))
    report = FilesSweep(removed=sweep.removed, recent=sweep.recent)
    for row in (CertificateFile.objects.select_related("certificate__case")
                .order_by("created_at").iterator()):
        name = row.file.name
        if not name or (name not in sweep.listed and not storage.exists(name)):
            report.missing.append(row)
    return report
