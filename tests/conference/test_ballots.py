"""Secret ballots: who may vote, one vote each, receipts, paper counts, quorum and results, pages.

G1 2024 gets three more members (five in all: Ánh Dương, Bình Minh, Đông Hải, Ea Súp, Phước Long),
each with a named head; the leader officer of 2024 runs the ballots.
"""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    RoleAssignmentFactory,
    UnitFactory,
    UserFactory,
)
from thidua.audit.models import AuditEvent
from thidua.conference import ballots as svc
from thidua.conference.models import (
    Ballot,
    BallotKind,
    BallotMode,
    BallotOption,
    BallotParticipation,
    BallotReceipt,
    BallotStatus,
    Base,
    Comparison,
    Electorate,
)
from thidua.covenants.models import Adjustment
from thidua.org.models import Role


def five_members(world) -> SimpleNamespace:
    """Five members of G1 2024, a head for each, plus an officer of Đông Hải (a possible delegate)."""
    extra = [UnitFactory(code=f"P-{code}", name=f"Huyện {name}", short_name=name, parent=world.p)
             for code, name in (("D", "Đông Hải"), ("E", "Ea Súp"), ("F", "Phước Long"))]
    for unit in extra:
        MembershipFactory(group_year=world.g1_2024, unit=unit)
    d, e, f = extra

    def head(username, unit):
        user = UserFactory(username=username)
        RoleAssignmentFactory(user=user, role=Role.UNIT_HEAD, unit=unit)
        return user

    officer_d = UserFactory(username="officer_d")
    RoleAssignmentFactory(user=officer_d, role=Role.UNIT_OFFICER, unit=d)
    return SimpleNamespace(
        world=world, gy=world.g1_2024, a=world.a, b=world.b, d=d, e=e, f=f, leader=world.leader_g1_2024,
        head_a=world.head_a, head_b=head("head_b", world.b), head_d=head("head_d", d), head_e=head("head_e", e),
        head_f=head("head_f", f), officer_d=officer_d,
    )


@pytest.fixture
def g(world):
    return five_members(world)


def open_ballot(g, **kwargs) -> Ballot:
    ballot = svc.ballot_create(group_year=g.gy, kind=kwargs.pop("kind", BallotKind.ACCLAIM), actor=g.leader, **kwargs)
    return svc.ballot_open(ballot=ballot, actor=g.leader)


def option(ballot: Ballot, unit) -> int:
    return ballot.options.get(unit=unit).pk


def vote(g, ballot, unit_name: str, *choices) -> str:
    """The head of `unit_name` ("a", "b", …) votes for the given units (or option ids)."""
    unit = getattr(g, unit_name)
    ids = [option(ballot, c) if hasattr(c, "pk") else c for c in choices]
    return svc.ballot_cast(ballot=ballot, cast_by=getattr(g, f"head_{unit_name}"), voter_unit=unit, choices=ids)


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


def url(name, ballot=None, *extra):
    args = ("G1", 2024) + ((ballot.pk,) if ballot else ()) + extra
    return reverse(name, args=args)


# ------------------------------------------------------------------------------ set-up


def test_an_acclaim_ballot_lists_the_members_in_the_order_of_the_final_ranking(g, g1_covenant):
    # Bonus points put Bình Minh (79,04 without them) above Ánh Dương (141,44).
    Adjustment.objects.create(covenant=g1_covenant, unit=g.b, points=Decimal(100), reason="Điểm thưởng phong trào")
    ballot = svc.ballot_create(group_year=g.gy, kind=BallotKind.ACCLAIM, actor=g.leader)
    labels = list(ballot.options.values_list("label", flat=True))
    assert labels[:2] == ["Huyện Bình Minh", "Huyện Ánh Dương"]
    assert (ballot.max_choices, ballot.quorum_num, ballot.quorum_den, ballot.pass_num, ballot.pass_den,
            ballot.pass_base, ballot.pass_comparison) == (1, 2, 3, 1, 2, Base.ALL, Comparison.MORE_THAN)
    assert ballot.title == "Suy tôn đơn vị dẫn đầu Cụm thi đua số 1 năm 2024"
    assert AuditEvent.objects.filter(action="ballot.created", target_id=str(ballot.pk)).exists()


