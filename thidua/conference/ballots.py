"""Secret ballots of a group-year's conference (DOMAIN.md cycle step 5, LEGAL.md §3.4).

Who took part is stored apart from what was chosen (thidua.conference.models): a vote inserts a
participation, inserts a receipt under a random key, and adds one to the chosen options' counts —
one transaction, nothing that pairs them. What a voter chose is never written anywhere else: not in
the audit (which records only that the voter took part), not in messages, logs or the session; the
voter's confirmation page shows only the receipt code.

Transitions are race-safe: a conditional UPDATE on the ballot's status, checked by its row count
(`select_for_update` does nothing on SQLite). A second vote by the same voter hits the unique
participation and is refused.

Paper mode: the conference votes on paper while the ballot is open; two different counters enter
the tallies; when they agree the tallies are written and the ballot closes in the same UPDATE.

What the application cannot hide: someone who reads the database *while* the vote runs can watch
the counts change next to the audit's "took part" events; and the storage keeps old versions of
the count rows for a while (PostgreSQL's dead tuples until VACUUM, SQLite's write-ahead log until a
checkpoint). Operators should VACUUM the ballot tables / checkpoint the WAL after a ballot closes.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from thidua.audit.services import audit_log
from thidua.conference import rules
from thidua.conference.models import (
    Ballot,
    BallotDelegate,
    BallotKind,
    BallotMode,
    BallotOption,
    BallotParticipation,
    BallotReceipt,
    BallotStatus,
    Base,
    Comparison,
    Electorate,
    PaperCount,
)
from thidua.covenants.models import Covenant
from thidua.lib.collation import vi_sort_key
from thidua.lib.numbers import format_percent
from thidua.org import policy
from thidua.org.models import GroupKind, GroupYear, Membership, Role, RoleAssignment, Unit, User

APPROVE = "Đồng ý"
REJECT = "Không đồng ý"
UNIT_KINDS = (BallotKind.ACCLAIM, BallotKind.LEADER, BallotKind.DEPUTIES)
SUCCESS_WORDS = {
    BallotKind.ACCLAIM: "suy tôn",
    BallotKind.LEADER: "trúng cử",
    BallotKind.DEPUTIES: "trúng cử",
    BallotKind.PROPOSALS: "thông qua",
}
# Receipt codes: no 0/O, 1/I/L, so a code read aloud or copied by hand stays right.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 10
HIDDEN = "Kết quả được công bố khi kết thúc bỏ phiếu."


class BallotError(ValueError):
    """A step the rules refuse; the message is for the user, in Vietnamese."""


class NotAllowed(BallotError):
    """The user may not take this step on this ballot (views answer 403)."""


class AlreadyVoted(BallotError):
    """The voter (unit or council member) has already taken part."""


class ResultsHidden(BallotError):
    """The result of a ballot that has not closed."""


class PaperCountInvalid(BallotError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Số liệu kiểm phiếu chưa hợp lệ: " + "; ".join(problems))


# ------------------------------------------------------------------------------ who takes part


def _role_in_year(assignment: RoleAssignment, group_year: GroupYear) -> bool:
    return assignment.group_id == group_year.group_id and assignment.year in (None, group_year.year)


def council_members_of(*, group_year: GroupYear) -> QuerySet[User]:
    """The council members assigned to the group (that year or every year): a council ballot's electorate."""
    return User.objects.filter(
        Q(role_assignments__year__isnull=True) | Q(role_assignments__year=group_year.year),
        role_assignments__role=Role.COUNCIL_MEMBER, role_assignments__group_id=group_year.group_id,
    ).distinct()


def member_units_of(*, group_year: GroupYear) -> list[Unit]:
    units = [m.unit for m in Membership.objects.filter(group_year=group_year).select_related("unit")]
    return sorted(units, key=lambda u: vi_sort_key(u.label))


def electorate_size_of(*, ballot: Ballot) -> int:
    if ballot.electorate == Electorate.COUNCIL:
        return council_members_of(group_year=ballot.group_year).count()
    return Membership.objects.filter(group_year=ballot.group_year).count()


def voter_units_for(*, ballot: Ballot, user: User) -> list[Unit]:
    """The member units whose vote `user` may cast: the head of that very unit (not of a unit
    above it) unless the leader named a delegate for the unit, in which case the delegate instead."""
    if ballot.electorate != Electorate.MEMBERS or not getattr(user, "is_authenticated", False):
        return []
    delegates = dict(BallotDelegate.objects.filter(ballot=ballot).values_list("unit_id", "user_id"))
    found = []
    for unit in member_units_of(group_year=ballot.group_year):
        if unit.pk in delegates:
            if delegates[unit.pk] == user.pk:
                found.append(unit)
        elif policy.is_head_of(user, unit):
            found.append(unit)
    return found


