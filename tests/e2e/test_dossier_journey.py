"""An award dossier in real Chromium (issue #7 acceptance): a unit officer opens a dossier for a
person, a missing document blocks the step, the Board returns it with a reason, the unit fixes
it, the council attaches its minutes, the Board records the decision, and the award then appears
in the person's history."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from thidua.awards.models import AnnualRating, Person, TitleOrAward

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TINY_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def upload(page, tmp_path, kind_label: str, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(TINY_PDF)
    page.get_by_label("Loại tài liệu").select_option(label=kind_label)
    page.locator("#attach input[type=file]").set_input_files(str(path))
    page.locator("#attach").get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("link", name=name)).to_be_visible()


def test_a_dossier_from_the_unit_to_the_decision(world, live_server, person, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    # The Board's public consultation is exercised in tests/awards/test_dossiers.py; here it is off.
    settings.THIDUA_DOSSIER_WORKFLOW = {"*": {"regular.ban.consultation": 0}}
    nominee = Person.objects.create(external_id="NV01", name="Trần Thị Hoa", unit=world.a, hired_on=dt.date(2012, 3, 1))
    for year, rating in ((2024, "HTT"), (2025, "HTXS")):
        AnnualRating.objects.create(person=nominee, year=year, rating=rating)
        TitleOrAward.objects.create(person=nominee, year=year, code="CSTDCS", decision_number=f"{year}/QĐ-UBND")

    # The unit officer opens a dossier for Bằng khen of the province.
    officer = person("officer_a")
    officer.goto(f"{live_server.url}/ho-so-khen-thuong/moi/")
    officer.get_by_label("Được đề nghị").select_option(label="Trần Thị Hoa (Huyện Ánh Dương)")
    officer.get_by_label("Hình thức đề nghị").select_option("BK_TINH")
    officer.get_by_label("Năm thành tích").fill("2025")
    officer.get_by_label("Thủ tục").select_option("regular")
    officer.get_by_role("button", name="Lập hồ sơ").click()
    expect(officer.locator("h1")).to_contain_text("Bằng khen cấp bộ, ban, ngành, tỉnh năm 2025: Trần Thị Hoa")
    expect(officer.locator("#eligible")).to_contain_text("Đủ điều kiện")
    dossier_url = officer.url

    # One document only: the step refuses and names what is missing.
    upload(officer, tmp_path, "Tờ trình đề nghị khen thưởng kèm danh sách (Mẫu 01)", "to-trinh.pdf")
    officer.get_by_role("button", name="Chuyển bước tiếp theo").click()
    expect(officer.locator(".messages")).to_contain_text("Còn thiếu: Báo cáo thành tích cá nhân (Mẫu 03)")
    expect(officer.locator("#status")).to_contain_text("Đơn vị lập hồ sơ, trình")
    upload(officer, tmp_path, "Báo cáo thành tích cá nhân (Mẫu 03)", "bao-cao-mau-03.pdf")
    officer.get_by_role("button", name="Chuyển bước tiếp theo").click()
    expect(officer.locator("#status")).to_contain_text("Ban Thi đua – Khen thưởng thẩm định")

    # The Board finds it in its inbox and returns it with a reason.
    board = person("board_p")
    board.goto(f"{live_server.url}/ho-so-khen-thuong/")
    board.locator("#mine").get_by_role("link", name="Trần Thị Hoa").click()
    board.get_by_label("Lý do trả lại").fill("Báo cáo thành tích chưa có xác nhận của thủ trưởng đơn vị")
    board.get_by_role("button", name="Trả lại bước trước").click()
    expect(board.locator("#status")).to_contain_text("Bị trả lại")

    # The unit sees why, sends a confirmed report and the dossier goes on.
    officer.goto(dossier_url)
    expect(officer.locator("#history")).to_contain_text("chưa có xác nhận của thủ trưởng đơn vị")
    upload(officer, tmp_path, "Báo cáo thành tích cá nhân (Mẫu 03)", "bao-cao-da-xac-nhan.pdf")
    officer.get_by_role("button", name="Chuyển bước tiếp theo").click()
    expect(officer.locator("#status")).to_contain_text("Ban Thi đua – Khen thưởng thẩm định")

    board.goto(dossier_url)
    board.get_by_role("button", name="Chuyển bước tiếp theo").click()
    expect(board.locator("#status")).to_contain_text("Hội đồng Thi đua – Khen thưởng xét")

    # The council member attaches the minutes and the ballot result.
    council = person("council_g1")
    council.goto(dossier_url)
    upload(council, tmp_path, "Biên bản họp Hội đồng Thi đua – Khen thưởng và kết quả bỏ phiếu kín", "bien-ban.pdf")
    council.get_by_role("button", name="Chuyển bước tiếp theo").click()
    expect(council.locator("#status")).to_contain_text("Quyết định khen thưởng")

    # The Board records the decision.
    board.goto(dossier_url)
    board.get_by_label("Số quyết định").fill("123/QĐ-UBND")
    board.get_by_label("Ngày quyết định").fill("15/03/2026")
    expect(board.get_by_label("Cấp quyết định")).to_have_value("Chủ tịch Ủy ban nhân dân tỉnh")
    board.get_by_role("button", name="Ghi nhận quyết định khen thưởng").click()
    expect(board.locator("#status")).to_contain_text("Đã quyết định")
    expect(board.locator("#decision")).to_contain_text("123/QĐ-UBND ngày 15/03/2026")

    # The award is in the person's history.
    board.goto(f"{live_server.url}/khen-thuong/ca-nhan/NV01/")
    granted = board.locator("#grants tr", has_text="123/QĐ-UBND")
    expect(granted).to_contain_text("Bằng khen cấp bộ, ban, ngành, tỉnh")
    expect(granted).to_contain_text("15/03/2026")
    expect(granted).to_contain_text("Chủ tịch Ủy ban nhân dân tỉnh")
