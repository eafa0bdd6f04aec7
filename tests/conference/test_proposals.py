"""Award proposals at the year-end conference: the flag for the acclaimed leading unit, Bằng khen for
the next ranked units within the quota, vetoes with their reasons, central clusters, rebuilding,
and who may use the page (LEGAL.md §2.4, §3.4, §4.2; thidua/conference/proposals.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, GroupFactory, RoleAssignmentFactory, UnitFactory, UserFactory
from thidua.audit.models import AuditEvent
from thidua.conference.models import AwardForm, AwardProposal, Ballot, BallotKind, BallotOption, ConferenceRules
from thidua.conference.proposals import (
    ProposalError,
    ProposalForbidden,
    conference_rules_set,
    proposals_build,
    unit_veto_record,
    unit_veto_remove,
)
from thidua.covenants.fileformat import read_covenant
from thidua.covenants.services import covenant_import
from thidua.org.models import GroupLevel, GroupYear, Role, UnitKind

G5_2024_COVENANT = """\
format: thidua-covenant/1
group: {{code: {code}, name: Cụm thi đua số 5, kind: cluster, organiser: {organiser}}}
year: 2024
scale: 1000
members:
  - {{code: P-A, name: Huyện Ánh Dương, kind: district}}
  - {{code: P-B, name: Huyện Bình Minh, kind: district}}
  - {{code: P-D, name: Huyện Đông Hải, kind: district}}
  - {{code: P-E, name: Huyện Gành Hào, kind: district}}
  - {{code: P-F, name: Huyện Phước Long, kind: district}}
roles: {{leader: P-B, deputies: [P-A]}}
contents:
  - code: "I"
    title: Kết quả thực hiện nhiệm vụ năm
    max_points: 1000
    criteria:
      - {{code: "I.1", title: Tổng hợp kết quả, max_points: 1000, method: manual}}
results:
  - {{unit: P-A, criterion: "I.1", points: {a}}}
  - {{unit: P-B, criterion: "I.1", points: {b}}}
  - {{unit: P-D, criterion: "I.1", points: {d}}}
  - {{unit: P-E, criterion: "I.1", points: {e}}}
  - {{unit: P-F, criterion: "I.1", points: {f}}}