def is_council_voter(*, ballot: Ballot, user: User) -> bool:
    return ballot.electorate == Electorate.COUNCIL and any(
        a.role == Role.COUNCIL_MEMBER and _role_in_year(a, ballot.group_year) for a in policy.assignments_of(user)
    )


def can_vote(*, ballot: Ballot, user: User) -> bool:
    return bool(voter_units_for(ballot=ballot, user=user)) or is_council_voter(ballot=ballot, user=user)


def can_manage_ballots(user: User, group_year: GroupYear) -> bool:
    """Create, open, close, name delegates: the leader's officers of that year."""
    return policy.can_review_reports(user, group_year)


def can_count_paper(user: User, group_year: GroupYear) -> bool:
    """Enter a paper ballot's tallies: the leader's officers or the Board."""
    return policy.can_review_reports(user, group_year) or policy.is_board_for(user, group_year)


def voted_unit_ids(*, ballot: Ballot) -> set[int]:
    return set(BallotParticipation.objects.filter(ballot=ballot, voter_unit__isnull=False)
               .values_list("voter_unit_id", flat=True))


def has_voted(*, ballot: Ballot, user: User) -> bool:
    """A council member's own participation (member units: see `voted_unit_ids`)."""
    return BallotParticipation.objects.filter(ballot=ballot, voter_user=user).exists()


def participants_of(*, ballot: Ballot) -> list[str]:
    """Who took part (never how), in alphabetical order — not in the order they voted."""
    rows = BallotParticipation.objects.filter(ballot=ballot).select_related("voter_unit", "voter_user")
    names = [row.voter_unit.label if row.voter_unit_id else str(row.voter_user) for row in rows]
    return sorted(names, key=vi_sort_key)


# ------------------------------------------------------------------------------ set-up


def _ensure_manager(actor: User, group_year: GroupYear) -> None:
    if not can_manage_ballots(actor, group_year):
        raise NotAllowed("Chỉ cán bộ đơn vị cụm trưởng, khối trưởng năm nay được tổ chức bỏ phiếu.")


def _group_word(group_year: GroupYear, *, deputy: bool = False) -> str:
    head = "cụm" if group_year.group.kind == GroupKind.CLUSTER else "khối"
    return f"{head} phó" if deputy else f"{head} trưởng"


def default_title(*, group_year: GroupYear, kind: str) -> str:
    group, year = group_year.group.name, group_year.year
    if kind == BallotKind.ACCLAIM:
        return f"Suy tôn đơn vị dẫn đầu {group} năm {year}"
    if kind == BallotKind.LEADER:
        return f"Bầu {_group_word(group_year)} {group} năm {year + 1}"
    if kind == BallotKind.DEPUTIES:
        return f"Bầu {_group_word(group_year, deputy=True)} {group} năm {year + 1}"
    return f"Thông qua danh sách đề nghị khen thưởng {group} năm {year}"


def ranked_members(*, group_year: GroupYear) -> list[Unit]:
    """The members in the order of the final ranking when the group-year has a covenant, else in
    alphabetical order (the acclaim ballot lists the leading units first)."""
    members = member_units_of(group_year=group_year)
    if not Covenant.objects.filter(group_year=group_year).exists():
        return members
    from thidua.scoring.selectors import group_year_scores

    position = {score.unit: index for index, score in enumerate(group_year_scores(group_year=group_year).ranking)}
    return sorted(members, key=lambda u: (position.get(u.code, len(position)), vi_sort_key(u.label)))


def _fraction(pair: tuple[int, int], what: str) -> tuple[int, int]:
    num, den = pair
    if den <= 0 or num <= 0 or num > den:
        raise BallotError(f"Tỷ lệ {what} phải là một phân số lớn hơn 0 và không quá 1 (ví dụ 2/3).")
    return num, den


