"""Short ways to write award histories in tests: `person(ratings={2024: "HTT"}, cstdcs=[2023])`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from thidua.awards.eligibility import Eligibility, history_assess
from thidua.awards.records import (
    CollectiveHistory,
    DisciplineRecord,
    Grant,
    History,
    InitiativeRecord,
    PersonHistory,
)

LONG_AGO = dt.date(2005, 1, 1)


def initiative(id: str, year: int, scope: str = "co_so", used_by: str | None = None) -> InitiativeRecord:
    return InitiativeRecord(id=id, year=year, scope=scope, used_by=used_by)


def person(
    id: str = "NV001",
    *,
    unit: str = "P-A",
    hired: dt.date | None = LONG_AGO,
    ratings: dict[int, str] | None = None,
    good: Iterable[int] = (),
    excellent: Iterable[int] = (),
    cstdcs: Iterable[int] = (),
    titles: Iterable[tuple[int, str]] = (),
    awards: Iterable[tuple[int, str]] = (),
    initiatives: Iterable[InitiativeRecord] = (),
    discipline: Iterable[tuple[int, str]] = (),
    collective: str | None = None,
) -> PersonHistory:
    """A person; `good` years are rated HTT, `excellent` years HTXS, `cstdcs` years hold the title."""
    all_ratings = {year: "HTT" for year in good} | {year: "HTXS" for year in excellent} | dict(ratings or {})
    grants = [Grant(code="CSTDCS", year=year) for year in cstdcs] + [Grant(code=c, year=y) for y, c in titles]
    return PersonHistory(
        id=id, name=f"Người {id}", unit=unit, hired=hired, collective=collective, ratings=all_ratings,
        titles=tuple(grants), awards=tuple(Grant(code=c, year=y) for y, c in awards),
        initiatives=tuple(initiatives),
        discipline=tuple(DisciplineRecord(year=y, level=level) for y, level in discipline),
    )  # fmt: skip


def collective(
    id: str = "TT01", *, unit: str = "P-A", part_of: str = "", ratings: dict[int, str] | None = None,
    leading_unit: Iterable[int] = (), discipline: Iterable[tuple[int, str]] = (),
) -> CollectiveHistory:  # fmt: skip
    return CollectiveHistory(
        id=id, name=f"Tập thể {id}", unit=unit, part_of=part_of, ratings=dict(ratings or {}),
        leading_unit=tuple(leading_unit),
        discipline=tuple(DisciplineRecord(year=y, level=level) for y, level in discipline),
    )  # fmt: skip


def assess(*people: PersonHistory, year: int, collectives: Iterable[CollectiveHistory] = (), **options):
    return history_assess(history=History(people=people, collectives=tuple(collectives)), year=year, **options)


def answer(p: PersonHistory, code: str, *, year: int, **options) -> Eligibility:
    return assess(p, year=year, **options).result(id=p.id, code=code)


def failing(result: Eligibility) -> list[str]:
    return [reason for reason in result.reasons if reason.startswith("Không đạt")]


def said(result: Eligibility) -> str:
    return "\n".join(result.reasons)
