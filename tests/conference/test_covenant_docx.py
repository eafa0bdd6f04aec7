"""The covenant as DOCX, next to its PDF: the same Decree 30 content (header, title, criteria with
points, signatures with blanks for the units that have not signed, "DỰ THẢO" while draft), the
shared A4 / Times New Roman layout, and the PDF's access rule.

Actors from the `world` fixture: head_a heads Huyện Ánh Dương (leader of G1 in 2024), head_b (made
here) heads Huyện Bình Minh (deputy); officer_c and outsider are outside G1.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from docx import Document
from lxml import html as lxml_html

from tests.factories import TEST_PASSWORD, RoleAssignmentFactory, UserFactory
from thidua.conference import signing
from thidua.covenants.models import CovenantStatus
from thidua.covenants.selectors import criteria_of
from thidua.covenants.services import covenant_close, covenant_sign
from thidua.documents.covenant_docx import covenant_docx
from thidua.org.models import Role

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BLANK_ROW = ["……………………", "………………", "…./…./……"]


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


def docx_url(year=2024):
    return reverse("covenant_docx", args=("G1", year))


def flat(text: str) -> str:
    return " ".join(text.split())


def paragraphs(data: bytes) -> list[str]:
    """Every paragraph of the body and of table cells (the header sits in a borderless table)."""
    document = Document(io.BytesIO(data))
    found = [flat(p.text) for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found += [flat(p.text) for p in cell.paragraphs]
    return [text for text in found if text]


def tables(data: bytes) -> list[list[list[str]]]:
    document = Document(io.BytesIO(data))
    return [[[flat(cell.text) for cell in row.cells] for row in table.rows] for table in document.tables]


def grid(data: bytes, first_header: str) -> list[list[str]]:
    """The bordered table whose header row starts "TT" and whose second column is `first_header`."""
    found = [t for t in tables(data) if t[0][:2] == ["TT", first_header]]
    assert len(found) == 1, tables(data)
    return found[0]


@pytest.fixture
def head_b(world):
    user = UserFactory(username="head_b", full_name="Trần Thị Bình")
    RoleAssignmentFactory(user=user, role=Role.UNIT_HEAD, unit=world.b)
    return user


@pytest.fixture
def half_signed(world, g1_covenant):
    """Ánh Dương (head_a) has signed on 05/02/2024; Bình Minh has not."""
    signing.covenant_signature_add(covenant=g1_covenant, unit=world.a, signer_name="Nguyễn Thị Ngọc Hằng",
                                   position="Chủ tịch UBND huyện", signed_on=dt.date(2024, 2, 5), actor=world.head_a)
    return g1_covenant


# ------------------------------------------------------------------------------ content


def test_the_docx_has_the_decree_30_header_the_title_and_the_draft_mark(half_signed):
    found = paragraphs(covenant_docx(covenant=half_signed))
    for expected in ("UBND TỈNH PHÚ AN", "CỤM THI ĐUA SỐ 1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc",
                     "Phú An, ngày 05 tháng 02 năm 2024",  # zero-padded day and month (Decree 30)
                     "GIAO ƯỚC THI ĐUA NĂM 2024", "Cụm thi đua số 1",
                     "I. NỘI DUNG, TIÊU CHÍ THI ĐUA", "II. ĐẠI DIỆN CÁC ĐƠN VỊ THÀNH VIÊN KÝ KẾT", "DỰ THẢO"):
        assert expected in found, expected
    assert ("Các đơn vị thành viên Cụm thi đua số 1 cùng thống nhất ký kết Giao ước thi đua năm 2024 với các "
            "nội dung, tiêu chí và thang điểm 1.000 điểm sau đây:") in found
    assert found.index("DỰ THẢO") < found.index("GIAO ƯỚC THI ĐUA NĂM 2024")


def test_every_content_and_criterion_is_listed_with_its_points_and_the_total(half_signed):
    data = covenant_docx(covenant=half_signed)
    rows = grid(data, "Nội dung, tiêu chí")
    assert rows == [
        ["TT", "Nội dung, tiêu chí", "Đơn vị tính", "Điểm tối đa"],
        ["I", "Phát triển kinh tế - xã hội", "", "600"],
        ["I.1", "Thu ngân sách", "tỷ đồng", "60"],
        ["I.2", "Tai nạn giao thông", "vụ", "30"],
        ["II", "Xây dựng hệ thống chính trị", "", "400"],
        ["II.1", "Xây dựng Đảng", "", "50"],
        ["", "Tổng cộng", "", "1.000"],  # Vietnamese grouping
    ]
    listed = {(row[0], row[1]) for row in rows}
    for criterion in criteria_of(half_signed):  # every criterion of the database, code and title
        assert (criterion.code, criterion.title) in listed, criterion.code
    # Contents and the total are bold, as in the PDF; criteria are not.
    table = next(t for t in Document(io.BytesIO(data)).tables if t.rows[0].cells[1].text == "Nội dung, tiêu chí")
    bold = [all(run.bold for cell in row.cells for p in cell.paragraphs for run in p.runs) for row in table.rows]
    assert bold == [True, True, False, False, True, False, True]


def test_signatures_show_the_signer_with_diacritics_and_a_blank_line_for_units_not_yet_signed(half_signed):
    rows = grid(covenant_docx(covenant=half_signed), "Đơn vị")
    assert rows == [
        ["TT", "Đơn vị", "Người ký", "Chức vụ", "Ngày ký"],
        ["1", "Huyện Ánh Dương", "Nguyễn Thị Ngọc Hằng", "Chủ tịch UBND huyện", "05/02/2024"],
        ["2", "Huyện Bình Minh", *BLANK_ROW],
    ]


def test_a_fully_signed_covenant_has_both_signers_the_last_date_and_no_draft_mark(world, half_signed, head_b):
    signing.covenant_signature_add(covenant=half_signed, unit=world.b, signer_name="Trần Thị Bình",
                                   position="Phó Chủ tịch UBND huyện", signed_on=dt.date(2024, 2, 6), actor=head_b)
    half_signed.refresh_from_db()
    assert half_signed.status == CovenantStatus.SIGNED
    data = covenant_docx(covenant=half_signed)
    assert grid(data, "Đơn vị")[1:] == [
        ["1", "Huyện Ánh Dương", "Nguyễn Thị Ngọc Hằng", "Chủ tịch UBND huyện", "05/02/2024"],
        ["2", "Huyện Bình Minh", "Trần Thị Bình", "Phó Chủ tịch UBND huyện", "06/02/2024"],
    ]
    found = paragraphs(data)
    assert "Phú An, ngày 06 tháng 02 năm 2024" in found
    assert not any("DỰ THẢO" in text for text in found + [c for t in tables(data) for r in t for c in r])


def test_a_closed_covenant_has_no_draft_mark_and_keeps_the_blank_lines(world, g1_covenant):
    covenant_sign(covenant=g1_covenant, signed_on=dt.date(2024, 1, 20))
    covenant_close(covenant=g1_covenant)
    data = covenant_docx(covenant=g1_covenant)
    assert "DỰ THẢO" not in paragraphs(data)
    assert "Phú An, ngày 20 tháng 01 năm 2024" in paragraphs(data)  # the day it was signed off
    assert grid(data, "Đơn vị")[1:] == [["1", "Huyện Ánh Dương", *BLANK_ROW], ["2", "Huyện Bình Minh", *BLANK_ROW]]


def test_before_anyone_signs_the_date_is_left_blank(g1_covenant):
    data = covenant_docx(covenant=g1_covenant)
    found = paragraphs(data)
    assert "Phú An, ngày ….. tháng ….. năm ……" in found and "DỰ THẢO" in found
    assert grid(data, "Đơn vị")[1:] == [["1", "Huyện Ánh Dương", *BLANK_ROW], ["2", "Huyện Bình Minh", *BLANK_ROW]]


def pdf_html_tables(covenant) -> list[list[list[str]]]:
    page = lxml_html.fromstring(signing.covenant_pdf_html(covenant))
    return [[[flat(cell.text_content()) for cell in tr.xpath("th|td")] for tr in table.xpath(".//tr")]
            for table in page.xpath("//table[contains(@class, 'grid')]")]


def pdf_html_lines(covenant) -> list[str]:
    page = lxml_html.fromstring(signing.covenant_pdf_html(covenant))
    nodes = page.xpath("//table[contains(@class, 'header')]//div[not(contains(@class, 'rule'))]"
                       "|//div[@class='draft']|//h1|//h2|//div[@class='subtitle']|//body/p")
    return [text for text in (flat(node.text_content()) for node in nodes) if text]


@pytest.mark.parametrize("state", ["draft", "half_signed", "signed"])
def test_the_docx_says_what_the_pdf_says(world, g1_covenant, head_b, state):
    """The PDF's HTML (covenant_pdf_html) and the DOCX hold the same lines and the same tables."""
    if state != "draft":
        signing.covenant_signature_add(covenant=g1_covenant, unit=world.a, signer_name="Nguyễn Thị Ngọc Hằng",
                                       position="Chủ tịch UBND huyện", signed_on=dt.date(2024, 2, 5),
                                       actor=world.head_a)
    if state == "signed":
        signing.covenant_signature_add(covenant=g1_covenant, unit=world.b, signer_name="Trần Thị Bình",
                                       position="Phó Chủ tịch UBND huyện", signed_on=dt.date(2024, 2, 6),
                                       actor=head_b)
    g1_covenant.refresh_from_db()
    data = covenant_docx(covenant=g1_covenant)
    lines = pdf_html_lines(g1_covenant)
    assert "GIAO ƯỚC THI ĐUA NĂM 2024" in lines and len(lines) >= 9
    found = paragraphs(data)
    for line in lines:
        assert line in found, line
    assert ("DỰ THẢO" in found) == ("DỰ THẢO" in lines) == (state != "signed")  # draft until all sign
    assert [grid(data, "Nội dung, tiêu chí"), grid(data, "Đơn vị")] == pdf_html_tables(g1_covenant)


