"""The Excel round trip (COVENANT_FORMAT.md, "The Excel results sheet").

A template is downloaded, filled (by openpyxl, or by openpyxl then saved again by LibreOffice as
.xlsx and .ods), uploaded through the command or the web preview, and must score exactly like the
same figures imported from a covenant file. An upload with any error writes nothing, and says
which file, row and column.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from tests.conftest import G1_2024_COVENANT
from tests.factories import TEST_PASSWORD
from thidua.audit.models import AuditEvent
from thidua.covenants.fileformat import read_covenant
from thidua.covenants.models import Covenant, Result
from thidua.covenants.selectors import covenant_doc
from thidua.covenants.services import covenant_import
from thidua.reporting.excel import COLUMNS, results_parse, results_template
from thidua.reporting.models import ChangeSource, ResultChange
from thidua.reporting.services import report_accept, report_for, report_lock, report_submit

pytestmark = pytest.mark.django_db

SOFFICE = "/usr/bin/soffice"
HYPERLINK = '=HYPERLINK("x")'

# The figures people type into the template (as a Vietnamese user types them: "1.612,75" as text).
# None clears a figure the database holds.
FILLED = {
    ("P-A", "I.1"): {"Kế hoạch": 100, "Thực hiện": 121.5, "Ghi chú": HYPERLINK},
    ("P-B", "I.1"): {"Kế hoạch": "1.500", "Thực hiện": "1.612,75"},
    ("P-A", "I.2"): {"Thực hiện": 28, "Kỳ trước": 35},
    ("P-B", "I.2"): {"Thực hiện": 36.5},
    ("P-A", "II.1"): {"Điểm": None},
    ("P-B", "II.1"): {"Điểm": 38.25},
}
# The same figures as a covenant file would give them (the reference the upload must equal).
SAME_FIGURES = """\
results:
  - {unit: P-A, criterion: "I.1", target: 100, actual: 121.5, note: '=HYPERLINK("x")'}
  - {unit: P-B, criterion: "I.1", target: 1500, actual: 1612.75}
  - {unit: P-A, criterion: "I.2", actual: 28, baseline: 35}
  - {unit: P-B, criterion: "I.2", actual: 36.5, baseline: 35}
  - {unit: P-B, criterion: "II.1", points: 38.25}
"""


# ------------------------------------------------------------------------------ helpers


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def score_json(group: str, year: int) -> dict:
    return json.loads(run("score", group, str(year), "--json"))


def group_template(covenant: Covenant, world) -> bytes:
    return results_template(covenant=covenant, units=[world.a, world.b])


def fill(data: bytes, figures: dict) -> bytes:
    """Type figures into a template with openpyxl, finding each row by its unit and criterion codes."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Số liệu"]
    column = {cell.value: cell.column for cell in ws[1]}
    rows = {(ws.cell(r, column["Mã đơn vị"]).value, ws.cell(r, column["Mã tiêu chí"]).value): r
            for r in range(2, ws.max_row + 1)}
    for key, values in figures.items():
        if key not in rows:
            continue
        for title, value in values.items():
            cell = ws.cell(rows[key], column[title])
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed as text ('=…), as in Excel with the leading apostrophe
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "results": list(Result.objects.order_by("pk").values()),
        "changes": ResultChange.objects.count(),
        "audit": AuditEvent.objects.exclude(action__startswith="auth.").count(),  # a login is not a change
    }


def reference_scores(world) -> tuple[dict, list]:
    """The FILLED figures imported through a covenant file into a second group (G3, same members)."""
    text = G1_2024_COVENANT.replace(
        "group: {code: G1, name: Cụm thi đua số 1, kind: cluster, organiser: UBND tỉnh Phú An}",
        "group: {code: G3, name: Cụm đối chứng, kind: cluster, organiser: UBND tỉnh Phú An}",
    )
    text = text[: text.index("results:")] + SAME_FIGURES
    covenant_import(doc=read_covenant(text, filename="g3-2024.yaml"), filename="g3-2024.yaml")
    covenant = Covenant.objects.get(group_year__group__code="G3", group_year__year=2024)
    return score_json("G3", 2024), filled_results(covenant)


