"""Reads of the reporting stage: a unit's data-entry rows, the group's reports, a figure's history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from thidua.covenants.models import Covenant, Criterion, Result
from thidua.covenants.selectors import criteria_of, members_of
from thidua.org.models import GroupYear, Unit
from thidua.reporting.models import Deadline, ResultChange, UnitReport


@dataclass
class EntryRow:
    """One criterion on a unit's data-entry screen (the result's evidence comes prefetched)."""

    criterion: Criterion
    result: Result | None
    content_start: bool

    @property
    def version(self) -> int:
        return self.result.version if self.result else 0

    @property
    def dom_id(self) -> str:
        return "row-" + self.criterion.code.replace(".", "-")


def entry_rows(*, covenant: Covenant, unit: Unit) -> list[EntryRow]:
    """Every criterion with the unit's result and evidence: three queries."""
    results = {
        r.criterion_id: r
        for r in Result.objects.filter(criterion__covenant=covenant, unit=unit).prefetch_related("evidence")
    }
    rows, previous = [], None
    for criterion in criteria_of(covenant):
        result = results.get(criterion.pk)
        rows.append(EntryRow(criterion=criterion, result=result, content_start=criterion.content_id != previous))
        previous = criterion.content_id
    return rows


def entry_row(*, criterion: Criterion, unit: Unit) -> EntryRow:
    result = Result.objects.filter(criterion=criterion, unit=unit).prefetch_related("evidence").first()
    return EntryRow(criterion=criterion, result=result, content_start=False)


@dataclass
class ReportLine:
    unit: Unit
    report: UnitReport | None


def group_reports(*, covenant: Covenant) -> list[ReportLine]:
    """Each member's report (None: nothing entered yet), leader first."""
    reports = {r.unit_id: r for r in UnitReport.objects.filter(covenant=covenant).select_related("changed_by")}
    return [ReportLine(unit=m.unit, report=reports.get(m.unit_id)) for m in members_of(covenant.group_year)]


def result_history(*, criterion: Criterion, unit: Unit) -> list[ResultChange]:
    return list(ResultChange.objects.filter(result__criterion=criterion, result__unit=unit).select_related("actor"))


@dataclass
class Countdown:
    deadline: Deadline
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def countdowns(*, group_years: list[GroupYear], today: dt.date | None = None) -> list[Countdown]:
    """Deadlines of these group-years from yesterday on, soonest first (the dashboard's countdown)."""
    today = today or timezone.localdate()
    deadlines = Deadline.objects.filter(group_year__in=group_years, due_on__gte=today - dt.timedelta(days=1))
    return [Countdown(deadline=d, days_left=(d.due_on - today).days) for d in deadlines.select_related("group_year__group")]
