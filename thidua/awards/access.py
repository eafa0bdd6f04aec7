"""Who sees which award dossiers and who acts on a dossier's current step.

Built only on thidua.org.policy (the single access module): a dossier belongs to its proposing
unit, so it is seen by those whose unit scope holds that unit (`policy.units_for`): unit officers
and heads their unit's (and sub-units'), the cluster leader's officers and the council members
their group's members, the Board in its scope. Readers and users without a role see none
(dossiers carry personal data). Object lookups outside scope are 404; acting on a step one may
see but not act on is 403 (the services check again).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from thidua.awards.models import Dossier
from thidua.awards.workflows import Step
from thidua.org import policy
from thidua.org.models import Membership, Role, Unit, User

_DOSSIER_ROLES = {Role.BOARD_OFFICER, Role.COUNCIL_MEMBER, Role.GROUP_LEADER_OFFICER, Role.UNIT_OFFICER, Role.UNIT_HEAD}


def dossiers_for(user: User) -> QuerySet[Dossier]:
    """Every dossier the user may read. The inbox and every dossier list start here."""
    if not policy.roles_of(user) & _DOSSIER_ROLES:
        return Dossier.objects.none()
    return Dossier.objects.filter(unit__in=policy.personal_record_units_for(user))


def get_dossier_for_user(user: User, *, pk: int) -> Dossier:
    try:
        return dossiers_for(user).select_related("person", "collective", "unit", "group_year__group").get(pk=pk)
    except Dossier.DoesNotExist:
        raise Http404("Không tìm thấy hồ sơ này hoặc bạn không có quyền xem.") from None


def board_covers(user: User, unit: Unit) -> bool:
    """A Board officer whose unit's subtree holds `unit` or who organises a group it belongs to."""
    if policy._is_installation_wide(user):
        return True
    for a in policy.assignments_of(user):
        if a.role != Role.BOARD_OFFICER:
            continue
        subtree = policy.unit_subtree_ids([a.unit_id])
        if unit.pk in subtree:
            return True
        if Membership.objects.filter(unit=unit, group_year__group__organiser_unit_id__in=subtree).exists():
            return True
    return False


def _council_covers(user: User, dossier: Dossier) -> bool:
    for a in policy.assignments_of(user):
        if a.role != Role.COUNCIL_MEMBER:
            continue
        if dossier.group_year_id is not None:
            if a.group_id == dossier.group_year.group_id and a.year in (None, dossier.group_year.year):
                return True
        elif a.year in (None, dossier.year) and Membership.objects.filter(
            unit=dossier.unit, group_year__group_id=a.group_id
        ).exists():  # an appointment for another year is no seat on this year's council
            return True
    return False


def can_act(user: User, dossier: Dossier, step: Step) -> bool:
    """May `user` act on `step` of `dossier` (advance, return, attach, decide)?"""
    if step.role == Role.UNIT_OFFICER:
        return policy.can_enter_unit_data(user, dossier.unit)
    if step.role == Role.GROUP_LEADER_OFFICER:
        return dossier.group_year is not None and policy.is_group_leader_officer(user, dossier.group_year)
    if step.role == Role.BOARD_OFFICER:
        return policy.is_board(user) and board_covers(user, dossier.unit)
    if step.role == Role.COUNCIL_MEMBER:
        return _council_covers(user, dossier) or (policy.is_board(user) and board_covers(user, dossier.unit))
    return False


def can_create_for(user: User, unit: Unit) -> bool:
    """A unit's officers and head propose for their unit; the Board for any unit in its scope."""
    return policy.can_enter_unit_data(user, unit) or (policy.is_board(user) and board_covers(user, unit))
