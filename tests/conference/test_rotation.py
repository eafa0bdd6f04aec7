"""Rotation at the conference: next year's leader and deputies, the flag handed to the new leader,
next year's covenant drafted from this one (thidua/conference/rotation.py).

G1 (world fixture) in 2024: Ánh Dương leads, Bình Minh deputises, with a scored covenant
(g1_covenant). G1 2025 already exists with the same two members, no roles and no covenant."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, MembershipFactory, UnitFactory
from thidua.audit.models import AuditEvent
from thidua.conference.models import Ballot, BallotKind, BallotOption
from thidua.conference.proposals import ProposalForbidden
from thidua.conference.rotation import RotationError, conference_rotate
from thidua.covenants.models import Covenant, CovenantStatus
from thidua.org.models import FlagHandover, FlagKind, GroupYear, Position
from thidua.org.services import flag_handover_record
from thidua.org.selectors import group_year_card

CONFERENCE_DAY = dt.date(2025, 1, 20)


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


def rotating_flag(world) -> None:
    world.g1.flag_kind = FlagKind.ROTATING
    world.g1.save()


def criteria_codes(covenant: Covenant) -> list[str]:
    return list(covenant.criteria.order_by("content__order", "order").values_list("code", flat=True))


def test_rotation_sets_up_2025_with_the_new_leader_deputy_flag_and_a_draft_covenant(world, g1_covenant):
    rotating_flag(world)
    result = conference_rotate(group_year=world.g1_2024, next_leader=world.b, next_deputies=[world.a],
                               handover_date=CONFERENCE_DAY, actor=world.leader_g1_2024)

    assert result.pk == world.g1_2025.pk  # the existing 2025 year is updated, not replaced
    card = group_year_card(result)
    assert card.leader == world.b and card.deputies == [world.a]
    assert sorted(m.unit.code for m in card.members) == ["P-A", "P-B"]
    handover = FlagHandover.objects.get(group_year=result)
    assert (handover.from_unit, handover.to_unit, handover.handed_on) == (world.a, world.b, CONFERENCE_DAY)
    draft = Covenant.objects.get(group_year=result)
    assert draft.status == CovenantStatus.DRAFT
    assert criteria_codes(draft) == criteria_codes(g1_covenant) == ["I.1", "I.2", "II.1"]
    assert not draft.criteria.filter(results__isnull=False).exists()  # a copy of the rules, not of the results
    rotated = AuditEvent.objects.get(action="conference.rotated")
    assert rotated.actor == world.leader_g1_2024 and rotated.data["covenant_copied"] is True


def test_the_flag_comes_from_this_years_holder_when_one_was_recorded(world, g1_covenant):
    rotating_flag(world)
    flag_handover_record(group_year=world.g1_2024, to_unit=world.b)
    conference_rotate(group_year=world.g1_2024, next_leader=world.a, next_deputies=[world.b],
                      handover_date=CONFERENCE_DAY, actor=world.board_p)
    handover = FlagHandover.objects.get(group_year=world.g1_2025)
    assert (handover.from_unit, handover.to_unit) == (world.b, world.a)


def test_a_group_without_a_flag_records_no_handover(world, g1_covenant):
    conference_rotate(group_year=world.g1_2024, next_leader=world.b, next_deputies=[], handover_date=CONFERENCE_DAY,
                      actor=world.leader_g1_2024)
    assert not FlagHandover.objects.filter(group_year__group=world.g1).exists()
    assert group_year_card(world.g1_2025).leader == world.b


def test_rotating_twice_changes_nothing_the_second_time(world, g1_covenant):
    rotating_flag(world)
    args = {"group_year": world.g1_2024, "next_leader": world.b, "next_deputies": [world.a],
            "handover_date": CONFERENCE_DAY, "actor": world.leader_g1_2024}
    conference_rotate(**args)
    before = (AuditEvent.objects.count(), GroupYear.objects.count(), Covenant.objects.count(),
              FlagHandover.objects.count())
    conference_rotate(**args)
    assert (AuditEvent.objects.count(), GroupYear.objects.count(), Covenant.objects.count(),
            FlagHandover.objects.count()) == before


def test_changing_the_choice_updates_next_year_and_keeps_its_covenant(world, g1_covenant):
    conference_rotate(group_year=world.g1_2024, next_leader=world.b, next_deputies=[world.a],
                      handover_date=CONFERENCE_DAY, actor=world.board_p)
    draft = Covenant.objects.get(group_year=world.g1_2025)
    conference_rotate(group_year=world.g1_2024, next_leader=world.a, next_deputies=[],
                      handover_date=CONFERENCE_DAY, actor=world.board_p)
    card = group_year_card(world.g1_2025)
    assert card.leader == world.a and card.deputies == []
    assert Covenant.objects.get(group_year=world.g1_2025).pk == draft.pk
    assert AuditEvent.objects.filter(action="conference.rotated").count() == 2


def test_next_year_is_created_with_this_years_members_when_it_does_not_exist(world):
    # G2 2024 (organised by Q) has Cẩm Giang; a second district ended on 30/06/2024 and is not carried over.
    gone = UnitFactory(code="Q-G", name="Huyện Đã Giải Thể", parent=world.q, valid_to=dt.date(2024, 6, 30))
    MembershipFactory(group_year=world.g2_2024, unit=gone)
    result = conference_rotate(group_year=world.g2_2024, next_leader=world.c, next_deputies=[],
                               handover_date=CONFERENCE_DAY, actor=None)
    assert (result.group, result.year) == (world.g2, 2025)
    assert [(m.unit.code, m.position) for m in result.memberships.all()] == [("Q-C", Position.LEADER)]
    assert not Covenant.objects.filter(group_year=result).exists()  # 2024 had no covenant to copy
    with pytest.raises(RotationError, match="đã kết thúc hoạt động"):
        conference_rotate(group_year=world.g2_2024, next_leader=gone, next_deputies=[],
                          handover_date=CONFERENCE_DAY, actor=None)


def test_the_boards_set_up_of_next_year_keeps_its_members(world, g1_covenant):
    d = UnitFactory(code="P-D", name="Huyện Đông Hải", short_name="Đông Hải", parent=world.p)
    MembershipFactory(group_year=world.g1_2025, unit=d)  # the Board added a member for 2025
    conference_rotate(group_year=world.g1_2024, next_leader=d, next_deputies=[world.a],
                      handover_date=CONFERENCE_DAY, actor=world.board_p)
    assert sorted(world.g1_2025.memberships.values_list("unit__code", flat=True)) == ["P-A", "P-B", "P-D"]


def test_wrong_choices_are_refused_with_a_reason(world, g1_covenant):
    with pytest.raises(RotationError, match="không phải thành viên"):
        conference_rotate(group_year=world.g1_2024, next_leader=world.c, next_deputies=[],
                          handover_date=CONFERENCE_DAY, actor=world.board_p)
    with pytest.raises(RotationError, match="vừa là cụm trưởng vừa là cụm phó"):
        conference_rotate(group_year=world.g1_2024, next_leader=world.a, next_deputies=[world.a],
                          handover_date=CONFERENCE_DAY, actor=world.board_p)
    with pytest.raises(ProposalForbidden):
        conference_rotate(group_year=world.g1_2024, next_leader=world.b, next_deputies=[],
                          handover_date=CONFERENCE_DAY, actor=world.officer_a)
    assert group_year_card(world.g1_2025).leader is None
    assert not AuditEvent.objects.filter(action="conference.rotated").exists()


# ------------------------------------------------------------------------------ the page


@pytest.mark.parametrize(
    ("actor", "status"),
    [("officer_a", 403), ("officer_c", 404), ("leader_g1_2024", 200), ("board_p", 200), ("reader_g1", 403)],
)
def test_the_rotation_page_is_for_the_leader_and_the_board(client, world, g1_covenant, actor, status):
    login(client, getattr(world, actor))
    assert client.get(reverse("conference_rotation", args=("G1", 2024))).status_code == status
    posted = client.post(reverse("conference_rotation", args=("G1", 2024)),
                         {"leader": "P-B", "deputies": ["P-A"], "handover_date": "2025-01-20"})
    assert posted.status_code == (302 if status == 200 else status)


def test_the_page_is_prefilled_from_the_closed_ballots_and_confirms_the_rotation(client, world, g1_covenant):
    rotating_flag(world)
    world.g1_2024.conference_date = CONFERENCE_DAY
    world.g1_2024.save()
    leader = Ballot.objects.create(group_year=world.g1_2024, kind=BallotKind.LEADER, status="closed",
                                   title="Bầu cụm trưởng năm 2025", electorate_size=2, cast_count=2)
    BallotOption.objects.create(ballot=leader, unit=world.b, label="Bình Minh", votes=2)
    deputies = Ballot.objects.create(group_year=world.g1_2024, kind=BallotKind.DEPUTIES, status="closed",
                                     title="Bầu cụm phó năm 2025", electorate_size=2, cast_count=2)
    BallotOption.objects.create(ballot=deputies, unit=world.a, label="Ánh Dương", votes=2)
    login(client, world.leader_g1_2024)

    page = client.get(reverse("conference_rotation", args=("G1", 2024))).content.decode()
    assert '<option value="P-B" selected>' in page
    assert 'name="deputies" value="P-A" checked' in page
    assert 'value="2025-01-20"' in page and "Bầu cụm trưởng năm 2025" in page

    response = client.post(reverse("conference_rotation", args=("G1", 2024)),
                           {"leader": "P-B", "deputies": ["P-A"], "handover_date": "20/01/2025"}, follow=True)
    assert "Đã chuyển giao. Năm 2025: cụm trưởng Bình Minh, cụm phó Ánh Dương." in response.content.decode()
    card = group_year_card(world.g1_2025)
    assert card.leader == world.b and card.deputies == [world.a] and card.flag_holder == world.b
    assert Covenant.objects.get(group_year=world.g1_2025).status == CovenantStatus.DRAFT


def test_the_page_shows_why_a_rotation_is_refused(client, world, g1_covenant):
    login(client, world.board_p)
    response = client.post(reverse("conference_rotation", args=("G1", 2024)),
                           {"leader": "P-A", "deputies": ["P-A"], "handover_date": "2025-01-20"})
    assert response.status_code == 200
    assert "không thể vừa là cụm trưởng vừa là cụm phó" in response.content.decode()
    response = client.post(reverse("conference_rotation", args=("G1", 2024)),
                           {"leader": "P-A", "handover_date": "ngày mai"})
    assert "không phải là ngày" in response.content.decode()


def test_a_group_year_with_nothing_after_it_gets_its_next_year_from_the_page(client, world):
    assert not GroupYear.objects.filter(group=world.g2, year=2025).exists()
    login(client, world.national_board)
    client.post(reverse("conference_rotation", args=("G2", 2024)), {"leader": "Q-C", "handover_date": "2025-01-15"})
    assert group_year_card(GroupYear.objects.get(group=world.g2, year=2025)).leader == world.c
