"""Fixtures of the channels' tests."""

from __future__ import annotations

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def walked_world(django_db_setup, django_db_blocker):
    """The demo data and more (``walk.world``), loaded once per test module and rolled back
    after it; each test runs in a savepoint inside it."""
    from . import walk

    with django_db_blocker.unblock(), transaction.atomic():
        yield walk.world()
        transaction.set_rollback(True)
