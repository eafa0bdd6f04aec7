"""Excel lists of people and collectives: the template, a filled workbook read back into the
history (round trip), every error named by file, sheet, row and column, nothing written on error;
the same through `thidua history import FILE.xlsx` and a workbook saved by LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from thidua.audit.models import AuditEvent
from thidua.awards import excel
from thidua.awards.models import AnnualRating, Collective, Discipline, Initiative, Person, TitleOrAward
from thidua.awards.selectors import history_of
from thidua.awards.services import history_import

pytestmark = pytest.mark.django_db

SOFFICE = "/usr/bin/soffice"
TABLES = (Person, Collective, AnnualRating, TitleOrAward, Initiative, Discipline, AuditEvent)


def snapshot() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in TABLES}


def fill(data: bytes, rows: dict[str, list[list]]) -> bytes:
    """The downloaded template with `rows` appended under each sheet's header, as a user would."""
    wb = load_workbook(io.BytesIO(data))
    for sheet, values in rows.items():
        ws = wb[sheet]
        for number, row in enumerate(values, start=2):
            for column, value in enumerate(row, start=1):
                cell = ws.cell(row=number, column=column, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # typed as text ('=1+1), not a formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


FILLED = {
    excel.COLLECTIVES: [["TT-KT", "Phòng Kế toán Ánh Dương", "P-A", "Phòng Kế toán"]],
    excel.PEOPLE: [
        ["001", "Nguyễn Thị Hoa", "P-A", 1985, "Kế toán viên", "Có", dt.date(2012, 3, 1), "TT-KT"],
        ["002", "Trần Văn Bảo", "P-A", None, "=1+1", "Không", "01/06/2015", None],
    ],
    excel.RATINGS: [["001", 2024, "HTXS"], ["001", 2025, "HTT"], ["002", 2025, "HT"], ["TT-KT", 2025, "HTXS"]],
    excel.GRANTS: [
        ["001", 2024, "CSTDCS", "12/QĐ-UBND", dt.date(2025, 1, 15), "Chủ tịch UBND huyện", None],
        ["001", 2023, "BK_TINH", "99/QĐ-UBND", "20/01/2024", "Chủ tịch UBND tỉnh", None],
        ["TT-KT", 2024, "TTLDTT", None, None, None, None],
    ],
    excel.INITIATIVES: [["001", "SK-1", 2024, "co_so", "Hội đồng sáng kiến huyện", None]],
    excel.DISCIPLINE: [["002", 2025, "khien_trach"]],
}


def test_the_template_has_a_sheet_per_table_with_required_columns_marked(world):
    wb = load_workbook(io.BytesIO(excel.history_template()))
    assert wb.sheetnames == [*excel.SHEETS, excel.GUIDE]
    headers = [c.value for c in wb[excel.PEOPLE][1]]
    assert headers[:3] == ["Mã cá nhân (*)", "Họ và tên (*)", "Mã đơn vị (*)"]
    assert wb[excel.PEOPLE]["A2"].number_format == "@"  # codes such as 001 stay text
    guide = "\n".join(str(c.value) for c in wb[excel.GUIDE]["A"] if c.value)
    assert "BK_TTG: Bằng khen của Thủ tướng Chính phủ" in guide


def test_a_filled_template_round_trips_into_the_history(world):
    parsed = excel.history_parse(fill(excel.history_template(), FILLED), filename="ds.xlsx")
    assert parsed.errors == []
    report = history_import(history=parsed.history, filename="ds.xlsx")
    assert report.people.created == 2 and report.collectives.created == 1
    hoa = Person.objects.get(external_id="001")
    assert (hoa.name, hoa.unit, hoa.birth_year, hoa.direct_worker, hoa.hired_on) == (
        "Nguyễn Thị Hoa", world.a, 1985, True, dt.date(2012, 3, 1))
    assert hoa.collective.external_id == "TT-KT"
    bao = Person.objects.get(external_id="002")
    assert bao.position == "=1+1" and bao.hired_on == dt.date(2015, 6, 1)  # text stays text
    history = history_of(people=Person.objects.filter(external_id="001"), collectives=Collective.objects.none())
    person = history.people[0]
    assert dict(person.ratings) == {2024: "HTXS", 2025: "HTT"}
    assert [(g.code, g.year, g.decision, g.decision_date) for g in person.titles] == [
        ("CSTDCS", 2024, "12/QĐ-UBND", dt.date(2025, 1, 15))]
    assert [(g.code, g.decision_date, g.authority) for g in person.awards] == [
        ("BK_TINH", dt.date(2024, 1, 20), "Chủ tịch UBND tỉnh")]
    assert [(i.id, i.scope, i.used_by) for i in person.initiatives] == [("SK-1", "co_so", None)]
    assert Discipline.objects.get(person=bao).level == "khien_trach"
    assert TitleOrAward.objects.get(collective__external_id="TT-KT").code == "TTLDTT"


def test_rows_may_name_people_already_recorded_and_empty_cells_keep_what_is_recorded(world):
    history_import(history=excel.history_parse(fill(excel.history_template(), FILLED), filename="a.xlsx").history,
                   filename="a.xlsx")  # fmt: skip
    later = {excel.RATINGS: [["001", 2026, "HTXS"]], excel.PEOPLE: [["002", "Trần Văn Bảo", "P-A"]]}
    parsed = excel.history_parse(fill(excel.history_template(), later), filename="b.xlsx")
    assert parsed.errors == []
    history_import(history=parsed.history, filename="b.xlsx")
    assert AnnualRating.objects.get(person__external_id="001", year=2026).rating == "HTXS"
    bao = Person.objects.get(external_id="002")
    assert bao.position == "=1+1" and bao.hired_on == dt.date(2015, 6, 1)  # empty cells changed nothing


def test_every_error_names_the_file_sheet_row_and_column(world):
    bad = {
        excel.PEOPLE: [["001", "Nguyễn Thị Hoa", "KHONG-CO"], ["002", None, "P-A", 85, None, "Có lẽ", "31/02/2020"]],
        excel.RATINGS: [["002", "năm 2025", "GIOI"], ["999", 2025, "HTT"]],
        excel.GRANTS: [["002", 2025, "BK_XYZ"], ["002", 2025, "TTLDTT"]],
    }
    parsed = excel.history_parse(fill(excel.history_template(), bad), filename="loi.xlsx")
    assert parsed.history is None
    errors = set(parsed.errors)
    assert "loi.xlsx, sheet «Cá nhân», dòng 2, cột «Mã đơn vị»: không có đơn vị nào mã «KHONG-CO»; hãy khai báo đơn vị trước khi nhập." in errors
    assert "loi.xlsx, sheet «Cá nhân», dòng 3, cột «Họ và tên»: không được để trống." in errors
    assert "loi.xlsx, sheet «Cá nhân», dòng 3, cột «Năm sinh»: năm phải là một số có 4 chữ số, không phải «85»." in errors
    assert "loi.xlsx, sheet «Cá nhân», dòng 3, cột «Lao động trực tiếp»: ghi «Có» hoặc «Không», không phải «Có lẽ»." in errors
    assert any(e.startswith("loi.xlsx, sheet «Cá nhân», dòng 3, cột «Ngày tuyển dụng»: ngày không hợp lệ: «31/02/2020»") for e in errors)


def test_history_rows_are_checked_against_the_file_and_the_codes(world):
    bad = {
        excel.PEOPLE: [["002", "Trần Văn Bảo", "P-A"]],
        excel.RATINGS: [["002", "năm 2025", "GIOI"], ["999", 2025, "HTT"], ["002", 2024, "HTT"], ["002", 2024, "HT"]],
        excel.GRANTS: [["002", 2025, "BK_XYZ"], ["002", 2025, "TTLDTT"]],
        excel.INITIATIVES: [["002", "SK", 2025, "xa"]],
    }
    errors = set(excel.history_parse(fill(excel.history_template(), bad), filename="loi.xlsx").errors)
    assert "loi.xlsx, sheet «Xếp loại», dòng 2, cột «Năm»: năm phải là một số có 4 chữ số, không phải «năm 2025»." in errors
    assert "loi.xlsx, sheet «Xếp loại», dòng 2, cột «Xếp loại»: xếp loại không hợp lệ («GIOI»); chọn một trong: HTXS, HTT, HT, KHT." in errors
    assert any(e.startswith("loi.xlsx, sheet «Xếp loại», dòng 3, cột «Mã cá nhân, tập thể»: không có cá nhân, tập thể nào mã «999»") for e in errors)
    assert "loi.xlsx, sheet «Xếp loại», dòng 5: xếp loại năm 2024 của 002 bị lặp (đã có ở dòng 4)." in errors
    assert any(e.startswith("loi.xlsx, sheet «Khen thưởng», dòng 2, cột «Mã danh hiệu, hình thức»: mã danh hiệu") for e in errors)
    assert "loi.xlsx, sheet «Khen thưởng», dòng 3, cột «Mã danh hiệu, hình thức»: Tập thể lao động tiên tiến (TTLDTT) không xét tặng cho cá nhân." in errors
    assert any("sheet «Sáng kiến», dòng 2, cột «Phạm vi ảnh hưởng»: phạm vi ảnh hưởng không hợp lệ («xa»)" in e for e in errors)


def test_a_workbook_that_is_not_the_template_is_refused_with_a_reason(world):
    wb = Workbook()
    wb.active.title = "Sheet1"
    out = io.BytesIO()
    wb.save(out)
    parsed = excel.history_parse(out.getvalue(), filename="khac.xlsx")
    assert parsed.errors == ["khac.xlsx: không có sheet «Cá nhân» hoặc «Tập thể». Hãy dùng tệp mẫu tải từ hệ thống."]
    assert excel.history_parse(b"not a zip", filename="x.xlsx").errors[0].startswith("x.xlsx: không phải là tệp .xlsx")
    wb = load_workbook(io.BytesIO(excel.history_template()))
    wb[excel.PEOPLE].delete_cols(2)  # no «Họ và tên» column
    out = io.BytesIO()
    wb.save(out)
    assert "thiếu cột «Họ và tên»" in excel.history_parse(out.getvalue(), filename="t.xlsx").errors[0]


def test_rows_of_units_outside_the_uploaders_scope_are_refused(world):
    history_import(history=excel.history_parse(fill(excel.history_template(), FILLED), filename="a.xlsx").history,
                   filename="a.xlsx")  # fmt: skip
    rows = {excel.PEOPLE: [["003", "Lê Văn Cần", "P-B"], ["001", "Nguyễn Thị Hoa", "P-B"]]}
    errors = excel.history_parse(fill(excel.history_template(), rows), filename="b.xlsx", allowed_units={world.b.pk}).errors
    assert errors == [
        "b.xlsx, sheet «Cá nhân», dòng 3, cột «Mã cá nhân»: mã «001» đã được ghi nhận ở đơn vị ngoài phạm vi của bạn; không sửa được."
    ]
    errors = excel.history_parse(fill(excel.history_template(), rows), filename="b.xlsx", allowed_units={world.a.pk}).errors
    assert "b.xlsx, sheet «Cá nhân», dòng 2, cột «Mã đơn vị»: đơn vị «P-B» (Huyện Bình Minh) ngoài phạm vi bạn được nhập." in errors


# --- The command ------------------------------------------------------------------------------------


def test_the_command_imports_a_workbook_in_one_transaction(world, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(fill(excel.history_template(), FILLED))
    out = io.StringIO()
    call_command("history", "import", str(path), stdout=out)
    assert out.getvalue().startswith("ds.xlsx: đã nhập 2 cá nhân (2 mới); 1 tập thể (1 mới); 4 xếp loại (4 mới);")
    assert AuditEvent.objects.filter(action="awards.history_imported").count() == 1


def test_the_command_writes_nothing_from_a_workbook_with_an_error(world, tmp_path):
    rows = {**FILLED, excel.RATINGS: [*FILLED[excel.RATINGS], ["002", 2024, "TOT"]]}
    path = tmp_path / "loi.xlsx"
    path.write_bytes(fill(excel.history_template(), rows))
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("history", "import", str(path), stdout=io.StringIO())
    assert "không có thay đổi nào được ghi" in str(error.value)
    assert "loi.xlsx, sheet «Xếp loại», dòng 6, cột «Xếp loại»: xếp loại không hợp lệ («TOT»)" in str(error.value)
    assert snapshot() == before


# --- A workbook saved by LibreOffice ----------------------------------------------------------------


def libreoffice_convert(path: Path, fmt: str, outdir: Path) -> Path:
    """Open and save a file with LibreOffice headless (its own throwaway profile)."""
    profile = Path(f"/tmp/lo-{uuid.uuid4().hex}")
    try:
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", fmt, "--outdir", str(outdir), str(path)],
            check=True, timeout=180, capture_output=True,
        )  # fmt: skip
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return outdir / f"{path.stem}.{fmt}"


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_workbook_saved_by_libreoffice_imports_the_same(world, tmp_path, fmt):
    assert Path(SOFFICE).exists(), "LibreOffice (soffice) is required: scripts/install-system-deps installs it"
    source = tmp_path / "ds.xlsx"
    source.write_bytes(fill(excel.history_template(), FILLED))
    saved = libreoffice_convert(source, fmt, tmp_path / "lo")
    parsed = excel.history_parse(saved.read_bytes(), filename=saved.name)
    assert parsed.errors == []
    direct = excel.history_parse(source.read_bytes(), filename=source.name)
    assert parsed.history == direct.history  # same people, dates, codes (001 stays 001), records


def test_a_history_row_cannot_reach_a_person_recorded_in_another_unit(world):
    history_import(history=excel.history_parse(fill(excel.history_template(), FILLED), filename="a.xlsx").history,
                   filename="a.xlsx")  # fmt: skip
    rows = {excel.PEOPLE: [["003", "Lê Văn Cần", "P-B"]], excel.RATINGS: [["001", 2026, "HTXS"]]}
    errors = excel.history_parse(fill(excel.history_template(), rows), filename="b.xlsx", allowed_units={world.b.pk}).errors
    assert len(errors) == 1 and errors[0].startswith(
        "b.xlsx, sheet «Xếp loại», dòng 2, cột «Mã cá nhân, tập thể»: không có cá nhân, tập thể nào mã «001»")
    assert not AnnualRating.objects.filter(year=2026).exists()
