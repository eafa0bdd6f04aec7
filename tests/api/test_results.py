"""Writing a unit's figures through the API: saved with history, conflicts (409), locks (423),
validation (422) with Vietnamese messages; the same services as the data-entry screen."""

from __future__ import annotations

from decimal import Decimal

import pytest

from thidua.audit.models import AuditEvent
from thidua.covenants.models import Result
from thidua.reporting.models import ChangeSource, ReportStatus, ResultChange, UnitReport

A_RESULTS = "/groups/G1/2024/units/P-A/results"


@pytest.fixture
def api(world, g1_covenant, api_as):
    return api_as(world.officer_a)


def stored(criterion: str, unit: str = "P-A") -> Result:
    return Result.objects.get(criterion__code=criterion, unit__code=unit, criterion__covenant__group_year__year=2024)


def test_a_unit_s_results_list_every_criterion_with_its_figures_as_decimal_strings(api):
    body = api.get(A_RESULTS).json()
    assert body["unit"]["code"] == "P-A" and body["report"]["status"] == "draft" and body["report"]["editable"]
    assert body["count"] == 3
    first = body["items"][0]
    assert (first["criterion"], first["target"], first["actual"], first["max_points"]) == ("I.1", "100", "112.88", "60")
    assert body["items"][2]["points"] == "45" and body["items"][2]["method"] == "manual"
    assert [i["criterion"] for i in api.get(A_RESULTS, limit=2, offset=1).json()["items"]] == ["I.2", "II.1"]


def test_a_figure_in_vietnamese_notation_is_saved_with_its_history_and_audit(api, world):
    before = stored("I.1").version
    response = api.put(A_RESULTS + "/I.1", {"field": "actual", "value": "115,5", "previous": "112.88",
                                            "reason": "Số liệu quyết toán"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["actual"] == "115.5" and body["version"] == before + 1
    change = ResultChange.objects.get(result=stored("I.1"))
    assert (change.source, change.new_value, change.actor, change.reason) == (
        ChangeSource.API, "115.5", world.officer_a, "Số liệu quyết toán")
    assert AuditEvent.objects.filter(action="result.changed", actor=world.officer_a).exists()


def test_patch_takes_json_numbers_and_creates_missing_results(world, g1_covenant, api_as):
    api = api_as(world.officer_b)
    response = api.patch("/groups/G1/2024/units/P-B/results/II.1", {"field": "points", "value": 30, "previous": None})
    assert response.status_code == 200, response.content
    assert response.json()["points"] == "30" and response.json()["version"] == 1
    response = api.patch("/groups/G1/2024/units/P-B/results/I.1", {"field": "actual", "value": 141.25, "previous": 140})
    assert response.status_code == 200 and response.json()["actual"] == "141.25"


def test_a_stale_previous_value_is_a_409_with_the_newer_value_and_nothing_is_saved(api):
    first = api.put(A_RESULTS + "/I.1", {"field": "actual", "value": "120", "previous": "112.88"})
    assert first.status_code == 200
    # A second client still believes the figure is 112.88.
    response = api.put(A_RESULTS + "/I.1", {"field": "actual", "value": "118", "previous": "112.88"})
    assert response.status_code == 409
    body = response.json()
    assert body["current"] == "120" and body["result"]["actual"] == "120" and body["field"] == "actual"
    assert "vừa được người khác lưu (120)" in body["detail"]
    assert stored("I.1").actual == 120


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.LOCKED])
def test_a_report_that_is_not_open_answers_423_with_the_reason(api, world, g1_covenant, status):
    UnitReport.objects.update_or_create(covenant=g1_covenant, unit=world.a, defaults={"status": status})
    response = api.put(A_RESULTS + "/I.1", {"field": "actual", "value": "120", "previous": "112.88"})
    assert response.status_code == 423
    assert "Báo cáo đã được gửi" in response.json()["detail"] or "khóa" in response.json()["detail"]
    assert stored("I.1").actual == Decimal("112.88")
    assert api.get(A_RESULTS).json()["report"]["editable"] is False


@pytest.mark.parametrize(("body", "message"), [
    ({"field": "actual", "value": "mười hai", "previous": "112.88"}, "không phải là số"),
    ({"field": "target", "value": -5, "previous": "100"}, "Kế hoạch không được âm"),
    ({"field": "points", "value": "10", "previous": None}, "chấm tự động"),
    ({"field": "actual", "value": "1,1234567", "previous": "112.88"}, "chữ số thập phân"),
    ({"field": "actual", "value": 1e300, "previous": "112.88"}, "chữ số"),
    ({"field": "actual", "value": "113", "previous": "một trăm"}, "không phải là số"),
    ({"field": "diem", "value": "113", "previous": "112.88"}, "field: không phải giá trị cho phép"),
    ({"field": "actual", "value": "113"}, "previous: bắt buộc phải có"),
    ({"field": "actual", "value": True, "previous": "112.88"}, "value"),
    ({"field": "note", "value": "ghi\u0000chú", "previous": None}, "ký tự không hợp lệ"),
])
def test_invalid_values_are_422_with_a_vietnamese_message(api, body, message):
    response = api.put(A_RESULTS + "/I.1", body)
    assert response.status_code == 422, response.content
    assert message in response.json()["detail"]
    assert stored("I.1").version == 1


def test_an_unusual_figure_needs_confirmation(api):
    body = {"field": "actual", "value": "400", "previous": "112.88"}
    response = api.put(A_RESULTS + "/I.1", body)
    assert response.status_code == 422 and response.json()["needs_confirmation"] is True
    assert "cao bất thường" in response.json()["detail"]
    assert api.put(A_RESULTS + "/I.1", dict(body, confirmed=True)).status_code == 200


def test_notes_are_text_and_unknown_criteria_are_404(api):
    response = api.put(A_RESULTS + "/I.2", {"field": "note", "value": " Theo báo cáo của Công an ", "previous": None})
    assert response.status_code == 200 and response.json()["note"] == "Theo báo cáo của Công an"
    missing = api.put(A_RESULTS + "/IX.9", {"field": "actual", "value": "1", "previous": None})
    assert missing.status_code == 404 and "tiêu chí" in missing.json()["detail"]


def test_malformed_json_is_a_clean_error(api):
    response = api.client.put(f"/api{A_RESULTS}/I.1", "{không phải json", content_type="application/json",
                              headers=api.headers)
    assert response.status_code == 400
    assert "JSON hợp lệ" in response.json()["detail"]


def test_a_body_over_the_upload_limit_is_a_413_in_json_and_nothing_is_saved(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    before = stored("I.1").actual
    huge = '{"field": "note", "value": "' + "x" * 5000 + '", "previous": null}'

    response = api.client.put(f"/api{A_RESULTS}/I.1", huge, content_type="application/json", headers=api.headers)

    assert response.status_code == 413
    assert response.json()["detail"] == "Nội dung yêu cầu quá lớn (tối đa 1 KB); không có gì được lưu."
    assert stored("I.1").actual == before and stored("I.1").note != "x" * 5000
