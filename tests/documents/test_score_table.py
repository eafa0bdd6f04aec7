"""The score table (XLSX): the figures are those of `thidua score G1 2024 --json`, as numbers in the
format #,##0.00, with frozen bold titles; user text is never a formula; who may download it."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import TEST_PASSWORD
from thidua.covenants.models import Adjustment
from thidua.documents.score_table import FIRST_DATA_ROW, HEADER_ROW, MAX_ROW, SHEET, score_table_xlsx

pytestmark = pytest.mark.urls("tests.documents.urls_for_tests")

INJECTION = '=HYPERLINK("x")'


def score_json(code: str = "G1", year: int = 2024) -> dict:
    out = io.StringIO()
    call_command("score", code, str(year), "--json", stdout=out)
    return json.loads(out.getvalue())


def sheet(data: bytes):
    return load_workbook(io.BytesIO(data))[SHEET]


def titles(ws) -> list[str]:
    return [cell.value for cell in ws[HEADER_ROW]]


def data_rows(ws) -> list[dict]:
    names = titles(ws)
    return [dict(zip(names, (cell.value for cell in row), strict=True))
            for row in ws.iter_rows(min_row=FIRST_DATA_ROW)]


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


def url(year: int = 2024) -> str:
    return reverse("score_table_xlsx", args=("G1", year))


def test_the_figures_are_those_of_the_score_command(world, g1_covenant):
    Adjustment.objects.create(covenant=g1_covenant, unit=world.b, points=Decimal("-2.5"), reason="Chậm báo cáo")
    expected = score_json()
    ws = sheet(score_table_xlsx(group_year=world.g1_2024))
    assert titles(ws) == ["Hạng", "Mã đơn vị", "Đơn vị", "I. Phát triển kinh tế - xã hội",
                          "II. Xây dựng hệ thống chính trị", "Thưởng/trừ", "Tổng điểm", "I.1. Thu ngân sách",
                          "I.2. Tai nạn giao thông", "II.1. Xây dựng Đảng"]
    rows = data_rows(ws)
    assert [row["Mã đơn vị"] for row in rows] == [line["unit"] for line in expected["ranking"]] == ["P-A", "P-B"]
    assert [row["Đơn vị"] for row in rows] == ["Huyện Ánh Dương", "Huyện Bình Minh"]
    for row, line in zip(rows, expected["ranking"], strict=True):
        assert row["Hạng"] == line["rank"]
        assert row["Tổng điểm"] == line["total"]
        assert row["Thưởng/trừ"] == line["adjustments"]
        assert [row[t] for t in titles(ws)[3:5]] == list(line["contents"].values())
        assert [row[t] for t in titles(ws)[7:]] == list(line["criteria"].values())
    assert rows[0]["Tổng điểm"] == 141.44 and rows[1]["Thưởng/trừ"] == -2.5
    maxima = {t: c.value for t, c in zip(titles(ws), ws[MAX_ROW], strict=True)}
    assert (maxima["Đơn vị"], maxima["Tổng điểm"], maxima["I. Phát triển kinh tế - xã hội"],
            maxima["I.1. Thu ngân sách"]) == ("Điểm tối đa", 1000, 600, 60)


def test_numbers_are_numbers_in_the_grouped_two_decimal_format_under_frozen_bold_titles(world, g1_covenant):
    ws = sheet(score_table_xlsx(group_year=world.g1_2024))
    assert ws.title == "Bảng điểm"
    assert ws["A2"].value == "BẢNG ĐIỂM VÀ XẾP HẠNG THI ĐUA NĂM 2024"
    assert ws["A1"].value == "UBND TỈNH PHÚ AN" and ws["A3"].value.startswith("Cụm thi đua số 1 – thang điểm 1.000")
    assert ws.freeze_panes == f"D{FIRST_DATA_ROW}"
    assert all(cell.font.b for cell in ws[HEADER_ROW])
    for row in ws.iter_rows(min_row=FIRST_DATA_ROW, min_col=4):
        for cell in row:
            assert cell.data_type == "n" and isinstance(cell.value, int | float), cell.coordinate
            assert cell.number_format == "#,##0.00", cell.coordinate
    assert ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:")


def test_user_text_that_looks_like_a_formula_stays_text(world, g1_covenant):
    world.b.name = INJECTION
    world.b.save()
    criterion = g1_covenant.criteria.get(code="I.2")
    criterion.title = "+SUM(A1:A9)"
    criterion.save()
    data = score_table_xlsx(group_year=world.g1_2024)
    ws = sheet(data)
    cell = next(row[2] for row in ws.iter_rows(min_row=FIRST_DATA_ROW) if row[1].value == "P-B")
    assert cell.value == INJECTION and cell.data_type == "s" and cell.quotePrefix
    header = next(c for c in ws[HEADER_ROW] if c.value and c.value.startswith("I.2."))
    assert header.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere in the sheet


# ------------------------------------------------------------------------------ downloads and access


def test_anyone_who_reads_the_group_year_downloads_the_score_table(client, world, g1_covenant):
    for user in (world.reader_g1, world.officer_b, world.council_g1, world.board_p):
        login(client, user)
        response = client.get(url())
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert response["Content-Disposition"] == 'attachment; filename="bang-diem-G1-2024.xlsx"'
    assert data_rows(sheet(response.content))[0]["Tổng điểm"] == score_json()["ranking"][0]["total"]


def test_outside_scope_or_without_a_covenant_there_is_no_score_table(client, world, g1_covenant):
    for user in (world.outsider, world.officer_c):
        login(client, user)
        assert client.get(url()).status_code == 404, user
    login(client, world.reader_g1)
    assert client.get(url(2025)).status_code == 404  # G1 2025 has no covenant
