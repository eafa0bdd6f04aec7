"""The year-end report: the demo acceptance (Kiên Giang cluster 2, 2017), the Decree 30 layout of the
DOCX and the PDF, the figures against `thidua score --json`, the command on any imported covenant,
and who may download and edit.

The demo report is built once for the module (inside a transaction rolled back at once, so no row
outlives the fixture) through `thidua report … -o FILE.docx|.pdf`; the tests read the DOCX with
python-docx (paragraphs and table cells) and the PDF with poppler (pdftotext, pdftoppm), which must be
installed: the PDF checks fail, never skip, without them.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from thidua.documents import report
from thidua.documents.models import ReportText
from thidua.lib.numbers import format_number
from thidua.org.models import GroupYear, Unit

ROOT = Path(__file__).resolve().parents[2]
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]

ACCEPTANCE = (
    "925,128 tỷ đồng", "105,2% kế hoạch", "5/5 đơn vị", "Châu Thành vượt 26,6%", "18.596", "107,49%",
    "đơn vị dẫn đầu là Giồng Riềng với số điểm đạt 912/1.000 điểm chuẩn",
    "đơn vị đạt hạng nhì là Tân Hiệp đạt 911,43/1.000 điểm chuẩn",
    "Châu Thành làm Cụm trưởng và Hòn Đất làm Cụm phó Cụm thi đua số 2 năm 2018",
    "Cờ thi đua của Ủy ban nhân dân tỉnh",
)
HEADER = (
    "UBND TỈNH KIÊN GIANG", "CỤM THI ĐUA SỐ 2", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
    "Kiên Giang, ngày 24 tháng 01 năm 2018", "BÁO CÁO",
    "Tổng kết phong trào thi đua năm 2017 và phương hướng, nhiệm vụ năm 2018", "Nơi nhận:", "TM. CỤM THI ĐUA SỐ 2",
)


def tool(name: str) -> str:
    """A poppler tool: the PDF checks must fail, not skip, when it is missing."""
    path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    assert path, f"{name} (poppler-utils) is required to check the report PDF"
    return path


def pdf_text(path: Path) -> str:
    return subprocess.run([tool("pdftotext"), "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def flat(text: str) -> str:
    """Lines wrapped inside a justified paragraph join again: whitespace runs become one space."""
    return " ".join(text.split())


def docx_text(content: bytes) -> tuple[str, list[list[list[str]]]]:
    """All paragraph and table-cell text of a DOCX, and its tables as rows of cell texts."""
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    tables = []
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        tables.append(rows)
        parts.extend(cell for row in rows for cell in row)
    return "\n".join(parts), tables


def ranking_table(tables: list[list[list[str]]]) -> list[list[str]]:
    return next(rows for rows in tables if rows[0][0] == "Hạng")


def expected_rows(score_json: dict, labels: dict[str, str]) -> list[list[str]]:
    """The ranking as the report must print it: the JSON numbers in Vietnamese notation."""
    def vi(value) -> str:
        return format_number(Decimal(str(value)), places=2)

    return [[str(line["rank"]), labels[line["unit"]], *[vi(v) for v in line["contents"].values()],
             vi(line["adjustments"]), vi(line["total"])] for line in score_json["ranking"]]


def score_json(group: str, year: int) -> dict:
    out = io.StringIO()
    call_command("score", group, str(year), "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded, the KG-CTD2 2017 report written by the command as DOCX and PDF, the score JSON;
    then everything rolled back. Only plain values leave the fixture."""
    folder = tmp_path_factory.mktemp("bao-cao")
    docx_path, pdf_path = folder / "bao-cao.docx", folder / "bao-cao.pdf"
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic():
        call_command("demo", stdout=io.StringIO())
        out = io.StringIO()
        call_command("report", "KG-CTD2", "2017", "-o", str(docx_path), stdout=out)
        call_command("report", "KG-CTD2", "2017", "-o", str(pdf_path), stdout=out)
        scores = score_json("KG-CTD2", 2017)
        labels = {u.code: u.label for u in Unit.objects.filter(code__in=[line["unit"] for line in scores["ranking"]])}
        data = report.report_data(group_year=GroupYear.objects.get(group__code="KG-CTD2", year=2017))
        transaction.set_rollback(True)
    text, tables = docx_text(docx_path.read_bytes())
    return SimpleNamespace(docx=docx_path.read_bytes(), docx_text=text, tables=tables, pdf_path=pdf_path,
                           pdf_text=pdf_text(pdf_path), scores=scores, labels=labels, data=data,
                           output=out.getvalue())


