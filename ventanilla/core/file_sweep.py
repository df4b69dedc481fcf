"""The sweep of stored files that no row points at (what a crash between writing a file and
committing its row leaves), shared by every app that stores uploads.

Files are listed before rows are read: a file written after the listing is not seen, and
one listed but younger than the grace period is never deleted, so no row can commit for a
file while it is being removed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.files.storage import Storage


@dataclass
class Sweep:
    removed: list[str] = field(default_factory=list)   # orphan files deleted (or to delete)
    recent: list[str] = field(default_factory=list)    # orphans younger than the grace period
    listed: dict[str, datetime] = field(default_factory=dict)   # every file seen


def stored_files(storage: Storage, prefix: str) -> dict[str, datetime]:
    """Every file under ``prefix`` (one level of folders), with when it was last written."""
    files: dict[str, datetime] = {}
    try:
        folders, loose = storage.listdir(prefix)
    except FileNotFoundError:
        return files
    for folder in folders:
        for name in storage.listdir(f"{prefix}/{folder}")[1]:
            path = f"{prefix}/{folder}/{name}"
            files[path] = storage.get_modified_time(path)
    for name in loose:
        files[f"{prefix}/{name}"] = storage.get_modified_time(f"{prefix}/{name}")
    return files


def orphans_sweep(*, storage: Storage, prefix: str, referenced: Callable[[], Iterable[str]],
                  older_than: timedelta, now: datetime, dry_run: bool = False) -> Sweep:
    """Delete the files under ``prefix`` that ``referenced()`` (read after the listing) does
    not name, once older than ``older_than``."""
    sweep = Sweep(listed=stored_files(storage, prefix))
    names = set(referenced())
    for name, modified in sorted(sweep.listed.items()):
        if name in names:
            continue
        if now - modified < older_than:
            sweep.recent.append(name)
            continue
        sweep.removed.append(name)
        if not dry_run:
            storage.delete(name)
    if not dry_run:
        for folder in {name.rsplit("/", 1)[0] for name in sweep.removed}:
            # Only a storage on disk has folders to remove; object stores have none.
            with contextlib.suppress(NotImplementedError, OSError):
                os.rmdir(storage.path(folder))
    return sweep
