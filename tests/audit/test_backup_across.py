"""A backup made on SQLite restores on PostgreSQL with the same scores and the same covenant (run in
the PostgreSQL pass of `make test`; the SQLite side is a subprocess on a database in a file)."""

from __future__ import annotations

import io
import json

import pytest
import yaml
from django.core.management import call_command
from django.db import connection

from tests.conftest import G1_2024_COVENANT
from tests.faults.conftest import thidua, thidua_env
from thidua.audit.backup import backup_restore


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_backup_made_on_sqlite_restores_on_postgresql_with_the_same_scores(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL pass restores an archive made on SQLite")
    sqlite = thidua_env(f"sqlite:///{tmp_path / 'thidua.sqlite3'}", tmp_path / "sqlite-var")
    (tmp_path / "g1-2024.yaml").write_text(G1_2024_COVENANT, encoding="utf-8")
    thidua("migrate", "--noinput", "-v", "0", env=sqlite)
    thidua("import", str(tmp_path / "g1-2024.yaml"), env=sqlite)
    score = thidua("score", "G1", "2024", "--json", env=sqlite).stdout
    export = thidua("export", "G1", "2024", env=sqlite).stdout
    thidua("backup", str(tmp_path / "tu-sqlite.zip"), env=sqlite)

    backup_restore(path=tmp_path / "tu-sqlite.zip")

    assert json.loads(run("score", "G1", "2024", "--json")) == json.loads(score)
    # Same covenant; PostgreSQL's jsonb may list a criterion's parameters in another order.
    assert yaml.safe_load(run("export", "G1", "2024")) == yaml.safe_load(export)
