"""Award proposals of the year-end conference (DOMAIN.md cycle step 5; LEGAL.md §2.4, §3.4, §4.2).

The list follows from the final ranking (thidua.scoring.selectors.group_year_scores) and from the
unit the conference acclaimed as leading (suy tôn). The acclaimed unit is an argument: the services
never read ballots; `conference_choices_from_ballots` is the thin adapter the pages use to read the
closed ballots' winners and pass them in.

Rules chosen (LEGAL.md marks the quotas [U]; the numbers are the group-year's `ConferenceRules`,
defaults 1 flag and 30 % when the group-year has no row):

- Central groups. A group is organised at central level when its level is "central", or when its
  organising unit is a top-level unit (no parent) of kind "organisation": the Hội đồng / Ban Thi đua –
  Khen thưởng Trung ương (HDTDKT-TW in the demo; the Tây Nam Bộ cluster of provinces). There the
  leading collective is proposed for Cờ thi đua của Chính phủ (Law 06/2022 Đ25 k2) and the next
  units for Bằng khen của Thủ tướng Chính phủ. Every other group (organised by a province: UBND tỉnh)
  proposes Cờ thi đua của UBND tỉnh and Bằng khen của Chủ tịch UBND tỉnh.
- The flag. Only the acclaimed leading unit is proposed for the flag, never a unit picked from the
  scores alone: the flag is decided by acclamation (LEGAL.md §4.2). `flags` is a ceiling: 0 means the
  regulation gives the group no flag (the leading unit then competes for Bằng khen by its rank); a
  value above 1 still yields one flag per acclaimed unit, and one unit is acclaimed.
- Bằng khen. floor(merit_share_pct % × number of members) units (30 % of 5 = 1,5 → 1), taken in
  ranking order after the flag holder. The share counts Bằng khen only, not the flag.
- Vetoes (UnitVeto: discipline, Party-organisation rating, other reason). A vetoed unit is proposed
  for nothing that year. When the list reaches it, it is skipped with its reason, and the skip does
  not use up the quota (the next unit is proposed). A vetoed acclaimed unit gets no flag, and the flag
  does not pass to anybody else: acclaiming another unit is the conference's decision.
- Ties. The quota is a ceiling. A unit tied on rank with the last one proposed that the quota
  leaves out is not proposed, and the plan notes the tie for the conference or the Board to decide.
- Rebuilding replaces the previous list in one transaction with one audit event. Building the same
  list again writes nothing and records nothing, so the demo can be loaded twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from thidua.audit.services import audit_log
from thidua.conference.models import (
    AwardForm,
    AwardProposal,
    Ballot,
    BallotKind,
    BallotOption,
    BallotStatus,
    Base,
    Comparison,
    ConferenceRules,
    ProposalStatus,
    UnitVeto,
    VetoKind,
)
from thidua.covenants.models import Covenant
from thidua.lib.numbers import format_number, round_half_up
from thidua.org import policy
from thidua.org.models import Group, GroupKind, GroupLevel, GroupYear, Membership, Position, Unit, UnitKind, User

DEFAULT_FLAGS = 1
DEFAULT_MERIT_SHARE_PCT = 30


class ProposalError(ValueError):
    """A proposal change the rules refuse; the message is for the user, in Vietnamese."""


class ProposalForbidden(ProposalError):
    """The actor may see the conference pages but not change them (views answer 403)."""


CONFERENCE_ONLY = ("Chỉ cán bộ đơn vị cụm trưởng, khối trưởng năm nay và Ban Thi đua – Khen thưởng phụ trách "
                   "được dùng trang này.")


# ------------------------------------------------------------------------------ who and what kind


def can_run_conference(user: User, group_year: GroupYear) -> bool:
    """The leader's officers of that year and the Board in scope run the conference's proposals and
    the rotation (DOMAIN.md: the leader "runs the conference"; the Board manages awards)."""
    return policy.can_review_reports(user, group_year) or policy.is_board_for(user, group_year)


def check_conference_actor(actor: User | None, group_year: GroupYear) -> None:
    """`None` is the system (the demo, an import); a person must be allowed (`can_run_conference`)."""
    if actor is not None and not can_run_conference(actor, group_year):
        raise ProposalForbidden(CONFERENCE_ONLY)


def group_is_central(group: Group) -> bool:
    """A group organised at central level (see the module docstring)."""
    if group.level == GroupLevel.CENTRAL:
        return True
    organiser = group.organiser_unit
    return organiser is not None and organiser.kind == UnitKind.ORGANISATION and organiser.parent_id is None


def award_forms_of(group: Group) -> tuple[str, str]:
    """(flag form, merit form) the group proposes."""
    if group_is_central(group):
        return AwardForm.FLAG_GOVERNMENT, AwardForm.MERIT_PM
    return AwardForm.FLAG_PROVINCE, AwardForm.MERIT_PROVINCE


def group_word(group: Group) -> str:
    return "khối" if group.kind == GroupKind.BLOCK else "cụm"


# ------------------------------------------------------------------------------ rules


def conference_rules_of(*, group_year: GroupYear) -> ConferenceRules:
    """The group-year's rules, or the defaults (not saved) when none were set."""
    rules = ConferenceRules.objects.filter(group_year=group_year).first()
    if rules is None:
        rules = ConferenceRules(group_year=group_year, flags=DEFAULT_FLAGS, merit_share_pct=DEFAULT_MERIT_SHARE_PCT)
    return rules