@transaction.atomic
def ballot_create(
    *,
    group_year: GroupYear,
    kind: str,
    actor: User,
    title: str = "",
    electorate: str = Electorate.MEMBERS,
    mode: str = BallotMode.ELECTRONIC,
    units: Sequence[Unit] | None = None,
    max_choices: int | None = None,
    quorum: tuple[int, int] = (2, 3),
    pass_fraction: tuple[int, int] = (1, 2),
    pass_base: str = Base.ALL,
    pass_comparison: str = Comparison.MORE_THAN,
) -> Ballot:
    """A draft ballot with its options: the member units (acclaim: in ranking order; `units`
    narrows them, e.g. the candidates) or, for the award proposals, "Đồng ý" / "Không đồng ý"."""
    _ensure_manager(actor, group_year)
    if kind not in BallotKind.values:
        raise BallotError("Nội dung bỏ phiếu không hợp lệ.")
    if electorate not in Electorate.values or mode not in BallotMode.values:
        raise BallotError("Người bỏ phiếu hoặc hình thức bỏ phiếu không hợp lệ.")
    if pass_base not in Base.values or pass_comparison not in Comparison.values:
        raise BallotError("Cách tính ngưỡng trúng cử không hợp lệ.")
    quorum_num, quorum_den = _fraction(quorum, "đủ số phiếu")
    pass_num, pass_den = _fraction(pass_fraction, "trúng cử")
    if kind in UNIT_KINDS:
        if kind == BallotKind.ACCLAIM:
            ordered = ranked_members(group_year=group_year)
        else:
            ordered = member_units_of(group_year=group_year)
        if units is not None:
            chosen = {u.pk for u in units}
            outsiders = chosen - {u.pk for u in ordered}
            if outsiders:
                raise BallotError("Chỉ đưa vào phiếu các đơn vị thành viên của cụm, khối năm nay.")
            ordered = [u for u in ordered if u.pk in chosen]
        labels = [(unit, unit.name) for unit in ordered]
    else:
        labels = [(None, APPROVE), (None, REJECT)]
    if not labels:
        raise BallotError("Phiếu bầu cần ít nhất một đơn vị để lựa chọn.")
    seats = (max_choices or 1) if kind == BallotKind.DEPUTIES else 1
    if seats < 1 or (kind in UNIT_KINDS and seats > len(labels)):
        raise BallotError(f"Số người được chọn mỗi phiếu phải từ 1 đến {len(labels)}.")
    ballot = Ballot.objects.create(
        group_year=group_year, kind=kind,
        title=(title or "").strip() or default_title(group_year=group_year, kind=kind),
        electorate=electorate, mode=mode, max_choices=seats, quorum_num=quorum_num, quorum_den=quorum_den,
        pass_num=pass_num, pass_den=pass_den, pass_base=pass_base, pass_comparison=pass_comparison,
    )
    BallotOption.objects.bulk_create(
        BallotOption(ballot=ballot, unit=unit, label=label, order=index) for index, (unit, label) in enumerate(labels)
    )
    audit_log(action="ballot.created", actor=actor, target=ballot, summary=f"Tạo phiếu bầu: {ballot.title}",
              data={"group": group_year.group.code, "year": group_year.year, "kind": kind,
                    "electorate": electorate, "mode": mode})
    return ballot


@transaction.atomic
def ballot_delegate_set(*, ballot: Ballot, unit: Unit, user: User | None, actor: User) -> None:
    """Name (or, with `user=None`, remove) the delegate who casts `unit`'s vote instead of its head.
    The delegate must be an officer or the head of that unit."""
    _ensure_manager(actor, ballot.group_year)
    if ballot.electorate != Electorate.MEMBERS:
        raise BallotError("Chỉ phiếu bầu của các đơn vị thành viên mới cử người đại diện.")
    if ballot.status == BallotStatus.CLOSED:
        raise BallotError("Phiếu bầu đã kết thúc.")
    if not Membership.objects.filter(group_year=ballot.group_year, unit=unit).exists():
        raise BallotError("Đơn vị này không phải thành viên của cụm, khối năm nay.")
    if BallotParticipation.objects.filter(ballot=ballot, voter_unit=unit).exists():
        raise BallotError(f"Đơn vị {unit.label} đã bỏ phiếu; không thay người đại diện được nữa.")
    if user is None:
        BallotDelegate.objects.filter(ballot=ballot, unit=unit).delete()
        summary = f"Bỏ người đại diện bỏ phiếu của {unit.label}"
    else:
        if not policy.can_enter_unit_data(user, unit):
            raise BallotError(f"Người đại diện phải là cán bộ hoặc thủ trưởng của {unit.label}.")
        BallotDelegate.objects.update_or_create(ballot=ballot, unit=unit, defaults={"user": user})
        summary = f"Cử {user} đại diện {unit.label} bỏ phiếu"
    audit_log(action="ballot.delegate_set", actor=actor, target=ballot, summary=summary,
              data={"unit": unit.code, "delegate": user.username if user else None})


