"""The access policy: the one place that decides who may see and change what.

Views, API endpoints and commands ask here; list views start from the scoped querysets below, so an
object outside a user's scope never reaches a template. Object lookups outside scope raise 404 (the
object's existence is not revealed); actions a user may see but not perform raise 403.

Scopes (DOMAIN.md "Who uses it"):
- Board officer: the groups organised by their unit or its sub-units, the groups those units belong
  to, and those units; without a unit, the whole installation. Superusers are Board officers.
- Council member, group leader officer: their group, in the assigned year or every year.
- Unit officer, unit head: the groups their unit (or a sub-unit) belongs to, and their unit's pages.
- Reader: a group, a unit, or (neither) every group, read-only.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404

from thidua.org.models import GroupYear, Membership, Role, RoleAssignment, Unit, User

_CACHE_ATTR = "_thidua_role_assignments"


def assignments_of(user: User) -> list[RoleAssignment]:
    """The user's role assignments, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("unit", "group"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def roles_of(user: User) -> set[str]:
    roles = {assignment.role for assignment in assignments_of(user)}
    if getattr(user, "is_superuser", False):
        roles.add(Role.BOARD_OFFICER)
    return roles


def is_board(user: User) -> bool:
    return Role.BOARD_OFFICER in roles_of(user)


def _is_installation_wide(user: User) -> bool:
    """Superusers and Board officers without a unit see everything."""
    if getattr(user, "is_superuser", False):
        return True
    return any(a.role == Role.BOARD_OFFICER and a.unit_id is None for a in assignments_of(user))


def unit_subtree_ids(unit_ids: Iterable[int]) -> set[int]:
    """The units and all their descendants (a few levels: nation → province → commune)."""
    found = set(unit_ids)
    frontier = set(found)
    while frontier:
        children = set(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= children
        frontier = children
    return found


def _year_filter(assignment: RoleAssignment, field: str = "year") -> Q:
    return Q(**{field: assignment.year}) if assignment.year else Q()


def _group_years_with_members(unit_ids: set[int]) -> QuerySet:
    return Membership.objects.filter(unit_id__in=unit_ids).values("group_year_id")


def _group_year_condition(assignment: RoleAssignment) -> Q:
    """The group-years one assignment lets its user read."""
    role = assignment.role
    if role == Role.BOARD_OFFICER:
        units = unit_subtree_ids([assignment.unit_id])
        return Q(group__organiser_unit_id__in=units) | Q(pk__in=_group_years_with_members(units))
    if role in (Role.COUNCIL_MEMBER, Role.GROUP_LEADER_OFFICER):
        return Q(group_id=assignment.group_id) & _year_filter(assignment)
    if role in (Role.UNIT_OFFICER, Role.UNIT_HEAD):
        units = unit_subtree_ids([assignment.unit_id])
        return Q(pk__in=_group_years_with_members(units)) & _year_filter(assignment)
    if role == Role.READER:
        if assignment.group_id:
            return Q(group_id=assignment.group_id) & _year_filter(assignment)
        if assignment.unit_id:
            units = unit_subtree_ids([assignment.unit_id])
            return Q(pk__in=_group_years_with_members(units)) & _year_filter(assignment)
        return _year_filter(assignment)
    return Q(pk__in=[])


def group_years_for(user: User) -> QuerySet[GroupYear]:
    """Every group-year the user may read. Lists of groups start here."""
    if _is_installation_wide(user):
        return GroupYear.objects.all()
    condition = Q(pk__in=[])
    for assignment in assignments_of(user):
        condition |= _group_year_condition(assignment)
    return GroupYear.objects.filter(condition)


def _unit_condition(assignment: RoleAssignment) -> Q:
    """The units whose own pages one assignment opens."""
    role = assignment.role
    if role == Role.BOARD_OFFICER:
        units = unit_subtree_ids([assignment.unit_id])
        organised = Membership.objects.filter(group_year__group__organiser_unit_id__in=units)
        return Q(pk__in=units) | Q(pk__in=organised.values("unit_id"))
    if role in (Role.COUNCIL_MEMBER, Role.GROUP_LEADER_OFFICER):
        members = Membership.objects.filter(Q(group_year__group_id=assignment.group_id) & _year_filter(assignment, "group_year__year"))
        return Q(pk__in=members.values("unit_id"))
    if role in (Role.UNIT_OFFICER, Role.UNIT_HEAD):
        return Q(pk__in=unit_subtree_ids([assignment.unit_id]))
    if role == Role.READER:
        if assignment.group_id:
            members = Membership.objects.filter(group_year__group_id=assignment.group_id)
            return Q(pk__in=members.values("unit_id"))
        if assignment.unit_id:
            return Q(pk__in=unit_subtree_ids([assignment.unit_id]))
        return Q()
    return Q(pk__in=[])


def units_for(user: User) -> QuerySet[Unit]:
    """Every unit whose pages the user may open."""
    if _is_installation_wide(user):
        return Unit.objects.all()
    condition = Q(pk__in=[])
    for assignment in assignments_of(user):
        condition |= _unit_condition(assignment)
    return Unit.objects.filter(condition)


def personal_record_units_for(user: User) -> QuerySet[Unit]:
    """The units whose people's records (award history, dossiers: ratings, discipline, personal data)
    the user may read: the scope of `units_for` from every role but the reader's. Readers read
    published rankings and reports (DOMAIN.md), not people's records — and a reader assignment held
    beside another role does not widen it."""
    if _is_installation_wide(user):
        return Unit.objects.all()
    condition = Q(pk__in=[])
    for assignment in assignments_of(user):
        if assignment.role != Role.READER:
            condition |= _unit_condition(assignment)
    return Unit.objects.filter(condition)


def own_units(user: User) -> QuerySet[Unit]:
    """The units the user works for (unit officer, unit head): the dashboard's "my units"."""
    ids = [a.unit_id for a in assignments_of(user) if a.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD)]
    return Unit.objects.filter(pk__in=ids)


