"""The access policy: who reads which group-years and units (thidua.org.policy)."""

import pytest
from django.http import Http404

from thidua.org import policy


def codes(group_years):
    return sorted(f"{gy.group.code}-{gy.year}" for gy in group_years.select_related("group"))


def unit_codes(units):
    return sorted(units.values_list("code", flat=True))


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("national_board", ["G1-2024", "G1-2025", "G2-2024"]),
        ("board_p", ["G1-2024", "G1-2025"]),
        ("council_g1", ["G1-2024", "G1-2025"]),
        ("leader_g1_2024", ["G1-2024"]),
        ("officer_a", ["G1-2024", "G1-2025"]),
        ("officer_c", ["G2-2024"]),
        ("reader_g1", ["G1-2024", "G1-2025"]),
        ("outsider", []),
    ],
)
def test_group_years_for_each_role(world, actor, expected):
    assert codes(policy.group_years_for(getattr(world, actor))) == expected


def test_a_leader_officer_who_also_works_for_a_member_reads_its_other_years(world):
    from tests.factories import RoleAssignmentFactory

    RoleAssignmentFactory(user=world.leader_g1_2024, role="unit_officer", unit=world.a)
    world.leader_g1_2024._thidua_role_assignments = None
    assert codes(policy.group_years_for(world.leader_g1_2024)) == ["G1-2024", "G1-2025"]


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("national_board", ["P", "P-A", "P-B", "Q", "Q-C"]),
        ("board_p", ["P", "P-A", "P-B"]),
        ("council_g1", ["P-A", "P-B"]),
        ("officer_a", ["P-A"]),
        ("head_a", ["P-A"]),
        ("officer_b", ["P-B"]),
        ("officer_c", ["Q-C"]),
        ("reader_g1", ["P-A", "P-B"]),
        ("outsider", []),
    ],
)
def test_units_for_each_role(world, actor, expected):
    assert unit_codes(policy.units_for(getattr(world, actor))) == expected


def test_a_unit_officer_cannot_open_another_units_page(world):
    with pytest.raises(Http404):
        policy.get_unit_for_user(world.officer_a, code="P-B")


def test_a_unit_officer_cannot_open_a_group_their_unit_is_not_in(world):
    with pytest.raises(Http404):
        policy.get_group_year_for_user(world.officer_a, code="G2", year=2024)


def test_a_unit_officer_of_a_parent_unit_covers_its_sub_units(world):
    from tests.factories import RoleAssignmentFactory, UserFactory

    officer_p = UserFactory(username="officer_p")
    RoleAssignmentFactory(user=officer_p, role="unit_officer", unit=world.p)
    assert unit_codes(policy.units_for(officer_p)) == ["P", "P-A", "P-B"]


@pytest.mark.parametrize(
    ("actor", "group_year", "allowed"),
    [
        ("national_board", "g2_2024", True),
        ("board_p", "g1_2024", True),
        ("board_p", "g2_2024", False),
        ("leader_g1_2024", "g1_2024", True),
        ("leader_g1_2024", "g1_2025", False),
        ("council_g1", "g1_2024", False),
        ("officer_a", "g1_2024", False),
        ("reader_g1", "g1_2024", False),
    ],
)
def test_who_manages_a_group_year(world, actor, group_year, allowed):
    assert policy.can_manage_group_year(getattr(world, actor), getattr(world, group_year)) is allowed


def test_anonymous_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not policy.group_years_for(AnonymousUser()).exists()
    assert not policy.units_for(AnonymousUser()).exists()