def test_the_deputies_ballot_has_as_many_choices_as_seats_and_the_proposals_ballot_agrees_or_not(g):
    deputies = svc.ballot_create(group_year=g.gy, kind=BallotKind.DEPUTIES, actor=g.leader, max_choices=2)
    assert deputies.max_choices == 2 and deputies.options.count() == 5
    assert deputies.title == "Bầu cụm phó Cụm thi đua số 1 năm 2025"
    proposals = svc.ballot_create(group_year=g.gy, kind=BallotKind.PROPOSALS, actor=g.leader, max_choices=3)
    assert list(proposals.options.values_list("label", flat=True)) == ["Đồng ý", "Không đồng ý"]
    assert proposals.max_choices == 1


def test_candidates_can_be_narrowed_to_members_only(g, world):
    ballot = svc.ballot_create(group_year=g.gy, kind=BallotKind.LEADER, actor=g.leader, units=[g.b, g.d])
    assert set(ballot.options.values_list("unit__code", flat=True)) == {"P-B", "P-D"}
    with pytest.raises(svc.BallotError, match="thành viên"):
        svc.ballot_create(group_year=g.gy, kind=BallotKind.LEADER, actor=g.leader, units=[world.c])
    with pytest.raises(svc.BallotError, match="phân số"):
        svc.ballot_create(group_year=g.gy, kind=BallotKind.ACCLAIM, actor=g.leader, quorum=(4, 3))


@pytest.mark.parametrize("who", ["head_a", "officer_a", "board_p", "council_g1"])
def test_only_the_leaders_officers_create_open_and_close_ballots(g, world, who):
    actor = getattr(world, who)
    with pytest.raises(svc.NotAllowed):
        svc.ballot_create(group_year=g.gy, kind=BallotKind.ACCLAIM, actor=actor)
    ballot = svc.ballot_create(group_year=g.gy, kind=BallotKind.ACCLAIM, actor=g.leader)
    with pytest.raises(svc.NotAllowed):
        svc.ballot_open(ballot=ballot, actor=actor)
    svc.ballot_open(ballot=ballot, actor=g.leader)
    with pytest.raises(svc.NotAllowed):
        svc.ballot_close(ballot=ballot, actor=actor)


def test_opening_fixes_the_electorate_and_a_member_added_later_cannot_overfill_it(g, world):
    ballot = open_ballot(g)
    assert ballot.electorate_size == 5
    late = UnitFactory(code="P-G", name="Huyện Gò Găng", parent=world.p)
    MembershipFactory(group_year=g.gy, unit=late)
    head_g = UserFactory(username="head_g")
    RoleAssignmentFactory(user=head_g, role=Role.UNIT_HEAD, unit=late)
    for name in "abdef":
        vote(g, ballot, name, g.a)
    with pytest.raises(svc.BallotError, match="bằng số người có quyền bỏ phiếu"):
        svc.ballot_cast(ballot=ballot, cast_by=head_g, voter_unit=late, choices=[])
    ballot.refresh_from_db()
    assert (ballot.cast_count, ballot.electorate_size) == (5, 5)


def test_opening_and_closing_are_each_done_once(g):
    ballot = open_ballot(g)
    with pytest.raises(svc.BallotError, match="đang mở"):
        svc.ballot_open(ballot=ballot, actor=g.leader)
    stale = Ballot.objects.get(pk=ballot.pk)
    svc.ballot_close(ballot=ballot, actor=g.leader)
    with pytest.raises(svc.BallotError, match="đã kết thúc"):
        svc.ballot_close(ballot=stale, actor=g.leader)
    assert AuditEvent.objects.filter(action="ballot.closed", target_id=str(ballot.pk)).count() == 1