# ------------------------------------------------------------------------------ acceptance (demo)


def test_the_command_reports_what_it_wrote(demo):
    assert "Đã lập báo cáo tổng kết Cụm thi đua số 2 năm 2017" in demo.output
    assert demo.docx[:2] == b"PK" and demo.pdf_path.read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize("needle", ACCEPTANCE + HEADER)
def test_the_docx_holds_every_acceptance_figure_with_its_diacritics(demo, needle):
    assert needle in demo.docx_text


@pytest.mark.parametrize("needle", ACCEPTANCE + HEADER)
def test_the_pdf_text_holds_every_acceptance_figure_with_its_diacritics(demo, needle):
    assert needle in flat(demo.pdf_text)


def test_the_ranking_table_of_the_docx_equals_the_score_json(demo):
    rows = ranking_table(demo.tables)
    assert rows[0] == ["Hạng", "Đơn vị", "Nội dung I", "Nội dung II", "Nội dung III", "Thưởng/trừ", "Tổng điểm"]
    assert rows[1:] == expected_rows(demo.scores, demo.labels)
    assert rows[1][1] == "Giồng Riềng" and rows[1][-1] == "912,00"
    assert rows[2][1] == "Tân Hiệp" and rows[2][-1] == "911,43"


def test_the_ranking_rows_of_the_pdf_equal_the_score_json(demo):
    for row in expected_rows(demo.scores, demo.labels):
        pattern = r"\s+".join(re.escape(cell) for cell in row)
        assert re.search(pattern, demo.pdf_text), row