# ------------------------------------------------------------------------------ open, close


def _status_error(ballot: Ballot) -> BallotError:
    current = Ballot.objects.filter(pk=ballot.pk).values_list("status", flat=True).first()
    if current == BallotStatus.DRAFT:
        return BallotError("Phiếu bầu chưa được mở.")
    if current == BallotStatus.OPEN:
        return BallotError("Phiếu bầu đang mở.")
    return BallotError("Phiếu bầu đã kết thúc.")


@transaction.atomic
def ballot_open(*, ballot: Ballot, actor: User) -> Ballot:
    """Open the vote; the electorate's size is fixed now (members, or council members assigned)."""
    _ensure_manager(actor, ballot.group_year)
    size = electorate_size_of(ballot=ballot)
    if size == 0:
        raise BallotError("Không có ai có quyền bỏ phiếu: chưa có thành viên hoặc thành viên Hội đồng được phân công.")
    now = timezone.now()
    if Ballot.objects.filter(pk=ballot.pk, status=BallotStatus.DRAFT).update(
        status=BallotStatus.OPEN, electorate_size=size, opened_at=now
    ) != 1:
        raise _status_error(ballot)
    ballot.refresh_from_db()
    audit_log(action="ballot.opened", actor=actor, target=ballot, summary=f"Mở bỏ phiếu: {ballot.title}",
              data={"electorate_size": size})
    return ballot


@transaction.atomic
def ballot_close(*, ballot: Ballot, actor: User) -> Ballot:
    """End the vote; the result is published. A paper ballot closes when its count is confirmed."""
    _ensure_manager(actor, ballot.group_year)
    if ballot.mode == BallotMode.PAPER:
        raise BallotError("Phiếu giấy kết thúc khi hai người kiểm phiếu nhập kết quả trùng khớp.")
    if Ballot.objects.filter(pk=ballot.pk, status=BallotStatus.OPEN, mode=BallotMode.ELECTRONIC).update(
        status=BallotStatus.CLOSED, closed_at=timezone.now()
    ) != 1:
        raise _status_error(ballot)
    _rewrite_counts(ballot=ballot)
    ballot.refresh_from_db()
    audit_log(action="ballot.closed", actor=actor, target=ballot, summary=f"Kết thúc bỏ phiếu: {ballot.title}",
              data={"electorate_size": ballot.electorate_size, "cast_count": ballot.cast_count})
    return ballot


def _rewrite_counts(*, ballot: Ballot) -> None:
    """Rewrite every count row, one by one in random order, in the closing transaction. On
    PostgreSQL each vote left its option's live row version written by the voter's transaction
    (xmin) and placed after the previous votes (ctid): the last voter's choice could be read off
    them against the audit's "took part" times. Now every row is written by the closing, in an
    order that means nothing. (Dead row versions remain until VACUUM; see the module notes.)"""
    ids = list(BallotOption.objects.filter(ballot=ballot).values_list("pk", flat=True))
    secrets.SystemRandom().shuffle(ids)
    for pk in ids:
        BallotOption.objects.filter(pk=pk).update(votes=F("votes"))


# ------------------------------------------------------------------------------ the vote


