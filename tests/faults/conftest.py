"""Fault tests run the real `thidua` command in a subprocess against a database in a file: on
PostgreSQL the test database itself (tests that use it commit, `transaction=True`), on SQLite a
migrated temporary file (the test database there lives in memory, out of a subprocess's reach)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

PROJECT = Path(__file__).resolve().parents[2]


def thidua_env(database_url: str, var_dir: Path) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "THIDUA_VAR_DIR": str(var_dir),
           "DJANGO_SETTINGS_MODULE": "thidua.settings", "PYTHONPATH": str(PROJECT)}
    env.pop("THIDUA_FAULT_MARKER", None)
    return env


def python(code: str, *, env: dict[str, str], timeout: float = 180, check: bool = True) -> subprocess.CompletedProcess:
    """Run Python code with the project's settings in a fresh process."""
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=PROJECT, capture_output=True, text=True,
                          timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"subprocess failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def thidua(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return python(f"from thidua.cli import main; main({list(args)!r})", env=env, check=check)


STATE = """
import io, json, django
django.setup()
from django.core.management import call_command
from thidua.audit.backup import database_rows
def out(*args):
    buffer = io.StringIO()
    try:
        call_command(*args, stdout=buffer, stderr=io.StringIO())
    except Exception as exc:  # a group-year that does not exist yet
        return f"(none: {exc})"
    return buffer.getvalue()
print(json.dumps({"rows": database_rows(), "export": out("export", GROUP, YEAR),
                  "score": out("score", GROUP, YEAR, "--json")}))
"""


def state(*, env: dict[str, str], group: str, year: int) -> dict:
    """Every table's row count, and the group-year's export and scores, as another process sees them."""
    code = f"GROUP, YEAR = {group!r}, {year}\n" + STATE
    return json.loads(python(code, env=env).stdout)


@pytest.fixture
def file_database(transactional_db, tmp_path) -> dict[str, str]:
    """The environment of a subprocess working on a database in a file that this test owns."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        assert s["NAME"].startswith("test_"), "never the real database"
        auth = quote(s["USER"] or "", safe="") + (f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else "")
        url = f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"
        return thidua_env(url, tmp_path)
    env = thidua_env(f"sqlite:///{tmp_path / 'thidua.sqlite3'}", tmp_path)
    thidua("migrate", "--noinput", "-v", "0", env=env)
    return env
