"""Data entry, cell by cell: Vietnamese numbers, conflicts, outliers, locks, history, scope."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from thidua.audit.models import AuditEvent
from thidua.covenants.models import Result
from thidua.reporting.models import ReportStatus, ResultChange, UnitReport


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


def save(client, unit="P-A", criterion="I.1", field="actual", value="", previous="", htmx=True, **extra):
    url = reverse("cell_save", args=("G1", 2024, unit, criterion))
    data = {"field": field, "value": value, "previous": previous, **extra}
    return client.post(url, data, headers={"HX-Request": "true"} if htmx else {})


def figure(unit="P-A", criterion="I.1", field="actual"):
    return getattr(Result.objects.get(unit__code=unit, criterion__code=criterion), field)


def test_a_unit_officer_saves_a_figure_typed_with_a_decimal_comma(client, world, g1_covenant):
    login(client, world.officer_a)
    response = save(client, value="1.234,5", previous="100", field="target")
    assert "Đã lưu" in response.content.decode()
    assert figure(field="target") == Decimal("1234.5")
    change = ResultChange.objects.get()
    assert (change.field, change.actor, change.source) == ("target", world.officer_a, "web")
    assert (Decimal(change.old_value), Decimal(change.new_value)) == (Decimal(100), Decimal("1234.5"))
    assert AuditEvent.objects.filter(action="result.changed").exists()


def test_the_second_of_two_saves_of_the_same_figure_is_refused_and_shows_the_newer_value(client, world, g1_covenant):
    login(client, world.officer_a)
    save(client, value="120", previous="112.88")          # first person saves
    response = save(client, value="130", previous="112.88")  # second person saw 112,88 too
    page = response.content.decode()
    assert "vừa được người khác lưu (120)" in page
    assert figure() == Decimal(120)
    assert 'value="130"' in page  # what the second person typed is still in the cell


def test_saving_another_field_of_the_same_row_is_not_a_conflict(client, world, g1_covenant):
    login(client, world.officer_a)
    save(client, value="120", previous="112.88", field="actual")
    response = save(client, value="110", previous="100", field="target")
    assert "Đã lưu" in response.content.decode()
    assert figure(field="target") == Decimal(110) and figure() == Decimal(120)


def test_an_outlier_over_300_percent_of_plan_needs_confirmation(client, world, g1_covenant):
    login(client, world.officer_a)
    page = save(client, value="350", previous="112.88").content.decode()
    assert "cao bất thường" in page and "Xác nhận" in page
    assert figure() == Decimal("112.88")
    save(client, value="350", previous="112.88", confirmed="1")
    assert figure() == Decimal(350)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("actual", "12,3,4", "không phải là số"),
    ("target", "-5", "Kế hoạch không được âm"),
    ("actual", "1,1234567", "quá 6 chữ số thập phân"),
])
def test_bad_values_are_refused_with_a_message_and_nothing_changes(client, world, g1_covenant, field, value, message):
    login(client, world.officer_a)
    before = Result.objects.get(unit__code="P-A", criterion__code="I.1")
    page = save(client, field=field, value=value, previous=format(getattr(before, field).normalize(), "f")).content.decode()
    assert message in page
    after = Result.objects.get(pk=before.pk)
    assert (after.target, after.actual, after.version) == (before.target, before.actual, before.version)


def test_a_first_figure_creates_the_result_row(client, world, g1_covenant):
    login(client, world.officer_b)
    save(client, unit="P-B", criterion="II.1", field="note", value="Đã tổ chức hội nghị", previous="")
    assert Result.objects.get(unit__code="P-B", criterion__code="II.1").note == "Đã tổ chức hội nghị"


# ------------------------------------------------------------------------------ scope


@pytest.mark.parametrize(("actor", "status"), [
    ("officer_a", 200), ("head_a", 200), ("leader_g1_2024", 200), ("board_p", 200), ("council_g1", 200),
    ("officer_b", 404), ("officer_c", 404), ("reader_g1", 404), ("outsider", 404),
])
def test_who_opens_a_units_data_entry_screen(client, world, g1_covenant, actor, status):
    login(client, getattr(world, actor))
    assert client.get(reverse("data_entry", args=("G1", 2024, "P-A"))).status_code == status


@pytest.mark.parametrize(("actor", "status"), [
    ("officer_b", 404), ("officer_c", 404), ("outsider", 404), ("leader_g1_2024", 403), ("council_g1", 403),
])
@pytest.mark.parametrize("htmx", [True, False])
def test_nobody_else_writes_a_units_figures_by_fragment_or_direct_url(client, world, g1_covenant, actor, status, htmx):
    login(client, getattr(world, actor))
    assert save(client, value="1", previous="112.88", htmx=htmx).status_code == status
    assert figure() == Decimal("112.88")


@pytest.mark.parametrize(("actor", "status"), [("officer_a", 200), ("leader_g1_2024", 200), ("board_p", 200),
                                               ("officer_b", 404), ("officer_c", 404)])
def test_a_figures_history_is_private_to_the_unit_the_leader_and_the_board(client, world, g1_covenant, actor, status):
    login(client, world.officer_a)
    save(client, value="120", previous="112.88")
    client.logout()
    login(client, getattr(world, actor))
    response = client.get(reverse("result_history", args=("G1", 2024, "P-A", "I.1")))
    assert response.status_code == status
    if status == 200:
        assert "112,88" in response.content.decode() and "120" in response.content.decode()


@pytest.mark.parametrize(("actor", "status"), [("leader_g1_2024", 200), ("board_p", 200), ("officer_a", 403),
                                               ("officer_c", 404)])
def test_the_group_overview_is_for_the_leader_and_the_board(client, world, g1_covenant, actor, status):
    login(client, getattr(world, actor))
    assert client.get(reverse("group_data", args=("G1", 2024))).status_code == status


# ------------------------------------------------------------------------------ workflow


def act(client, action, unit="P-A", **data):
    return client.post(reverse("report_action", args=("G1", 2024, unit, action)), data, follow=True)


def status(unit="P-A"):
    return UnitReport.objects.get(unit__code=unit).status


def test_the_whole_workflow_submit_return_resubmit_accept_lock_reopen(client, world, g1_covenant):
    login(client, world.officer_a)
    assert act(client, "gui").status_code == 403  # only the unit head submits
    client.logout(); login(client, world.head_a)
    act(client, "gui")
    assert status() == ReportStatus.SUBMITTED
    page = save(client, value="1", previous="112.88").content.decode()
    assert "đang chờ cụm trưởng xem xét" in page

    client.logout(); login(client, world.leader_g1_2024)
    assert "phải ghi rõ lý do" in act(client, "tra-lai", reason=" ").content.decode()
    act(client, "tra-lai", reason="Thiếu số liệu tai nạn giao thông")
    assert status() == ReportStatus.RETURNED

    client.logout(); login(client, world.officer_a)
    assert "Thiếu số liệu tai nạn giao thông" in client.get(reverse("data_entry", args=("G1", 2024, "P-A"))).content.decode()
    save(client, value="115", previous="112.88")
    client.logout(); login(client, world.head_a)
    act(client, "gui")

    client.logout(); login(client, world.leader_g1_2024)
    act(client, "chap-nhan")
    assert status() == ReportStatus.ACCEPTED

    client.logout(); login(client, world.officer_a)
    page = save(client, value="116", previous="115").content.decode()
    assert "đã được cụm trưởng chấp nhận" in page and "Chỉ Ban Thi đua – Khen thưởng mở lại được" in page
    assert figure() == Decimal(115)

    client.logout(); login(client, world.leader_g1_2024)
    assert act(client, "mo-lai", reason="Sửa").status_code == 403  # reopening is the Board's
    act(client, "khoa")
    assert status() == ReportStatus.LOCKED

    client.logout(); login(client, world.board_p)
    act(client, "mo-lai", reason="Đơn vị phát hiện sai số liệu thu ngân sách")
    assert status() == ReportStatus.DRAFT

    client.logout(); login(client, world.officer_a)
    save(client, value="117", previous="115")
    report = UnitReport.objects.get(unit__code="P-A")
    assert report.changes_after_acceptance == 1
    assert ResultChange.objects.filter(after_acceptance=True).count() == 1

    client.logout(); login(client, world.leader_g1_2024)
    page = client.get(reverse("data_entry", args=("G1", 2024, "P-A"))).content.decode()
    assert "1 thay đổi sau khi đã chấp nhận" in page


def test_required_evidence_blocks_submission(client, world, g1_covenant):
    g1_covenant.criteria.filter(code="I.1").update(requires_evidence=True)
    login(client, world.head_a)
    page = act(client, "gui").content.decode()
    assert "Chưa có minh chứng cho tiêu chí: I.1" in page
    assert status() == ReportStatus.DRAFT