def filled_results(covenant: Covenant) -> list:
    """The covenant's results as the covenant file holds them, rows without any value left out."""
    return [r for r in covenant_doc(covenant=covenant).results
            if any(v is not None for v in (r.target, r.actual, r.baseline, r.points, r.note))]


def same_ranking(ours: dict, reference: dict) -> bool:
    return {k: v for k, v in ours.items() if k != "group"} == {k: v for k, v in reference.items() if k != "group"}


def upload(client, name: str, data: bytes, group: str = "G1", year: int = 2024):
    return client.post(reverse("results_excel", args=(group, year)), {"tep": SimpleUploadedFile(name, data)})


def confirm(client, preview, group: str = "G1", year: int = 2024):
    return client.post(reverse("results_excel_confirm", args=(group, year)), {"token": preview.context["token"]})


def libreoffice_convert(path: Path, fmt: str, outdir: Path) -> Path:
    """Open and save a file with LibreOffice headless (its own throwaway profile)."""
    assert Path(SOFFICE).exists(), "LibreOffice (soffice) is required: the project's setup scripts install it"
    profile = Path(f"/tmp/lo-{uuid.uuid4().hex}")
    try:
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", fmt, "--outdir", str(outdir), str(path)],
            check=True, timeout=120, capture_output=True,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    converted = outdir / f"{path.stem}.{fmt}"
    assert converted.exists(), (f"LibreOffice did not write {converted}: LibreOffice Calc is required "
                                f"(Debian: libreoffice-calc-nogui)")
    return converted