def test_the_proposals_table_names_the_leading_unit_with_its_points(demo):
    proposals = next(rows for rows in demo.tables if rows[0][0] == "TT")
    assert proposals[1] == ["1", "Giồng Riềng", "Cờ thi đua của Ủy ban nhân dân tỉnh", "1", "912,00"]
    assert proposals[2][1:3] == ["Tân Hiệp", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"]


def test_the_docx_is_a4_with_the_decree_30_margins_font_and_header_without_borders(demo):
    document = docx.Document(io.BytesIO(demo.docx))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [20, 20, 30, 15]
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and 13 <= normal.font.size.pt <= 14
    header = document.tables[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header.rows[0].cells[1].text
    assert "CỤM THI ĐUA SỐ 2" in header.rows[0].cells[0].text
    borders = header._tbl.tblPr.xpath("./w:tblBorders/*")
    assert borders and all(b.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") == "nil"
                           for b in borders)
    date = next(p for p in header.rows[0].cells[1].paragraphs if "ngày 24 tháng 01 năm 2018" in p.text)
    assert all(run.italic for run in date.runs)
    title = next(p for p in document.paragraphs if p.text == "BÁO CÁO")
    assert title.alignment == 1 and all(run.bold for run in title.runs)  # centred, bold
    assert section.different_first_page_header_footer  # page numbers from page 2 on
    assert len(document.inline_shapes) == 2  # the heat map and the ranking bars


def test_the_pdf_is_a4_with_embedded_liberation_serif_and_a_page_one_that_is_not_blank(demo, tmp_path):
    info = subprocess.run([tool("pdfinfo"), str(demo.pdf_path)], check=True, capture_output=True, text=True).stdout
    assert "(A4)" in info
    fonts = subprocess.run([tool("pdffonts"), str(demo.pdf_path)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Liberation-?Serif", fonts)
    subprocess.run([tool("pdftoppm"), "-png", "-r", "50", "-f", "1", "-l", "1", str(demo.pdf_path),
                    str(tmp_path / "trang")], check=True, capture_output=True)
    png = next(tmp_path.glob("trang*.png"))
    from PIL import Image

    image = Image.open(png).convert("L")
    assert abs(image.width - 413) <= 2 and abs(image.height - 585) <= 2  # A4 at 50 dpi
    dark = sum(image.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 0.01 * image.width * image.height  # text, not a white page


def test_the_news_summary_has_five_to_eight_sentences_from_the_data(demo):
    sentences = report.news_sentences(demo.data)
    assert 5 <= len(sentences) <= 8
    summary = report.news_summary(demo.data)
    assert summary.startswith("Ngày 24/01/2018, tại văn phòng UBND huyện Tân Hiệp, Cụm thi đua số 2 đã tổ chức")
    for needle in ("925,128 tỷ đồng", "105,2% kế hoạch", "18.596", "Giồng Riềng xếp thứ nhất với 912/1.000",
                   "Tân Hiệp xếp thứ nhì với 911,43", "Châu Thành làm Cụm trưởng", "Hòn Đất làm Cụm phó"):
        assert needle in summary


def test_the_leader_has_not_written_weaknesses_yet_and_the_report_says_so(demo):
    assert "(Đơn vị cụm trưởng chưa nhập nội dung này.)" in demo.docx_text


# ------------------------------------------------------------------------------ any imported covenant


def test_the_command_reports_the_small_g1_covenant_as_docx_and_pdf(g1_covenant, world, tmp_path):
    ReportText.objects.create(group_year=world.g1_2024, number_symbol="01/BC-CTĐ1",
                              weaknesses="Hoạt động giao lưu trao đổi kinh nghiệm chưa được thực hiện tốt.",
                              directions="Tổ chức thi đua theo chuyên đề.", signer_name="Nguyễn Văn Ánh",
                              recipients="Ban Thi đua – Khen thưởng tỉnh Phú An;\nLưu: VT.")
    call_command("report", "G1", "2024", "-o", str(tmp_path / "g1.docx"), stdout=io.StringIO())
    call_command("report", "G1", "2024", "-o", str(tmp_path / "G1.PDF"), stdout=io.StringIO())
    text, tables = docx_text((tmp_path / "g1.docx").read_bytes())
    pdf = flat(pdf_text(tmp_path / "G1.PDF"))
    labels = {"P-A": "Ánh Dương", "P-B": "Bình Minh"}
    assert ranking_table(tables)[1:] == expected_rows(score_json("G1", 2024), labels)
    for needle in (
        "Tổng thu ngân sách của 2 đơn vị đạt 252,88 tỷ đồng, đạt 101,15% kế hoạch", "có 1/2 đơn vị đạt và vượt chỉ tiêu",
        "Ánh Dương vượt 12,88%", "1/2 đơn vị chưa đạt kế hoạch: Bình Minh (đạt 93,33% kế hoạch)",
        "Tai nạn giao thông: có 1/2 đơn vị giảm so với năm trước; Bình Minh tăng 14,29%",
        "Có 1 ô tiêu chí chưa có số liệu", "Số: 01/BC-CTĐ1", "Hoạt động giao lưu trao đổi kinh nghiệm",
        "Tổ chức thi đua theo chuyên đề.", "Nguyễn Văn Ánh", "- Lưu: VT.", "Phú An, ngày ….. tháng ….. năm ……",
        "141,44", "79,04", "Chưa bầu cụm trưởng, cụm phó Cụm thi đua số 1 năm 2025.",
    ):
        assert needle in text, needle
        assert needle in pdf, needle


def test_report_data_reads_with_few_queries(g1_covenant, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        data = report.report_data(group_year=world.g1_2024)
    assert [row.label for row in data.ranking] == ["Ánh Dương", "Bình Minh"]


def test_command_errors_are_vietnamese_and_refuse_to_write(world, g1_covenant, tmp_path):
    target = tmp_path / "x.docx"
    with pytest.raises(CommandError, match="Không có cụm/khối G9 năm 2024"):
        call_command("report", "G9", "2024", "-o", str(target))
    with pytest.raises(CommandError, match="Cụm thi đua số 1 năm 2025 chưa có giao ước thi đua"):
        call_command("report", "G1", "2025", "-o", str(target))
    with pytest.raises(CommandError, match=r"đuôi \.docx hoặc \.pdf \(nhận được «x\.odt»\)"):
        call_command("report", "G1", "2024", "-o", str(tmp_path / "x.odt"))
    with pytest.raises(CommandError, match="Không có thư mục"):
        call_command("report", "G1", "2024", "-o", str(tmp_path / "khong-co" / "x.pdf"))
    assert not target.exists()


def test_the_cli_exits_non_zero_with_the_vietnamese_message(tmp_path):
    result = subprocess.run([sys.executable, "-m", "thidua.cli", "report", "KG-CTD2", "2017", "-o",
                             str(tmp_path / "bao-cao.txt")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Tệp kết quả phải có đuôi .docx hoặc .pdf" in result.stderr


# ------------------------------------------------------------------------------ the web


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


def urls(year=2024):
    return {name: reverse(name, args=("G1", year)) for name in ("report_docx", "report_pdf", "report_edit")}


def test_outsiders_get_404_on_the_downloads_and_anonymous_users_the_login(client, world, g1_covenant):
    for url in (urls()["report_docx"], urls()["report_pdf"]):
        assert client.get(url).status_code == 302
    login(client, world.outsider)
    for url in urls().values():
        assert client.get(url).status_code == 404
    login(client, world.officer_c)  # reads group G2 only
    assert client.get(urls()["report_docx"]).status_code == 404


def test_readers_of_the_group_year_download_docx_and_pdf(client, world, g1_covenant):
    login(client, world.reader_g1)
    response = client.get(urls()["report_docx"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert 'attachment; filename="bao-cao-tong-ket-G1-2024.docx"' == response["Content-Disposition"]
    assert "Ánh Dương vượt 12,88%" in docx_text(response.content)[0]
    response = client.get(urls()["report_pdf"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-"


def test_a_year_without_covenant_has_no_report_and_its_page_still_renders(client, world, g1_covenant):
    login(client, world.national_board)
    assert client.get(urls(2025)["report_docx"]).status_code == 404
    page = client.get(reverse("group_year_detail", args=("G1", 2025)))
    assert page.status_code == 200 and "Tải báo cáo tổng kết" not in page.content.decode()
    page = client.get(reverse("group_year_detail", args=("G1", 2024))).content.decode()
    assert urls()["report_docx"] in page and urls()["report_pdf"] in page and urls()["report_edit"] in page


def test_unit_officers_may_download_but_get_403_on_the_editor(client, world, g1_covenant):
    login(client, world.officer_a)
    assert client.get(urls()["report_docx"]).status_code == 200
    assert client.get(urls()["report_edit"]).status_code == 403
    assert client.post(urls()["report_edit"], {"weaknesses": "x"}).status_code == 403
    assert not ReportText.objects.exists()
    page = client.get(reverse("group_year_detail", args=("G1", 2024))).content.decode()
    assert urls()["report_docx"] in page and urls()["report_edit"] not in page


def test_the_leaders_officer_writes_the_text_and_sees_it_in_the_report(client, world, g1_covenant):
    login(client, world.leader_g1_2024)
    page = client.get(urls()["report_edit"])
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="news-summary"' in body and "Ánh Dương xếp thứ nhất với 141,44/1.000 điểm chuẩn" in body
    response = client.post(urls()["report_edit"], {
        "number_symbol": " Số: 02/BC-CTĐ1 ",  # the "Số:" the document prints is not doubled "recipients": "Ban Thi đua – Khen thưởng tỉnh;\nLưu: VT.",
        "signer_title": "TM. CỤM THI ĐUA SỐ 1\nCỤM TRƯỞNG", "signer_name": "Lê Văn Bình",
        "weaknesses": "Tỷ lệ khen thưởng cá nhân trực tiếp lao động sản xuất còn thấp.",
        "directions": "Đẩy mạnh phong trào thi đua yêu nước.",
    })
    assert response.status_code == 302
    saved = ReportText.objects.get(group_year=world.g1_2024)
    assert saved.number_symbol == "Số: 02/BC-CTĐ1" and saved.updated_by == world.leader_g1_2024
    text = docx_text(client.get(urls()["report_docx"]).content)[0]
    for needle in ("Số: 02/BC-CTĐ1", "Tỷ lệ khen thưởng cá nhân trực tiếp lao động sản xuất còn thấp.",
                   "Đẩy mạnh phong trào thi đua yêu nước.", "Lê Văn Bình", "TM. CỤM THI ĐUA SỐ 1"):
        assert needle in text
    assert "Số: Số:" not in text
    from thidua.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="report.text_saved").count() == 1


def test_the_board_in_scope_may_edit_too(client, world, g1_covenant):
    login(client, world.board_p)
    assert client.get(urls()["report_edit"]).status_code == 200
