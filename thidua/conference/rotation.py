"""Rotation at the year-end conference: next year's leader and deputies, the flag handed over,
next year's covenant drafted from this one (DOMAIN.md cycle steps 5 and 7; LEGAL.md §2.4).

Next year's leader and deputies are arguments: the conference elects them (LEADER and DEPUTIES
ballots, read by `thidua.conference.proposals.conference_choices_from_ballots` for the page) or
agrees on them; this service only records the result.

Rules chosen:
- Members. When next year's group-year already has members, the Board set it up (DOMAIN.md cycle
  step 1) and its member list is kept; otherwise it gets this year's members, less the units that
  stop existing before next year begins (valid_to before 1 January: the 2025 reform). The new leader
  and deputies must be among next year's members.
- Flag. Only for a group that has a flag (Cờ luân lưu, Cờ thường trực): it goes to the new leader on
  the handover date, from this year's flag holder, or from this year's leader when no holder was
  recorded. A group without a flag records no handover.
- Covenant. When this year has a covenant and next year has none, next year's is created as a draft
  copied from this one (covenants.services.covenant_copy_forward); an existing one is never touched.
- Idempotent: running it again with the same choices changes nothing and records nothing; when
  anything changes, one "conference.rotated" event sums it up, beside the events of the org and
  covenant services that made each change, all in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from thidua.audit.services import audit_log
from thidua.conference.proposals import ProposalError, check_conference_actor, group_word, leader_of
from thidua.covenants.models import Covenant
from thidua.covenants.services import covenant_copy_forward
from thidua.lib.dates import format_date
from thidua.org import services as org_services
from thidua.org.models import FlagHandover, GroupYear, Membership, Unit, User


class RotationError(ProposalError):
    """A rotation the rules refuse; the message is for the user, in Vietnamese."""


def _state(group_year: GroupYear | None) -> tuple:
    """Everything the rotation may change about next year, to tell whether it changed anything."""
    if group_year is None:
        return (None,)
    members = frozenset(Membership.objects.filter(group_year=group_year).values_list("unit_id", "position"))
    flag = FlagHandover.objects.filter(group_year=group_year).values_list("from_unit_id", "to_unit_id", "handed_on").first()
    return (group_year.pk, members, flag, Covenant.objects.filter(group_year=group_year).exists())


def _alive_in(unit: Unit, year: int) -> bool:
    return unit.valid_to is None or unit.valid_to >= dt.date(year, 1, 1)


def next_year_members(*, group_year: GroupYear) -> list[Unit]:
    """Next year's members: the Board's list when set up, else this year's still-existing units."""
    next_year = group_year.year + 1
    existing = GroupYear.objects.filter(group=group_year.group, year=next_year).first()
    if existing is not None:
        units = [m.unit for m in Membership.objects.filter(group_year=existing).select_related("unit")]
        if units:
            return sorted(units, key=lambda u: u.code)
    units = [m.unit for m in Membership.objects.filter(group_year=group_year).select_related("unit")]
    return sorted((u for u in units if _alive_in(u, next_year)), key=lambda u: u.code)


def _validate(*, group_year: GroupYear, members: list[Unit], leader: Unit, deputies: list[Unit]) -> None:
    next_year = group_year.year + 1
    member_ids = {u.pk for u in members}
    word = group_word(group_year.group)
    if leader is None:
        raise RotationError(f"Chưa chọn {word} trưởng năm sau.")
    if len({u.pk for u in deputies}) != len(deputies):
        raise RotationError(f"Một đơn vị được chọn làm {word} phó hai lần.")
    if leader.pk in {u.pk for u in deputies}:
        raise RotationError(f"{leader.label} không thể vừa là {word} trưởng vừa là {word} phó.")
    for unit in [leader, *deputies]:
        if not _alive_in(unit, next_year):
            raise RotationError(f"{unit.name} đã kết thúc hoạt động từ {format_date(unit.valid_to)}, "
                                f"không thể giữ vai trò trong năm {next_year}.")
        if unit.pk not in member_ids:
            raise RotationError(f"{unit.name} không phải thành viên của {group_year.group.name} năm {next_year}.")


def rotation_text(*, group, year: int, leader: Unit, deputies: list[Unit]) -> str:
    """"Năm 2018: cụm trưởng Châu Thành, cụm phó Hòn Đất"."""
    word = group_word(group)
    text = f"Năm {year}: {word} trưởng {leader.label}"
    return text + (f", {word} phó {', '.join(u.label for u in deputies)}" if deputies else "")


@transaction.atomic
def conference_rotate(
    *, group_year: GroupYear, next_leader: Unit, next_deputies: list[Unit], handover_date: dt.date,
    actor: User | None,
) -> GroupYear:
    """Set up next year: same members (see above), the elected leader and deputies, the flag handed
    to the new leader on `handover_date`, next year's covenant drafted from this one. Returns next
    year's group-year."""
    check_conference_actor(actor, group_year)
    if handover_date is None:
        raise RotationError("Chưa nhập ngày bàn giao.")
    group = group_year.group
    next_year = group_year.year + 1
    members = next_year_members(group_year=group_year)
    deputies = list(next_deputies)
    _validate(group_year=group_year, members=members, leader=next_leader, deputies=deputies)
    before = _state(GroupYear.objects.filter(group=group, year=next_year).first())

    target = org_services.group_year_upsert(group=group, year=next_year, actor=actor)
    org_services.group_year_set_members(group_year=target, members=members, leader=next_leader, deputies=deputies,
                                        actor=actor)
    flag_from = None
    if group.flag_kind:
        holder = FlagHandover.objects.filter(group_year=group_year).select_related("to_unit").first()
        flag_from = holder.to_unit if holder else leader_of(group_year)
        org_services.flag_handover_record(group_year=target, to_unit=next_leader, from_unit=flag_from,
                                          handed_on=handover_date, actor=actor)
    covenant = Covenant.objects.filter(group_year=group_year).first()
    copied = False
    if covenant is not None and not Covenant.objects.filter(group_year=target).exists():
        covenant_copy_forward(covenant=covenant, year=next_year, actor=actor)
        copied = True

    if _state(target) != before:
        audit_log(
            action="conference.rotated", actor=actor, target=target,
            summary=rotation_text(group=group, year=next_year, leader=next_leader, deputies=deputies),
            data={
                "from_year": group_year.year, "year": next_year, "leader": next_leader.code,
                "deputies": [u.code for u in deputies], "handover_date": handover_date.isoformat(),
                "flag": ({"from": flag_from.code if flag_from else None, "to": next_leader.code}
                         if group.flag_kind else None),
                "covenant_copied": copied,
            },
        )
    return target