@transaction.atomic
def conference_rules_set(
    *, group_year: GroupYear, flags: int, merit_share_pct: int, party_rating_required: str,
    actor: User | None,
) -> ConferenceRules:
    """Set the group regulation's quotas for this year's proposals."""
    check_conference_actor(actor, group_year)
    party_rating_required = (party_rating_required or "").strip()
    if not 0 <= flags <= 10:
        raise ProposalError("Số Cờ thi đua phải từ 0 đến 10.")
    if not 0 <= merit_share_pct <= 100:
        raise ProposalError("Tỷ lệ đề nghị Bằng khen phải từ 0 đến 100%.")
    if not party_rating_required:
        raise ProposalError("Chưa nhập mức xếp loại tổ chức đảng tối thiểu.")
    if len(party_rating_required) > 100:
        raise ProposalError("Mức xếp loại tổ chức đảng dài quá 100 ký tự.")
    values = {"flags": flags, "merit_share_pct": merit_share_pct, "party_rating_required": party_rating_required}
    rules = ConferenceRules.objects.select_for_update().filter(group_year=group_year).first()
    if rules is None:
        rules = ConferenceRules.objects.create(group_year=group_year, **values)
        audit_log(action="conference.rules_set", actor=actor, target=group_year,
                  summary=f"Quy định đề nghị khen thưởng {group_year}", data=values)
        return rules
    changed = {key: value for key, value in values.items() if getattr(rules, key) != value}
    if changed:
        for key, value in changed.items():
            setattr(rules, key, value)
        rules.save(update_fields=list(changed))
        audit_log(action="conference.rules_set", actor=actor, target=group_year,
                  summary=f"Quy định đề nghị khen thưởng {group_year}", data=changed)
    return rules


# ------------------------------------------------------------------------------ vetoes


def _member_ids(group_year: GroupYear) -> set[int]:
    return set(Membership.objects.filter(group_year=group_year).values_list("unit_id", flat=True))


@transaction.atomic
def unit_veto_record(
    *, group_year: GroupYear, unit: Unit, kind: str, reason: str, actor: User | None,
) -> UnitVeto:
    """Record that `unit` may not be proposed for any award this year, and why (reason required).
    Recording the same veto again returns it unchanged."""
    check_conference_actor(actor, group_year)
    reason = " ".join((reason or "").split())
    if kind not in VetoKind.values:
        raise ProposalError("Loại trường hợp không đề nghị khen thưởng không hợp lệ.")
    if not reason:
        raise ProposalError("Phải ghi rõ lý do không đề nghị khen thưởng.")
    if len(reason) > 500:
        raise ProposalError("Lý do dài quá 500 ký tự.")
    if unit.pk not in _member_ids(group_year):
        raise ProposalError(f"{unit.name} không phải thành viên của {group_year}.")
    existing = UnitVeto.objects.filter(group_year=group_year, unit=unit, kind=kind, reason=reason).first()
    if existing:
        return existing
    veto = UnitVeto.objects.create(group_year=group_year, unit=unit, kind=kind, reason=reason, recorded_by=actor)
    audit_log(action="conference.veto_recorded", actor=actor, target=veto,
              summary=f"{unit.label} – {VetoKind(kind).label}: {reason}",
              data={"group_year": group_year.pk, "unit": unit.code, "kind": kind, "reason": reason})
    return veto


@transaction.atomic
def unit_veto_remove(*, veto: UnitVeto, actor: User | None) -> None:
    """Withdraw a veto (recorded by mistake, or the condition no longer holds)."""
    group_year = veto.group_year
    check_conference_actor(actor, group_year)
    audit_log(action="conference.veto_removed", actor=actor, target=group_year,
              summary=f"{veto.unit.label} – {veto.get_kind_display()}: {veto.reason}",
              data={"veto": veto.pk, "unit": veto.unit.code, "kind": veto.kind, "reason": veto.reason})
    veto.delete()