def get_group_year_for_user(user: User, *, code: str, year: int) -> GroupYear:
    try:
        return group_years_for(user).select_related("group", "council_member").get(group__code=code, year=year)
    except GroupYear.DoesNotExist:
        raise Http404("Không tìm thấy cụm, khối thi đua này hoặc bạn không có quyền xem.") from None


def get_unit_for_user(user: User, *, code: str) -> Unit:
    try:
        return units_for(user).select_related("parent").get(code=code)
    except Unit.DoesNotExist:
        raise Http404("Không tìm thấy đơn vị này hoặc bạn không có quyền xem.") from None


def can_manage_group_year(user: User, group_year: GroupYear) -> bool:
    """Who edits a group-year's set-up and covenant: the Board officers whose unit organises the
    group, and the officers of that year's leading unit (DOMAIN.md, cycle steps 1–2)."""
    if _is_installation_wide(user):
        return True
    for assignment in assignments_of(user):
        if assignment.role == Role.GROUP_LEADER_OFFICER and assignment.group_id == group_year.group_id:
            if assignment.year in (None, group_year.year):
                return True
        if assignment.role == Role.BOARD_OFFICER and group_year.group.organiser_unit_id is not None:
            if group_year.group.organiser_unit_id in unit_subtree_ids([assignment.unit_id]):
                return True
    return False


# ------------------------------------------------------------------------------ a unit's report


def _ancestor_ids(unit: Unit) -> set[int]:
    """The unit and the units above it (cached on the instance: a page asks several times)."""
    cached = getattr(unit, "_thidua_ancestor_ids", None)
    if cached is None:
        cached, parent_id = {unit.pk}, unit.parent_id
        while parent_id is not None and parent_id not in cached:
            cached.add(parent_id)
            parent_id = Unit.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
        unit._thidua_ancestor_ids = cached
    return cached


def _unit_roles_for(user: User, unit: Unit, roles: tuple[str, ...]) -> list[RoleAssignment]:
    """The user's unit-bound assignments among `roles` whose unit is `unit` or one of its parents."""
    ancestors = _ancestor_ids(unit)
    return [a for a in assignments_of(user) if a.role in roles and a.unit_id in ancestors]