# ------------------------------------------------------------------------------ voting


def test_a_unit_head_votes_and_receives_a_receipt_code(g):
    ballot = open_ballot(g)
    code = vote(g, ballot, "b", g.a)
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}", code)
    ballot.refresh_from_db()
    assert (ballot.cast_count, ballot.blank_count) == (1, 0)
    assert BallotOption.objects.get(ballot=ballot, unit=g.a).votes == 1
    participation = BallotParticipation.objects.get(ballot=ballot)
    assert (participation.voter_unit, participation.cast_by) == (g.b, g.head_b)
    receipt = BallotReceipt.objects.get(ballot=ballot)
    assert code not in receipt.code_hash and len(receipt.code_hash) == 64
    event = AuditEvent.objects.get(action="ballot.participated")
    assert event.data == {"unit": "P-B"} and event.summary.startswith("Đơn vị Bình Minh đã bỏ phiếu")


def test_a_second_vote_by_the_same_unit_is_refused_and_changes_nothing(g):
    ballot = open_ballot(g)
    vote(g, ballot, "a", g.b)
    with pytest.raises(svc.AlreadyVoted, match="Đơn vị Ánh Dương đã bỏ phiếu"):
        vote(g, ballot, "a", g.d)
    ballot.refresh_from_db()
    assert ballot.cast_count == 1
    assert dict(ballot.options.values_list("unit__code", "votes")) == {"P-A": 0, "P-B": 1, "P-D": 0, "P-E": 0, "P-F": 0}
    assert BallotReceipt.objects.filter(ballot=ballot).count() == 1


def test_no_vote_before_the_ballot_opens_or_after_it_closes(g):
    ballot = svc.ballot_create(group_year=g.gy, kind=BallotKind.ACCLAIM, actor=g.leader)
    with pytest.raises(svc.BallotError, match="chưa được mở"):
        vote(g, ballot, "a", g.a)
    svc.ballot_open(ballot=ballot, actor=g.leader)
    vote(g, ballot, "a", g.a)
    svc.ballot_close(ballot=ballot, actor=g.leader)
    with pytest.raises(svc.BallotError, match="đã kết thúc"):
        vote(g, ballot, "b", g.a)
    ballot.refresh_from_db()
    assert ballot.cast_count == 1 and BallotParticipation.objects.filter(ballot=ballot).count() == 1


def test_a_ballot_with_too_many_choices_or_a_foreign_option_is_refused(g):
    ballot = open_ballot(g)
    other = open_ballot(g, kind=BallotKind.LEADER)
    with pytest.raises(svc.BallotError, match="tối đa 1"):
        vote(g, ballot, "a", g.a, g.b)
    with pytest.raises(svc.BallotError, match="không có trên phiếu"):
        vote(g, ballot, "a", option(other, g.a))
    deputies = open_ballot(g, kind=BallotKind.DEPUTIES, max_choices=2)
    vote(g, deputies, "a", g.b, g.d)
    assert dict(deputies.options.filter(votes__gt=0).values_list("unit__code", "votes")) == {"P-B": 1, "P-D": 1}
    assert not BallotParticipation.objects.filter(ballot=ballot).exists()


def test_an_empty_ballot_counts_as_blank(g):
    ballot = open_ballot(g)
    vote(g, ballot, "e")
    ballot.refresh_from_db()
    assert (ballot.cast_count, ballot.blank_count) == (1, 1)
    assert sum(ballot.options.values_list("votes", flat=True)) == 0


def test_a_head_votes_only_for_their_own_unit_and_officers_not_at_all(g, world):
    ballot = open_ballot(g)
    with pytest.raises(svc.NotAllowed):
        svc.ballot_cast(ballot=ballot, cast_by=g.head_a, voter_unit=g.b, choices=[])
    for who in (world.officer_a, g.leader, world.reader_g1, world.board_p):
        assert not svc.can_vote(ballot=ballot, user=who)
        with pytest.raises(svc.NotAllowed):
            svc.ballot_cast(ballot=ballot, cast_by=who, voter_unit=g.a, choices=[])


