"""Writes to the award history: import of the history file (`thidua-history/1`).

`history_import` applies a validated `History` (thidua.awards.historyfile) in one transaction:
everything or nothing, with one audit event. Rows are matched by their ids (person and collective
`id`, initiative `id` per person) and by their natural keys (a rating by year, a title or award by
code and year, a discipline by year and level, a leading-unit year): present rows are updated,
missing ones created, nothing absent from the file is deleted. Importing the same file twice
changes nothing and records nothing the second time.

Units are looked up by code and must exist; a unit abolished since (a district before 01/07/2025)
is kept as recorded, and the report says what it became (thidua.org.models.UnitLineage).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import models, transaction

from thidua.audit.services import audit_log
from thidua.awards.models import (
    AnnualRating,
    Collective,
    Discipline,
    Initiative,
    LeadingUnit,
    Person,
    TitleOrAward,
)
from thidua.awards.records import CollectiveHistory, Grant, History, PersonHistory
from thidua.awards.rules import RULE_SETS, RuleSet, rule_set_for, rule_set_on
from thidua.covenants.fileformat import FileError
from thidua.lib.dates import format_date
from thidua.lib.numbers import format_number
from thidua.org.models import Unit, UnitLineage, User


class HistoryImportError(ValueError):
    """The file is valid but cannot be applied (e.g. an unknown unit); nothing was written."""

    def __init__(self, errors: list[FileError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


@dataclass
class Counts:
    created: int = 0
    updated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def text(self, what: str) -> str:
        total = self.created + self.updated
        if not total:
            return f"0 {what} thay đổi"
        parts = []
        if self.created:
            parts.append(f"{format_number(self.created)} mới")
        if self.updated:
            parts.append(f"{format_number(self.updated)} cập nhật")
        return f"{format_number(total)} {what} ({', '.join(parts)})"


@dataclass
class ImportReport:
    filename: str
    people: Counts = field(default_factory=Counts)
    collectives: Counts = field(default_factory=Counts)
    ratings: Counts = field(default_factory=Counts)
    grants: Counts = field(default_factory=Counts)
    initiatives: Counts = field(default_factory=Counts)
    discipline: Counts = field(default_factory=Counts)
    leading_units: Counts = field(default_factory=Counts)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(counts.changed for counts in self._counts())

    def _counts(self) -> tuple[Counts, ...]:
        return (self.people, self.collectives, self.ratings, self.grants, self.initiatives, self.discipline,
                self.leading_units)  # fmt: skip

    def summary(self) -> str:
        """One Vietnamese sentence: what the import created and updated."""
        if not self.changed:
            return f"{self.filename}: không có thay đổi (dữ liệu trong tệp đã có đủ trong hệ thống)."
        parts = [
            self.people.text("cá nhân"), self.collectives.text("tập thể"), self.ratings.text("xếp loại"),
            self.grants.text("danh hiệu, hình thức khen thưởng"), self.initiatives.text("sáng kiến"),
            self.discipline.text("kỷ luật"), self.leading_units.text("năm dẫn đầu cụm, khối"),
        ]  # fmt: skip
        return f"{self.filename}: đã nhập {'; '.join(parts)}."

    def to_json(self) -> dict[str, object]:
        names = ("people", "collectives", "ratings", "grants", "initiatives", "discipline", "leading_units")
        return {name: {"created": c.created, "updated": c.updated} for name, c in zip(names, self._counts(), strict=True)}


def _changed(obj: models.Model, values: dict[str, object]) -> bool:
    """Set `values` on `obj`; True when one of them differed."""
    differs = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            differs = True
    return differs


def _check_units(history: History, *, filename: str) -> dict[str, Unit]:
    wanted = {row.unit for row in (*history.people, *history.collectives)}
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=wanted)}
    errors = []
    for key, rows in (("people", history.people), ("collectives", history.collectives)):
        for row in rows:
            if row.unit not in units:
                message = f'đơn vị "{row.unit}" không có trong hệ thống; hãy khai báo đơn vị trước khi nhập'
                errors.append(FileError(filename, row.unit_line, f"{key}.unit", message))
    if errors:
        raise HistoryImportError(errors)
    return units


def _lineage_notes(units: Iterable[Unit], history: History) -> list[str]:
    """Say which recorded units have ended, and what they became; the history keeps them."""
    ended = {unit.pk: unit for unit in units if unit.valid_to is not None}
    if not ended:
        return []
    successors: dict[int, list[str]] = {}
    for edge in UnitLineage.objects.filter(predecessor__in=list(ended)).select_related("successor").order_by("effective_on"):
        successors.setdefault(edge.predecessor_id, []).append(edge.successor.name)
    notes = []
    for unit in sorted(ended.values(), key=lambda u: u.code):
        count = sum(1 for row in (*history.people, *history.collectives) if row.unit == unit.code)
        became = f", nay là {', '.join(successors[unit.pk])}" if unit.pk in successors else ""
        notes.append(
            f"{format_number(count)} cá nhân, tập thể thuộc {unit.name} ({unit.code}), đơn vị đã kết thúc hoạt động "
            f"từ sau ngày {format_date(unit.valid_to)}{became}: giữ nguyên đơn vị như đã ghi nhận."
        )
    return notes


def _upsert_subjects(
    model: type[Person] | type[Collective], rows: Sequence[PersonHistory] | Sequence[CollectiveHistory],
    values_of, counts: Counts,
) -> dict[str, models.Model]:  # fmt: skip
    existing = {obj.external_id: obj for obj in model.objects.filter(external_id__in=[r.id for r in rows])}
    for row in rows:
        values = values_of(row)
        obj = existing.get(row.id)
        if obj is None:
            existing[row.id] = model.objects.create(external_id=row.id, **values)
            counts.created += 1
        elif _changed(obj, values):
            obj.save(update_fields=list(values))
            counts.updated += 1
    return existing


def _sync(
    model: type[models.Model], *, existing: Iterable[models.Model], key_of, wanted: dict[tuple, dict[str, object]],
    merge=None, counts: Counts,
) -> None:  # fmt: skip
    """Create the `wanted` rows (key → field values) that are missing; update those that differ.
    `merge(obj, values)` may keep database values the file leaves empty."""
    current = {key_of(obj): obj for obj in existing}
    to_create, to_update, fields = [], [], set()
    for key, values in wanted.items():
        obj = current.get(key)
        if obj is None:
            to_create.append(model(**values))
            continue
        values = merge(obj, values) if merge else values
        changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(obj, name, value)
            fields |= set(changed)
            to_update.append(obj)
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields))
    counts.created += len(to_create)
    counts.updated += len(to_update)


def _given(
    row: PersonHistory | CollectiveHistory, values: dict[str, object], optional: dict[str, tuple[str, object]]
) -> dict[str, object]:
    """The required fields, and the optional ones whose key the file gave: a key left out keeps the
    stored value (a new row gets the model's default), an explicit null or empty value clears it."""
    for key, (name, value) in optional.items():
        if row.given is None or key in row.given:
            values[name] = value
    return values


def _basis(grant: Grant, table: tuple[RuleSet, ...]) -> str:
    if grant.basis:
        return grant.basis
    if grant.decision_date is not None:
        return rule_set_on(day=grant.decision_date, table=table).basis
    return rule_set_for(year=grant.year, table=table).basis


def _keep_recorded(obj: TitleOrAward, values: dict[str, object]) -> dict[str, object]:
    """A file without decision details does not erase the ones already recorded."""
    kept = dict(values)
    for name in ("decision_number", "decision_date", "deciding_authority"):
        if kept[name] in ("", None):
            kept[name] = getattr(obj, name)
    return kept


@transaction.atomic
def history_import(
    *, history: History, filename: str, actor: User | None = None, table: tuple[RuleSet, ...] = RULE_SETS
) -> ImportReport:
    """Create or update the people and collectives of a history file and all their records."""
    units = _check_units(history, filename=filename)
    report = ImportReport(filename=filename)
    report.notes = _lineage_notes(units.values(), history)

    collectives = _upsert_subjects(
        Collective, history.collectives,
        lambda c: _given(c, {"name": c.name, "unit": units[c.unit]}, {"part_of": ("part_of", c.part_of)}),
        report.collectives,
    )  # fmt: skip
    people = _upsert_subjects(
        Person, history.people,
        lambda p: _given(p, {"name": p.name, "unit": units[p.unit]}, {
            "birth_year": ("birth_year", p.birth_year), "position": ("position", p.position),
            "direct_worker": ("direct_worker", p.direct_worker), "hired": ("hired_on", p.hired),
            "collective": ("collective", collectives[p.collective] if p.collective else None),
        }),
        report.people,
    )  # fmt: skip
    person_ids = [people[p.id].pk for p in history.people]
    collective_ids = [collectives[c.id].pk for c in history.collectives]

    # Ratings: (subject, year) → rating.
    wanted: dict[tuple, dict[str, object]] = {}
    for kind, rows, objs in (("person", history.people, people), ("collective", history.collectives, collectives)):
        for row in rows:
            for year, rating in row.ratings.items():
                wanted[(kind, objs[row.id].pk, year)] = {kind: objs[row.id], "year": year, "rating": rating}
    _sync(
        AnnualRating, counts=report.ratings, wanted=wanted,
        existing=AnnualRating.objects.filter(models.Q(person__in=person_ids) | models.Q(collective__in=collective_ids)),
        key_of=lambda r: ("person", r.person_id, r.year) if r.person_id else ("collective", r.collective_id, r.year),
    )  # fmt: skip

    # Titles and awards: (subject, code, year) → decision details.
    wanted = {}
    for kind, rows, objs in (("person", history.people, people), ("collective", history.collectives, collectives)):
        for row in rows:
            for grant in (*row.titles, *row.awards):
                wanted[(kind, objs[row.id].pk, grant.code, grant.year)] = {
                    kind: objs[row.id], "code": grant.code, "year": grant.year,
                    "decision_number": grant.decision, "decision_date": grant.decision_date,
                    "deciding_authority": grant.authority, "legal_basis": _basis(grant, table),
                }  # fmt: skip
    _sync(
        TitleOrAward, counts=report.grants, wanted=wanted, merge=_keep_recorded,
        # Grants in force last, so a (subject, code, year) with a revoked grant and one decided
        # again since is matched to the one in force.
        existing=TitleOrAward.objects.filter(models.Q(person__in=person_ids) | models.Q(collective__in=collective_ids))
        .order_by(models.F("revoked_on").desc(nulls_last=True), "pk"),
        key_of=lambda g: (
            ("person", g.person_id, g.code, g.year) if g.person_id else ("collective", g.collective_id, g.code, g.year)
        ),
    )  # fmt: skip

    # Initiatives: (person, id) → year, scope, use.
    wanted = {
        (people[p.id].pk, i.id): {
            "person": people[p.id], "external_id": i.id, "year": i.year, "scope": i.scope,
            "used_by": i.used_by, "recognising_body": i.recognised_by,
        }
        for p in history.people for i in p.initiatives
    }  # fmt: skip
    _sync(
        Initiative, counts=report.initiatives, wanted=wanted,
        existing=Initiative.objects.filter(person__in=person_ids), key_of=lambda i: (i.person_id, i.external_id),
    )  # fmt: skip

    # Discipline: (subject, year, level), created when missing.
    wanted = {}
    for kind, rows, objs in (("person", history.people, people), ("collective", history.collectives, collectives)):
        for row in rows:
            for d in row.discipline:
                wanted[(kind, objs[row.id].pk, d.year, d.level)] = {kind: objs[row.id], "year": d.year, "level": d.level}
    _sync(
        Discipline, counts=report.discipline, wanted=wanted,
        existing=Discipline.objects.filter(models.Q(person__in=person_ids) | models.Q(collective__in=collective_ids)),
        key_of=lambda d: (
            ("person", d.person_id, d.year, d.level) if d.person_id else ("collective", d.collective_id, d.year, d.level)
        ),
    )  # fmt: skip

    # Leading-unit years.
    wanted = {
        (collectives[c.id].pk, year): {"collective": collectives[c.id], "year": year, "source": filename}
        for c in history.collectives for year in c.leading_unit
    }  # fmt: skip
    _sync(
        LeadingUnit, counts=report.leading_units, wanted=wanted,
        merge=lambda obj, values: {**values, "source": obj.source},
        existing=LeadingUnit.objects.filter(collective__in=collective_ids), key_of=lambda x: (x.collective_id, x.year),
    )  # fmt: skip

    if report.changed:
        audit_log(
            action="awards.history_imported", actor=actor, summary=report.summary(),
            data={"file": filename, **report.to_json()},
        )  # fmt: skip
    return report