def vetoes_of(*, group_year: GroupYear) -> list[UnitVeto]:
    return list(UnitVeto.objects.filter(group_year=group_year).select_related("unit", "recorded_by")
                .order_by("unit__code", "recorded_at", "id"))


def veto_text(veto: UnitVeto) -> str:
    return f"{veto.get_kind_display()}: {veto.reason}"


# ------------------------------------------------------------------------------ the plan


@dataclass(frozen=True)
class ProposalLine:
    unit: Unit
    form: str
    rank: int | None
    total: Decimal | None
    basis: str

    @property
    def form_label(self) -> str:
        return AwardForm(self.form).label


@dataclass(frozen=True)
class Skip:
    """A unit the list reached but could not propose, and why (its vetoes)."""

    unit: Unit
    form: str  # the form it would have been proposed for
    rank: int | None
    total: Decimal | None
    reasons: tuple[str, ...]

    @property
    def form_label(self) -> str:
        return AwardForm(self.form).label

    @property
    def text(self) -> str:
        return f"{self.unit.label} không được đề nghị {self.form_label}: {'; '.join(self.reasons)}"


@dataclass
class ProposalPlan:
    """What the rules give for one acclaimed unit: the proposals, the skips, the quota explained."""

    group_year: GroupYear
    leading_unit: Unit | None
    central: bool
    flag_form: str
    merit_form: str
    flag_quota: int
    merit_quota: int
    member_count: int
    merit_share_pct: int
    lines: list[ProposalLine] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _acclaim_basis(group: Group, votes: tuple[int, int] | None) -> str:
    word = group_word(group)
    if votes:
        return f"Dẫn đầu {word}, được suy tôn với {votes[0]}/{votes[1]} phiếu"
    return f"Dẫn đầu {word}, được Hội nghị suy tôn"


def _rank_basis(rank: int | None, total: Decimal | None) -> str:
    if rank is None or total is None:
        return "Chưa có kết quả xếp hạng"
    return f"Xếp thứ {rank} với {format_number(total, places=2)} điểm"


def proposals_plan(
    *, group_year: GroupYear, leading_unit: Unit | None, acclaim_votes: tuple[int, int] | None = None,
) -> ProposalPlan:
    """The proposal list the rules give (nothing written). Raises ProposalError without a covenant
    or when the acclaimed unit is not a member."""
    from thidua.scoring.selectors import group_year_scores

    group = Group.objects.select_related("organiser_unit").get(pk=group_year.group_id)
    if not Covenant.objects.filter(group_year=group_year).exists():
        raise ProposalError(f"{group_year} chưa có giao ước thi đua nên chưa có bảng xếp hạng để đề nghị khen thưởng.")
    ranking = group_year_scores(group_year=group_year).ranking
    units = {u.code: u for u in Unit.objects.filter(memberships__group_year=group_year)}
    if leading_unit is not None and leading_unit.code not in units:
        raise ProposalError(f"{leading_unit.name} không phải thành viên của {group_year}.")
    if acclaim_votes is not None:
        votes, of = acclaim_votes
        if not 0 < votes <= of:
            raise ProposalError("Số phiếu suy tôn phải lớn hơn 0 và không quá tổng số phiếu.")
    rules = conference_rules_of(group_year=group_year)
    reasons: dict[int, list[str]] = {}
    for veto in vetoes_of(group_year=group_year):
        reasons.setdefault(veto.unit_id, []).append(veto_text(veto))
    flag_form, merit_form = award_forms_of(group)
    members = len(units)
    plan = ProposalPlan(
        group_year=group_year, leading_unit=leading_unit, central=group_is_central(group),
        flag_form=flag_form, merit_form=merit_form, flag_quota=min(rules.flags, 1),
        merit_quota=rules.merit_share_pct * members // 100, member_count=members,
        merit_share_pct=rules.merit_share_pct,
    )
    score_of = {score.unit: score for score in ranking}

    def place(unit: Unit) -> tuple[int | None, Decimal | None]:
        score = score_of.get(unit.code)
        return (score.rank, round_half_up(score.total)) if score else (None, None)

    flag_holders: set[int] = set()
    skipped_ids: set[int] = set()
    if leading_unit is not None and plan.flag_quota:
        rank, total = place(leading_unit)
        if leading_unit.pk in reasons:
            plan.skipped.append(Skip(leading_unit, flag_form, rank, total, tuple(reasons[leading_unit.pk])))
            skipped_ids.add(leading_unit.pk)
            plan.notes.append(f"Đơn vị được suy tôn dẫn đầu không được đề nghị {AwardForm(flag_form).label}; "
                              "Cờ thi đua không chuyển cho đơn vị khác.")
        else:
            basis = f"{_acclaim_basis(group, acclaim_votes)}; {_rank_basis(rank, total).lower()}"
            plan.lines.append(ProposalLine(leading_unit, flag_form, rank, total, basis))
            flag_holders.add(leading_unit.pk)
    elif leading_unit is not None:
        plan.notes.append("Quy chế năm nay không có chỉ tiêu Cờ thi đua; đơn vị dẫn đầu được xét Bằng khen theo thứ hạng.")
    elif plan.flag_quota:
        plan.notes.append("Chưa có đơn vị được suy tôn dẫn đầu nên chưa đề nghị Cờ thi đua.")

    share = Decimal(rules.merit_share_pct) * members / 100
    plan.notes.append(
        f"Chỉ tiêu Bằng khen: {rules.merit_share_pct}% × {members} thành viên = {format_number(share)} "
        f"→ {plan.merit_quota} đơn vị (làm tròn xuống)."
    )
    merits: list[ProposalLine] = []
    for score in ranking:
        unit = units[score.unit]
        if unit.pk in flag_holders:
            continue
        rank, total = place(unit)
        if len(merits) >= plan.merit_quota:  # quota filled: note who ties with the last one, then stop
            if not (merits and rank == merits[-1].rank):
                break
            if unit.pk not in reasons:
                plan.notes.append(
                    f"{unit.label} đồng hạng {rank} với {merits[-1].unit.label} nhưng đã hết chỉ tiêu Bằng khen "
                    f"({plan.merit_quota} đơn vị): Hội nghị hoặc Ban Thi đua – Khen thưởng quyết định."
                )
            continue
        if unit.pk in reasons:
            if unit.pk not in skipped_ids:
                plan.skipped.append(Skip(unit, merit_form, rank, total, tuple(reasons[unit.pk])))
                skipped_ids.add(unit.pk)
            continue
        merits.append(ProposalLine(unit, merit_form, rank, total, _rank_basis(rank, total)))
    plan.lines.extend(merits)
    return plan