def test_the_receipt_code_proves_the_ballot_was_counted(g):
    ballot = open_ballot(g)
    code = vote(g, ballot, "d", g.a)
    assert svc.receipt_check(ballot=ballot, code=code)
    assert svc.receipt_check(ballot=ballot, code=f"  {code[:5].lower()}-{code[5:]} ")
    assert not svc.receipt_check(ballot=ballot, code="AAAAA-AAAAA")
    other = open_ballot(g, kind=BallotKind.LEADER)
    assert not svc.receipt_check(ballot=other, code=code)


def test_a_named_delegate_votes_instead_of_the_head(g):
    ballot = open_ballot(g)
    svc.ballot_delegate_set(ballot=ballot, unit=g.d, user=g.officer_d, actor=g.leader)
    assert svc.voter_units_for(ballot=ballot, user=g.head_d) == []
    with pytest.raises(svc.NotAllowed):
        vote(g, ballot, "d", g.a)
    svc.ballot_cast(ballot=ballot, cast_by=g.officer_d, voter_unit=g.d, choices=[option(ballot, g.a)])
    participation = BallotParticipation.objects.get(ballot=ballot)
    assert (participation.voter_unit, participation.cast_by) == (g.d, g.officer_d)
    with pytest.raises(svc.BallotError, match="đã bỏ phiếu"):
        svc.ballot_delegate_set(ballot=ballot, unit=g.d, user=None, actor=g.leader)


def test_a_delegate_must_work_for_the_unit(g):
    ballot = open_ballot(g)
    with pytest.raises(svc.BallotError, match="cán bộ hoặc thủ trưởng của Đông Hải"):
        svc.ballot_delegate_set(ballot=ballot, unit=g.d, user=g.head_a, actor=g.leader)


def test_a_council_ballot_is_voted_by_the_council_members_of_the_group(g, world):
    other_year = UserFactory(username="council_g1_2023")
    RoleAssignmentFactory(user=other_year, role=Role.COUNCIL_MEMBER, group=world.g1, year=2023)
    this_year = UserFactory(username="council_g1_2024")
    RoleAssignmentFactory(user=this_year, role=Role.COUNCIL_MEMBER, group=world.g1, year=2024)
    ballot = open_ballot(g, kind=BallotKind.PROPOSALS, electorate=Electorate.COUNCIL)
    assert ballot.electorate_size == 2  # council_g1 (every year) and council_g1_2024
    yes = ballot.options.get(label="Đồng ý").pk
    svc.ballot_cast(ballot=ballot, cast_by=world.council_g1, voter_user=world.council_g1, choices=[yes])
    with pytest.raises(svc.AlreadyVoted, match="đã bỏ phiếu"):
        svc.ballot_cast(ballot=ballot, cast_by=world.council_g1, voter_user=world.council_g1, choices=[yes])
    for outsider in (other_year, g.head_a):
        with pytest.raises(svc.NotAllowed):
            svc.ballot_cast(ballot=ballot, cast_by=outsider, voter_user=outsider, choices=[yes])
    svc.ballot_cast(ballot=ballot, cast_by=this_year, voter_user=this_year, choices=[yes])
    svc.ballot_close(ballot=ballot, actor=g.leader)
    result = svc.ballot_result(ballot=ballot)
    assert result.quorum_met and [w.label for w in result.winners] == ["Đồng ý"]
    assert result.outcome_statement == "Danh sách đề nghị khen thưởng được thông qua với 2/2 phiếu đồng ý."


# ------------------------------------------------------------------------------ results


def test_results_stay_hidden_until_the_ballot_closes(g):
    ballot = open_ballot(g)
    vote(g, ballot, "a", g.b)
    with pytest.raises(svc.ResultsHidden, match="Kết quả được công bố khi kết thúc bỏ phiếu"):
        svc.ballot_result(ballot=ballot)