def normalise_receipt(code: str) -> str:
    """What the voter typed, as stored: capitals, without spaces or hyphens."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def format_receipt(code: str) -> str:
    """ABCDE-FGHJK: easier to read and copy."""
    return f"{code[:5]}-{code[5:]}"


def _receipt_hash(ballot_id: int, code: str) -> str:
    return hashlib.sha256(f"{ballot_id}:{normalise_receipt(code)}".encode()).hexdigest()


def _voter_label(voter_unit: Unit | None, voter_user: User | None) -> str:
    return f"Đơn vị {voter_unit.label}" if voter_unit is not None else f"Thành viên Hội đồng {voter_user}"


def _check_voter(*, ballot: Ballot, cast_by: User, voter_unit: Unit | None, voter_user: User | None) -> None:
    if ballot.electorate == Electorate.MEMBERS:
        if voter_unit is None or voter_user is not None:
            raise NotAllowed("Phiếu này do các đơn vị thành viên bỏ.")
        if voter_unit.pk not in {u.pk for u in voter_units_for(ballot=ballot, user=cast_by)}:
            raise NotAllowed(f"Bạn không có quyền bỏ phiếu thay {voter_unit.label}: chỉ thủ trưởng đơn vị "
                             "hoặc người được cử đại diện mới bỏ phiếu.")
    else:
        if voter_user is None or voter_unit is not None or voter_user.pk != cast_by.pk:
            raise NotAllowed("Thành viên Hội đồng tự bỏ phiếu của mình.")
        if not is_council_voter(ballot=ballot, user=cast_by):
            raise NotAllowed("Chỉ thành viên Hội đồng Thi đua – Khen thưởng phụ trách cụm, khối mới bỏ phiếu.")


def _check_choices(*, ballot: Ballot, choices: Sequence[int]) -> list[int]:
    try:
        chosen = [int(c) for c in choices]
    except (TypeError, ValueError):
        raise BallotError("Lựa chọn không có trên phiếu; hãy tải lại trang.") from None
    if len(set(chosen)) != len(chosen):
        raise BallotError("Mỗi lựa chọn chỉ được chọn một lần.")
    if len(chosen) > ballot.max_choices:
        raise BallotError(f"Mỗi phiếu chọn tối đa {ballot.max_choices}; phiếu chưa được ghi nhận.")
    valid = set(BallotOption.objects.filter(ballot=ballot).values_list("pk", flat=True))
    if not set(chosen) <= valid:
        raise BallotError("Lựa chọn không có trên phiếu; hãy tải lại trang.")
    return chosen


def ballot_cast(
    *,
    ballot: Ballot,
    cast_by: User,
    choices: Sequence[int],
    voter_unit: Unit | None = None,
    voter_user: User | None = None,
) -> str:
    """Cast one ballot; returns the receipt code (shown once, stored only as a hash). An empty
    `choices` is a blank ballot. Refused when the ballot is not open, the voter has voted, or the
    choices are more than allowed."""
    _check_voter(ballot=ballot, cast_by=cast_by, voter_unit=voter_unit, voter_user=voter_user)
    if ballot.mode != BallotMode.ELECTRONIC:
        raise BallotError("Phiếu này bỏ bằng giấy tại hội nghị.")
    chosen = _check_choices(ballot=ballot, choices=choices)
    label = _voter_label(voter_unit, voter_user)
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    with transaction.atomic():
        # Race-safe: still open, and never more ballots than the electorate fixed at opening.
        try:  # the unique participation refuses a second vote, even two at the same instant
            with transaction.atomic():
                BallotParticipation.objects.create(ballot=ballot, voter_unit=voter_unit, voter_user=voter_user,
                                                   cast_by=cast_by)
        except IntegrityError:
            raise AlreadyVoted(f"{label} đã bỏ phiếu; mỗi {'đơn vị' if voter_unit else 'thành viên'} "
                               "chỉ bỏ một phiếu.") from None
        # Race-safe: still open, and never more ballots than the electorate fixed at opening.
        if Ballot.objects.filter(
            pk=ballot.pk, status=BallotStatus.OPEN, cast_count__lt=F("electorate_size")
        ).update(cast_count=F("cast_count") + 1, blank_count=F("blank_count") + (0 if chosen else 1)) != 1:
            current = Ballot.objects.filter(pk=ballot.pk).values_list("status", flat=True).first()
            if current == BallotStatus.OPEN:
                raise BallotError("Số phiếu đã bằng số người có quyền bỏ phiếu khi mở phiếu.")
            raise _status_error(ballot)
        BallotReceipt.objects.create(ballot=ballot, code_hash=_receipt_hash(ballot.pk, code))
        if chosen:
            BallotOption.objects.filter(ballot=ballot, pk__in=chosen).update(votes=F("votes") + 1)
        # Only that the voter took part: never what they chose.
        audit_log(action="ballot.participated", actor=cast_by, target=ballot,
                  summary=f"{label} đã bỏ phiếu: {ballot.title}",
                  data={"unit": voter_unit.code} if voter_unit else {"member": voter_user.username})
    return code


def receipt_check(*, ballot: Ballot, code: str) -> bool:
    """Was a ballot with this receipt code counted in this ballot?"""
    normalised = normalise_receipt(code)
    if len(normalised) != RECEIPT_LENGTH:
        return False
    return BallotReceipt.objects.filter(ballot=ballot, code_hash=_receipt_hash(ballot.pk, normalised)).exists()


# ------------------------------------------------------------------------------ paper mode


@dataclass(frozen=True)
class PaperTallies:
    """One counter's count of the paper ballots."""

    options: dict[int, int]  # option id → votes
    cast: int  # ballots received (valid + blank + invalid)
    blank: int
    invalid: int

    def to_json(self) -> dict:
        return {"options": {str(k): v for k, v in sorted(self.options.items())}, "cast": self.cast,
                "blank": self.blank, "invalid": self.invalid}

    @classmethod
    def from_json(cls, data: dict) -> PaperTallies:
        return cls(options={int(k): int(v) for k, v in data["options"].items()}, cast=int(data["cast"]),
                   blank=int(data["blank"]), invalid=int(data["invalid"]))

    @property
    def valid(self) -> int:
        return self.cast - self.blank - self.invalid


