"""An import killed half-way (SIGKILL, no chance to clean up) leaves the database as it was, and the
next import works (issue #8, Faults).

The subprocess runs the real `thidua import BIG.yaml`; a test-only wrapper (in the subprocess's
own `-c` code, not in the application) makes the covenant import's audit call — its last write,
which refuses to run outside a transaction — report how many results the open transaction sees,
then hang. The test waits for that report, kills the process, and compares."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.faults.conftest import PROJECT, state, thidua

GROUP, YEAR = "BIG", 2024
UNITS, CRITERIA_PER_CONTENT = 40, 15

HANG_INSIDE_THE_TRANSACTION = """
import os, sys, time
from pathlib import Path
import django
django.setup()
from django.db import connection
import thidua.covenants.services as services
from thidua.covenants.models import Result
real = services.audit_log
def audit_then_hang(**kwargs):
    event = real(**kwargs)
    assert connection.in_atomic_block
    Path(os.environ["THIDUA_FAULT_MARKER"]).write_text(str(Result.objects.filter(
        criterion__covenant__group_year__group__code="BIG").count()))
    time.sleep(600)
services.audit_log = audit_then_hang
from thidua.cli import main
main(["import", sys.argv[1]])
"""


def big_covenant(*, results_for: int, actual_base: int, extra_criterion: bool = False) -> str:
    """A covenant of UNITS members and 2 × CRITERIA_PER_CONTENT criteria, with results for the first
    `results_for` criteria of every unit."""
    lines = [
        "format: thidua-covenant/1",
        f"group: {{code: {GROUP}, name: Cụm thi đua thử tải, kind: cluster, organiser: UBND tỉnh Thử}}",
        f"year: {YEAR}",
        "scale: 1000",
        "members:",
        *[f"  - {{code: BIG-{u:02d}, name: Huyện Thử {u:02d}, kind: district}}" for u in range(UNITS)],
        "roles: {leader: BIG-00, deputies: [BIG-01]}",
        "contents:",
    ]
    codes = []
    for content in ("I", "II"):
        lines += [f'  - code: "{content}"', f"    title: Nội dung {content}", "    max_points: 500", "    criteria:"]
        count = CRITERIA_PER_CONTENT + (1 if extra_criterion and content == "II" else 0)
        for number in range(1, count + 1):
            code = f"{content}.{number}"
            codes.append(code)
            lines.append(f'      - {{code: "{code}", title: Chỉ tiêu {code}, max_points: 20, measure: tỷ đồng, '
                         "aggregate: sum, method: plan_ratio, params: {penalty_per_pct: 1, bonus_per_pct: 0.5, bonus_cap: 10}}")
    lines.append("results:")
    for u in range(UNITS):
        for index, code in enumerate(codes[:results_for]):
            lines.append(f'  - {{unit: BIG-{u:02d}, criterion: "{code}", target: 100, actual: {actual_base + (u + index) % 17}}}')
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def wait_for(path: Path, process: subprocess.Popen, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return path.read_text()
        if process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"the import ended before reaching its transaction's end:\n{out}\n{err}")
        time.sleep(0.05)
    raise AssertionError("the import never reached the inside of its transaction")


def test_an_import_killed_inside_its_transaction_leaves_the_database_as_it_was(file_database, tmp_path):
    env = file_database
    first = write(tmp_path, "big-2024.yaml", big_covenant(results_for=15, actual_base=90))
    assert "đã tạo mới giao ước BIG năm 2024" in thidua("import", str(first), env=env).stdout
    before = state(env=env, group=GROUP, year=YEAR)
    assert before["rows"]["covenants.result"] >= UNITS * 15

    # Twice as many results, every existing figure changed, one more criterion.
    bigger = write(tmp_path, "BIG.yaml", big_covenant(results_for=31, actual_base=50, extra_criterion=True))
    marker = tmp_path / "inside-the-transaction"
    process = subprocess.Popen([sys.executable, "-c", HANG_INSIDE_THE_TRANSACTION, str(bigger)], cwd=PROJECT,
                               env={**env, "THIDUA_FAULT_MARKER": str(marker)}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        seen_inside = int(wait_for(marker, process))
        assert seen_inside == UNITS * 31  # the import had written everything, and not committed
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL

    assert state(env=env, group=GROUP, year=YEAR) == before

    # The database is sound: the same import, run again to the end, works.
    said = thidua("import", str(bigger), env=env).stdout
    assert f"đã cập nhật giao ước BIG năm 2024 — {UNITS * 16} kết quả mới, {UNITS * 15} kết quả sửa" in said
    after = state(env=env, group=GROUP, year=YEAR)
    assert after["rows"]["covenants.result"] == before["rows"]["covenants.result"] + UNITS * 16
    assert "II.16" in after["export"] and "II.16" not in before["export"]