def test_four_votes_of_five_acclaim_the_unit_and_the_result_states_the_rule(g):
    ballot = open_ballot(g)
    for name in "abde":
        vote(g, ballot, name, g.b)
    vote(g, ballot, "f")
    svc.ballot_close(ballot=ballot, actor=g.leader)
    result = svc.ballot_result(ballot=ballot)
    assert (result.electorate, result.cast, result.valid, result.blank, result.invalid) == (5, 5, 4, 1, 0)
    assert result.quorum_met and [w.unit for w in result.winners] == [g.b]
    assert result.rule_statement == ("Đủ số phiếu khi có từ 2/3 tổng số thành viên (4/5) tham gia; suy tôn khi được "
                                     "quá 1/2 tổng số thành viên đồng ý (quá 2,5 phiếu)")
    assert result.quorum_statement.startswith("Đủ số phiếu theo quy định: 5/5 thành viên tham gia")
    assert result.threshold_statement == ("Ngưỡng suy tôn: quá 1/2 tổng số thành viên (quá 2,5 phiếu), "
                                          "tức ít nhất 3 phiếu.")
    assert result.outcome_statement == ("Huyện Bình Minh được suy tôn là đơn vị dẫn đầu Cụm thi đua số 1 năm 2024 "
                                        "với 4/5 phiếu.")
    assert result.lines[0].share == "80%"


def test_without_quorum_nobody_is_acclaimed(g):
    ballot = open_ballot(g)
    for name in "abd":
        vote(g, ballot, name, g.b)
    svc.ballot_close(ballot=ballot, actor=g.leader)
    result = svc.ballot_result(ballot=ballot)
    assert not result.quorum_met and result.winners == []
    assert "Không đủ số phiếu theo quy định: 3/5 thành viên tham gia, cần từ 4" in result.quorum_statement
    assert result.outcome_statement == "Không đủ số phiếu theo quy định nên không có kết quả bỏ phiếu."


def test_a_tie_for_the_last_deputy_seat_elects_nobody_to_it_and_says_so(g):
    ballot = open_ballot(g, kind=BallotKind.DEPUTIES, max_choices=2, pass_fraction=(1, 3))
    vote(g, ballot, "a", g.b, g.d)
    vote(g, ballot, "b", g.d, g.e)
    vote(g, ballot, "d", g.d, g.b)
    vote(g, ballot, "e", g.e, g.d)
    vote(g, ballot, "f", g.b, g.e)
    svc.ballot_close(ballot=ballot, actor=g.leader)
    result = svc.ballot_result(ballot=ballot)  # Đông Hải 4, Bình Minh 3, Ea Súp 3
    assert [w.unit for w in result.winners] == [g.d]
    assert {t.unit for t in result.tied} == {g.b, g.e} and result.unfilled == 1
    assert "bằng phiếu nhau (3 phiếu) nên chưa có đơn vị trúng cử cho 1 vị trí" in result.outcome_statement


def test_the_proposals_pass_only_on_agreement(g):
    ballot = open_ballot(g, kind=BallotKind.PROPOSALS)
    no = ballot.options.get(label="Không đồng ý").pk
    yes = ballot.options.get(label="Đồng ý").pk
    for name in "abde":
        vote(g, ballot, name, no)
    vote(g, ballot, "f", yes)
    svc.ballot_close(ballot=ballot, actor=g.leader)
    result = svc.ballot_result(ballot=ballot)
    assert result.winners == []
    assert result.outcome_statement == "Danh sách đề nghị khen thưởng không được thông qua (1/5 phiếu đồng ý)."


# ------------------------------------------------------------------------------ paper mode