def test_the_docx_is_a4_in_times_new_roman_with_the_decree_30_margins(half_signed):
    document = Document(io.BytesIO(covenant_docx(covenant=half_signed)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [20, 20, 30, 15]
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 13
    assert document.core_properties.language == "vi-VN"
    assert document.core_properties.title == "Giao ước thi đua năm 2024 – Cụm thi đua số 1"
    # No run overrides the font: everything is in Times New Roman.
    runs = [run for p in document.paragraphs for run in p.runs]
    runs += [run for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs for run in p.runs]
    assert runs and all(run.font.name in (None, "Times New Roman") for run in runs)


# ------------------------------------------------------------------------------ download and access


@pytest.mark.parametrize(
    ("actor", "status"),
    [("head_a", 200), ("officer_a", 200), ("officer_b", 200), ("reader_g1", 200), ("council_g1", 200),
     ("board_p", 200), ("officer_c", 404), ("outsider", 404)],
)
def test_members_of_the_group_download_the_docx_and_outsiders_get_404(client, world, half_signed, actor, status):
    login(client, getattr(world, actor))
    response = client.get(docx_url())
    assert response.status_code == status
    assert client.get(reverse("covenant_pdf", args=("G1", 2024))).status_code == status  # the PDF's rule
    if status == 200:
        assert response["Content-Type"] == DOCX
        assert response["Content-Disposition"] == 'attachment; filename="giao-uoc-G1-2024.docx"'
        assert response.content.startswith(b"PK")
        assert "Nguyễn Thị Ngọc Hằng" in [c for t in tables(response.content) for r in t for c in r]
    else:
        assert "Nguyễn Thị Ngọc Hằng".encode() not in response.content


def test_the_docx_url_sits_next_to_the_pdf(world):
    assert docx_url() == "/cum-khoi/G1/2024/giao-uoc/giao-uoc.docx"
    assert reverse("covenant_pdf", args=("G1", 2024)) == "/cum-khoi/G1/2024/giao-uoc/giao-uoc.pdf"


def test_anonymous_users_are_sent_to_log_in(client, g1_covenant):
    response = client.get(docx_url())
    assert response.status_code == 302
    assert response["Location"] == f"{resolve_url(settings.LOGIN_URL)}?next={docx_url()}"


def test_a_year_without_a_covenant_has_no_docx(client, world):
    login(client, world.head_a)
    assert client.get(docx_url(2025)).status_code == 404


def test_the_covenant_page_links_to_the_docx_next_to_the_pdf(client, world, g1_covenant):
    login(client, world.reader_g1)
    page = client.get(reverse("covenant_detail", args=("G1", 2024))).content.decode()
    pdf_link = f'href="{reverse("covenant_pdf", args=("G1", 2024))}"'
    docx_link = f'href="{docx_url()}">Tải giao ước (DOCX)</a>'
    assert pdf_link in page and docx_link in page
    assert 0 < page.index(docx_link) - page.index(pdf_link) < 200
