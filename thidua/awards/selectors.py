"""Reads of the award history: the database as the plain `History` the eligibility engine takes.

One query per table, whatever the number of people (no N+1). The pages and the dossier work assess
from here; `thidua eligibility FILE` assesses a file and never comes here.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from thidua.awards.models import AnnualRating, Collective, Discipline, Initiative, LeadingUnit, Person, TitleOrAward
from thidua.awards.records import (
    CollectiveHistory,
    DisciplineRecord,
    Grant,
    History,
    InitiativeRecord,
    PersonHistory,
)
from thidua.awards.codes import CODES, TITLE


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
    for g in TitleOrAward.objects.filter(person__in=person_ids).order_by("year", "code"):
        grants[("p", g.person_id)].append(_grant(g))
    for g in TitleOrAward.objects.filter(collective__in=collective_ids).order_by("year", "code"):
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