def xlsx(rows: list[list], *, guide: tuple[str, int] | None = ("G1", 2024)) -> bytes:
    """A hand-made results sheet (header first) for the validation cases."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    for row in rows:
        ws.append(row)
    if guide:
        g = wb.create_sheet("Hướng dẫn")
        g.append(["Mã cụm/khối", guide[0]])
        g.append(["Năm", guide[1]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(unit: str, criterion: str, target=None, actual=None, baseline=None, points=None, note=None) -> list:
    return [unit, "", criterion, "", "", target, actual, baseline, points, note]


# ------------------------------------------------------------------------------ the template


def test_the_leaders_group_template_has_the_header_a_frozen_pane_protection_and_validation(client, world, g1_covenant):
    login(client, world.leader_g1_2024)
    response = client.get(reverse("results_excel_template", args=("G1", 2024)))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "so-lieu-G1-2024.xlsx" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Số liệu", "Hướng dẫn"]
    ws = wb["Số liệu"]
    assert [c.value for c in ws[1]] == ["Mã đơn vị", "Tên đơn vị", "Mã tiêu chí", "Tiêu chí", "Đơn vị tính",
                                        "Kế hoạch", "Thực hiện", "Kỳ trước", "Điểm", "Ghi chú"]
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("1F4E79") and ws["A1"].font.name == "Times New Roman"
    assert ws["B2"].font.name == "Times New Roman" and ws.column_dimensions["D"].width > 30
    assert ws.freeze_panes == "A2"
    # one row per unit × criterion, leader first, criteria in covenant order, figures as numbers
    assert [(ws.cell(r, 1).value, ws.cell(r, 3).value) for r in range(2, ws.max_row + 1)] == [
        ("P-A", "I.1"), ("P-A", "I.2"), ("P-A", "II.1"), ("P-B", "I.1"), ("P-B", "I.2"), ("P-B", "II.1")]
    assert ws["B2"].value == "Huyện Ánh Dương" and ws["D2"].value == "Thu ngân sách" and ws["E2"].value == "tỷ đồng"
    assert (ws["F2"].value, ws["G2"].value, ws["I4"].value) == (100, 112.88, 45)
    assert isinstance(ws["G2"].value, float) and ws["G2"].data_type == "n" and ws["I5"].value is None
    # codes, names, criteria, measures locked; figures and the note open; the sheet protected
    assert ws.protection.sheet
    assert all(ws.cell(r, c).protection.locked for r in range(2, 8) for c in range(1, 6))
    assert not any(ws.cell(r, c).protection.locked for r in range(2, 8) for c in range(6, 11))
    validations = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    assert {"F2:F7", "G2:G7", "H2:H7", "I2:I7"} <= set(" ".join(validations).split())
    assert all(v.type == "decimal" and v.showErrorMessage and "chỉ nhận số" in v.error for v in validations.values())
    guide = wb["Hướng dẫn"]
    assert (guide["A1"].value, guide["B1"].value, guide["A2"].value, guide["B2"].value) == ("Mã cụm/khối", "G1", "Năm", 2024)


def test_text_that_looks_like_a_formula_is_written_as_text_never_as_a_formula(world, g1_covenant):
    Result.objects.filter(unit=world.a, criterion__code="I.1").update(note=HYPERLINK)
    Result.objects.filter(unit=world.b, criterion__code="I.1").update(note="+84 912 345 678")
    world.a.name = "-Huyện Ánh Dương"
    world.a.save()
    data = group_template(g1_covenant, world)
    ws = load_workbook(io.BytesIO(data))["Số liệu"]
    for cell, text in ((ws["J2"], HYPERLINK), (ws["J5"], "+84 912 345 678"), (ws["B2"], "-Huyện Ánh Dương")):
        assert cell.value == text and isinstance(cell.value, str)
        assert cell.data_type == "s" and cell.quotePrefix  # a string cell, shown with Excel's apostrophe
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Số liệu").to_python()
    assert sheet[1][9] == HYPERLINK
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_the_command_writes_the_template_of_one_unit(world, g1_covenant, tmp_path):
    out = tmp_path / "a.xlsx"
    assert "Đã ghi" in run("results-template", "G1", "2024", "--unit", "P-A", "-o", str(out))
    ws = load_workbook(out)["Số liệu"]
    assert {ws.cell(r, 1).value for r in range(2, ws.max_row + 1)} == {"P-A"} and ws.max_row == 4
    with pytest.raises(CommandError, match="không phải thành viên"):
        run("results-template", "G1", "2024", "--unit", "Q-C", "-o", str(out))


# ------------------------------------------------------------------------------ round trips


@pytest.mark.parametrize("saved_by", ["openpyxl", "libreoffice-xlsx", "libreoffice-ods"])
def test_a_filled_template_imported_by_the_command_scores_exactly_like_the_covenant_file(world, g1_covenant, tmp_path, saved_by):
    before = score_json("G1", 2024)
    path = tmp_path / "so-lieu-G1-2024.xlsx"
    path.write_bytes(fill(group_template(g1_covenant, world), FILLED))
    if saved_by != "openpyxl":
        saved = libreoffice_convert(path, saved_by.removeprefix("libreoffice-"), tmp_path / "lo")
        with zipfile.ZipFile(saved) as archive:  # really written by LibreOffice
            meta = archive.read("docProps/app.xml" if saved.suffix == ".xlsx" else "meta.xml").decode()
        assert "LibreOffice" in meta
        path = saved
    output = run("results-import", str(path))
    assert "8 thay đổi" in output and "Đã ghi 8 thay đổi" in output
    assert "dòng 5: Bình Minh (P-B) – tiêu chí I.1 – Thực hiện: 140 → 1.612,75" in output
    ours = score_json("G1", 2024)
    reference, reference_results = reference_scores(world)
    assert same_ranking(ours, reference) and ours != before
    assert filled_results(g1_covenant) == reference_results
    assert Result.objects.get(unit=world.a, criterion=g1_covenant.criteria.get(code="I.1")).note == HYPERLINK
    assert set(ResultChange.objects.values_list("source", flat=True)) == {ChangeSource.EXCEL}


def test_each_unit_uploads_its_own_template_on_the_web_and_the_scores_equal_the_covenant_file(client, world, g1_covenant,
                                                                                              settings):
    for officer, unit in ((world.officer_a, world.a), (world.officer_b, world.b)):
        login(client, officer)
        template = client.get(reverse("results_excel_unit_template", args=("G1", 2024, unit.code)))
        assert template.status_code == 200
        preview = upload(client, f"so-lieu-{unit.code}.xlsx", fill(template.content, FILLED))
        page = preview.content.decode()
        assert preview.status_code == 200 and 'id="confirm-form"' in page and not preview.context["parsed"].errors
        assert Result.objects.get(unit=world.b, criterion__code="I.1").actual == Decimal(140)  # nothing yet
        done = confirm(client, preview)
        assert done.status_code == 302
        assert "Đã ghi" in client.get(done.url).content.decode()
    reference, reference_results = reference_scores(world)
    assert same_ranking(score_json("G1", 2024), reference)
    assert filled_results(g1_covenant) == reference_results
    change = ResultChange.objects.get(result__unit=world.b, result__criterion__code="I.1", field="actual",
                                      result__criterion__covenant=g1_covenant)
    assert (change.source, change.actor, change.old_value, change.new_value) == (ChangeSource.EXCEL, world.officer_b, "140.000000", "1612.75")
    assert AuditEvent.objects.filter(action="results.imported").count() == 2
    assert not list((Path(settings.MEDIA_ROOT) / "uploads").iterdir())  # the waiting files are gone


def test_the_preview_lists_every_change_with_its_row_and_old_and_new_values(client, world, g1_covenant):
    login(client, world.officer_a)
    data = fill(results_template(covenant=g1_covenant, units=[world.a]), FILLED)
    page = upload(client, "a.xlsx", data).content.decode()
    assert "<td class=\"num\">2</td>" in page and "112,88" in page and "121,5" in page
    assert "=HYPERLINK(&quot;x&quot;)" in page  # shown as text, escaped
    assert "(trống)" in page  # the cleared points of II.1


def test_confirming_after_someone_else_changed_the_figures_shows_the_new_preview_first(client, world, g1_covenant):
    login(client, world.officer_a)
    preview = upload(client, "a.xlsx", fill(results_template(covenant=g1_covenant, units=[world.a]), FILLED))
    Result.objects.filter(unit=world.a, criterion__code="I.2").update(actual=Decimal(29))  # meanwhile, on the web
    again = confirm(client, preview)
    assert again.status_code == 200 and "Số liệu đã thay đổi kể từ lúc xem trước" in again.content.decode()
    assert Result.objects.get(unit=world.a, criterion__code="I.1").actual == Decimal("112.88")
    assert confirm(client, again).status_code == 302
    assert Result.objects.get(unit=world.a, criterion__code="I.1").actual == Decimal("121.5")


# ------------------------------------------------------------------------------ errors change nothing


def test_one_bad_cell_changes_nothing_and_the_error_names_the_file_row_and_column(client, world, g1_covenant, tmp_path):
    data = fill(results_template(covenant=g1_covenant, units=[world.a]), {
        ("P-A", "I.1"): {"Thực hiện": 130},           # a good change …
        ("P-A", "I.2"): {"Thực hiện": "12,3,4"},     # … and one bad cell on row 3
    })
    before = snapshot()
    message = "KG-2017.xlsx, dòng 3, cột «Thực hiện»: «12,3,4» không phải là số"
    login(client, world.officer_a)
    preview = upload(client, "KG-2017.xlsx", data)
    page = preview.content.decode()
    assert preview.status_code == 200 and message in page
    assert 'id="confirm-form"' not in page and preview.context["token"] is None
    path = tmp_path / "KG-2017.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError) as failure:
        run("results-import", str(path))
    assert message in str(failure.value) and "không có thay đổi nào được ghi" in str(failure.value)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([row("P-X", "I.1", 1, 2)], "t.xlsx, dòng 2, cột «Mã đơn vị»: không có đơn vị nào mã «P-X»"),
        ([row("Q-C", "I.1", 1, 2)], "t.xlsx, dòng 2, cột «Mã đơn vị»: đơn vị «Q-C» không phải thành viên của cụm/khối G1 năm 2024"),
        ([row("P-A", "IX.9", 1, 2)], "t.xlsx, dòng 2, cột «Mã tiêu chí»: giao ước không có tiêu chí mã «IX.9»"),
        ([row("P-A", "I.1", 100, 120), row("P-A", "I.1", 100, 121)],
         "t.xlsx, dòng 3, cột «Mã tiêu chí»: trùng đơn vị P-A, tiêu chí I.1 với dòng 2"),
        ([row("P-A", "I.1", 100, 112.88, points=50)], "t.xlsx, dòng 2, cột «Điểm»: Tiêu chí I.1 được chấm tự động"),
        ([row("P-A", "II.1", points=51)], "t.xlsx, dòng 2, cột «Điểm»: Điểm phải từ 0 đến 50"),
        ([row("P-A", "I.1", 100, 350)], "t.xlsx, dòng 2, cột «Thực hiện»: Thực hiện 350 bằng 350% kế hoạch, vượt quá 300% kế hoạch. Kiểm tra lại"),
        ([row("P-A", "I.1", 30, 112.88)], "t.xlsx, dòng 2, cột «Kế hoạch»: Thực hiện 112,88 bằng 376% kế hoạch"),
        ([row("P-A", "I.1", -5, 112.88)], "t.xlsx, dòng 2, cột «Kế hoạch»: Kế hoạch không được âm"),
        ([row("P-A", "I.1", 100, 112.1234567)], "t.xlsx, dòng 2, cột «Thực hiện»: Thực hiện có quá 6 chữ số thập phân"),
        ([row("P-A", "I.1", 100, True)], "t.xlsx, dòng 2, cột «Thực hiện»: «TRUE» không phải là số"),
        ([row("", "I.1", 100, 1)], "t.xlsx, dòng 2, cột «Mã đơn vị»: thiếu mã đơn vị"),
    ],
    ids=["unknown-unit", "not-a-member", "unknown-criterion", "duplicate", "points-not-manual", "points-range",
         "outlier", "outlier-by-new-plan", "negative-plan", "too-precise", "boolean", "no-unit"],
)
def test_a_row_the_rules_refuse_is_an_error_and_makes_no_edit(world, g1_covenant, rows, expected):
    parsed = results_parse(xlsx([list(COLUMNS), *rows]), filename="t.xlsx", covenant=g1_covenant)
    assert any(error.startswith(expected) for error in parsed.errors), parsed.errors


def test_columns_in_another_order_with_vietnamese_text_figures_are_read(world, g1_covenant):
    header = ["Ghi chú", "Điểm", "Kỳ trước", "Thực hiện", "Kế hoạch", "Mã tiêu chí", "Mã đơn vị"]
    data = xlsx([["Bảng số liệu năm 2024"], [], header, [None, None, None, "1.234,5", "1.000", "I.1", "P-A"]])
    parsed = results_parse(data, filename="t.xlsx", covenant=g1_covenant)
    assert not parsed.errors
    assert sorted((e.field, e.value) for e in parsed.edits) == [("actual", Decimal("1234.5")), ("target", Decimal(1000))]
    assert parsed.changes == ["dòng 4: Ánh Dương (P-A) – tiêu chí I.1 – Kế hoạch: 100 → 1.000",
                              "dòng 4: Ánh Dương (P-A) – tiêu chí I.1 – Thực hiện: 112,88 → 1.234,5"]


def test_a_sheet_without_a_required_column_is_refused_as_a_whole(world, g1_covenant):
    header = [c for c in COLUMNS if c != "Kỳ trước"]
    parsed = results_parse(xlsx([header, ["P-A", "", "I.1", "", "", 100, 120, None, None]]), filename="t.xlsx", covenant=g1_covenant)
    assert parsed.errors == ["t.xlsx, dòng 1: thiếu cột «Kỳ trước». Hãy dùng tệp mẫu tải từ hệ thống."] and not parsed.edits


def test_the_unchanged_template_changes_nothing(world, g1_covenant):
    parsed = results_parse(group_template(g1_covenant, world), filename="t.xlsx", covenant=g1_covenant)
    assert not parsed.errors and not parsed.edits and len(parsed.rows) == 6


def test_a_dry_run_lists_the_changes_and_writes_nothing(world, g1_covenant, tmp_path):
    path = tmp_path / "g1.xlsx"
    path.write_bytes(fill(group_template(g1_covenant, world), FILLED))
    before = snapshot()
    output = run("results-import", str(path), "--dry-run")
    assert "8 thay đổi" in output and "Chạy thử (--dry-run): không ghi thay đổi nào." in output
    assert snapshot() == before


def test_the_group_and_year_can_be_given_when_the_file_does_not_say(world, g1_covenant, tmp_path):
    path = tmp_path / "bare.xlsx"
    path.write_bytes(xlsx([list(COLUMNS), row("P-A", "I.1", 100, 120)], guide=None))
    with pytest.raises(CommandError, match="--group"):
        run("results-import", str(path))
    assert "Đã ghi 1 thay đổi" in run("results-import", str(path), "--group", "G1", "--year", "2024")
    assert Result.objects.get(unit=world.a, criterion__code="I.1").actual == Decimal(120)


# ------------------------------------------------------------------------------ who may do what


@pytest.mark.parametrize(
    ("actor", "status"),
    [("leader_g1_2024", 200), ("board_p", 200), ("national_board", 200), ("officer_a", 403),
     ("head_a", 403), ("council_g1", 403), ("reader_g1", 403), ("officer_c", 404), ("outsider", 404)],
)
def test_only_the_leader_and_the_board_download_the_whole_groups_template(client, world, g1_covenant, actor, status):
    login(client, getattr(world, actor))
    assert client.get(reverse("results_excel_template", args=("G1", 2024))).status_code == status


@pytest.mark.parametrize(
    ("actor", "unit", "status"),
    [("officer_a", "P-A", 200), ("officer_a", "P-B", 404), ("officer_c", "P-A", 404), ("leader_g1_2024", "P-B", 200),
     ("council_g1", "P-B", 200), ("officer_a", "Q-C", 404)],
)
def test_a_unit_officer_downloads_only_their_own_units_template(client, world, g1_covenant, actor, unit, status):
    login(client, getattr(world, actor))
    assert client.get(reverse("results_excel_unit_template", args=("G1", 2024, unit))).status_code == status


def test_a_unit_officer_cannot_upload_rows_of_another_unit(client, world, g1_covenant):
    data = fill(group_template(g1_covenant, world), FILLED)
    before = snapshot()
    login(client, world.officer_a)
    preview = upload(client, "g1.xlsx", data)
    page = preview.content.decode()
    for number in (5, 6, 7):  # the rows of Bình Minh
        assert (f"g1.xlsx, dòng {number}, cột «Mã đơn vị»: bạn không có quyền nhập số liệu cho Huyện Bình Minh (P-B)"
                in page)
    assert "dòng 2, cột «Mã đơn vị»" not in page and 'id="confirm-form"' not in page
    assert client.post(reverse("results_excel_confirm", args=("G1", 2024)), {"token": "x"}).status_code == 302
    assert snapshot() == before


@pytest.mark.parametrize(("actor", "status"), [("leader_g1_2024", 403), ("reader_g1", 403), ("officer_c", 404)])
def test_those_who_enter_no_data_for_the_group_cannot_upload(client, world, g1_covenant, actor, status):
    login(client, getattr(world, actor))
    data = fill(group_template(g1_covenant, world), FILLED)
    assert upload(client, "g1.xlsx", data).status_code == status


def test_a_locked_report_refuses_the_upload_with_the_lock_message(client, world, g1_covenant, tmp_path):
    report = report_submit(report=report_for(covenant=g1_covenant, unit=world.a), actor=world.head_a)
    report_accept(report=report, actor=world.leader_g1_2024)
    report_lock(report=report, actor=world.leader_g1_2024)
    data = fill(results_template(covenant=g1_covenant, units=[world.a]), FILLED)
    before = snapshot()
    login(client, world.officer_a)
    preview = upload(client, "a.xlsx", data)
    page = preview.content.decode()
    assert "a.xlsx, dòng 2, cột «Mã đơn vị»: báo cáo của Huyện Ánh Dương không sửa được." in page
    assert "Số liệu đã khóa ngày" in page and "Chỉ Ban Thi đua – Khen thưởng mở lại được" in page
    assert 'id="confirm-form"' not in page
    path = tmp_path / "a.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="Số liệu đã khóa ngày"):
        run("results-import", str(path))
    assert snapshot() == before


def test_a_report_submitted_between_the_preview_and_the_confirmation_is_not_changed(client, world, g1_covenant):
    login(client, world.officer_a)
    preview = upload(client, "a.xlsx", fill(results_template(covenant=g1_covenant, units=[world.a]), FILLED))
    assert 'id="confirm-form"' in preview.content.decode()
    report_submit(report=report_for(covenant=g1_covenant, unit=world.a), actor=world.head_a)
    before = snapshot()
    refused = confirm(client, preview)
    page = refused.content.decode()
    assert refused.status_code == 200 and "đang chờ cụm trưởng xem xét" in page and 'id="confirm-form"' not in page
    assert snapshot() == before


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (51 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("so-lieu.xlsx", b"Ma don vi;Ma tieu chi\nP-A;I.1\n", "không phải là tệp .xlsx hoặc .ods hợp lệ"),
        ("so-lieu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel 97–2003 (.xls)"),
        ("so-lieu.csv", b"PK\x03\x04", "chỉ nhận tệp .xlsx (Excel) hoặc .ods (LibreOffice)"),
        ("so-lieu.xlsx", b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024), "lớn hơn 5 MB, không nhận"),
        ("so-lieu.xlsx", b"PK\x03\x04 broken", "tệp bị hỏng"),
        ("bom.xlsx", None, "khi giải nén lớn hơn 50 MB"),
    ],
    ids=["text", "xls", "csv", "oversized", "broken-zip", "zip-bomb"],
)
def test_a_file_that_is_not_a_small_spreadsheet_gets_a_clear_error_and_no_500(client, world, g1_covenant, name, content, message):
    login(client, world.officer_a)
    response = upload(client, name, _zip_bomb() if content is None else content)
    assert response.status_code == 200
    assert message in response.content.decode() and 'id="confirm-form"' not in response.content.decode()
    assert "thidua_excel_upload" not in client.session


def test_the_upload_still_needs_the_csrf_token(world, g1_covenant):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, world.officer_a)
    data = fill(results_template(covenant=g1_covenant, units=[world.a]), FILLED)
    assert upload(client, "a.xlsx", data).status_code == 403


def test_a_formula_typed_in_a_note_survives_as_text_both_ways(client, world, g1_covenant):
    login(client, world.officer_a)
    data = fill(results_template(covenant=g1_covenant, units=[world.a]), {("P-A", "I.2"): {"Ghi chú": '=HYPERLINK("http://x","bấm")'}})
    assert confirm(client, upload(client, "a.xlsx", data)).status_code == 302
    assert Result.objects.get(unit=world.a, criterion__code="I.2").note == '=HYPERLINK("http://x","bấm")'
    again = client.get(reverse("results_excel_unit_template", args=("G1", 2024, "P-A")))
    cell = load_workbook(io.BytesIO(again.content))["Số liệu"]["J3"]
    assert cell.value == '=HYPERLINK("http://x","bấm")' and cell.data_type == "s"


def test_the_upload_page_offers_each_user_their_own_templates(client, world, g1_covenant):
    login(client, world.officer_a)
    page = client.get(reverse("results_excel", args=("G1", 2024))).content.decode()
    assert reverse("results_excel_unit_template", args=("G1", 2024, "P-A")) in page
    assert reverse("results_excel_unit_template", args=("G1", 2024, "P-B")) not in page
    assert reverse("results_excel_template", args=("G1", 2024)) not in page and 'id="upload-form"' in page
    login(client, world.leader_g1_2024)
    page = client.get(reverse("results_excel", args=("G1", 2024))).content.decode()
    assert reverse("results_excel_template", args=("G1", 2024)) in page and 'id="upload-form"' not in page
