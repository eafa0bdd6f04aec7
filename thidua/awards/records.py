"""The award history as plain values: what the history file holds and the eligibility engine reads.

Pure Python, no Django. `thidua.awards.historyfile` builds these from a `thidua-history/1` file,
`thidua.awards.selectors.history_of` from the database; `thidua.awards.eligibility` never knows
which. Years are ints, dates `datetime.date`, codes the strings of `thidua.awards.codes`.

`line` fields remember where a row was in its file (for errors found later, e.g. an unknown unit
on import) and `given` which keys it had (an import updates only those); neither takes part in
comparisons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class Grant:
    """A title (danh hiệu) or an award (hình thức khen thưởng) received in `year`."""

    code: str
    year: int
    decision: str = ""  # số quyết định
    decision_date: dt.date | None = None
    authority: str = ""  # cấp quyết định
    basis: str = ""  # căn cứ pháp lý; empty: the rule set in force (thidua.awards.rules)
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class InitiativeRecord:
    """An initiative (sáng kiến) recognised in `year`; `used_by` is the code of the title or award it
    already backed (Luật Thi đua, khen thưởng 2022, Điều 5 khoản 2: one achievement, one reward)."""

    id: str
    year: int
    scope: str  # co_so | tinh | toan_quoc
    used_by: str | None = None
    recognised_by: str = ""
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class DisciplineRecord:
    year: int
    level: str  # thidua.awards.codes.DISCIPLINE_LEVELS
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class PersonHistory:
    id: str
    name: str
    unit: str  # unit code; may be a unit that no longer exists (a district before 01/07/2025)
    hired: dt.date | None = None
    birth_year: int | None = None
    position: str = ""
    direct_worker: bool = False
    collective: str | None = None  # id of the collective (a part of a unit) the person works in
    ratings: Mapping[int, str] = field(default_factory=dict)
    titles: tuple[Grant, ...] = ()
    awards: tuple[Grant, ...] = ()
    initiatives: tuple[InitiativeRecord, ...] = ()
    discipline: tuple[DisciplineRecord, ...] = ()
    line: int | None = field(default=None, compare=False)
    unit_line: int | None = field(default=None, compare=False)
    #: The keys the file gave (an import leaves the others as stored); built in code: all of them.
    given: frozenset[str] | None = field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class CollectiveHistory:
    id: str
    name: str
    unit: str
    part_of: str = ""  # empty: the whole unit; else the part ("Phòng Kế toán")
    ratings: Mapping[int, str] = field(default_factory=dict)
    titles: tuple[Grant, ...] = ()
    awards: tuple[Grant, ...] = ()
    discipline: tuple[DisciplineRecord, ...] = ()
    leading_unit: tuple[int, ...] = ()  # years the cluster/block acclaimed it leading unit
    line: int | None = field(default=None, compare=False)
    unit_line: int | None = field(default=None, compare=False)
    given: frozenset[str] | None = field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class History:
    people: tuple[PersonHistory, ...] = ()
    collectives: tuple[CollectiveHistory, ...] = ()

    def members_of(self, collective: CollectiveHistory) -> tuple[PersonHistory, ...]:
        """The people of a collective: those who name it (`collective`), and, for a collective that
        is a whole unit (no `part_of`), everybody of that unit."""
        return tuple(
            p for p in self.people
            if p.collective == collective.id or (not collective.part_of and p.unit == collective.unit)
        )  # fmt: skip
