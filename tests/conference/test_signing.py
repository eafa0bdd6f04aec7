"""Signing the covenant at the conference, and the covenant's PDF in the Decree 30 format.

Actors from the `world` fixture: head_a heads Huyện Ánh Dương (leader of G1 in 2024), head_b (made
here) heads Huyện Bình Minh (deputy), officer_a is an officer of Ánh Dương but not its head,
officer_c and outsider are outside G1.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, RoleAssignmentFactory, UserFactory
from thidua.audit.models import AuditEvent
from thidua.conference import signing
from thidua.conference.models import CovenantSignature
from thidua.covenants.models import CovenantStatus
from thidua.covenants.services import covenant_close, covenant_sign
from thidua.documents.pdf import LocalOnlyFetcher, html_to_pdf
from thidua.org.models import Role


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


def sign_url(year=2024):
    return reverse("covenant_signing", args=("G1", year))


def pdf_url(year=2024):
    return reverse("covenant_pdf", args=("G1", year))


def signature_form(unit, *, name="Nguyễn Văn Ánh", position="Chủ tịch UBND huyện", date="24/01/2024"):
    prefix = f"u{unit.pk}"
    return {"unit": unit.code, f"{prefix}-signer_name": name, f"{prefix}-position": position,
            f"{prefix}-signed_on": date}


@pytest.fixture
def head_b(world):
    user = UserFactory(username="head_b", full_name="Trần Thị Bình")
    RoleAssignmentFactory(user=user, role=Role.UNIT_HEAD, unit=world.b)
    return user


def tool(name: str) -> str:
    """A poppler tool: the PDF checks must fail, not skip, when it is missing."""
    path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    assert path, f"{name} (poppler-utils) is required to check the covenant PDF"
    return path


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / "giao-uoc.pdf"
    source.write_bytes(pdf)
    return subprocess.run([tool("pdftotext"), "-layout", str(source), "-"], check=True, capture_output=True,
                          text=True).stdout


# ------------------------------------------------------------------------------ signing


def test_a_unit_head_signs_for_their_unit_with_name_position_and_a_typed_date(client, world, g1_covenant):
    login(client, world.head_a)
    page = client.get(sign_url())
    assert page.status_code == 200 and 'name="unit" value="P-A"' in page.content.decode()
    response = client.post(sign_url(), signature_form(world.a, name="Nguyễn Văn Ánh", date="05/02/2024"))
    assert response.status_code == 302
    signature = CovenantSignature.objects.get(covenant=g1_covenant, unit=world.a)
    assert (signature.signer_name, signature.position) == ("Nguyễn Văn Ánh", "Chủ tịch UBND huyện")
    assert signature.signed_on == dt.date(2024, 2, 5) and signature.user == world.head_a
    listing = client.get(sign_url()).content.decode()
    assert "Nguyễn Văn Ánh" in listing and "05/02/2024" in listing and "1/2 đơn vị thành viên đã ký" in listing
    assert 'name="unit" value="P-A"' not in listing  # no second form once signed


def test_a_date_typed_another_way_is_refused_with_the_expected_format(client, world, g1_covenant):
    login(client, world.head_a)
    response = client.post(sign_url(), signature_form(world.a, date="2024-01-24"))
    assert response.status_code == 200
    assert "Nhập ngày ký theo dạng dd/mm/yyyy" in response.content.decode()
    assert not CovenantSignature.objects.exists()


def test_a_date_in_the_future_is_refused(client, world, g1_covenant):
    login(client, world.head_a)
    response = client.post(sign_url(), signature_form(world.a, date="24/01/2999"))
    assert response.status_code == 200 and "chưa đến" in response.content.decode()
    assert not CovenantSignature.objects.exists()


def test_a_second_signature_for_the_same_unit_is_refused(client, world, g1_covenant):
    login(client, world.head_a)
    client.post(sign_url(), signature_form(world.a, name="Nguyễn Văn Ánh"))
    again = client.post(sign_url(), signature_form(world.a, name="Lê Văn Khác"))
    assert again.status_code == 200
    assert "Huyện Ánh Dương đã ký giao ước (Nguyễn Văn Ánh, ngày 24/01/2024)" in again.content.decode()
    assert CovenantSignature.objects.get().signer_name == "Nguyễn Văn Ánh"
    with pytest.raises(signing.SigningError):
        signing.covenant_signature_add(covenant=g1_covenant, unit=world.a, signer_name="Lê Văn Khác",
                                       position="Phó Chủ tịch", signed_on=dt.date(2024, 1, 24), actor=world.head_a)


def test_an_officer_who_is_not_the_head_is_refused_403(client, world, g1_covenant):
    login(client, world.officer_a)
    page = client.get(sign_url())
    assert page.status_code == 200 and 'name="unit"' not in page.content.decode()
    assert "Chỉ thủ trưởng đơn vị thành viên ký giao ước" in page.content.decode()
    assert client.post(sign_url(), signature_form(world.a)).status_code == 403
    assert not CovenantSignature.objects.exists()


def test_another_units_head_cannot_sign_for_this_unit(client, world, g1_covenant, head_b):
    login(client, head_b)
    assert client.post(sign_url(), signature_form(world.a)).status_code == 403
    with pytest.raises(signing.SigningForbidden):
        signing.covenant_signature_add(covenant=g1_covenant, unit=world.a, signer_name="Trần Thị Bình",
                                       position="Chủ tịch UBND huyện", signed_on=dt.date(2024, 1, 24), actor=head_b)
    assert not CovenantSignature.objects.exists()


@pytest.mark.parametrize("actor", ["officer_c", "outsider"])
def test_outside_the_groups_scope_the_signing_page_is_not_found(client, world, g1_covenant, actor):
    login(client, getattr(world, actor))
    assert client.get(sign_url()).status_code == 404
    assert client.post(sign_url(), signature_form(world.a)).status_code == 404


def test_a_head_of_a_unit_outside_the_group_cannot_sign_through_the_service(world, g1_covenant):
    head_c = UserFactory(username="head_c")
    RoleAssignmentFactory(user=head_c, role=Role.UNIT_HEAD, unit=world.c)
    with pytest.raises(signing.SigningError, match="không phải là thành viên"):
        signing.covenant_signature_add(covenant=g1_covenant, unit=world.c, signer_name="Phạm Văn Cẩm",
                                       position="Chủ tịch UBND huyện", signed_on=dt.date(2024, 1, 24), actor=head_c)


def test_when_every_member_has_signed_the_draft_covenant_becomes_signed(client, world, g1_covenant, head_b):
    assert g1_covenant.status == CovenantStatus.DRAFT
    login(client, world.head_a)
    client.post(sign_url(), signature_form(world.a, date="24/01/2024"))
    g1_covenant.refresh_from_db()
    assert g1_covenant.status == CovenantStatus.DRAFT
    login(client, head_b)
    response = client.post(sign_url(), signature_form(world.b, name="Trần Thị Bình", date="25/01/2024"), follow=True)
    assert "giao ước đã được ký kết" in response.content.decode()
    g1_covenant.refresh_from_db()
    assert g1_covenant.status == CovenantStatus.SIGNED
    assert g1_covenant.signed_on == dt.date(2024, 1, 25)  # the day of the last signature


def test_members_still_sign_a_covenant_the_leader_already_signed_off(world, g1_covenant):
    covenant_sign(covenant=g1_covenant, signed_on=dt.date(2024, 1, 20))
    signing.covenant_signature_add(covenant=g1_covenant, unit=world.a, signer_name="Nguyễn Văn Ánh",
                                   position="Chủ tịch UBND huyện", signed_on=dt.date(2024, 1, 24), actor=world.head_a)
    g1_covenant.refresh_from_db()
    assert g1_covenant.status == CovenantStatus.SIGNED and g1_covenant.signed_on == dt.date(2024, 1, 20)
    assert CovenantSignature.objects.count() == 1


def test_a_closed_covenant_takes_no_more_signatures(client, world, g1_covenant):
    covenant_sign(covenant=g1_covenant)
    covenant_close(covenant=g1_covenant)
    login(client, world.head_a)
    assert 'name="unit"' not in client.get(sign_url()).content.decode()
    response = client.post(sign_url(), signature_form(world.a))
    assert "Giao ước đã tổng kết" in response.content.decode()
    assert not CovenantSignature.objects.exists()


def test_every_signature_and_the_signing_off_are_audited(world, g1_covenant, head_b):
    signing.covenant_signature_add(covenant=g1_covenant, unit=world.a, signer_name="Nguyễn Văn Ánh",
                                   position="Chủ tịch UBND huyện", signed_on=dt.date(2024, 1, 24), actor=world.head_a)
    signing.covenant_signature_add(covenant=g1_covenant, unit=world.b, signer_name="Trần Thị Bình",
                                   position="Phó Chủ tịch UBND huyện", signed_on=dt.date(2024, 1, 24), actor=head_b)
    events = list(AuditEvent.objects.filter(target_type="covenants.covenant", target_id=str(g1_covenant.pk),
                                            action__in=["covenant.signature_added", "covenant.signed"]).order_by("pk"))
    assert [(e.action, e.actor) for e in events] == [
        ("covenant.signature_added", world.head_a),
        ("covenant.signature_added", head_b),
        ("covenant.signed", head_b),
    ]
    assert events[0].data["unit"] == "P-A" and events[0].data["signer_name"] == "Nguyễn Văn Ánh"
    assert "Huyện Bình Minh ký giao ước: Trần Thị Bình, Phó Chủ tịch UBND huyện, ngày 24/01/2024" == events[1].summary


def test_a_refused_signature_leaves_no_audit_event(world, g1_covenant):
    before = AuditEvent.objects.count()
    with pytest.raises(signing.SigningForbidden):
        signing.covenant_signature_add(covenant=g1_covenant, unit=world.a, signer_name="Ai đó", position="Cán bộ",
                                       signed_on=dt.date(2024, 1, 24), actor=world.officer_a)
    assert AuditEvent.objects.count() == before


def test_the_covenant_page_links_to_signing_and_to_the_pdf(client, world, g1_covenant):
    login(client, world.reader_g1)
    page = client.get(reverse("covenant_detail", args=("G1", 2024))).content.decode()
    assert sign_url() in page and pdf_url() in page and "0/2 đơn vị thành viên đã ký" in page


# ------------------------------------------------------------------------------ the PDF


@pytest.fixture
def half_signed(world, g1_covenant):
    """Ánh Dương has signed on 05/02/2024; Bình Minh has not."""
    signing.covenant_signature_add(covenant=g1_covenant, unit=world.a, signer_name="Nguyễn Thị Ngọc Hằng",
                                   position="Chủ tịch UBND huyện", signed_on=dt.date(2024, 2, 5), actor=world.head_a)
    return g1_covenant


def test_the_pdf_is_a_decree_30_document_with_criteria_and_signatures(world, half_signed, tmp_path):
    pdf = signing.covenant_pdf(half_signed)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "UBND TỈNH PHÚ AN" in text and "CỤM THI ĐUA SỐ 1" in text
    assert "Phú An, ngày 05 tháng 02 năm 2024" in text  # zero-padded day and month (Decree 30)
    assert "GIAO ƯỚC THI ĐUA NĂM 2024" in text
    for criterion in ("Phát triển kinh tế - xã hội", "Thu ngân sách", "Tai nạn giao thông", "Xây dựng Đảng"):
        assert criterion in text
    assert "1.000" in text  # Vietnamese grouping for the total
    assert "Nguyễn Thị Ngọc Hằng" in text and "05/02/2024" in text
    assert "Huyện Bình Minh" in text and "…./…./……" in text  # blank line for the unit not yet signed
    assert "DỰ THẢO" in text


def test_a_fully_signed_covenant_prints_both_signers_and_no_draft_mark(world, half_signed, head_b, tmp_path):
    signing.covenant_signature_add(covenant=half_signed, unit=world.b, signer_name="Trần Thị Bình",
                                   position="Phó Chủ tịch UBND huyện", signed_on=dt.date(2024, 2, 6), actor=head_b)
    text = pdf_text(signing.covenant_pdf(half_signed), tmp_path)
    assert "Nguyễn Thị Ngọc Hằng" in text and "Trần Thị Bình" in text and "06/02/2024" in text
    assert "Phú An, ngày 06 tháng 02 năm 2024" in text
    assert "DỰ THẢO" not in text


def test_the_pdf_embeds_a_serif_font_with_vietnamese(world, half_signed, tmp_path):
    source = tmp_path / "giao-uoc.pdf"
    source.write_bytes(signing.covenant_pdf(half_signed))
    fonts = subprocess.run([tool("pdffonts"), str(source)], check=True, capture_output=True, text=True).stdout
    serif_lines = [line for line in fonts.splitlines() if "Liberation-Serif" in line or "LiberationSerif" in line]
    assert serif_lines, fonts
    assert all(" yes " in line for line in serif_lines)  # embedded


def test_the_first_page_is_not_blank(world, half_signed, tmp_path):
    from PIL import Image  # installed with WeasyPrint

    source = tmp_path / "giao-uoc.pdf"
    source.write_bytes(signing.covenant_pdf(half_signed))
    subprocess.run([tool("pdftoppm"), "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as image:
        width, height = image.size
        assert abs(width - 413) <= 1 and abs(height - 585) <= 1  # A4 at 50 dpi
        histogram = image.convert("L").histogram()
    dark = sum(histogram[:128])
    assert dark > 2000, f"only {dark} dark pixels on page 1"


def test_page_numbers_start_on_page_two_at_the_top(tmp_path):
    pdf = html_to_pdf('<p>Trang một</p><p style="break-before: page">Trang hai</p>')
    source = tmp_path / "pages.pdf"
    source.write_bytes(pdf)
    first, second = (
        subprocess.run([tool("pdftotext"), "-layout", "-f", str(n), "-l", str(n), str(source), "-"],
                       check=True, capture_output=True, text=True).stdout.split()
        for n in (1, 2)
    )
    assert first == ["Trang", "một"]
    assert second == ["2", "Trang", "hai"]  # the number sits above the text


def test_the_pdf_helper_never_goes_to_the_network_or_reads_other_files():
    fetcher = LocalOnlyFetcher()
    for url in ("http://example.com/logo.png", "https://example.com/a.css", "ftp://example.com/x",
                "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,xin%20chao").read() == b"xin chao"
    # A remote image is left out, the document still renders.
    assert html_to_pdf('<p>Ảnh</p><img src="http://192.0.2.1/logo.png">').startswith(b"%PDF")


@pytest.mark.parametrize(
    ("actor", "status"),
    [("head_a", 200), ("officer_a", 200), ("officer_b", 200), ("reader_g1", 200), ("council_g1", 200),
     ("board_p", 200), ("officer_c", 404), ("outsider", 404)],
)
def test_members_of_the_group_download_the_pdf_and_outsiders_get_404(client, world, g1_covenant, actor, status):
    login(client, getattr(world, actor))
    response = client.get(pdf_url())
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert 'filename="giao-uoc-G1-2024.pdf"' in response["Content-Disposition"]


def test_a_year_without_a_covenant_has_no_pdf(client, world):
    login(client, world.head_a)
    assert client.get(pdf_url(2025)).status_code == 404
