"""One world for the whole matrix module, built once and rolled back at the end; every request of
the matrix runs in a savepoint that is rolled back too, so an allowed change never leaks into the
next cell."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from tests.security.world import build_world


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), django_db_blocker.unblock():
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)
