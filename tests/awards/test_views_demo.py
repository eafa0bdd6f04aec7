"""The demo's award history (thidua/demo/history.yaml) agrees with the seed articles and shows on
the award pages for the demo accounts."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from thidua.awards import statistics as stats
from thidua.awards.models import LeadingUnit, TitleOrAward
from thidua.awards.selectors import grant_facts
from thidua.org.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())


def user(name: str) -> User:
    return User.objects.get(username=name)


def test_giong_rieng_is_the_leading_unit_of_kien_giang_cluster_2_in_2017(demo):
    assert list(LeadingUnit.objects.filter(year=2017).values_list("collective__unit__code", flat=True)) == ["KG-GIONGRIENG"]


def test_few_of_kien_giang_2017_individual_awards_go_to_direct_workers(demo):
    facts = [f for f in grant_facts(user=user("ban.kiengiang")) if f.year == 2017]
    group = {row.key: row for row in stats.shares_by_group(facts, names={})}["KG-CTD2"]
    assert (group.people, group.direct, group.direct_pct) == (8, 1, Decimal("12.50"))


def test_dong_nai_cluster_2_leader_gave_giay_khen_to_the_six_districts_officials_in_2020(demo):
    granted = TitleOrAward.objects.filter(code="GIAY_KHEN", year=2020, person__isnull=False)
    assert sorted(granted.values_list("person__unit__short_name", flat=True)) == sorted(
        ["Cẩm Mỹ", "Xuân Lộc", "Định Quán", "Tân Phú", "Vĩnh Cửu", "Thống Nhất"]
    )


def test_son_duong_and_tuyen_quang_city_hold_the_provincial_bang_khen_for_2019(demo):
    granted = TitleOrAward.objects.filter(code="BK_TINH", year=2019, collective__isnull=False)
    assert sorted(granted.values_list("collective__unit__code", flat=True)) == ["TQ-SONDUONG", "TQ-TPTQ"]


def test_loading_the_demo_again_changes_no_history(demo):
    before = TitleOrAward.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert TitleOrAward.objects.count() == before


def test_a_demo_unit_officer_sees_their_peoples_history_and_not_another_units(demo, client):
    client.force_login(user("canbo.giongrieng"))
    page = client.get(reverse("awards_person", args=("KG-GR-001",)) + "?nam=2017")
    assert page.status_code == 200
    assert "Nguyễn Văn Hậu" in page.content.decode()
    assert client.get(reverse("awards_person", args=("KG-TH-001",))).status_code == 404
    listing = client.get(reverse("awards_list")).content.decode()
    assert "Nguyễn Văn Hậu" in listing and "Võ Minh Khang" not in listing
    assert "Tỉnh An Giang" in listing  # Giồng Riềng's people are listed under the province it became
