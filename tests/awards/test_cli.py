"""`thidua eligibility FILE --year Y --json`: the answers of the worked histories, the JSON shape,
the exit codes, and no database at all."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.awards.histories import EXPECTED_2025, WORKED
from thidua.awards.codes import COLLECTIVE_CODES, PERSON_CODES

PEOPLE = ["NV001", "NV002", "NV003", "NV004", "NV005", "NV006", "NV007"]
COLLECTIVES = ["TT01", "TT02"]


@pytest.fixture
def worked(tmp_path) -> Path:
    path = tmp_path / "ho-so.yaml"
    path.write_text(WORKED, encoding="utf-8")
    return path


def eligibility(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("eligibility", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def answers(path: Path, year: int) -> list[dict]:
    return json.loads(eligibility(str(path), "--year", str(year), "--json")[0])


def by_key(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(row["id"], row["code"]): row for row in rows}


def test_the_json_lists_every_person_with_every_individual_code_then_every_collective(worked):
    rows = answers(worked, 2025)
    assert [(row["id"], row["code"]) for row in rows] == (
        [(p, code) for p in PEOPLE for code in PERSON_CODES] + [(c, code) for c in COLLECTIVES for code in COLLECTIVE_CODES]
    )
    for row in rows:
        assert list(row) == ["id", "code", "eligible", "reasons", "basis"]
        assert isinstance(row["eligible"], bool)
        assert row["reasons"] and all(isinstance(reason, str) for reason in row["reasons"])
        assert row["basis"] == (
            "Luật Thi đua, khen thưởng 2022 (Luật số 06/2022/QH15); Nghị định 152/2025/NĐ-CP; Thông tư 15/2025/TT-BNV"
        )


def test_the_worked_histories_get_the_right_answers_for_2025(worked):
    rows = by_key(answers(worked, 2025))
    assert {key: rows[key]["eligible"] for key in EXPECTED_2025} == EXPECTED_2025


def test_each_no_of_the_worked_histories_names_the_condition_and_the_years(worked):
    rows = by_key(answers(worked, 2025))
    assert rows[("NV002", "BK_TTG")]["reasons"] == [
        "Không đạt: cần ít nhất 5 năm liên tục xếp loại từ Hoàn thành tốt nhiệm vụ trở lên sau năm được tặng "
        "Bằng khen cấp bộ, ban, ngành, tỉnh (2018), kết thúc năm 2025; chỉ có 3 năm (2023–2025) vì năm 2022 "
        "xếp loại Hoàn thành nhiệm vụ — Luật Thi đua, khen thưởng 2022, Điều 73 khoản 1 điểm b."
    ]
    assert "sáng kiến SK-03 (2025) đã dùng cho Bằng khen cấp bộ, ban, ngành, tỉnh" in rows[("NV003", "CSTDCS")]["reasons"][0]
    assert "tuyển dụng ngày 15/08/2025, chưa đủ 6 tháng công tác đến ngày 31/12/2025" in rows[("NV004", "LDTT")]["reasons"][0]
    assert "bị kỷ luật (khiển trách) trong năm 2025" in rows[("NV005", "LDTT")]["reasons"][0]
    assert any("Nghị định 152/2025/NĐ-CP, Điều 4" in reason for reason in rows[("NV006", "BK_TTG")]["reasons"])
    assert rows[("TT01", "TTLDXS")]["reasons"][0].startswith(
        "Không đạt: chỉ 4/6 thành viên (66,67%) đạt tiêu chuẩn Lao động tiên tiến năm 2025, cần từ 70% trở lên"
    )


def test_an_old_regime_year_is_judged_and_cited_under_decree_91(worked):
    rows = by_key(answers(worked, 2022))
    assert {row["basis"] for row in rows.values()} == {
        "Luật Thi đua, khen thưởng 2003 (sửa đổi, bổ sung 2013); Nghị định 91/2017/NĐ-CP; Thông tư 12/2019/TT-BNV"
    }
    assert rows[("NV001", "LDTT")]["eligible"] and not rows[("NV002", "LDTT")]["eligible"]
    assert rows[("NV002", "LDTT")]["reasons"] == [
        "Không đạt: năm 2022 xếp loại Hoàn thành nhiệm vụ, cần từ Hoàn thành tốt nhiệm vụ trở lên "
        "— Luật Thi đua, khen thưởng 2003 (sửa đổi, bổ sung 2013), Điều 24; Nghị định 91/2017/NĐ-CP."
    ]
    assert not any("Điều 4" in reason for row in rows.values() for reason in row["reasons"])


def test_unit_warnings_go_to_stderr_and_into_the_reasons_of_the_people_concerned(worked):
    out, err = eligibility(str(worked), "--year", "2025", "--json")
    assert "Lưu ý: Đơn vị P-A: 3 người đạt tiêu chuẩn Chiến sĩ thi đua cơ sở năm 2025, vượt tỷ lệ 15% của 4 người" in err
    rows = by_key(json.loads(out))
    assert rows[("NV001", "CSTDCS")]["reasons"][-1].startswith("Lưu ý: Đơn vị P-A: 3 người")


@pytest.mark.django_db
def test_the_command_never_touches_the_database(worked, django_assert_num_queries):
    with django_assert_num_queries(0):
        answers(worked, 2025)
        eligibility(str(worked), "--year", "2024")


def test_the_command_runs_where_the_database_is_forbidden(worked):
    # No django_db mark: pytest-django refuses any database access in this test.
    assert len(answers(worked, 2025)) == len(PEOPLE) * 6 + len(COLLECTIVES) * 4


def test_the_text_output_is_vietnamese_with_the_verdicts_and_reasons(worked):
    out, _ = eligibility(str(worked), "--year", "2025")
    lines = out.splitlines()
    assert lines[0].startswith("Điều kiện xét tặng năm 2025 — căn cứ: Luật Thi đua, khen thưởng 2022")
    assert "NV004 Phạm Thị Dung (P-A)" in lines
    assert "  Bằng khen của Thủ tướng Chính phủ (BK_TTG): KHÔNG ĐẠT (có thể đề nghị ngoại lệ)" in lines
    assert "  Huân chương Lao động hạng Ba (HCLD3): ĐẠT" in lines


def test_a_file_with_errors_is_refused_with_file_line_and_field(tmp_path):
    path = tmp_path / "sai.yaml"
    text = WORKED.replace("code: BK_TTG, decision", "code: BK_TTX, decision")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        eligibility(str(path), "--year", "2025")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "BK_TTX" in row)
    assert str(caught.value).startswith(f"Tệp {path} có lỗi:\n")
    assert f'sai.yaml, dòng {line}, trường "people.awards.code": mã danh hiệu, hình thức khen thưởng không hợp lệ ("BK_TTX")' in str(caught.value)


def test_a_year_that_is_not_four_digits_is_refused(worked):
    with pytest.raises(CommandError, match="Năm xét phải là một số có 4 chữ số"):
        eligibility(str(worked), "--year", "25")


def _thidua(*args: str, tmp_path: Path, database: str | None = None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "THIDUA_PLAIN_STATIC": "1",
        "THIDUA_VAR_DIR": str(tmp_path / "var"),
        # By default a database that cannot be opened: any access would fail the command.
        "DATABASE_URL": f"sqlite:///{database or f'{tmp_path}/khong-co/thu-muc/thidua.sqlite3'}",
    }
    script = "from thidua.cli import main; main()"
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, timeout=120)


def test_exit_codes_of_the_real_command(worked, tmp_path):
    ok = _thidua("eligibility", str(worked), "--year", "2025", "--json", tmp_path=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert len(json.loads(ok.stdout)) == 50
    bad = tmp_path / "sai.yaml"
    bad.write_text("format: thidua-history/1\npeople: [{id: A}]\n", encoding="utf-8")
    refused = _thidua("eligibility", str(bad), "--year", "2025", "--json", tmp_path=tmp_path)
    assert refused.returncode == 1 and refused.stdout == ""
    assert 'sai.yaml, dòng 2, trường "people.name": thiếu trường bắt buộc' in refused.stderr
    missing_year = _thidua("eligibility", str(worked), tmp_path=tmp_path)
    assert missing_year.returncode == 2
    missing_file = _thidua("eligibility", str(tmp_path / "khong-co.yaml"), "--year", "2025", tmp_path=tmp_path)
    assert missing_file.returncode == 1 and "Không đọc được tệp" in missing_file.stderr


def test_a_refused_import_exits_non_zero_and_writes_nothing(tmp_path):
    bad = tmp_path / "sai.yaml"
    bad.write_text("format: thidua-history/1\npeople:\n  - {id: A, name: An, unit: P-A, ratings: {2025: XS}}\n", encoding="utf-8")
    database = tmp_path / "trong.sqlite3"  # an empty database: Django's system checks open it
    refused = _thidua("history", "import", str(bad), tmp_path=tmp_path, database=str(database))
    assert refused.returncode == 1
    with sqlite3.connect(database) as connection:
        assert connection.execute("select count(*) from sqlite_master where type = 'table'").fetchone() == (0,)
    assert "Tệp" in refused.stderr and "không có thay đổi nào được ghi" in refused.stderr
    assert 'sai.yaml, dòng 3, trường "people.ratings.2025": xếp loại không hợp lệ ("XS")' in refused.stderr
    assert _thidua("history", tmp_path=tmp_path).returncode == 2  # the sub-command is required
