"""The covenant page and editor: who may edit, the live example, amendments after signing."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from thidua.audit.models import AuditEvent
from thidua.covenants.models import Amendment, Criterion
from thidua.covenants.services import covenant_sign


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


CRITERION_FORM = {
    "code": "I.3", "content": "I", "title": "Giải quyết việc làm", "max_points": "40", "measure": "người",
    "direction": "higher", "aggregate": "sum", "method": "plan_ratio", "penalty_per_pct": "0,4",
    "bonus_per_pct": "", "bonus_cap": "", "threshold": "", "partial": "", "by": "", "step": "", "min_points": "",
}


@pytest.mark.parametrize(
    ("actor", "status"),
    [("leader_g1_2024", 200), ("board_p", 200), ("national_board", 200),
     ("officer_a", 403), ("council_g1", 403), ("reader_g1", 403), ("officer_c", 404), ("outsider", 404)],
)
def test_only_the_leader_and_the_board_open_the_editor(client, world, g1_covenant, actor, status):
    login(client, getattr(world, actor))
    assert client.get(reverse("criterion_edit", args=("G1", 2024, "I.1"))).status_code == status


@pytest.mark.parametrize(("actor", "status"), [("officer_a", 403), ("officer_c", 404)])
def test_others_cannot_post_changes_either(client, world, g1_covenant, actor, status):
    login(client, getattr(world, actor))
    response = client.post(reverse("criterion_add", args=("G1", 2024)), CRITERION_FORM)
    assert response.status_code == status
    assert not Criterion.objects.filter(code="I.3").exists()


def test_the_leader_adds_a_criterion_with_vietnamese_decimals(client, world, g1_covenant):
    login(client, world.leader_g1_2024)
    response = client.post(reverse("criterion_add", args=("G1", 2024)), CRITERION_FORM)
    assert response.status_code == 302
    criterion = Criterion.objects.get(code="I.3")
    assert criterion.params == {"penalty_per_pct": "0.4"}
    assert criterion.content.code == "I"


def test_a_bad_parameter_is_refused_with_a_vietnamese_message_and_nothing_changes(client, world, g1_covenant):
    login(client, world.leader_g1_2024)
    form = {**CRITERION_FORM, "method": "rank", "by": "actual"}  # rank needs `step`
    before = AuditEvent.objects.count()
    response = client.post(reverse("criterion_add", args=("G1", 2024)), form)
    assert response.status_code == 200
    assert "step" in response.content.decode() or "bậc" in response.content.decode()
    assert not Criterion.objects.filter(code="I.3").exists()
    assert AuditEvent.objects.count() == before


def test_a_number_typed_wrong_names_the_field(client, world, g1_covenant):
    login(client, world.leader_g1_2024)
    response = client.post(reverse("criterion_add", args=("G1", 2024)), {**CRITERION_FORM, "max_points": "bốn mươi"})
    assert "«bốn mươi» không phải là số" in response.content.decode()


def test_a_signed_covenant_needs_a_reason_to_change_and_records_the_amendment(client, world, g1_covenant):
    covenant_sign(covenant=g1_covenant)
    login(client, world.leader_g1_2024)
    edit = {**CRITERION_FORM, "code": "I.1", "title": "Thu ngân sách nhà nước", "max_points": "60",
            "penalty_per_pct": "1", "bonus_per_pct": "0,5", "bonus_cap": "10"}
    url = reverse("criterion_edit", args=("G1", 2024, "I.1"))
    refused = client.post(url, edit)
    assert refused.status_code == 200 and "Lý do sửa đổi" in refused.content.decode()
    assert Criterion.objects.get(code="I.1").title == "Thu ngân sách"
    accepted = client.post(url, {**edit, "amendment_reason": "Thống nhất tên theo Nghị quyết HĐND"})
    assert accepted.status_code == 302
    assert Criterion.objects.get(code="I.1").title == "Thu ngân sách nhà nước"
    amendment = Amendment.objects.get()
    assert amendment.reason == "Thống nhất tên theo Nghị quyết HĐND" and "I.1" in amendment.summary


def test_the_live_example_shows_the_engines_explanations(client, world, g1_covenant):
    login(client, world.leader_g1_2024)
    query = {"method": "plan_ratio", "max_points": "60", "penalty_per_pct": "1", "bonus_per_pct": "0,5", "bonus_cap": "10"}
    page = client.get(reverse("method_example", args=("G1", 2024)), query, headers={"HX-Request": "true"}).content.decode()
    assert "Đạt 112,88% kế hoạch → 60 + min(10; 12,88 × 0,5) = 66,44 điểm" in page


def test_copying_forward_makes_next_years_draft_with_the_same_criteria(client, world, g1_covenant):
    login(client, world.board_p)
    response = client.post(reverse("covenant_copy_forward", args=("G1", 2024)))
    assert response.status_code == 302
    codes = sorted(Criterion.objects.filter(covenant__group_year__year=2025).values_list("code", flat=True))
    assert codes == ["I.1", "I.2", "II.1"]


def test_signing_moves_a_draft_to_signed_once(client, world, g1_covenant):
    login(client, world.leader_g1_2024)
    client.post(reverse("covenant_sign", args=("G1", 2024)))
    g1_covenant.refresh_from_db()
    assert g1_covenant.status == "signed"
    page = client.post(reverse("covenant_sign", args=("G1", 2024)), follow=True).content.decode()
    assert "Chỉ ký kết được giao ước đang ở trạng thái dự thảo" in page


def test_the_leader_can_require_evidence_for_a_criterion(client, world, g1_covenant):
    login(client, world.leader_g1_2024)
    client.post(reverse("criterion_add", args=("G1", 2024)), {**CRITERION_FORM, "requires_evidence": "on"})
    assert Criterion.objects.get(code="I.3").requires_evidence is True
