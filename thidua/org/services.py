"""Writes to the organisation: units, lineage, groups, their years, flags, movements, roles.

Each service is keyword-only, runs in one transaction and records an audit event when it changes
something, so re-running an idempotent load (the demo, an import) leaves no noise in the log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import models, transaction

from thidua.audit.services import audit_log
from thidua.org.models import (
    FlagHandover,
    Group,
    GroupYear,
    Membership,
    Movement,
    Position,
    RoleAssignment,
    Unit,
    UnitLineage,
    User,
)

M = TypeVar("M", bound=models.Model)


class OrgError(ValueError):
    """A change to the organisation that breaks a rule; the message is for the user (Vietnamese)."""


def _upsert(model: type[M], *, lookup: dict[str, Any], values: dict[str, Any], actor, action: str) -> M:
    """Create or update by a natural key; audit only what actually changed."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        audit_log(action=f"{action}.created", actor=actor, target=obj, summary=str(obj), data=_jsonable(values))
        return obj
    changed = {key: value for key, value in values.items() if getattr(obj, key) != value}
    if changed:
        for key, value in changed.items():
            setattr(obj, key, value)
        obj.save(update_fields=list(changed))
        audit_log(action=f"{action}.updated", actor=actor, target=obj, summary=str(obj), data=_jsonable(changed))
    return obj


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, models.Model):
            return value.pk
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return {key: plain(value) for key, value in values.items()}


@transaction.atomic
def unit_upsert(
    *, code: str, name: str, kind: str, short_name: str = "", parent: Unit | None = None,
    valid_from: dt.date | None = None, valid_to: dt.date | None = None, actor: User | None = None,
) -> Unit:
    if valid_from and valid_to and valid_to < valid_from:
        raise OrgError(f"Đơn vị {code}: ngày hết hiệu lực ({valid_to:%d/%m/%Y}) trước ngày có hiệu lực.")
    values = {"name": name, "kind": kind, "short_name": short_name, "parent": parent,
              "valid_from": valid_from, "valid_to": valid_to}
    return _upsert(Unit, lookup={"code": code}, values=values, actor=actor, action="unit")


@transaction.atomic
def unit_lineage_record(
    *, predecessor: Unit, successor: Unit, event: str, effective_on: dt.date, legal_basis: str = "",
    actor: User | None = None,
) -> UnitLineage:
    """Record that `predecessor` became (part of) `successor` on `effective_on`; history stays on both."""
    if predecessor.pk == successor.pk:
        raise OrgError(f"Đơn vị {predecessor.code} không thể kế thừa chính nó.")
    return _upsert(
        UnitLineage, lookup={"predecessor": predecessor, "successor": successor},
        values={"event": event, "effective_on": effective_on, "legal_basis": legal_basis},
        actor=actor, action="unit.lineage",
    )


@transaction.atomic
def group_upsert(
    *, code: str, name: str, kind: str, level: str, organiser: str = "", organiser_unit: Unit | None = None,
    flag_kind: str = "", actor: User | None = None,
) -> Group:
    values = {"name": name, "kind": kind, "level": level, "organiser": organiser,
              "organiser_unit": organiser_unit, "flag_kind": flag_kind}
    return _upsert(Group, lookup={"code": code}, values=values, actor=actor, action="group")


@transaction.atomic
def group_year_upsert(*, group: Group, year: int, actor: User | None = None, **values: Any) -> GroupYear:
    """Create or update a group's year; `values` are GroupYear fields (council member, conference…)."""
    return _upsert(GroupYear, lookup={"group": group, "year": year}, values=values, actor=actor, action="group_year")