@dataclass(frozen=True)
class PaperOutcome:
    confirmed: bool
    differences: list[str]  # against the other counters' tallies, when they differ
    message: str


def _paper_problems(*, ballot: Ballot, options: list[BallotOption], tallies: PaperTallies) -> list[str]:
    problems = []
    if set(tallies.options) != {o.pk for o in options}:
        return ["cần nhập số phiếu của từng lựa chọn trên phiếu"]
    figures = [tallies.cast, tallies.blank, tallies.invalid, *tallies.options.values()]
    if any(not isinstance(n, int) or n < 0 for n in figures):
        return ["các số phiếu phải là số nguyên không âm"]
    if tallies.cast > ballot.electorate_size:
        problems.append(f"số phiếu thu về ({tallies.cast}) nhiều hơn số người có quyền bỏ phiếu "
                        f"({ballot.electorate_size})")
    if tallies.blank + tallies.invalid > tallies.cast:
        problems.append("số phiếu trắng và phiếu không hợp lệ nhiều hơn số phiếu thu về")
        return problems
    valid = tallies.valid
    for option in options:
        if tallies.options[option.pk] > valid:
            problems.append(f"{option.label} có {tallies.options[option.pk]} phiếu, "
                            f"nhiều hơn số phiếu hợp lệ ({valid})")
    total = sum(tallies.options.values())
    if not valid <= total <= valid * ballot.max_choices:
        if ballot.max_choices == 1:
            problems.append(f"tổng số phiếu của các lựa chọn ({total}) phải bằng số phiếu hợp lệ ({valid})")
        else:
            problems.append(f"tổng số lựa chọn ({total}) phải từ {valid} đến {valid * ballot.max_choices} "
                            f"với {valid} phiếu hợp lệ, mỗi phiếu chọn tối đa {ballot.max_choices}")
    return problems


def _differences(*, options: list[BallotOption], mine: PaperTallies, theirs: PaperTallies, me: User,
                 them: User) -> list[str]:
    rows = [("Số phiếu thu về", mine.cast, theirs.cast), ("Số phiếu trắng", mine.blank, theirs.blank),
            ("Số phiếu không hợp lệ", mine.invalid, theirs.invalid)]
    rows += [(f"Số phiếu của {o.label}", mine.options[o.pk], theirs.options.get(o.pk, 0)) for o in options]
    return [f"{what}: {them} nhập {b}, {me} nhập {a}" for what, a, b in rows if a != b]