def tallies(ballot, by_unit: dict, cast: int, blank: int = 0, invalid: int = 0) -> svc.PaperTallies:
    options = {o.pk: by_unit.get(o.unit.code, 0) for o in ballot.options.select_related("unit")}
    return svc.PaperTallies(options=options, cast=cast, blank=blank, invalid=invalid)


def test_two_counters_who_agree_record_the_paper_result_and_close_the_ballot(g, world):
    ballot = open_ballot(g, mode=BallotMode.PAPER)
    count = tallies(ballot, {"P-A": 1, "P-B": 3}, cast=5, blank=1)
    first = svc.paper_count_submit(ballot=ballot, counter=g.leader, tallies=count)
    assert not first.confirmed and "chờ người kiểm phiếu thứ hai" in first.message
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN and ballot.cast_count == 0
    second = svc.paper_count_submit(ballot=ballot, counter=world.board_p, tallies=count)
    assert second.confirmed
    ballot.refresh_from_db()
    assert (ballot.status, ballot.cast_count, ballot.blank_count, ballot.invalid_count) == ("closed", 5, 1, 0)
    assert ballot.options.get(unit=g.b).votes == 3
    result = svc.ballot_result(ballot=ballot)
    assert [w.unit for w in result.winners] == [g.b] and (result.valid, result.blank) == (4, 1)
    assert AuditEvent.objects.get(action="ballot.paper_confirmed").data == {"counters": ["leader_g1_2024", "board_p"]}


def test_counters_who_disagree_record_nothing_and_see_the_differences(g, world):
    ballot = open_ballot(g, mode=BallotMode.PAPER)
    first = tallies(ballot, {"P-A": 1, "P-B": 3}, cast=5, blank=1)
    svc.paper_count_submit(ballot=ballot, counter=g.leader, tallies=first)
    outcome = svc.paper_count_submit(ballot=ballot, counter=world.board_p,
                                     tallies=tallies(ballot, {"P-A": 2, "P-B": 2}, cast=5, blank=1))
    assert not outcome.confirmed
    assert outcome.differences == [
        f"Số phiếu của Huyện Ánh Dương: {g.leader} nhập 1, {world.board_p} nhập 2",
        f"Số phiếu của Huyện Bình Minh: {g.leader} nhập 3, {world.board_p} nhập 2",
    ]
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN and ballot.cast_count == 0
    assert sum(ballot.options.values_list("votes", flat=True)) == 0


def test_the_same_counter_entering_twice_is_not_two_counters(g):
    ballot = open_ballot(g, mode=BallotMode.PAPER)
    count = tallies(ballot, {"P-A": 4}, cast=4)
    svc.paper_count_submit(ballot=ballot, counter=g.leader, tallies=count)
    again = svc.paper_count_submit(ballot=ballot, counter=g.leader, tallies=count)
    assert not again.confirmed
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN and ballot.paper_counts.count() == 1


def test_impossible_paper_tallies_are_refused(g):
    ballot = open_ballot(g, mode=BallotMode.PAPER)
    with pytest.raises(svc.PaperCountInvalid) as refused:
        svc.paper_count_submit(ballot=ballot, counter=g.leader, tallies=tallies(ballot, {"P-A": 4, "P-B": 3}, cast=6))
    assert refused.value.problems == [
        "số phiếu thu về (6) nhiều hơn số người có quyền bỏ phiếu (5)",
        "tổng số phiếu của các lựa chọn (7) phải bằng số phiếu hợp lệ (6)",
    ]
    assert not ballot.paper_counts.exists()


def test_a_paper_ballot_is_neither_voted_online_nor_closed_by_hand_and_only_counters_count(g, world):
    ballot = open_ballot(g, mode=BallotMode.PAPER)
    with pytest.raises(svc.BallotError, match="bằng giấy"):
        vote(g, ballot, "a", g.a)
    with pytest.raises(svc.BallotError, match="hai người kiểm phiếu"):
        svc.ballot_close(ballot=ballot, actor=g.leader)
    with pytest.raises(svc.NotAllowed):
        svc.paper_count_submit(ballot=ballot, counter=g.head_a, tallies=tallies(ballot, {"P-A": 1}, cast=1))