@transaction.atomic
def group_year_set_members(
    *, group_year: GroupYear, members: list[Unit], leader: Unit | None = None,
    deputies: list[Unit] = (), actor: User | None = None,
) -> None:
    """Set the members of a group's year and who leads it (Cụm trưởng) and deputises (Cụm phó).

    The leader and the deputies must be members; the leader cannot also be a deputy."""
    member_ids = {unit.pk for unit in members}
    for unit in [*(u for u in [leader] if u), *deputies]:
        if unit.pk not in member_ids:
            raise OrgError(f"{unit.name} không phải thành viên của {group_year}.")
    if leader and leader.pk in {unit.pk for unit in deputies}:
        raise OrgError(f"{leader.name} không thể vừa là cụm trưởng vừa là cụm phó.")
    wanted = {unit.pk: Position.MEMBER for unit in members}
    wanted.update({unit.pk: Position.DEPUTY for unit in deputies})
    if leader:
        wanted[leader.pk] = Position.LEADER
    current = {m.unit_id: m for m in group_year.memberships.all()}
    if {uid: m.position for uid, m in current.items()} == wanted:
        return
    group_year.memberships.exclude(unit_id__in=wanted).delete()
    # Demote first so the "one leader" constraint holds while positions move between units.
    group_year.memberships.filter(position=Position.LEADER).exclude(unit_id=leader.pk if leader else None).update(position=Position.MEMBER)
    for unit_id, position in wanted.items():
        Membership.objects.update_or_create(group_year=group_year, unit_id=unit_id, defaults={"position": position})
    audit_log(
        action="group_year.members_set", actor=actor, target=group_year, summary=str(group_year),
        data={"members": sorted(wanted), "leader": leader.pk if leader else None, "deputies": [u.pk for u in deputies]},
    )


@transaction.atomic
def flag_handover_record(
    *, group_year: GroupYear, to_unit: Unit, from_unit: Unit | None = None, handed_on: dt.date | None = None,
    actor: User | None = None,
) -> FlagHandover:
    """The group's flag goes to `to_unit` for this year (Cờ luân lưu / Cờ thường trực)."""
    return _upsert(
        FlagHandover, lookup={"group_year": group_year},
        values={"to_unit": to_unit, "from_unit": from_unit, "handed_on": handed_on},
        actor=actor, action="flag.handover",
    )


@transaction.atomic
def movement_upsert(*, name: str, level: str, launched_by: str = "", actor: User | None = None) -> Movement:
    return _upsert(Movement, lookup={"name": name}, values={"level": level, "launched_by": launched_by},
                   actor=actor, action="movement")


@transaction.atomic
def movement_link_group_year(*, movement: Movement, group_year: GroupYear, actor: User | None = None) -> None:
    if not movement.group_years.filter(pk=group_year.pk).exists():
        movement.group_years.add(group_year)
        audit_log(action="movement.linked", actor=actor, target=movement, summary=f"{movement} – {group_year}")


@transaction.atomic
def role_assign(
    *, user: User, role: str, unit: Unit | None = None, group: Group | None = None, year: int | None = None,
    actor: User | None = None,
) -> RoleAssignment:
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit, group=group, year=year)
    if created:
        audit_log(action="role.assigned", actor=actor, target=assignment, summary=f"{user.username}: {assignment}")
    return assignment


@transaction.atomic
def unit_ensure(*, code: str, name: str, kind: str, actor: User | None = None) -> Unit:
    """Create a unit named in an imported file, or update its name and kind; nothing else changes
    (short name, parent and validity are kept)."""
    return _upsert(Unit, lookup={"code": code}, values={"name": name, "kind": kind}, actor=actor, action="unit")


_LEVEL_OF_MEMBER_KIND = {
    "province": "province", "district": "district", "commune": "commune", "ward": "commune",
    "special_zone": "commune", "department": "agency", "agency": "agency",
}


@transaction.atomic
def group_ensure(
    *, code: str, name: str, kind: str, organiser: str, member_kinds: list[str], actor: User | None = None
) -> Group:
    """Create a group named in an imported file, or update its name, kind and organiser. A new
    group's level follows its members' kind (districts → district level); an existing group keeps
    the level and organising unit the Board gave it."""
    existing = Group.objects.filter(code=code).first()
    level = existing.level if existing else _LEVEL_OF_MEMBER_KIND.get(next(iter(member_kinds), ""), "province")
    values = {"name": name, "kind": kind, "organiser": organiser, "level": level}
    return _upsert(Group, lookup={"code": code}, values=values, actor=actor, action="group")
