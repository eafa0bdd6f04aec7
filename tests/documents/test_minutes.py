"""The vote-count minutes (biên bản kiểm phiếu) of a closed ballot: counts, rule, outcome in Vietnamese,
the Decree 30 layout, secrecy (counts only), no minutes while the ballot is open, and who may download.

G1 2024 gets a third member, Đông Hải; each of the three members has a head who votes. The leader
officer of 2024 runs the ballot through the conference services.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from tests.factories import TEST_PASSWORD, MembershipFactory, RoleAssignmentFactory, UnitFactory, UserFactory
from thidua.conference import ballots as svc
from thidua.conference.models import Ballot, BallotKind, BallotMode, BallotOption, BallotStatus, Comparison
from thidua.documents.minutes import minutes_docx, minutes_pdf, minutes_pdf_html
from thidua.org.models import Role

pytestmark = pytest.mark.urls("tests.documents.urls_for_tests")

CLOSING = dt.datetime(2024, 12, 20, 10, 5, tzinfo=dt.UTC)  # 17 giờ 05 phút in Hà Nội time


def head(username: str, unit, full_name: str):
    user = UserFactory(username=username, full_name=full_name)
    RoleAssignmentFactory(user=user, role=Role.UNIT_HEAD, unit=unit)
    return user


@pytest.fixture
def v(world):
    d = UnitFactory(code="P-D", name="Huyện Đông Hải", short_name="Đông Hải", parent=world.p)
    MembershipFactory(group_year=world.g1_2024, unit=d)
    world.head_a.full_name = "Lê Văn Ánh"
    world.head_a.save()
    return SimpleNamespace(
        world=world, gy=world.g1_2024, a=world.a, b=world.b, d=d, leader=world.leader_g1_2024,
        heads={"a": world.head_a, "b": head("head_b", world.b, "Trần Thị Bình"),
               "d": head("head_d", d, "Phạm Quốc Đông")},
    )


def run_acclaim(v, choices: dict[str, str | None]) -> tuple[Ballot, list[str]]:
    """An acclaim ballot of the three members: each head votes for a unit ("a", "b", "d") or blank
    (None); closed at CLOSING. Returns the ballot and the receipt codes."""
    ballot = svc.ballot_create(group_year=v.gy, kind=BallotKind.ACCLAIM, actor=v.leader)
    svc.ballot_open(ballot=ballot, actor=v.leader)
    receipts = []
    for voter, chosen in choices.items():
        ids = [ballot.options.get(unit=getattr(v, chosen)).pk] if chosen else []
        receipts.append(svc.ballot_cast(ballot=ballot, cast_by=v.heads[voter], voter_unit=getattr(v, voter),
                                        choices=ids))
    svc.ballot_close(ballot=ballot, actor=v.leader)
    Ballot.objects.filter(pk=ballot.pk).update(opened_at=CLOSING - dt.timedelta(minutes=20), closed_at=CLOSING)
    ballot.refresh_from_db()
    return ballot, receipts


@pytest.fixture
def closed(v):
    """Ánh Dương and Bình Minh vote for Ánh Dương; Đông Hải hands in a blank ballot."""
    return run_acclaim(v, {"a": "a", "b": "a", "d": None})


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def table_rows(data: bytes) -> list[list[str]]:
    document = Document(io.BytesIO(data))
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def tool(name: str) -> str:
    """A poppler tool: the PDF checks must fail, not skip, when it is missing."""
    path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    assert path, f"{name} (poppler-utils) is required to check the minutes PDF"
    return path


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / "bien-ban.pdf"
    source.write_bytes(pdf)
    return subprocess.run([tool("pdftotext"), "-layout", str(source), "-"], check=True, capture_output=True,
                          text=True).stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


def url(name: str, ballot: Ballot) -> str:
    return reverse(name, args=("G1", 2024, ballot.pk))


# ------------------------------------------------------------------------------ content

OUTCOME = "Huyện Ánh Dương được suy tôn là đơn vị dẫn đầu Cụm thi đua số 1 năm 2024 với 2/3 phiếu."
RULE = ("Đủ số phiếu khi có từ 2/3 tổng số thành viên (2/3) tham gia; suy tôn khi được quá 1/2 tổng số "
        "thành viên đồng ý (quá 1,5 phiếu).")
QUORUM = "Đủ số phiếu theo quy định: 3/3 thành viên tham gia, cần từ 2 (2/3 của 3 là 2)."
THRESHOLD = "Ngưỡng suy tôn: quá 1/2 tổng số thành viên (quá 1,5 phiếu), tức ít nhất 2 phiếu."


def test_the_docx_minutes_give_the_counts_the_rule_and_the_outcome_in_vietnamese(v, closed):
    ballot, _ = closed
    text = docx_text(minutes_docx(ballot=ballot))
    for expected in ("UBND TỈNH PHÚ AN", "CỤM THI ĐUA SỐ 1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Phú An, ngày 20 tháng 12 năm 2024", "BIÊN BẢN KIỂM PHIẾU",
                     "Suy tôn đơn vị dẫn đầu Cụm thi đua số 1 năm 2024", RULE, QUORUM, THRESHOLD, OUTCOME,
                     "TRƯỞNG BAN KIỂM PHIẾU", "THÀNH VIÊN BAN KIỂM PHIẾU", "(Ký, ghi rõ họ tên)",
                     "từ 16 giờ 45 phút ngày 20/12/2024 đến 17 giờ 05 phút ngày 20/12/2024"):
        assert expected in text, expected
    rows = table_rows(minutes_docx(ballot=ballot))
    assert ["1", "Tổng số đơn vị thành viên có quyền bỏ phiếu", "3"] in rows
    assert ["2", "Số phiếu phát ra", "3"] in rows
    assert ["3", "Số phiếu thu về", "3"] in rows
    assert ["4", "Số phiếu hợp lệ", "2"] in rows
    assert ["5", "Số phiếu trắng (không chọn)", "1"] in rows
    assert ["6", "Số phiếu không hợp lệ", "0"] in rows
    # Votes per option, in the ballot's order (alphabetical without a covenant), with the share.
    assert ["1", "Huyện Ánh Dương", "2", "66,67%", "Được suy tôn"] in rows
    assert ["2", "Huyện Bình Minh", "0", "0%", "Không đạt ngưỡng"] in rows
    assert ["3", "Huyện Đông Hải", "0", "0%", "Không đạt ngưỡng"] in rows


def test_the_docx_is_a4_in_times_new_roman_with_the_decree_30_margins_and_page_numbers_from_page_two(closed):
    document = Document(io.BytesIO(minutes_docx(ballot=closed[0])))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [20, 20, 30, 15]
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 13
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert document.core_properties.language == "vi-VN"
    defaults = etree.tostring(document.styles.element.find(qn("w:docDefaults")), encoding="unicode")
    assert "asciiTheme" not in defaults and "asciiTheme" not in normal.element.xml  # no theme font wins
    assert 'w:eastAsia="Times New Roman"' in defaults and 'w:val="vi-VN"' in normal.element.xml


def test_the_pdf_minutes_say_the_same_in_a_searchable_text(closed, tmp_path):
    text = pdf_text(minutes_pdf(ballot=closed[0]), tmp_path)
    joined = flat(text)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BIÊN BẢN KIỂM PHIẾU", "Số phiếu thu về",
                     "Số phiếu trắng (không chọn)", "Số phiếu không hợp lệ", "Được suy tôn", "66,67%",
                     "Phú An, ngày 20 tháng 12 năm 2024", flat(RULE), flat(QUORUM), flat(OUTCOME),
                     "TRƯỞNG BAN KIỂM PHIẾU"):
        assert expected in joined, expected
    assert "Huyện Đông Hải" in joined and "Huyện Bình Minh" in joined


def test_the_minutes_hold_counts_only_never_who_voted_or_what_they_chose(v, closed):
    ballot, receipts = closed
    docx = docx_text(minutes_docx(ballot=ballot))
    html = minutes_pdf_html(ballot=ballot)
    for secret in (*receipts, *(svc.format_receipt(r) for r in receipts), "head_a", "head_b", "head_d",
                   "Lê Văn Ánh", "Trần Thị Bình", "Phạm Quốc Đông", "đã bỏ phiếu:", "leader_g1_2024"):
        assert secret not in docx and secret not in html, secret
    # The same counts from other choices (Đông Hải and Bình Minh for Ánh Dương, Ánh Dương blank)
    # give word for word the same minutes: nothing in them depends on who chose what.
    other, _ = run_acclaim(v, {"d": "a", "a": None, "b": "a"})
    assert docx_text(minutes_docx(ballot=other)) == docx
    assert minutes_pdf_html(ballot=other) == html


def closed_by_hand(v, *, kind=BallotKind.LEADER, cast: int, votes: dict, electorate: int = 4, **rules) -> Ballot:
    """A closed ballot written directly on the models (the services' counts, no voters)."""
    ballot = Ballot.objects.create(group_year=v.gy, kind=kind, title=svc.default_title(group_year=v.gy, kind=kind),
                                   status=BallotStatus.CLOSED, mode=BallotMode.PAPER, electorate_size=electorate,
                                   cast_count=cast, blank_count=0, invalid_count=rules.pop("invalid", 0),
                                   opened_at=CLOSING - dt.timedelta(hours=1), closed_at=CLOSING, **rules)
    for order, (unit, count) in enumerate(votes.items()):
        BallotOption.objects.create(ballot=ballot, unit=unit, label=unit.name, order=order, votes=count)
    return ballot


def test_a_tie_on_the_last_seat_is_written_as_such(v):
    ballot = closed_by_hand(v, cast=4, votes={v.a: 2, v.b: 2, v.d: 0}, pass_comparison=Comparison.AT_LEAST)
    text = docx_text(minutes_docx(ballot=ballot))
    assert "Bầu cụm trưởng Cụm thi đua số 1 năm 2025" in text
    assert ("Huyện Ánh Dương, Huyện Bình Minh bằng phiếu nhau (2 phiếu) nên chưa có đơn vị trúng cử cho 1 vị trí; "
            "cần bỏ phiếu lại giữa các đơn vị này.") in text
    rows = table_rows(minutes_docx(ballot=ballot))
    assert ["1", "Huyện Ánh Dương", "2", "50%", "Bằng phiếu, bỏ phiếu lại"] in rows
    # A paper ballot: no "issued" line, and the two counters' confirmation is recorded.
    assert not any(row[1:2] == ["Số phiếu phát ra"] for row in rows)
    assert "hai người kiểm phiếu nhập độc lập và trùng khớp" in text


def test_without_quorum_the_minutes_say_there_is_no_result(v, tmp_path):
    ballot = closed_by_hand(v, cast=2, votes={v.a: 1, v.b: 0, v.d: 0}, invalid=1)
    text = docx_text(minutes_docx(ballot=ballot))
    assert ("Không đủ số phiếu theo quy định: 2/4 thành viên tham gia, cần từ 3 (2/3 của 4 là 2,67…). "
            "Kết quả bỏ phiếu không có giá trị.") in text
    assert "Không đủ số phiếu theo quy định nên không có kết quả bỏ phiếu." in text
    assert ["1", "Huyện Ánh Dương", "1", "25%", "—"] in table_rows(minutes_docx(ballot=ballot))
    assert "Không đủ số phiếu theo quy định nên không có kết quả bỏ phiếu." in flat(
        pdf_text(minutes_pdf(ballot=ballot), tmp_path))


def test_an_open_ballot_has_no_minutes(v):
    ballot = svc.ballot_create(group_year=v.gy, kind=BallotKind.ACCLAIM, actor=v.leader)
    with pytest.raises(svc.ResultsHidden):
        minutes_docx(ballot=ballot)
    svc.ballot_open(ballot=ballot, actor=v.leader)
    with pytest.raises(svc.ResultsHidden):
        minutes_pdf(ballot=ballot)


# ------------------------------------------------------------------------------ downloads and access


def test_anyone_who_reads_the_group_year_downloads_the_minutes_of_a_closed_ballot(client, v, closed):
    ballot, _ = closed
    login(client, v.world.reader_g1)
    response = client.get(url("ballot_minutes_docx", ballot))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert f'attachment; filename="bien-ban-kiem-phieu-G1-2024-{ballot.pk}.docx"' == response["Content-Disposition"]
    assert OUTCOME in docx_text(response.content)
    response = client.get(url("ballot_minutes_pdf", ballot))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    login(client, v.heads["b"])  # a member's head reads the group-year
    assert client.get(url("ballot_minutes_docx", ballot)).status_code == 200


def test_the_minutes_of_an_open_ballot_or_outside_scope_are_not_found(client, v, closed):
    ballot, _ = closed
    open_ballot = svc.ballot_open(ballot=svc.ballot_create(group_year=v.gy, kind=BallotKind.LEADER, actor=v.leader),
                                  actor=v.leader)
    login(client, v.leader)
    assert client.get(url("ballot_minutes_docx", open_ballot)).status_code == 404
    assert client.get(url("ballot_minutes_pdf", open_ballot)).status_code == 404
    for outsider in (v.world.outsider, v.world.officer_c):
        login(client, outsider)
        assert client.get(url("ballot_minutes_docx", ballot)).status_code == 404
        assert client.get(url("ballot_minutes_pdf", ballot)).status_code == 404
    # The ballot belongs to G1 2024, not to another year's URL.
    login(client, v.world.national_board)
    assert client.get(reverse("ballot_minutes_docx", args=("G1", 2025, ballot.pk))).status_code == 404
    client.logout()
    assert client.get(url("ballot_minutes_docx", ballot)).status_code == 302  # to the login page
