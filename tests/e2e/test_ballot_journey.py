"""Secret ballots in real Chromium (issue acceptance): Kiên Giang's cluster no. 2 in 2017. The
leader's officer opens an acclaim ballot, the five unit heads vote each in their own browser, one
of them tries a second vote from a page left open and is refused, the leader closes the ballot and
the result states the quorum, the threshold, the counts and the acclaimed unit. A second ballot
where only three of five vote says the quorum was not met."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD
from thidua.demo import demo_load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LEADER = "cumtruong.tanhiep"
HEADS = {  # unit head → their choice
    "thutruong.tanhiep": "Huyện Giồng Riềng",
    "thutruong.giongrieng": "Huyện Tân Hiệp",
    "thutruong.hondat": "Huyện Giồng Riềng",
    "thutruong.chauthanh": "Huyện Giồng Riềng",
    "thutruong.rachgia": "Huyện Giồng Riềng",
}
RECEIPT = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{5}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{5}$")


@pytest.fixture
def kien_giang(db):
    demo_load(password=TEST_PASSWORD)


def create_and_open(leader, base: str, kind: str) -> str:
    leader.goto(base)
    leader.get_by_role("link", name="Tạo phiếu bầu").click()
    leader.get_by_label("Nội dung bỏ phiếu").select_option(label=kind)
    leader.get_by_role("button", name="Tạo phiếu bầu").click()
    expect(leader.locator("#ballot-status")).to_contain_text("Chuẩn bị")
    leader.get_by_role("button", name="Mở bỏ phiếu").click()
    expect(leader.locator("#ballot-status")).to_contain_text("Đang bỏ phiếu")
    return leader.url


def cast(page, ballot_url: str, choice: str) -> str:
    page.goto(ballot_url)
    page.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Bỏ phiếu", exact=True).click()
    receipt = page.locator("#receipt-code")
    expect(receipt).to_have_text(RECEIPT)
    expect(page.locator("#receipt")).not_to_contain_text(choice)  # the confirmation shows only the code
    return receipt.inner_text()


def test_an_acclaim_ballot_from_opening_to_result_and_a_ballot_without_quorum(kien_giang, live_server, person):
    base = f"{live_server.url}/cum-khoi/KG-CTD2/2017/bo-phieu/"
    leader = person(LEADER)
    ballot_url = create_and_open(leader, base, "Suy tôn đơn vị dẫn đầu")
    expect(leader.locator("#rule")).to_contain_text(
        "Đủ số phiếu khi có từ 2/3 tổng số thành viên (4/5) tham gia; suy tôn khi được quá 1/2 tổng số thành viên "
        "đồng ý (quá 2,5 phiếu)")

    # Rạch Giá's head opens the ballot in a second tab before voting: a page left open.
    stale = person("thutruong.rachgia").context.new_page()
    stale.goto(ballot_url)

    receipts = {head: cast(person(head), ballot_url, choice) for head, choice in HEADS.items()}
    assert len(set(receipts.values())) == 5

    # The second vote, from the page left open, is refused.
    stale.get_by_label("Huyện Tân Hiệp", exact=True).check()
    stale.get_by_role("button", name="Bỏ phiếu", exact=True).click()
    expect(stale.locator(".messages")).to_contain_text("Đơn vị Rạch Giá đã bỏ phiếu")
    expect(stale.locator("#vote")).to_contain_text("Đơn vị Rạch Giá đã bỏ phiếu.")
    expect(stale.locator("#vote-form")).to_have_count(0)

    # A voter checks that the ballot with their receipt code was counted.
    hondat = person("thutruong.hondat")
    hondat.goto(ballot_url)
    hondat.get_by_label("Mã biên nhận").fill(receipts["thutruong.hondat"].lower())
    hondat.get_by_role("button", name="Kiểm tra").click()
    expect(hondat.locator("#receipt-check")).to_contain_text("Phiếu có mã biên nhận này đã được kiểm")

    # Nothing is shown before the ballot closes but how many have voted.
    leader.goto(ballot_url.rstrip("/") + "/ket-qua/")
    expect(leader.locator("#result")).to_contain_text("Kết quả được công bố khi kết thúc bỏ phiếu")
    expect(leader.locator("#tally")).to_have_count(0)

    leader.goto(ballot_url)
    expect(leader.locator("#turnout")).to_contain_text("Đã có 5/5 phiếu được bỏ")
    leader.get_by_role("button", name="Kết thúc bỏ phiếu").click()
    expect(leader.locator("#quorum")).to_contain_text("Đủ số phiếu theo quy định: 5/5 thành viên tham gia, cần từ 4")
    expect(leader.locator("#rule")).to_contain_text("quá 1/2 tổng số thành viên đồng ý (quá 2,5 phiếu)")
    expect(leader.locator("#threshold")).to_contain_text("Ngưỡng suy tôn: quá 1/2 tổng số thành viên (quá 2,5 phiếu), "
                                                         "tức ít nhất 3 phiếu.")
    expect(leader.locator("#count-valid")).to_have_text("5")
    expect(leader.locator("#count-blank")).to_have_text("0")
    expect(leader.locator("#count-invalid")).to_have_text("0")
    expect(leader.locator("#outcome")).to_contain_text(
        "Huyện Giồng Riềng được suy tôn là đơn vị dẫn đầu Cụm thi đua số 2 năm 2017 với 4/5 phiếu.")

    # A second ballot: only three of the five heads vote; 3 < 2/3 × 5 = 3,33…, so no quorum.
    ballot_url = create_and_open(leader, base, "Bầu cụm trưởng, khối trưởng năm sau")
    for head in ("thutruong.tanhiep", "thutruong.giongrieng", "thutruong.hondat"):
        cast(person(head), ballot_url, "Huyện Châu Thành")
    leader.goto(ballot_url)
    leader.get_by_role("button", name="Kết thúc bỏ phiếu").click()
    expect(leader.locator("#quorum")).to_contain_text(
        "Không đủ số phiếu theo quy định: 3/5 thành viên tham gia, cần từ 4 (2/3 của 5 là 3,33…)")
    expect(leader.locator("#outcome")).to_contain_text("Không đủ số phiếu theo quy định nên không có kết quả bỏ phiếu.")
