"""Reads of the award history: the database as the plain `History` the eligibility engine takes.

One query per table, whatever the number of people (no N+1). The pages and the dossier work assess
from here; `thidua eligibility FILE` assesses a file and never comes here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from thidua.awards.models import AnnualRating, Collective, Discipline, Initiative, LeadingUnit, Person, TitleOrAward
from thidua.awards.records import (
    CollectiveHistory,
    DisciplineRecord,
    Grant,
    History,
    InitiativeRecord,
    PersonHistory,
)
from thidua.awards.codes import CODES, COLLECTIVE, PERSON, TITLE
from thidua.awards.config import rule_table
from thidua.awards.eligibility import Eligibility, UnitWarning, collective_assess, person_assess
from thidua.awards.rules import RuleSet, rule_set_for
from thidua.lib.collation import search_key, vi_sort_key
from thidua.org.selectors import current_year
from thidua.org import policy
from thidua.awards.statistics import GrantFact
from thidua.org.models import Group, Membership, Role, Unit, UnitLineage, User


def history_of(
    *, people: QuerySet[Person] | None = None, collectives: QuerySet[Collective] | None = None
) -> History:
    """The history of `people` and `collectives` (default: everybody), ordered by their ids."""
    people = (people if people is not None else Person.objects.all()).select_related("unit", "collective")
    collectives = (collectives if collectives is not None else Collective.objects.all()).select_related("unit")
    people_list = sorted(people, key=lambda p: p.external_id)
    collective_list = sorted(collectives, key=lambda c: c.external_id)
    person_ids = [p.pk for p in people_list]
    collective_ids = [c.pk for c in collective_list]

    ratings: dict[tuple[str, int], dict[int, str]] = defaultdict(dict)
    for r in AnnualRating.objects.filter(person__in=person_ids).order_by("year"):
        ratings[("p", r.person_id)][r.year] = r.rating
    for r in AnnualRating.objects.filter(collective__in=collective_ids).order_by("year"):
        ratings[("c", r.collective_id)][r.year] = r.rating
    grants: dict[tuple[str, int], list[Grant]] = defaultdict(list)
    # A revoked title or award (Luật Thi đua, khen thưởng 2022, Chương VII) no longer counts.
    granted = TitleOrAward.objects.filter(revoked_on__isnull=True)
    for g in granted.filter(person__in=person_ids).order_by("year", "code"):
        grants[("p", g.person_id)].append(_grant(g))
    for g in granted.filter(collective__in=collective_ids).order_by("year", "code"):
        grants[("c", g.collective_id)].append(_grant(g))
    initiatives: dict[int, list[InitiativeRecord]] = defaultdict(list)
    for i in Initiative.objects.filter(person__in=person_ids).order_by("year", "external_id"):
        initiatives[i.person_id].append(
            InitiativeRecord(id=i.external_id, year=i.year, scope=i.scope, used_by=i.used_by or None,
                             recognised_by=i.recognising_body)
        )  # fmt: skip
    discipline: dict[tuple[str, int], list[DisciplineRecord]] = defaultdict(list)
    for d in Discipline.objects.filter(person__in=person_ids).order_by("year", "level"):
        discipline[("p", d.person_id)].append(DisciplineRecord(year=d.year, level=d.level))
    for d in Discipline.objects.filter(collective__in=collective_ids).order_by("year", "level"):
        discipline[("c", d.collective_id)].append(DisciplineRecord(year=d.year, level=d.level))
    leading: dict[int, list[int]] = defaultdict(list)
    for x in LeadingUnit.objects.filter(collective__in=collective_ids).order_by("year"):
        leading[x.collective_id].append(x.year)

    def split(key: tuple[str, int]) -> tuple[tuple[Grant, ...], tuple[Grant, ...]]:
        rows = grants.get(key, [])
        return tuple(g for g in rows if CODES[g.code].kind == TITLE), tuple(g for g in rows if CODES[g.code].kind != TITLE)

    person_rows = []
    for p in people_list:
        titles, awards = split(("p", p.pk))
        person_rows.append(PersonHistory(
            id=p.external_id, name=p.name, unit=p.unit.code, hired=p.hired_on, birth_year=p.birth_year,
            position=p.position, direct_worker=p.direct_worker,
            collective=p.collective.external_id if p.collective else None,
            ratings=ratings.get(("p", p.pk), {}), titles=titles, awards=awards,
            initiatives=tuple(initiatives.get(p.pk, [])), discipline=tuple(discipline.get(("p", p.pk), [])),
        ))  # fmt: skip
    collective_rows = []
    for c in collective_list:
        titles, awards = split(("c", c.pk))
        collective_rows.append(CollectiveHistory(
            id=c.external_id, name=c.name, unit=c.unit.code, part_of=c.part_of,
            ratings=ratings.get(("c", c.pk), {}), titles=titles, awards=awards,
            discipline=tuple(discipline.get(("c", c.pk), [])), leading_unit=tuple(leading.get(c.pk, [])),
        ))  # fmt: skip
    return History(people=tuple(person_rows), collectives=tuple(collective_rows))


def _grant(g: TitleOrAward) -> Grant:
    return Grant(
        code=g.code, year=g.year, decision=g.decision_number, decision_date=g.decision_date,
        authority=g.deciding_authority, basis=g.legal_basis,
    )  # fmt: skip


# --- Who may see whose history (thidua.org.policy), with the units' lineage ------------------------


def lineage_predecessor_ids(unit_ids: Iterable[int]) -> set[int]:
    """The units and every unit that became one of them, however many reorganisations back
    (a district merged into a province-level unit before 01/07/2025 stays in its successor's scope)."""
    found = set(unit_ids)
    frontier = set(found)
    while frontier:
        earlier = set(
            UnitLineage.objects.filter(successor_id__in=frontier).values_list("predecessor_id", flat=True)
        ) - found
        found |= earlier
        frontier = earlier
    return found


def history_unit_ids_for(user: User) -> set[int]:
    """The units whose people and collectives the user may read: the units of
    `policy.personal_record_units_for(user)` (readers: none) and the units they succeed. Every list and page of history starts here."""
    cached = getattr(user, "_thidua_history_units", None)
    if cached is None:
        cached = lineage_predecessor_ids(policy.personal_record_units_for(user).values_list("pk", flat=True))
        user._thidua_history_units = cached
    return cached


def people_for(user: User) -> QuerySet[Person]:
    return Person.objects.filter(unit_id__in=history_unit_ids_for(user))


def collectives_for(user: User) -> QuerySet[Collective]:
    return Collective.objects.filter(unit_id__in=history_unit_ids_for(user))


def person_get_for_user(user: User, *, external_id: str) -> Person:
    """The person, or 404 when it does not exist or lies outside the user's scope."""
    try:
        return people_for(user).select_related("unit", "collective").get(external_id=external_id)
    except Person.DoesNotExist:
        raise Http404("Không tìm thấy cá nhân này hoặc bạn không có quyền xem.") from None


def collective_get_for_user(user: User, *, external_id: str) -> Collective:
    try:
        return collectives_for(user).select_related("unit").get(external_id=external_id)
    except Collective.DoesNotExist:
        raise Http404("Không tìm thấy tập thể này hoặc bạn không có quyền xem.") from None


def current_units(units: Iterable[Unit]) -> dict[int, Unit]:
    """Each unit → the unit it is today: itself while in force, else its successor, followed
    through every reorganisation as long as the unit went to exactly one successor (a split leaves
    the unit as recorded: its people cannot be assigned to one part by the software)."""
    units = list(units)
    result = {unit.pk: unit for unit in units}
    edges: dict[int, list[Unit]] = defaultdict(list)
    frontier = {unit.pk for unit in units if unit.valid_to is not None}
    seen = set(frontier)
    while frontier:
        new = set()
        for edge in UnitLineage.objects.filter(predecessor_id__in=frontier).select_related("successor"):
            edges[edge.predecessor_id].append(edge.successor)
            if edge.successor.valid_to is not None and edge.successor_id not in seen:
                new.add(edge.successor_id)
        seen |= new
        frontier = new
    for unit in units:
        current, hops = unit, 0
        while current.valid_to is not None and len(edges.get(current.pk, [])) == 1 and hops < 20:
            current, hops = edges[current.pk][0], hops + 1
        result[unit.pk] = current
    return result


@dataclass(frozen=True)
class ListedSubject:
    """A person or collective in the list page: where it is recorded, where it is today."""

    external_id: str
    name: str
    recorded_unit: Unit
    unit: Unit  # the unit it belongs to today (the successor of a merged unit)
    detail: str  # position, or the part of the unit


@dataclass(frozen=True)
class UnitListing:
    unit: Unit
    people: list[ListedSubject]
    collectives: list[ListedSubject]


def history_listing(*, user: User, query: str = "", unit_code: str = "") -> list[UnitListing]:
    """People and collectives in the user's scope, grouped by the unit they belong to today, units
    and names in Vietnamese alphabetical order; `query` matches names and ids without tones."""
    needle = search_key(query.strip())
    people = people_for(user).select_related("unit").only(
        "external_id", "name", "position", "unit__code", "unit__name", "unit__short_name", "unit__valid_to",
        "unit__kind", "unit__parent_id",
    )  # fmt: skip
    collectives = collectives_for(user).select_related("unit")
    rows = [(p, p.position) for p in people] + [(c, c.part_of) for c in collectives]
    if needle:
        rows = [(o, d) for o, d in rows if needle in search_key(o.name) or needle in search_key(o.external_id)]
    today = current_units({o.unit_id: o.unit for o, _ in rows}.values())
    groups: dict[int, UnitListing] = {}
    for obj, detail in rows:
        unit = today[obj.unit_id]
        if unit_code and unit.code != unit_code and obj.unit.code != unit_code:
            continue
        listing = groups.setdefault(unit.pk, UnitListing(unit=unit, people=[], collectives=[]))
        subject = ListedSubject(external_id=obj.external_id, name=obj.name, recorded_unit=obj.unit, unit=unit, detail=detail)
        (listing.people if isinstance(obj, Person) else listing.collectives).append(subject)
    for listing in groups.values():
        listing.people.sort(key=lambda s: (vi_sort_key(s.name), s.external_id))
        listing.collectives.sort(key=lambda s: (vi_sort_key(s.name), s.external_id))
    return sorted(groups.values(), key=lambda g: vi_sort_key(g.unit.name))


def collective_members(collective: Collective) -> QuerySet[Person]:
    """The people a collective's assessment counts (thidua.awards.records.History.members_of)."""
    condition = Q(collective=collective)
    if not collective.part_of:
        condition |= Q(unit_id=collective.unit_id)
    return Person.objects.filter(condition)


@dataclass(frozen=True)
class SubjectAssessment:
    """One person's or collective's history as recorded, with the assessment of year `year`."""

    history: PersonHistory | CollectiveHistory
    year: int
    results: tuple[Eligibility, ...]
    warnings: tuple[UnitWarning, ...]
    rule_set: RuleSet
    years: list[int]  # the years worth choosing on the page


def _choosable_years(history: PersonHistory | CollectiveHistory, *, year: int) -> list[int]:
    years = {year, current_year()} | set(history.ratings) | {g.year for g in (*history.titles, *history.awards)}
    return sorted(years, reverse=True)


def person_assessment(*, person: Person, year: int) -> SubjectAssessment:
    """The person's eligibility in `year`. The unit's CSTDCS quota (Nghị định 91/2017 Điều 9
    khoản 3, a setting since) needs every person of the unit assessed: it is left to the unit's
    assessment (`history_assess`), not to this page, which stays quick for a unit of thousands."""
    table = rule_table()
    history = history_of(people=Person.objects.filter(pk=person.pk), collectives=Collective.objects.none())
    mine = history.people[0]
    rules = rule_set_for(year=year, table=table)
    return SubjectAssessment(
        history=mine, year=year, rule_set=rules, results=person_assess(person=mine, year=year, rules=rules),
        warnings=(), years=_choosable_years(mine, year=year),
    )  # fmt: skip


def collective_assessment(*, collective: Collective, year: int) -> SubjectAssessment:
    """The collective's eligibility in `year`, with its members' histories (the share of members
    at LĐTT, their discipline: Luật Thi đua, khen thưởng 2022, Điều 27, 28) but without assessing
    every member for every individual award."""
    table = rule_table()
    history = history_of(people=collective_members(collective), collectives=Collective.objects.filter(pk=collective.pk))
    mine = history.collectives[0]
    rules = rule_set_for(year=year, table=table)
    return SubjectAssessment(
        history=mine, year=year, rule_set=rules, warnings=(), years=_choosable_years(mine, year=year),
        results=collective_assess(collective=mine, history=history, year=year, rules=rules),
    )  # fmt: skip


# --- Statistics (thidua.awards.statistics) --------------------------------------------------------


def _ancestors_map() -> dict[int, int | None]:
    return dict(Unit.objects.values_list("pk", "parent_id"))


def grant_facts(*, user: User, years: Iterable[int] | None = None) -> list[GrantFact]:
    """Every title and award of the people and collectives in the user's scope, as statistics
    facts: a few queries of plain values whatever the number of rows (no model per grant). A unit
    counts in a cluster or block in a year when it, or a unit above it, was a member that year."""
    unit_ids = history_unit_ids_for(user)
    rows: list[tuple] = []
    for subject, prefix, extra in ((PERSON, "person", "person__direct_worker"), (COLLECTIVE, "collective", "collective__part_of")):
        grants = TitleOrAward.objects.filter(revoked_on__isnull=True, **{f"{prefix}__unit_id__in": unit_ids})
        if years is not None:
            grants = grants.filter(year__in=list(years))
        for code, year, unit_id, flag in grants.values_list("code", "year", f"{prefix}__unit_id", extra).order_by("year", "code", "pk"):
            rows.append((year, code, subject, unit_id, bool(flag)))
    rows.sort(key=lambda row: (row[0], row[1]))
    units = {pk: (code, name) for pk, code, name in Unit.objects.filter(pk__in={r[3] for r in rows}).values_list("pk", "code", "name")}
    members: dict[tuple[int, int], set[str]] = defaultdict(set)
    for unit_id, year, group in Membership.objects.filter(group_year__year__in={r[0] for r in rows}).values_list(
        "unit_id", "group_year__year", "group_year__group__code"
    ):
        members[(unit_id, year)].add(group)
    parents = _ancestors_map() if members else {}
    groups: dict[tuple[int, int], tuple[str, ...]] = {}

    def groups_of(unit_id: int, year: int) -> tuple[str, ...]:
        if (unit_id, year) not in groups:
            found, current, hops = set(), unit_id, 0
            while current is not None and hops < 20:
                found |= members.get((current, year), set())
                current, hops = parents.get(current), hops + 1
            groups[(unit_id, year)] = tuple(sorted(found))
        return groups[(unit_id, year)]

    return [
        GrantFact(
            code=code, year=year, subject=subject, unit=units[unit_id][0], unit_name=units[unit_id][1],
            groups=groups_of(unit_id, year), direct_worker=flag and subject == PERSON,
            small_collective=flag and subject == COLLECTIVE,
        )
        for year, code, subject, unit_id, flag in rows
    ]  # fmt: skip


def group_names(codes_: Iterable[str]) -> dict[str, str]:
    return dict(Group.objects.filter(code__in=list(codes_)).values_list("code", "name"))


def history_editable_unit_ids(user: User) -> set[int]:
    """The units whose people and collectives the user may import and update: a Board officer's
    whole scope; a unit officer's or head's own units with their sub-units (and the units these
    succeed). Council members, leaders' officers and readers only read."""
    if policy.is_board(user):
        return history_unit_ids_for(user)
    own = [a.unit_id for a in policy.assignments_of(user) if a.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD)]
    return lineage_predecessor_ids(policy.unit_subtree_ids(own)) if own else set()