def _row(line_unit_id: int, form: str, rank, total, basis: str, status: str) -> tuple:
    return (line_unit_id, form, rank, None if total is None else Decimal(total), basis, status)


@transaction.atomic
def proposals_build(
    *, group_year: GroupYear, leading_unit: Unit | None, actor: User | None,
    acclaim_votes: tuple[int, int] | None = None,
) -> ProposalPlan:
    """Build (or rebuild) the proposal list from the ranking and the acclaimed leading unit;
    `acclaim_votes` = (votes for it, votes possible) for the basis text. Replaces the previous list
    in one transaction; an identical list is left alone (nothing written, nothing audited)."""
    check_conference_actor(actor, group_year)
    GroupYear.objects.select_for_update().filter(pk=group_year.pk).first()  # one rebuild at a time
    plan = proposals_plan(group_year=group_year, leading_unit=leading_unit, acclaim_votes=acclaim_votes)
    current = sorted(
        _row(p.unit_id, p.form, p.rank, p.total, p.basis, p.status)
        for p in AwardProposal.objects.filter(group_year=group_year)
    )
    wanted = sorted(_row(line.unit.pk, line.form, line.rank, line.total, line.basis, ProposalStatus.PROPOSED)
                    for line in plan.lines)
    if current == wanted:
        return plan
    AwardProposal.objects.filter(group_year=group_year).delete()
    AwardProposal.objects.bulk_create(
        AwardProposal(group_year=group_year, unit=line.unit, form=line.form, rank=line.rank, total=line.total,
                      basis=line.basis)
        for line in plan.lines
    )
    audit_log(
        action="conference.proposals_built", actor=actor, target=group_year,
        summary=f"Danh sách đề nghị khen thưởng {group_year}: "
                + "; ".join(f"{line.form_label} – {line.unit.label}" for line in plan.lines),
        data={
            "leading_unit": leading_unit.code if leading_unit else None,
            "acclaim_votes": list(acclaim_votes) if acclaim_votes else None,
            "proposals": [{"unit": line.unit.code, "form": line.form, "rank": line.rank,
                           "total": None if line.total is None else str(line.total)} for line in plan.lines],
            "skipped": [{"unit": skip.unit.code, "form": skip.form, "reasons": list(skip.reasons)}
                        for skip in plan.skipped],
            "replaced": len(current),
        },
    )
    return plan


