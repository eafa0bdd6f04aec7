"""The submission (tờ trình) of the award proposals with the list: Decree 30 header, addressee,
legal basis, the table (TT, đơn vị, hình thức, hạng, tổng điểm "912,00", căn cứ), the leader's
signature block; DOCX and PDF; only the leader's officers and the Board download it."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document

from tests.factories import TEST_PASSWORD, RoleAssignmentFactory, UserFactory
from thidua.conference.models import AwardForm, AwardProposal, CovenantSignature, ProposalStatus
from thidua.conference.proposals import proposals_build
from thidua.documents import proposal_letter
from thidua.documents.proposal_letter import NoProposals, proposal_letter_docx, proposal_letter_pdf
from thidua.org.models import Role

pytestmark = pytest.mark.urls("tests.documents.urls_for_tests")

HEADER = ["TT", "Đơn vị", "Hình thức khen thưởng", "Hạng", "Tổng điểm", "Căn cứ"]
FLAG_BASIS = "Dẫn đầu cụm, được suy tôn với 2/2 phiếu; xếp thứ 1 với 912,00 điểm"


@pytest.fixture
def listed(world):
    """G1 2024's list: the flag for Ánh Dương (912,00), Bằng khen for Bình Minh (911,43); a
    withdrawn proposal that must not appear."""
    gy = world.g1_2024
    AwardProposal.objects.create(group_year=gy, unit=world.a, form=AwardForm.FLAG_PROVINCE, rank=1,
                                 total=Decimal("912.00"), basis=FLAG_BASIS)
    AwardProposal.objects.create(group_year=gy, unit=world.b, form=AwardForm.MERIT_PROVINCE, rank=2,
                                 total=Decimal("911.43"), basis="Xếp thứ 2 với 911,43 điểm")
    AwardProposal.objects.create(group_year=gy, unit=world.b, form=AwardForm.MERIT_PM, rank=2,
                                 total=Decimal("911.43"), basis="Đề nghị đã rút", status=ProposalStatus.WITHDRAWN)
    return gy


def docx_parts(data: bytes) -> tuple[str, list[list[str]]]:
    document = Document(io.BytesIO(data))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    text = "\n".join([p.text for p in document.paragraphs] + [" | ".join(row) for row in rows])
    return text, rows


def tool(name: str) -> str:
    """A poppler tool: the PDF checks must fail, not skip, when it is missing."""
    path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    assert path, f"{name} (poppler-utils) is required to check the submission PDF"
    return path


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / "to-trinh.pdf"
    source.write_bytes(pdf)
    text = subprocess.run([tool("pdftotext"), "-layout", str(source), "-"], check=True, capture_output=True,
                          text=True).stdout
    return " ".join(text.split())


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


def url(name: str, year: int = 2024) -> str:
    return reverse(name, args=("G1", year))


def test_the_docx_submission_lists_the_proposals_with_vietnamese_totals(world, listed):
    text, rows = docx_parts(proposal_letter_docx(group_year=listed))
    for expected in ("UBND TỈNH PHÚ AN", "CỤM THI ĐUA SỐ 1", "Số:", "/TTr", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Phú An, ngày ….. tháng ….. năm ……", "TỜ TRÌNH",
                     "Về việc đề nghị khen thưởng năm 2024 cho các tập thể thuộc Cụm thi đua số 1",
                     "Kính gửi: Hội đồng Thi đua – Khen thưởng tỉnh Phú An",
                     "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
                     "Căn cứ kết quả chấm điểm, xếp hạng thi đua năm 2024",
                     "đề nghị khen thưởng cho 02 tập thể",
                     "- Cờ thi đua của Ủy ban nhân dân tỉnh: 01 tập thể;",
                     "- Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh: 01 tập thể.",
                     "Kính trình Hội đồng Thi đua – Khen thưởng tỉnh Phú An xem xét, quyết định./.",
                     "Nơi nhận:", "TM. CỤM THI ĐUA SỐ 1", "CỤM TRƯỞNG", "HUYỆN ÁNH DƯƠNG"):
        assert expected in text, expected
    assert HEADER in rows
    assert ["1", "Huyện Ánh Dương", "Cờ thi đua của Ủy ban nhân dân tỉnh", "1", "912,00", FLAG_BASIS] in rows
    assert ["2", "Huyện Bình Minh", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "2", "911,43",
            "Xếp thứ 2 với 911,43 điểm"] in rows
    assert "Đề nghị đã rút" not in text and "Thủ tướng" not in text  # the withdrawn proposal


def test_the_decree_cited_is_the_one_in_force_when_the_letter_is_made(world, listed, monkeypatch):
    monkeypatch.setattr(proposal_letter.timezone, "localdate", lambda: dt.date(2025, 7, 1))
    text, _ = docx_parts(proposal_letter_docx(group_year=listed))
    assert "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025" in text and "98/2023" not in text
    monkeypatch.setattr(proposal_letter.timezone, "localdate", lambda: dt.date(2025, 6, 30))
    text, _ = docx_parts(proposal_letter_docx(group_year=listed))
    assert "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023" in text and "152/2025" not in text


def test_the_pdf_submission_says_the_same(world, listed, tmp_path):
    text = pdf_text(proposal_letter_pdf(group_year=listed), tmp_path)
    for expected in ("TỜ TRÌNH", "Kính gửi: Hội đồng Thi đua – Khen thưởng tỉnh Phú An", "912,00", "911,43",
                     "Huyện Ánh Dương", "Huyện Bình Minh", "Cờ thi đua của Ủy ban nhân dân tỉnh",
                     "TM. CỤM THI ĐUA SỐ 1", "CỤM TRƯỞNG", "HUYỆN ÁNH DƯƠNG", "xem xét, quyết định./."):
        assert expected in text, expected
    assert "Đề nghị đã rút" not in text


def test_the_list_built_from_the_ranking_and_the_leaders_signature(world, g1_covenant):
    """Built by the conference service from the scores (Ánh Dương acclaimed, 141,44 points); the
    leader's head signed the covenant, so their name is under the signature block."""
    CovenantSignature.objects.create(covenant=g1_covenant, unit=world.a, signer_name="Nguyễn Văn Ánh",
                                     position="Chủ tịch UBND huyện", signed_on=dt.date(2024, 2, 5))
    proposals_build(group_year=world.g1_2024, leading_unit=world.a, actor=None, acclaim_votes=(2, 2))
    text, rows = docx_parts(proposal_letter_docx(group_year=world.g1_2024))
    assert ["1", "Huyện Ánh Dương", "Cờ thi đua của Ủy ban nhân dân tỉnh", "1", "141,44",
            "Dẫn đầu cụm, được suy tôn với 2/2 phiếu; xếp thứ 1 với 141,44 điểm"] in rows
    assert "Nguyễn Văn Ánh" in text


