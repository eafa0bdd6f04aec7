"""The reporting loop in real Chromium (issue #4 acceptance): a unit enters figures and evidence,
the head submits, the leader returns it with a reason, the unit fixes and resubmits, the leader
accepts, a later edit is refused with the lock message, cross scores are entered and reconciled,
and the ranking reflects the final scores."""

import re

import pytest
from playwright.sync_api import expect


pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TINY_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_the_whole_reporting_loop(world, g1_covenant, live_server, person, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    entry = f"{live_server.url}/cum-khoi/G1/2024/so-lieu/P-A/"
    status = "#report-status"

    # The unit officer enters a figure with a decimal comma and uploads its evidence.
    officer = person("officer_a")
    officer.goto(entry)
    officer.get_by_label("I.1 Thực hiện", exact=True).fill("120,5")
    officer.get_by_label("I.1 Thực hiện", exact=True).press("Tab")
    expect(officer.locator("#row-I-1")).to_contain_text("Đã lưu.")
    pdf = tmp_path / "bao-cao-thu-ngan-sach.pdf"
    pdf.write_bytes(TINY_PDF)
    officer.locator("#row-I-1 input[type=file]").set_input_files(str(pdf))
    officer.locator("#row-I-1").get_by_role("button", name="Tải lên").click()
    expect(officer.locator("#row-I-1").get_by_role("link", name="bao-cao-thu-ngan-sach.pdf")).to_be_visible()
    # … and self-scores the manual criterion.
    officer.goto(f"{live_server.url}/cum-khoi/G1/2024/cham-diem/don-vi/P-A/")
    officer.get_by_label("Điểm tự chấm II.1", exact=True).fill("45")
    officer.get_by_label("Điểm tự chấm II.1", exact=True).locator("xpath=..").get_by_role("button", name="Lưu").click()
    expect(officer.get_by_label("Điểm tự chấm II.1", exact=True)).to_have_value("45")

    # The unit head submits.
    head = person("head_a")
    head.goto(entry)
    head.get_by_role("button", name="Gửi báo cáo cho cụm trưởng").click()
    expect(head.locator(status)).to_contain_text("Đã gửi")

    # The leader returns it with a reason.
    leader = person("leader_g1_2024")
    leader.goto(entry)
    leader.get_by_label("Lý do trả lại").fill("Số vụ tai nạn giao thông chưa khớp báo cáo của Công an huyện")
    leader.get_by_role("button", name="Trả lại").click()
    expect(leader.locator(status)).to_contain_text("Bị trả lại")

    # The unit sees why, fixes the figure, and the head resubmits.
    officer.goto(entry)
    expect(officer.locator(status)).to_contain_text("chưa khớp báo cáo của Công an huyện")
    officer.get_by_label("I.2 Thực hiện", exact=True).fill("30")
    officer.get_by_label("I.2 Thực hiện", exact=True).press("Tab")
    expect(officer.locator("#row-I-2")).to_contain_text("Đã lưu.")
    head.goto(entry)
    head.get_by_role("button", name="Gửi báo cáo cho cụm trưởng").click()
    expect(head.locator(status)).to_contain_text("Đã gửi")

    # The leader accepts; the officer's open page is now stale, and an edit is refused.
    leader.goto(entry)
    leader.get_by_role("button", name="Chấp nhận").click()
    expect(leader.locator(status)).to_contain_text("Đã được chấp nhận")
    officer.get_by_label("I.1 Thực hiện", exact=True).fill("200")
    officer.get_by_label("I.1 Thực hiện", exact=True).press("Tab")
    expect(officer.locator("#row-I-1")).to_contain_text("đã được cụm trưởng chấp nhận")
    expect(officer.locator("#row-I-1")).to_contain_text("Chỉ Ban Thi đua – Khen thưởng mở lại được")

    # Cross-scoring: the leader saves the proposed pairs (P-A ↔ P-B), P-B scores P-A far apart
    # from the self score, the leader reconciles with a reason.
    leader.goto(f"{live_server.url}/cum-khoi/G1/2024/cham-diem/phan-cong-cham-cheo/")
    leader.get_by_role("button", name="Lưu phân công").click()
    other = person("officer_b")
    other.goto(f"{live_server.url}/cum-khoi/G1/2024/cham-diem/don-vi/P-B/")
    other.get_by_label("Điểm chấm chéo II.1", exact=True).fill("30")
    other.get_by_label("Điểm chấm chéo II.1", exact=True).locator("xpath=..").get_by_role("button", name="Lưu").click()
    expect(other.get_by_label("Điểm chấm chéo II.1", exact=True)).to_have_value("30")
    leader.goto(f"{live_server.url}/cum-khoi/G1/2024/cham-diem/thong-nhat/")
    leader.get_by_label("Điểm thống nhất").fill("40")
    leader.get_by_placeholder("Lý do (bắt buộc)").fill("Thống nhất theo biên bản họp cụm ngày 10/12/2024")
    leader.get_by_role("button", name="Thống nhất").click()
    expect(leader.get_by_text("Không có tiêu chí nào chờ thống nhất")).to_be_visible()

    # The ranking: P-A = I.1 60 + min(10; 20,5 × 0,5) = 70 + I.2 30 + II.1 40 (reconciled) = 140.
    leader.goto(f"{live_server.url}/cum-khoi/G1/2024/xep-hang/")
    row = leader.locator('tr[data-unit="P-A"]')
    expect(row).to_contain_text("140,00")
    expect(row.locator("td").first).to_have_text(re.compile(r"^\s*1\s*$"))
    leader.goto(f"{live_server.url}/cum-khoi/G1/2024/diem/P-A/")
    expect(leader.locator("#c-II\\.1")).to_contain_text("Cụm trưởng thống nhất")