# ------------------------------------------------------------------------------ pages


def test_the_leader_creates_and_opens_a_ballot_through_the_pages(client, g):
    login(client, g.leader)
    assert client.get(url("ballot_create")).status_code == 200
    response = client.post(url("ballot_create"), {
        "kind": "acclaim", "title": "", "electorate": "members", "mode": "electronic",
        "units": ["P-A", "P-B", "P-D", "P-E", "P-F"], "max_choices": 1, "quorum_num": 2, "quorum_den": 3,
        "pass_comparison": "more_than", "pass_num": 1, "pass_den": 2, "pass_base": "all",
    })
    ballot = Ballot.objects.get()
    assert response.status_code == 302 and response.url == url("ballot_detail", ballot)
    client.post(url("ballot_action", ballot, "mo"))
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN
    page = client.get(url("ballot_list")).content.decode()
    assert "Suy tôn đơn vị dẫn đầu Cụm thi đua số 1 năm 2024" in page and "Đang bỏ phiếu" in page


def test_a_head_votes_on_the_page_and_sees_only_the_receipt_code(client, g):
    ballot = open_ballot(g)
    login(client, g.head_b)
    page = client.get(url("ballot_detail", ballot)).content.decode()
    assert 'name="unit" value="P-B"' in page and "Huyện Đông Hải" in page
    response = client.post(url("ballot_vote", ballot), {"unit": "P-B", "choice": [option(ballot, g.d)]})
    page = response.content.decode()
    assert response.status_code == 200 and "Mã biên nhận" in page
    code = re.search(r'id="receipt-code"[^>]*>([A-Z0-9-]{11})<', page).group(1)
    assert "Đông Hải" not in page  # the confirmation never repeats the choice
    assert response.headers["Cache-Control"].startswith("max-age=0")
    assert all("Đông Hải" not in str(value) and str(option(ballot, g.d)) != str(value)
               for value in client.session.values())
    checked = client.post(url("ballot_receipt_check", ballot), {"receipt": code}).content.decode()
    assert "Phiếu có mã biên nhận này đã được kiểm" in checked
    again = client.post(url("ballot_vote", ballot), {"unit": "P-B", "choice": [option(ballot, g.a)]}, follow=True)
    assert "Đơn vị Bình Minh đã bỏ phiếu" in again.content.decode()
    assert BallotParticipation.objects.filter(ballot=ballot).count() == 1


def test_voting_without_a_choice_asks_for_one_and_blank_must_be_chosen(client, g):
    ballot = open_ballot(g)
    login(client, g.head_a)
    response = client.post(url("ballot_vote", ballot), {"unit": "P-A"})
    assert response.status_code == 400 and "Nếu muốn bỏ phiếu trắng" in response.content.decode()
    client.post(url("ballot_vote", ballot), {"unit": "P-A", "choice": ["trang"]})
    ballot.refresh_from_db()
    assert (ballot.cast_count, ballot.blank_count) == (1, 1)


@pytest.mark.parametrize("who", ["officer_a", "reader_g1", "leader_g1_2024", "board_p"])
def test_those_who_are_not_voters_are_refused_with_403(client, g, world, who):
    ballot = open_ballot(g)
    login(client, getattr(world, who))
    response = client.post(url("ballot_vote", ballot), {"unit": "P-A", "choice": [option(ballot, g.a)]})
    assert response.status_code == 403
    assert not BallotParticipation.objects.exists()


def test_a_head_cannot_post_a_vote_for_another_unit(client, g):
    ballot = open_ballot(g)
    login(client, g.head_a)
    response = client.post(url("ballot_vote", ballot), {"unit": "P-B", "choice": [option(ballot, g.a)]})
    assert response.status_code == 403