def test_no_list_no_letter(world):
    with pytest.raises(NoProposals):
        proposal_letter_docx(group_year=world.g1_2024)


# ------------------------------------------------------------------------------ downloads and access


def test_the_leaders_officers_and_the_board_download_the_letter(client, world, listed):
    for user in (world.leader_g1_2024, world.board_p, world.national_board):
        login(client, user)
        response = client.get(url("proposal_letter_docx"))
        assert response.status_code == 200, user
        assert response["Content-Disposition"] == 'attachment; filename="to-trinh-khen-thuong-G1-2024.docx"'
        assert "912,00" in docx_parts(response.content)[0]
    response = client.get(url("proposal_letter_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_others_in_scope_are_refused_and_outsiders_find_nothing(client, world, listed):
    head_b = UserFactory(username="head_b")
    RoleAssignmentFactory(user=head_b, role=Role.UNIT_HEAD, unit=world.b)
    for user in (world.reader_g1, world.head_a, world.officer_a, head_b, world.council_g1):
        login(client, user)
        assert client.get(url("proposal_letter_docx")).status_code == 403, user
        assert client.get(url("proposal_letter_pdf")).status_code == 403, user
    for user in (world.outsider, world.officer_c):
        login(client, user)
        assert client.get(url("proposal_letter_docx")).status_code == 404, user
        assert client.get(url("proposal_letter_pdf")).status_code == 404, user
    login(client, world.board_p)  # G1 2025 has no list yet
    assert client.get(url("proposal_letter_docx", 2025)).status_code == 404