def proposals_of(*, group_year: GroupYear) -> list[AwardProposal]:
    return list(AwardProposal.objects.filter(group_year=group_year).select_related("unit").order_by("rank", "form", "id"))


# ------------------------------------------------------------------------------ ballots → arguments


@dataclass
class BallotChoices:
    """What the closed ballots of a group-year decided, as arguments for the services."""

    acclaimed: Unit | None = None
    acclaim_votes: tuple[int, int] | None = None
    acclaim_ballot: Ballot | None = None
    leader: Unit | None = None
    leader_ballot: Ballot | None = None
    deputies: list[Unit] = field(default_factory=list)
    deputies_ballot: Ballot | None = None


def _last_closed(group_year: GroupYear, kind: str) -> Ballot | None:
    return (Ballot.objects.filter(group_year=group_year, kind=kind, status=BallotStatus.CLOSED)
            .order_by("-closed_at", "-id").first())


def _passes(ballot: Ballot, votes: int) -> bool:
    base = ballot.electorate_size if ballot.pass_base == Base.ALL else ballot.cast_count
    if ballot.pass_comparison == Comparison.AT_LEAST:
        return votes * ballot.pass_den >= ballot.pass_num * base
    return votes * ballot.pass_den > ballot.pass_num * base


def _winning_options(ballot: Ballot) -> list[BallotOption]:
    """The options a closed ballot elected. The ballot services (`ballots.ballot_result`) are the
    authority; should they be unavailable, the ballot's own fields are read the same way: quorum
    met, pass threshold met, the best `max_choices` by votes, options tied across the last seat
    left out (the conference must decide)."""
    try:
        from thidua.conference.ballots import ballot_result
    except ImportError:  # pragma: no cover - the ballot services ship with the conference app
        ballot_result = None
    if ballot_result is not None:
        return [option for option in ballot_result(ballot=ballot).winners if option.unit_id]
    if ballot.cast_count * ballot.quorum_den < ballot.quorum_num * ballot.electorate_size:
        return []
    passed = sorted((o for o in ballot.options.select_related("unit") if o.unit_id and _passes(ballot, o.votes)),
                    key=lambda o: (-o.votes, o.order, o.id))
    seats = ballot.max_choices
    if len(passed) > seats and passed[seats].votes == passed[seats - 1].votes:
        cut = passed[seats - 1].votes
        return [o for o in passed[:seats] if o.votes > cut]
    return passed[:seats]


def conference_choices_from_ballots(*, group_year: GroupYear) -> BallotChoices:
    """The acclaimed unit (with its votes), next year's leader and deputies, from the closed ACCLAIM,
    LEADER and DEPUTIES ballots of the group-year; empty where no such ballot is closed."""
    choices = BallotChoices()
    if ballot := _last_closed(group_year, BallotKind.ACCLAIM):
        choices.acclaim_ballot = ballot
        winners = _winning_options(ballot)
        if winners:
            choices.acclaimed = winners[0].unit
            possible = ballot.electorate_size or ballot.cast_count
            if possible and winners[0].votes:
                choices.acclaim_votes = (winners[0].votes, possible)
    if ballot := _last_closed(group_year, BallotKind.LEADER):
        choices.leader_ballot = ballot
        winners = _winning_options(ballot)
        choices.leader = winners[0].unit if winners else None
    if ballot := _last_closed(group_year, BallotKind.DEPUTIES):
        choices.deputies_ballot = ballot
        choices.deputies = [option.unit for option in _winning_options(ballot)]
    return choices


def leader_of(group_year: GroupYear) -> Unit | None:
    membership = (Membership.objects.filter(group_year=group_year, position=Position.LEADER)
                  .select_related("unit").first())
    return membership.unit if membership else None


def last_build_of(*, group_year: GroupYear):
    """The last recorded build of the list (audit event), with the acclaimed unit and votes it was
    built with: the page recomputes that plan to show its skips. None before any build."""
    from thidua.audit.models import AuditEvent

    event = (AuditEvent.objects.filter(action="conference.proposals_built", target_type=GroupYear._meta.label_lower,
                                       target_id=str(group_year.pk))
             .select_related("actor").order_by("-at", "-id").first())
    if event is None:
        return None
    code = event.data.get("leading_unit")
    votes = event.data.get("acclaim_votes")
    return BuildRecord(
        event=event,
        leading_unit=Unit.objects.filter(code=code).first() if code else None,
        acclaim_votes=tuple(votes) if votes else None,
    )


@dataclass
class BuildRecord:
    event: object
    leading_unit: Unit | None
    acclaim_votes: tuple[int, int] | None