def test_outside_the_scope_the_ballots_do_not_exist(client, g, world):
    ballot = open_ballot(g)
    login(client, world.officer_c)
    for name, args in (("ballot_list", ()), ("ballot_detail", (ballot.pk,)), ("ballot_result", (ballot.pk,))):
        assert client.get(reverse(name, args=("G1", 2024, *args))).status_code == 404


@pytest.mark.parametrize("who", ["head_a", "officer_a", "reader_g1", "board_p"])
def test_only_the_leaders_officers_see_the_create_form_and_open_or_close(client, g, world, who):
    ballot = svc.ballot_create(group_year=g.gy, kind=BallotKind.ACCLAIM, actor=g.leader)
    login(client, getattr(world, who))
    assert client.get(url("ballot_create")).status_code == 403
    assert client.post(url("ballot_action", ballot, "mo")).status_code == 403
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.DRAFT


def test_the_result_page_hides_counts_while_open_and_the_board_sees_them_after(client, g, world):
    ballot = open_ballot(g)
    for name in "abde":
        vote(g, ballot, name, g.b)
    login(client, world.board_p)
    page = client.get(url("ballot_result", ballot)).content.decode()
    assert "Kết quả được công bố khi kết thúc bỏ phiếu" in page and 'id="tally"' not in page
    assert "Đã có 4/5 phiếu được bỏ" in page
    svc.ballot_close(ballot=ballot, actor=g.leader)
    page = client.get(url("ballot_result", ballot)).content.decode()
    assert "Huyện Bình Minh được suy tôn là đơn vị dẫn đầu" in page
    assert "Đủ số phiếu theo quy định: 4/5 thành viên tham gia" in page


def test_the_counters_enter_paper_tallies_on_the_page(client, g, world):
    ballot = open_ballot(g, mode=BallotMode.PAPER)
    ids = {o.unit.code: o.pk for o in ballot.options.select_related("unit")}
    form = {"cast": "5", "blank": "0", "invalid": "1", **{f"option-{pk}": "0" for pk in ids.values()}}
    form[f"option-{ids['P-B']}"] = "4"
    login(client, g.leader)
    page = client.post(url("ballot_paper", ballot), form).content.decode()
    assert "chờ người kiểm phiếu thứ hai" in page
    client.logout()
    login(client, world.board_p)
    page = client.post(url("ballot_paper", ballot), {**form, f"option-{ids['P-B']}": "3",
                                                     f"option-{ids['P-A']}": "1"}).content.decode()
    assert "chưa khớp" in page and f"Số phiếu của Huyện Bình Minh: {g.leader} nhập 4, {world.board_p} nhập 3" in page
    response = client.post(url("ballot_paper", ballot), form)
    assert response.status_code == 302 and response.url == url("ballot_result", ballot)
    ballot.refresh_from_db()
    assert (ballot.status, ballot.invalid_count) == (BallotStatus.CLOSED, 1)
    login(client, g.head_a)
    assert client.get(url("ballot_paper", ballot)).status_code == 403


def test_the_leader_names_a_delegate_on_the_page_and_only_the_delegate_sees_the_ballot_form(client, g):
    ballot = open_ballot(g)
    login(client, g.leader)
    page = client.get(url("ballot_detail", ballot)).content.decode()
    assert f'value="P-D|{g.officer_d.pk}"' in page
    client.post(url("ballot_delegate", ballot), {"delegate": f"P-D|{g.officer_d.pk}"})
    assert ballot.delegates.get().user == g.officer_d
    login(client, g.head_d)
    assert 'id="vote-form"' not in client.get(url("ballot_detail", ballot)).content.decode()
    login(client, g.officer_d)
    page = client.get(url("ballot_detail", ballot)).content.decode()
    assert 'id="vote-form"' in page and 'name="unit" value="P-D"' in page
    client.post(url("ballot_vote", ballot), {"unit": "P-D", "choice": [option(ballot, g.a)]})
    assert BallotParticipation.objects.get(ballot=ballot).cast_by == g.officer_d
