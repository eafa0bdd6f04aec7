"""`thidua demo`: the five seed clusters as the articles state them (shared/data/seed_facts.yaml)."""

import pytest
from django.core.management import call_command

from thidua.audit.models import AuditEvent
from thidua.org.models import GroupYear, Membership, Unit, User
from thidua.org.selectors import group_year_card


@pytest.fixture
def demo(db):
    call_command("demo", stdout=open("/dev/null", "w"))


def card(code: str, year: int):
    return group_year_card(GroupYear.objects.get(group__code=code, year=year))


def labels(units) -> list[str]:
    return sorted(unit.label for unit in units)


def test_kien_giang_cluster_2_has_its_members_leaders_and_deputies(demo):
    c2017, c2018 = card("KG-CTD2", 2017), card("KG-CTD2", 2018)
    assert labels(m.unit for m in c2017.members) == ["Châu Thành", "Giồng Riềng", "Hòn Đất", "Rạch Giá", "Tân Hiệp"]
    assert c2017.leader.label == "Tân Hiệp" and labels(c2017.deputies) == ["Giồng Riềng"]
    assert c2018.leader.label == "Châu Thành" and labels(c2018.deputies) == ["Hòn Đất"]
    assert c2017.group_year.conference_date.isoformat() == "2018-01-24"
    assert "Hà Văn Chiến" in c2017.group_year.council_member_name


def test_tay_nam_bo_has_its_leaders_two_deputies_and_rotating_flag(demo):
    c2020, c2021 = card("TW-TAYNAMBO", 2020), card("TW-TAYNAMBO", 2021)
    assert labels(m.unit for m in c2020.members) == ["Hậu Giang", "Kiên Giang", "Sóc Trăng", "Đồng Tháp"]
    assert c2020.leader.label == "Hậu Giang" and c2020.flag_holder.label == "Hậu Giang"
    assert c2021.leader.label == "Kiên Giang" and labels(c2021.deputies) == ["Sóc Trăng", "Đồng Tháp"]
    assert c2021.flag_holder.label == "Kiên Giang"
    assert c2021.group_year.flag_handover.from_unit.label == "Hậu Giang"


def test_tuyen_quang_hands_the_standing_flag_from_lam_binh_to_chiem_hoa(demo):
    assert card("TQ-CTDHUYEN", 2020).flag_holder.label == "Lâm Bình"
    assert card("TQ-CTDHUYEN", 2021).flag_holder.label == "Chiêm Hóa"
    movements = set(card("TQ-CTDHUYEN", 2020).group_year.movements.values_list("name", flat=True))
    assert "Tuyên Quang chung sức xây dựng nông thôn mới" in movements and len(movements) == 6


def test_dong_nai_and_lam_dong_clusters_are_there_with_their_members(demo):
    dong_nai = card("DN-CTD2", 2020)
    assert labels(m.unit for m in dong_nai.members) == ["Cẩm Mỹ", "Thống Nhất", "Tân Phú", "Vĩnh Cửu", "Xuân Lộc", "Định Quán"]
    assert dong_nai.leader.label == "Xuân Lộc"
    assert labels(m.unit for m in card("LD-CTD2", 2019).members) == ["Lâm Hà", "Lạc Dương", "Đam Rông", "Đơn Dương"]


def test_districts_keep_their_history_after_the_2025_reform(demo):
    tan_hiep = Unit.objects.get(code="KG-TANHIEP")
    assert tan_hiep.valid_to.isoformat() == "2025-06-30"
    assert tan_hiep.successions.get().successor.code == "AG-2025"
    assert Membership.objects.filter(unit=tan_hiep, group_year__year=2017).exists()


def test_every_role_has_a_demo_account(demo):
    roles = set(User.objects.values_list("role_assignments__role", flat=True))
    assert {"board_officer", "council_member", "group_leader_officer", "unit_officer", "unit_head", "reader"} <= roles


def test_loading_the_demo_twice_changes_nothing(demo):
    before = (Unit.objects.count(), Membership.objects.count(), User.objects.count(), AuditEvent.objects.count())
    call_command("demo", stdout=open("/dev/null", "w"))
    assert (Unit.objects.count(), Membership.objects.count(), User.objects.count(), AuditEvent.objects.count()) == before


def test_the_demo_ranking_of_kien_giang_2017_is_computed_from_criteria(demo):
    from thidua.scoring.selectors import group_year_scores

    ranking = group_year_scores(group_year=GroupYear.objects.get(group__code="KG-CTD2", year=2017)).ranking
    assert [(s.rank, s.unit, str(s.total)) for s in ranking[:2]] == [(1, "KG-GIONGRIENG", "912.00"), (2, "KG-TANHIEP", "911.43")]