def is_group_leader_officer(user: User, group_year: GroupYear) -> bool:
    """The officers of the leading unit that year: they review members' reports (DOMAIN.md)."""
    return any(
        a.role == Role.GROUP_LEADER_OFFICER and a.group_id == group_year.group_id and a.year in (None, group_year.year)
        for a in assignments_of(user)
    )


def is_board_for(user: User, group_year: GroupYear) -> bool:
    """A Board officer whose scope organises the group (or the whole installation)."""
    if _is_installation_wide(user):
        return True
    organiser = group_year.group.organiser_unit_id
    return organiser is not None and any(
        a.role == Role.BOARD_OFFICER and organiser in unit_subtree_ids([a.unit_id]) for a in assignments_of(user)
    )


def can_view_unit_report(user: User, group_year: GroupYear, unit: Unit) -> bool:
    """A unit's figures, evidence and history before publication: its own officers and head, the
    leader's officers, the council member following the group, and the Board in scope."""
    if _unit_roles_for(user, unit, (Role.UNIT_OFFICER, Role.UNIT_HEAD)):
        return True
    if is_group_leader_officer(user, group_year) or is_board_for(user, group_year):
        return True
    return any(
        a.role == Role.COUNCIL_MEMBER and a.group_id == group_year.group_id and a.year in (None, group_year.year)
        for a in assignments_of(user)
    )


def report_readable_units(user: User, group_year: GroupYear) -> QuerySet[Unit]:
    """The members of `group_year` whose report `can_view_unit_report` opens to the user, in a couple
    of queries whatever the group's size (the ranking page's links and % of plan chart)."""
    members = Unit.objects.filter(memberships__group_year=group_year)
    if is_group_leader_officer(user, group_year) or is_board_for(user, group_year) or any(
        a.role == Role.COUNCIL_MEMBER and a.group_id == group_year.group_id and a.year in (None, group_year.year)
        for a in assignments_of(user)
    ):
        return members
    own = [a.unit_id for a in assignments_of(user) if a.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD)]
    return members.filter(pk__in=unit_subtree_ids(own))


def can_enter_unit_data(user: User, unit: Unit) -> bool:
    """Unit officers and the unit head enter their unit's figures and evidence."""
    return bool(_unit_roles_for(user, unit, (Role.UNIT_OFFICER, Role.UNIT_HEAD)))


def can_submit_unit_report(user: User, unit: Unit) -> bool:
    """Only the unit head approves and submits the unit's data (DOMAIN.md, "Who uses it")."""
    return bool(_unit_roles_for(user, unit, (Role.UNIT_HEAD,)))


def is_head_of(user: User, unit: Unit) -> bool:
    """The head of exactly this unit (not of a unit above it): who casts the unit's vote."""
    return any(a.role == Role.UNIT_HEAD and a.unit_id == unit.pk for a in assignments_of(user))


def can_review_reports(user: User, group_year: GroupYear) -> bool:
    """Accept, return, lock; assign cross-scoring; reconcile: the leader's officers of that year."""
    return is_group_leader_officer(user, group_year)


def can_reopen_reports(user: User, group_year: GroupYear) -> bool:
    """Reopening accepted data and appraising scores belong to the Board."""
    return is_board_for(user, group_year)


# Who must confirm a login with a second factor (issue #8): the roles that decide for many units.
TWO_FACTOR_ROLES = frozenset({Role.BOARD_OFFICER, Role.COUNCIL_MEMBER})


def requires_two_factor(user: User) -> bool:
    """Board officers (superusers included) and council members, by role or as the council member
    named on a group-year, must use two-factor authentication; so must staff accounts, whatever
    their roles (Django's admin edits every unit's rows); other roles may opt in."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_staff", False) or roles_of(user) & TWO_FACTOR_ROLES:
        return True
    return GroupYear.objects.filter(council_member=user).exists()