def paper_count_submit(*, ballot: Ballot, counter: User, tallies: PaperTallies) -> PaperOutcome:
    """Record `counter`'s tallies of a paper ballot. When another counter has entered the same
    tallies, they are written into the ballot and it closes; when they differ, nothing is applied
    and the differences are listed. Entering again replaces one's own count (never a second one)."""
    if not can_count_paper(counter, ballot.group_year):
        raise NotAllowed("Chỉ cán bộ đơn vị cụm trưởng, khối trưởng hoặc Ban Thi đua – Khen thưởng được kiểm phiếu.")
    if ballot.mode != BallotMode.PAPER:
        raise BallotError("Phiếu này bỏ trên hệ thống; không nhập kết quả kiểm phiếu giấy.")
    ballot.refresh_from_db()
    if ballot.status != BallotStatus.OPEN:
        raise _status_error(ballot)
    options = list(BallotOption.objects.filter(ballot=ballot))
    if problems := _paper_problems(ballot=ballot, options=options, tallies=tallies):
        raise PaperCountInvalid(problems)
    with transaction.atomic():
        PaperCount.objects.update_or_create(ballot=ballot, counter=counter, defaults={"tallies": tallies.to_json()})
        audit_log(action="ballot.paper_counted", actor=counter, target=ballot,
                  summary=f"{counter} nhập kết quả kiểm phiếu: {ballot.title}")
        others = list(PaperCount.objects.filter(ballot=ballot).exclude(counter=counter).select_related("counter"))
        agreeing = [o for o in others if PaperTallies.from_json(o.tallies) == tallies]
        if agreeing:
            _paper_apply(ballot=ballot, tallies=tallies, counters=[agreeing[0].counter, counter])
            return PaperOutcome(confirmed=True, differences=[],
                                message="Hai người kiểm phiếu nhập kết quả trùng khớp; kết quả đã được ghi nhận "
                                        "và phiếu bầu đã kết thúc.")
    if not others:
        return PaperOutcome(confirmed=False, differences=[],
                            message="Đã lưu kết quả kiểm phiếu của bạn; "
                                    "chờ người kiểm phiếu thứ hai nhập để đối chiếu.")
    differences = []
    for other in others:
        differences += _differences(options=options, mine=tallies, theirs=PaperTallies.from_json(other.tallies),
                                    me=counter, them=other.counter)
    return PaperOutcome(confirmed=False, differences=differences,
                        message="Kết quả kiểm phiếu chưa khớp giữa hai người kiểm phiếu nên chưa được ghi nhận; "
                                "hãy kiểm lại các phiếu và nhập lại.")


def _paper_apply(*, ballot: Ballot, tallies: PaperTallies, counters: list[User]) -> None:
    if Ballot.objects.filter(pk=ballot.pk, status=BallotStatus.OPEN, mode=BallotMode.PAPER).update(
        status=BallotStatus.CLOSED, closed_at=timezone.now(), cast_count=tallies.cast, blank_count=tallies.blank,
        invalid_count=tallies.invalid,
    ) != 1:
        raise _status_error(ballot)
    for option_id, votes in tallies.options.items():
        BallotOption.objects.filter(ballot=ballot, pk=option_id).update(votes=votes)
    ballot.refresh_from_db()
    audit_log(action="ballot.paper_confirmed", actor=counters[-1], target=ballot,
              summary=f"Xác nhận kết quả kiểm phiếu giấy: {ballot.title}",
              data={"counters": [c.username for c in counters]})
    audit_log(action="ballot.closed", actor=counters[-1], target=ballot, summary=f"Kết thúc bỏ phiếu: {ballot.title}",
              data={"electorate_size": ballot.electorate_size, "cast_count": ballot.cast_count})


def paper_counts_of(*, ballot: Ballot) -> list[PaperCount]:
    return list(PaperCount.objects.filter(ballot=ballot).select_related("counter").order_by("at"))


# ------------------------------------------------------------------------------ the result


def rule_of(ballot: Ballot) -> rules.Rule:
    return rules.Rule(quorum=Fraction(ballot.quorum_num, ballot.quorum_den),
                      pass_fraction=Fraction(ballot.pass_num, ballot.pass_den),
                      pass_base=ballot.pass_base, comparison=ballot.pass_comparison)


def rule_statement_of(ballot: Ballot) -> str:
    """The rule in Vietnamese; with the electorate fixed at opening (before: its current size)."""
    size = ballot.electorate_size if ballot.status != BallotStatus.DRAFT else electorate_size_of(ballot=ballot)
    cast = ballot.cast_count if ballot.status == BallotStatus.CLOSED else None
    return rules.rule_statement(rule=rule_of(ballot), electorate=size, cast=cast, success=SUCCESS_WORDS[ballot.kind])


@dataclass(frozen=True)
class OptionLine:
    option: BallotOption
    votes: int
    share: str  # of the electorate: "80%"
    passed: bool
    won: bool
    tied: bool


@dataclass(frozen=True)
class BallotResult:
    ballot: Ballot
    electorate: int
    cast: int
    valid: int
    blank: int
    invalid: int
    quorum_met: bool
    quorum_needed: int
    threshold: Fraction
    minimum_votes: int
    lines: list[OptionLine]  # most votes first
    winners: list[BallotOption]
    tied: list[BallotOption]
    unfilled: int
    rule_statement: str
    quorum_statement: str
    threshold_statement: str
    outcome_statement: str


def _share(votes: int, base: int) -> str:
    return format_percent(Decimal(votes * 100) / Decimal(base)) if base else "—"


def _names(options: Iterable[BallotOption]) -> str:
    return ", ".join(o.label for o in options)


