"""Reads for the organisation pages. Each takes an already scoped object or queryset (policy.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from thidua.lib.collation import vi_sort_key
from thidua.org.collation import vi_order
from thidua.org.models import FlagHandover, GroupYear, Membership, Position, Unit, User
from thidua.org import policy


@dataclass
class GroupYearCard:
    """A group-year with its roles resolved, ready for a list or a page."""

    group_year: GroupYear
    members: list[Membership] = field(default_factory=list)

    @property
    def leader(self) -> Unit | None:
        return next((m.unit for m in self.members if m.position == Position.LEADER), None)

    @property
    def deputies(self) -> list[Unit]:
        return [m.unit for m in self.members if m.position == Position.DEPUTY]

    @property
    def flag_holder(self) -> Unit | None:
        handover = getattr(self.group_year, "flag_handover", None)
        return handover.to_unit if handover else None


def _member_prefetch() -> Prefetch:
    return Prefetch("memberships", queryset=Membership.objects.select_related("unit"))


def _sorted_members(group_year: GroupYear) -> list[Membership]:
    """Leader, then deputies, then members; names in Vietnamese alphabetical order within each."""
    order = {Position.LEADER: 0, Position.DEPUTY: 1, Position.MEMBER: 2}
    return sorted(
        group_year.memberships.all(),
        key=lambda m: (order[m.position], vi_sort_key(m.unit.label)),
    )


def group_year_cards(group_years: QuerySet[GroupYear]) -> list[GroupYearCard]:
    """Cards for a list page, in Vietnamese order of group names; three queries whatever the size."""
    rows = (
        group_years.select_related("group", "flag_handover__to_unit")
        .prefetch_related(_member_prefetch())
        .order_by(vi_order("group__name"), "year")
    )
    return [GroupYearCard(group_year=gy, members=_sorted_members(gy)) for gy in rows]


def group_year_card(group_year: GroupYear) -> GroupYearCard:
    group_year = (
        GroupYear.objects.select_related("group", "council_member", "flag_handover__to_unit", "flag_handover__from_unit")
        .prefetch_related(_member_prefetch(), "movements")
        .get(pk=group_year.pk)
    )
    return GroupYearCard(group_year=group_year, members=_sorted_members(group_year))


def flag_history(group_year: GroupYear) -> list[FlagHandover]:
    """Every handover of the group's flag up to this year, oldest first."""
    return list(
        FlagHandover.objects.filter(group_year__group_id=group_year.group_id, group_year__year__lte=group_year.year)
        .select_related("group_year", "from_unit", "to_unit")
        .order_by("group_year__year")
    )


def group_years_of_group(*, user: User, group_year: GroupYear) -> list[int]:
    """The years of the same group the user may open (for the year switcher)."""
    return list(
        policy.group_years_for(user).filter(group_id=group_year.group_id).order_by("year").values_list("year", flat=True)
    )


def unit_memberships(unit: Unit, *, user: User) -> list[Membership]:
    """A unit's groups across years, newest first, limited to group-years the user may read."""
    visible = policy.group_years_for(user).values("pk")
    return list(
        Membership.objects.filter(unit=unit, group_year__in=visible)
        .select_related("group_year__group")
        .order_by("-group_year__year", "group_year__group__code")
    )


def available_years(user: User) -> list[int]:
    return sorted(set(policy.group_years_for(user).values_list("year", flat=True)), reverse=True)


def current_year() -> int:
    return settings.THIDUA_CURRENT_YEAR or dt.date.today().year


def dashboard_year(user: User, requested: int | None) -> int:
    """The year the dashboard shows: the one asked for, else the current year if the user has
    groups in it, else the latest year they have (the demo's data ends in 2021)."""
    if requested:
        return requested
    years = available_years(user)
    year = current_year()
    if year in years or not years:
        return year
    return max(y for y in years if y <= year) if any(y <= year for y in years) else years[-1]
