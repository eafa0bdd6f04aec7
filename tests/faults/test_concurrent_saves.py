"""Two people save the same figure at the same moment: one save wins, the other is told that someone
saved first and changes nothing (issue #8, Faults; reporting.services.result_set).

Each save is a separate process with its own connection, on a database in a file (see conftest).
A test-only hook in each process (its `-c` code) waits, right after the save has read the figure,
until the other save has read it too: both read the same old value (or both find no row yet), both
pass the `previous` check, and the conditional UPDATE on the row's version (or the row's unique
key) must decide. On PostgreSQL the
two saves really meet there. On SQLite a writer takes the database lock when its transaction
begins (IMMEDIATE), so the second save waits for the first to commit and never meets it: the saves
are serialised, and the outcome must be the same."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import G1_2024_COVENANT
from tests.faults.conftest import PROJECT, python

SETUP = """
import sys, django
django.setup()
from thidua.covenants.fileformat import read_covenant
from thidua.covenants.models import Covenant
from thidua.covenants.services import covenant_import
from thidua.org.models import Unit, User
from thidua.reporting.services import report_for
covenant_import(doc=read_covenant(sys.argv[1], filename="g1-2024.yaml"), filename="g1-2024.yaml")
covenant = Covenant.objects.get(group_year__group__code="G1", group_year__year=2024)
for code in ("P-A", "P-B"):
    report_for(covenant=covenant, unit=Unit.objects.get(code=code))  # both saves find the report
for name in ("officer_a", "head_a"):
    User.objects.create_user(username=name, password="x" * 12)
"""

SAVE = """
import json, os, sys, time
from decimal import Decimal
from pathlib import Path
import django
django.setup()
from thidua.covenants.models import Criterion
from thidua.org.models import Unit, User
from thidua.reporting import services
me, other, hook, unit, code, field, value, previous, actor = sys.argv[1:10]
met = None
real = getattr(services, hook)
def after_both_read(*args, **kwargs):
    global met
    if met is None:
        Path(me).touch()
        deadline = time.monotonic() + 5
        while not Path(other).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        met = Path(other).exists()
    return real(*args, **kwargs)
setattr(services, hook, after_both_read)
criterion = Criterion.objects.get(covenant__group_year__group__code="G1", covenant__group_year__year=2024, code=code)
edit = services.Edit(criterion=criterion, unit=Unit.objects.get(code=unit), field=field, value=Decimal(value),
                     previous=None if previous == "-" else Decimal(previous))
try:
    result = services.result_set(edit=edit, actor=User.objects.get(username=actor))
    outcome = {"saved": str(getattr(result, field))}
except services.ResultConflict as exc:
    outcome = {"conflict": str(exc)}
print(json.dumps({**outcome, "met": met}))
"""

STATE = """
import json, sys, django
django.setup()
from thidua.audit.models import AuditEvent
from thidua.covenants.models import Result
from thidua.reporting.models import ResultChange
unit, code, field = sys.argv[1:4]
rows = Result.objects.filter(unit__code=unit, criterion__code=code)
print(json.dumps({"values": [str(getattr(r, field)) for r in rows], "changes": ResultChange.objects.filter(
    result__in=rows).count(), "events": AuditEvent.objects.filter(action="result.changed").count()}))
"""


def run_script(code: str, *args: str, env) -> str:
    return python(f"import sys; sys.argv[1:] = {list(args)!r}\n{code}", env=env).stdout


@pytest.fixture
def g1(file_database, tmp_path):
    run_script(SETUP, G1_2024_COVENANT, env=file_database)
    return file_database


def race(env, tmp_path: Path, saves: list[tuple[str, ...]], *, hook: str) -> list[dict]:
    """Start both saves at once; each is (unit, criterion, field, value, previous, actor). `hook`
    is the function of reporting.services that runs right after the save has read the figure."""
    marks = [str(tmp_path / f"read-{i}") for i in range(2)]
    processes = [
        subprocess.Popen([sys.executable, "-c", SAVE, marks[i], marks[1 - i], hook, *save], cwd=PROJECT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i, save in enumerate(saves)
    ]
    outcomes = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, f"a save failed with an error, not a conflict:\n{err}"
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    return outcomes


def check_one_wins(outcomes: list[dict], *, field_label: str) -> str:
    saved = [o["saved"] for o in outcomes if "saved" in o]
    refused = [o["conflict"] for o in outcomes if "conflict" in o]
    assert len(saved) == 1 and len(refused) == 1, outcomes
    assert refused[0].startswith(f"{field_label} vừa được người khác lưu (")
    assert refused[0].endswith("Giá trị của bạn chưa được lưu: hãy xem lại rồi lưu lại nếu vẫn muốn thay đổi.")
    if connection.vendor == "postgresql":
        assert all(o["met"] for o in outcomes), "on PostgreSQL both saves must have read before either wrote"
    return saved[0]


def test_two_saves_of_the_same_figure_give_one_success_and_one_conflict(g1, tmp_path):
    outcomes = race(g1, tmp_path, [("P-A", "I.1", "actual", "120", "112.88", "officer_a"),
                                   ("P-A", "I.1", "actual", "130", "112.88", "head_a")], hook="_same")
    winner = check_one_wins(outcomes, field_label="Thực hiện")
    state = json.loads(run_script(STATE, "P-A", "I.1", "actual", env=g1))
    assert [Decimal(value) for value in state["values"]] == [Decimal(winner)]
    assert state["changes"] == 1 and state["events"] == 1  # only the winner left history and audit


def test_two_first_saves_of_a_figure_nobody_entered_yet_give_one_success_and_one_conflict(g1, tmp_path):
    """Unit B has no row for II.1 yet: both saves try to create it; the unique row decides."""
    outcomes = race(g1, tmp_path, [("P-B", "II.1", "points", "40", "-", "officer_a"),
                                   ("P-B", "II.1", "points", "45", "-", "head_a")], hook="validate_value")
    winner = check_one_wins(outcomes, field_label="Điểm")
    state = json.loads(run_script(STATE, "P-B", "II.1", "points", env=g1))
    assert [Decimal(value) for value in state["values"]] == [Decimal(winner)]
    assert state["changes"] == 1 and state["events"] == 1