"""


def import_g5(*, code="G5", organiser="UBND tỉnh Phú An", a="900", b="880", d="870", e="860", f="850"):
    text = G5_2024_COVENANT.format(code=code, organiser=organiser, a=a, b=b, d=d, e=e, f=f)
    covenant_import(doc=read_covenant(text, filename=f"{code}-2024.yaml"), filename=f"{code}-2024.yaml")
    return GroupYear.objects.get(group__code=code, year=2024)


@pytest.fixture
def g5(world):
    """Cụm thi đua số 5 of province P in 2024: five districts ranked Ánh Dương 900, Bình Minh 880,
    Đông Hải 870, Gành Hào 860, Phước Long 850. Its 2024 leader officer is leader_g5."""
    world.d = UnitFactory(code="P-D", name="Huyện Đông Hải", short_name="Đông Hải", parent=world.p)
    world.e = UnitFactory(code="P-E", name="Huyện Gành Hào", short_name="Gành Hào", parent=world.p)
    world.f = UnitFactory(code="P-F", name="Huyện Phước Long", short_name="Phước Long", parent=world.p)
    world.g5 = GroupFactory(code="G5", name="Cụm thi đua số 5", organiser_unit=world.p)
    world.leader_g5 = UserFactory(username="leader_g5")
    RoleAssignmentFactory(user=world.leader_g5, role=Role.GROUP_LEADER_OFFICER, group=world.g5, year=2024, unit=world.b)
    return import_g5()


def listed(group_year) -> list[tuple[str, str, int, str]]:
    return [(p.unit.code, p.form, p.rank, str(p.total))
            for p in AwardProposal.objects.filter(group_year=group_year).order_by("rank", "form")]


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


# ------------------------------------------------------------------------------ quotas


def test_the_acclaimed_leader_gets_the_provincial_flag_and_the_runner_up_a_merit_within_30_percent(world, g5):
    plan = proposals_build(group_year=g5, leading_unit=world.a, actor=world.leader_g5, acclaim_votes=(4, 5))

    assert listed(g5) == [("P-A", AwardForm.FLAG_PROVINCE, 1, "900.00"), ("P-B", AwardForm.MERIT_PROVINCE, 2, "880.00")]
    flag, merit = AwardProposal.objects.filter(group_year=g5).order_by("rank")
    assert flag.basis == "Dẫn đầu cụm, được suy tôn với 4/5 phiếu; xếp thứ 1 với 900,00 điểm"
    assert merit.basis == "Xếp thứ 2 với 880,00 điểm"
    assert plan.merit_quota == 1  # floor(30 % × 5) = floor(1,5)
    assert "Chỉ tiêu Bằng khen: 30% × 5 thành viên = 1,5 → 1 đơn vị (làm tròn xuống)." in plan.notes


def test_without_a_rules_row_the_defaults_are_one_flag_and_30_percent(world, g5):
    assert not ConferenceRules.objects.filter(group_year=g5).exists()
    plan = proposals_build(group_year=g5, leading_unit=world.a, actor=None)
    assert (plan.flag_quota, plan.merit_quota, plan.merit_share_pct) == (1, 1, 30)


@pytest.mark.parametrize(("share", "merits"), [(19, 0), (20, 1), (39, 1), (40, 2), (100, 4)])
def test_the_merit_share_rounds_down(world, g5, share, merits):
    conference_rules_set(group_year=g5, flags=1, merit_share_pct=share, party_rating_required="Hoàn thành tốt nhiệm vụ",
                         actor=world.board_p)
    proposals_build(group_year=g5, leading_unit=world.a, actor=world.board_p)
    forms = [form for _, form, _, _ in listed(g5)]
    assert forms.count(AwardForm.FLAG_PROVINCE) == 1
    assert forms.count(AwardForm.MERIT_PROVINCE) == merits  # the flag holder never counts twice


def test_the_acclaimed_unit_need_not_be_first_and_the_merits_follow_the_ranking_around_it(world, g5):
    conference_rules_set(group_year=g5, flags=1, merit_share_pct=40, party_rating_required="Hoàn thành tốt nhiệm vụ",
                         actor=world.leader_g5)
    proposals_build(group_year=g5, leading_unit=world.b, actor=world.leader_g5)
    assert listed(g5) == [("P-A", "bk_tinh", 1, "900.00"), ("P-B", "co_tinh", 2, "880.00"), ("P-D", "bk_tinh", 3, "870.00")]


def test_with_no_flag_in_the_regulation_the_leading_unit_competes_for_a_merit(world, g5):
    conference_rules_set(group_year=g5, flags=0, merit_share_pct=30, party_rating_required="Hoàn thành tốt nhiệm vụ",
                         actor=world.leader_g5)
    plan = proposals_build(group_year=g5, leading_unit=world.a, actor=world.leader_g5)
    assert listed(g5) == [("P-A", "bk_tinh", 1, "900.00")]
    assert any("không có chỉ tiêu Cờ thi đua" in note for note in plan.notes)


def test_without_an_acclaimed_unit_there_is_no_flag_and_the_merits_still_follow_the_ranking(world, g5):
    plan = proposals_build(group_year=g5, leading_unit=None, actor=world.leader_g5)
    assert listed(g5) == [("P-A", "bk_tinh", 1, "900.00")]
    assert any("Chưa có đơn vị được suy tôn" in note for note in plan.notes)


def test_a_tie_across_the_quota_is_not_proposed_but_noted(world, g5):
    import_g5(b="880", d="880")  # Bình Minh and Đông Hải share the second place
    plan = proposals_build(group_year=g5, leading_unit=world.a, actor=world.leader_g5)
    assert listed(g5) == [("P-A", "co_tinh", 1, "900.00"), ("P-B", "bk_tinh", 2, "880.00")]
    assert any(note.startswith("Đông Hải đồng hạng 2 với Bình Minh nhưng đã hết chỉ tiêu") for note in plan.notes)


def test_a_small_cluster_of_two_gets_no_merit_at_30_percent(world, g1_covenant):
    proposals_build(group_year=world.g1_2024, leading_unit=world.a, actor=world.leader_g1_2024)
    assert listed(world.g1_2024) == [("P-A", "co_tinh", 1, "141.44")]  # floor(0,6) = 0


# ------------------------------------------------------------------------------ vetoes


def test_a_vetoed_leading_unit_gets_no_flag_and_the_reason_is_given(world, g5, client):
    unit_veto_record(group_year=g5, unit=world.a, kind="discipline", reason="Chủ tịch UBND huyện bị kỷ luật khiển trách",
                     actor=world.leader_g5)
    plan = proposals_build(group_year=g5, leading_unit=world.a, actor=world.leader_g5)

    assert listed(g5) == [("P-B", "bk_tinh", 2, "880.00")]  # no flag for anyone; Ánh Dương gets nothing
    assert [skip.text for skip in plan.skipped] == [
        "Ánh Dương không được đề nghị Cờ thi đua của Ủy ban nhân dân tỉnh: "
        "Đơn vị bị kỷ luật: Chủ tịch UBND huyện bị kỷ luật khiển trách"
    ]
    login(client, world.leader_g5)
    page = client.get(reverse("conference_proposals", args=("G5", 2024))).content.decode()
    skipped = page[page.index('id="skipped"'):page.index("</ul>", page.index('id="skipped"'))]
    assert "Ánh Dương" in skipped and "Chủ tịch UBND huyện bị kỷ luật khiển trách" in skipped


def test_a_vetoed_runner_up_is_skipped_and_the_next_one_is_proposed(world, g5, client):
    unit_veto_record(group_year=g5, unit=world.b, kind="party_rating", reason="Đảng bộ huyện xếp loại hoàn thành nhiệm vụ",
                     actor=world.board_p)
    plan = proposals_build(group_year=g5, leading_unit=world.a, actor=world.board_p)

    assert listed(g5) == [("P-A", "co_tinh", 1, "900.00"), ("P-D", "bk_tinh", 3, "870.00")]
    assert [(s.unit.code, s.form, s.rank) for s in plan.skipped] == [("P-B", "bk_tinh", 2)]
    login(client, world.board_p)
    page = client.get(reverse("conference_proposals", args=("G5", 2024))).content.decode()
    assert "Tổ chức đảng xếp loại dưới mức yêu cầu: Đảng bộ huyện xếp loại hoàn thành nhiệm vụ" in page


def test_a_veto_needs_a_reason_and_a_member(world, g5):
    with pytest.raises(ProposalError, match="lý do"):
        unit_veto_record(group_year=g5, unit=world.a, kind="other", reason="   ", actor=world.leader_g5)
    with pytest.raises(ProposalError, match="không phải thành viên"):
        unit_veto_record(group_year=g5, unit=world.c, kind="other", reason="Không thuộc cụm", actor=world.leader_g5)


def test_a_removed_veto_lets_the_unit_back_into_the_list(world, g5):
    veto = unit_veto_record(group_year=g5, unit=world.b, kind="other", reason="Chưa nộp báo cáo", actor=world.leader_g5)
    proposals_build(group_year=g5, leading_unit=world.a, actor=world.leader_g5)
    unit_veto_remove(veto=veto, actor=world.leader_g5)
    proposals_build(group_year=g5, leading_unit=world.a, actor=world.leader_g5)
    assert listed(g5)[1][0] == "P-B"
    assert AuditEvent.objects.filter(action="conference.veto_removed").count() == 1


# ------------------------------------------------------------------------------ central clusters


def test_a_cluster_organised_by_the_central_council_proposes_the_government_flag_and_the_pm_merit(world, g5):
    central = UnitFactory(code="HDTDKT-TW", name="Hội đồng Thi đua – Khen thưởng Trung ương", kind=UnitKind.ORGANISATION)
    GroupFactory(code="TW-1", name="Cụm thi đua số 5", level=GroupLevel.PROVINCE, organiser_unit=central)
    tw = import_g5(code="TW-1", organiser="Hội đồng Thi đua – Khen thưởng Trung ương")
    proposals_build(group_year=tw, leading_unit=world.a, actor=world.national_board)
    assert listed(tw) == [("P-A", "co_cp", 1, "900.00"), ("P-B", "bk_ttg", 2, "880.00")]


def test_a_cluster_organised_by_a_province_stays_provincial_whatever_its_level(world, g5):
    g5.group.level = GroupLevel.PROVINCE
    g5.group.save()
    proposals_build(group_year=g5, leading_unit=world.a, actor=world.board_p)
    assert [form for _, form, _, _ in listed(g5)] == ["co_tinh", "bk_tinh"]


# ------------------------------------------------------------------------------ rebuilding


def test_rebuilding_replaces_the_previous_list_in_one_audited_change(world, g5):
    proposals_build(group_year=g5, leading_unit=world.a, actor=world.leader_g5)
    events = AuditEvent.objects.filter(action="conference.proposals_built")
    assert events.count() == 1

    proposals_build(group_year=g5, leading_unit=world.a, actor=world.leader_g5)  # same list: nothing to record
    assert events.count() == 1

    proposals_build(group_year=g5, leading_unit=world.d, actor=world.leader_g5)  # acclaimed differently
    assert listed(g5) == [("P-A", "bk_tinh", 1, "900.00"), ("P-D", "co_tinh", 3, "870.00")]
    assert AwardProposal.objects.filter(group_year=g5).count() == 2
    assert events.count() == 2 and events.first().data["replaced"] == 2
    assert events.first().actor == world.leader_g5


def test_the_acclaimed_unit_must_be_a_member(world, g5):
    with pytest.raises(ProposalError, match="không phải thành viên"):
        proposals_build(group_year=g5, leading_unit=world.c, actor=world.leader_g5)
    assert not AwardProposal.objects.filter(group_year=g5).exists()


def test_a_group_year_without_a_covenant_has_nothing_to_propose(world):
    with pytest.raises(ProposalError, match="chưa có giao ước"):
        proposals_build(group_year=world.g1_2025, leading_unit=world.a, actor=world.board_p)


def test_a_member_officer_cannot_build_the_list_through_the_service(world, g5):
    with pytest.raises(ProposalForbidden):
        proposals_build(group_year=g5, leading_unit=world.a, actor=world.officer_a)
    with pytest.raises(ProposalForbidden):
        unit_veto_record(group_year=g5, unit=world.b, kind="other", reason="Lý do", actor=world.officer_a)


# ------------------------------------------------------------------------------ the page


@pytest.mark.parametrize(
    ("actor", "status"),
    [("officer_a", 403), ("officer_c", 404), ("leader_g1_2024", 200), ("board_p", 200), ("national_board", 200),
     ("council_g1", 403), ("outsider", 404)],
)
def test_the_proposals_page_is_for_the_leader_and_the_board(client, world, g1_covenant, actor, status):
    login(client, getattr(world, actor))
    assert client.get(reverse("conference_proposals", args=("G1", 2024))).status_code == status
    build = client.post(reverse("conference_proposals_build", args=("G1", 2024)), {"leading_unit": "P-A"})
    assert build.status_code == (302 if status == 200 else status)


def test_the_leader_builds_the_list_on_the_page_and_sees_it_in_vietnamese_formats(client, world, g5):
    login(client, world.leader_g5)
    response = client.post(reverse("conference_proposals_build", args=("G5", 2024)),
                           {"leading_unit": "P-A", "votes": "4", "votes_of": "5"}, follow=True)
    page = response.content.decode()
    table = page[page.index('id="proposals"'):page.index("</table>", page.index('id="proposals"'))]
    assert "Cờ thi đua của Ủy ban nhân dân tỉnh" in table and "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in table
    assert "900,00" in table and "880,00" in table
    assert "Dẫn đầu cụm, được suy tôn với 4/5 phiếu" in table and "Xếp thứ 2 với 880,00 điểm" in table
    assert "Đã lập danh sách đề nghị khen thưởng" in page


def test_the_board_sets_the_rules_and_records_a_veto_on_the_page(client, world, g5):
    login(client, world.board_p)
    client.post(reverse("conference_proposals_rules", args=("G5", 2024)),
                {"flags": "1", "merit_share_pct": "40", "party_rating_required": "Hoàn thành tốt nhiệm vụ"})
    assert ConferenceRules.objects.get(group_year=g5).merit_share_pct == 40
    client.post(reverse("conference_veto_add", args=("G5", 2024)),
                {"unit": "P-B", "kind": "discipline", "reason": "Phó Chủ tịch UBND huyện bị kỷ luật"})
    client.post(reverse("conference_proposals_build", args=("G5", 2024)), {"leading_unit": "P-A"})
    assert listed(g5) == [("P-A", "co_tinh", 1, "900.00"), ("P-D", "bk_tinh", 3, "870.00"), ("P-E", "bk_tinh", 4, "860.00")]


def test_a_veto_without_a_reason_is_refused_on_the_page_and_what_was_typed_stays(client, world, g5):
    login(client, world.leader_g5)
    response = client.post(reverse("conference_veto_add", args=("G5", 2024)), {"unit": "P-B", "kind": "other", "reason": ""})
    assert response.status_code == 200
    assert "Phải ghi rõ lý do không đề nghị khen thưởng." in response.content.decode()
    assert not g5.vetoes.exists()


def test_a_closed_acclaim_ballot_decides_the_leading_unit_and_its_votes(client, world, g5):
    ballot = Ballot.objects.create(group_year=g5, kind=BallotKind.ACCLAIM, title="Suy tôn đơn vị dẫn đầu năm 2024",
                                   status="closed", electorate_size=5, cast_count=5)
    BallotOption.objects.create(ballot=ballot, unit=world.d, label="Đông Hải", votes=4)
    BallotOption.objects.create(ballot=ballot, unit=world.a, label="Ánh Dương", votes=1)
    login(client, world.leader_g5)
    assert "Đông Hải</strong> được suy tôn dẫn đầu với 4/5 phiếu" in client.get(
        reverse("conference_proposals", args=("G5", 2024))).content.decode()
    client.post(reverse("conference_proposals_build", args=("G5", 2024)), {"leading_unit": "P-A"})  # ignored
    flag = AwardProposal.objects.get(group_year=g5, form="co_tinh")
    assert flag.unit == world.d and flag.basis.startswith("Dẫn đầu cụm, được suy tôn với 4/5 phiếu")
    assert flag.total == Decimal("870.00")


def test_a_veto_recorded_after_the_build_marks_the_saved_list_as_out_of_date(client, world, g5):
    login(client, world.leader_g5)
    client.post(reverse("conference_proposals_build", args=("G5", 2024)), {"leading_unit": "P-A"})
    page = client.get(reverse("conference_proposals", args=("G5", 2024))).content.decode()
    assert 'id="stale"' not in page
    client.post(reverse("conference_veto_add", args=("G5", 2024)),
                {"unit": "P-B", "kind": "other", "reason": "Chưa hoàn thành chỉ tiêu thu ngân sách"})
    page = client.get(reverse("conference_proposals", args=("G5", 2024))).content.decode()
    skipped = page[page.index('id="skipped"'):page.index("</ul>", page.index('id="skipped"'))]
    assert 'id="stale"' in page and "Bình Minh" in skipped and "Chưa hoàn thành chỉ tiêu thu ngân sách" in skipped
    veto = g5.vetoes.get()
    client.post(reverse("conference_veto_remove", args=("G5", 2024, veto.pk)))
    assert not g5.vetoes.exists()
    assert 'id="stale"' not in client.get(reverse("conference_proposals", args=("G5", 2024))).content.decode()
