"""scripts/po-fill.py: the English catalogue is filled from en.yaml and never keeps msgmerge's guesses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "po-fill.py"

PO = """\
#, fuzzy, python-format
msgid "%(n)s ngày làm việc"
msgid_plural "%(n)s ngày làm việc"
msgstr[0] "%(n)s day"
msgstr[1] "%(n)s days"

#, fuzzy
msgid "Xin chào"
msgstr "Goodbye"

msgid "Hồ sơ"
msgstr ""
"""


def _fill(tmp_path: Path, words: str) -> tuple[str, str]:
    po, yaml_file = tmp_path / "django.po", tmp_path / "en.yaml"
    po.write_text(PO, encoding="utf-8")
    yaml_file.write_text(words, encoding="utf-8")
    done = subprocess.run([sys.executable, str(SCRIPT), str(po), str(yaml_file)], capture_output=True, text=True,
                          check=True)  # fmt: skip
    return po.read_text(encoding="utf-8"), done.stdout


def test_translations_come_from_the_dictionary_and_a_guess_is_thrown_away(tmp_path):
    po, said = _fill(tmp_path, '"Hồ sơ": Dossier\n')

    assert 'msgid "Hồ sơ"\nmsgstr "Dossier"' in po
    assert 'msgid "Xin chào"\nmsgstr ""' in po and "Goodbye" not in po
    assert "chưa dịch: Xin chào" in said


def test_a_guessed_plural_stays_fuzzy_so_it_is_never_used_and_is_reported(tmp_path):
    po, said = _fill(tmp_path, "{}\n")

    assert po.startswith('#, fuzzy, python-format\nmsgid "%(n)s ngày làm việc"')
    assert "chưa dịch: %(n)s ngày làm việc (số nhiều / plural)" in said
