"""The set-up scripts fail with a clear message, never a traceback: wrong Python, no PostgreSQL,
a port in use (issue #2 acceptance)."""

import os
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*args], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def test_find_python_refuses_a_python_older_than_3_12_with_a_clear_message(tmp_path):
    old = tmp_path / "python3.11"
    old.write_text("#!/bin/sh\necho 'bad Python 3.11 < 3.12'\n")
    old.chmod(0o755)
    # A PATH with only an old Python, no pyenv and no HOME to find other interpreters in.
    result = run("bash", "scripts/find-python", env={"PATH": f"{tmp_path}:/bin", "HOME": str(tmp_path),
                                                     "PYENV_ROOT": str(tmp_path / "none"), "THIDUA_PYTHON": str(old)})
    assert result.returncode == 1
    assert "Cần Python 3.12 trở lên" in result.stderr
    assert "Traceback" not in result.stderr


def test_find_python_finds_a_python_of_at_least_3_12():
    result = run("bash", "scripts/find-python")
    assert result.returncode == 0
    version = subprocess.run([result.stdout.strip(), "-c", "import sys; print(sys.version_info >= (3, 12))"],
                             capture_output=True, text=True)
    assert version.stdout.strip() == "True"


def test_pg_says_postgresql_is_missing_instead_of_failing_obscurely(tmp_path):
    result = run("bash", "scripts/pg", "start", env={"THIDUA_PG_BIN": str(tmp_path / "no-postgres"),
                                                     "THIDUA_PG_PORT": "55499", "THIDUA_PG_DIR": str(tmp_path / "pg")})
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr and "install-system-deps" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_a_port_in_use_and_says_how_to_pick_another():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("bash", "scripts/serve", env={"PORT": str(port)})
    assert result.returncode == 1
    assert f"Cổng {port} đang được dùng" in result.stderr + result.stdout
    assert "make run PORT=" in result.stderr + result.stdout


@pytest.mark.parametrize("script", ["find-python", "install-system-deps", "venv", "pg", "serve"])
def test_every_script_is_valid_bash(script):
    assert run("bash", "-n", f"scripts/{script}").returncode == 0