def _is_approve(option: BallotOption) -> bool:
    return option.unit_id is None and option.label == APPROVE


def _outcome_statement(*, ballot: Ballot, outcome: rules.Outcome, options: list[BallotOption],
                       winners: list[BallotOption], tied: list[BallotOption]) -> str:
    gy, kind = ballot.group_year, ballot.kind
    if not outcome.quorum_met:
        return "Không đủ số phiếu theo quy định nên không có kết quả bỏ phiếu."
    count = f"/{outcome.electorate} phiếu"
    if kind == BallotKind.PROPOSALS:
        got = sum(o.votes for o in options if _is_approve(o))
        if winners:
            return f"Danh sách đề nghị khen thưởng được thông qua với {got}{count} đồng ý."
        return f"Danh sách đề nghị khen thưởng không được thông qua ({got}{count} đồng ý)."
    if kind == BallotKind.ACCLAIM:
        role = f"đơn vị dẫn đầu {gy.group.name} năm {gy.year}"
    elif kind == BallotKind.LEADER:
        role = f"{_group_word(gy)} năm {gy.year + 1}"
    else:
        role = f"{_group_word(gy, deputy=True)} năm {gy.year + 1}"
    verb = "được suy tôn là" if kind == BallotKind.ACCLAIM else "trúng cử"
    parts = [f"{o.label} {verb} {role} với {o.votes}{count}" for o in winners]
    text = "; ".join(parts) + "." if parts else ""
    if tied:
        tie_votes = tied[0].votes
        text += (f" {_names(tied)} bằng phiếu nhau ({tie_votes} phiếu) nên chưa có đơn vị "
                 f"{'được suy tôn' if kind == BallotKind.ACCLAIM else 'trúng cử'} cho {outcome.unfilled} vị trí; "
                 "cần bỏ phiếu lại giữa các đơn vị này.")
    elif len(winners) < ballot.max_choices:
        missing = ballot.max_choices - len(winners)
        lead = "Không có đơn vị nào" if not winners else f"Còn {missing} vị trí chưa có đơn vị"
        text += f" {lead} đạt ngưỡng {SUCCESS_WORDS[kind]}."
    return text.strip()


def ballot_result(*, ballot: Ballot) -> BallotResult:
    """The counts and what they mean; raises ResultsHidden until the ballot has closed."""
    ballot.refresh_from_db()
    if ballot.status != BallotStatus.CLOSED:
        raise ResultsHidden(HIDDEN)
    options = list(BallotOption.objects.filter(ballot=ballot).select_related("unit"))
    tallies = [rules.Tally(key=o.pk, votes=o.votes, eligible=ballot.kind != BallotKind.PROPOSALS or _is_approve(o))
               for o in options]
    rule = rule_of(ballot)
    outcome = rules.ballot_outcome(rule=rule, electorate=ballot.electorate_size, cast=ballot.cast_count,
                                   tallies=tallies, seats=ballot.max_choices)
    by_pk = {o.pk: o for o in options}
    winners = [by_pk[k] for k in outcome.winners]
    tied = [by_pk[k] for k in outcome.tied]
    passing = set(outcome.passing)
    lines = [
        OptionLine(option=o, votes=o.votes, share=_share(o.votes, ballot.electorate_size), passed=o.pk in passing,
                   won=o.pk in outcome.winners, tied=o.pk in outcome.tied)
        for o in sorted(options, key=lambda o: (-o.votes, o.order, o.pk))
    ]
    success = SUCCESS_WORDS[ballot.kind]
    return BallotResult(
        ballot=ballot, electorate=ballot.electorate_size, cast=ballot.cast_count,
        valid=ballot.cast_count - ballot.blank_count - ballot.invalid_count, blank=ballot.blank_count,
        invalid=ballot.invalid_count, quorum_met=outcome.quorum_met, quorum_needed=outcome.quorum_needed,
        threshold=outcome.threshold, minimum_votes=outcome.minimum_votes, lines=lines, winners=winners, tied=tied,
        unfilled=outcome.unfilled,
        rule_statement=rules.rule_statement(rule=rule, electorate=ballot.electorate_size, cast=ballot.cast_count,
                                            success=success),
        quorum_statement=rules.quorum_statement(rule=rule, outcome=outcome),
        threshold_statement=rules.threshold_statement(rule=rule, outcome=outcome, success=success),
        outcome_statement=_outcome_statement(ballot=ballot, outcome=outcome, options=options, winners=winners,
                                             tied=tied),
    )
