"""Writes to covenants: import of the covenant file, signing, amendments, copying forward.

The covenant file (COVENANT_FORMAT.md) is the interchange format; `covenant_import` applies a
validated `CovenantDoc` in one transaction: everything or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from thidua.audit.services import audit_log
from thidua.covenants.fileformat import (
    ContentDoc,
    CovenantDoc,
    CovenantFileError,
    CriterionDoc,
    read_covenant,
    write_covenant,
)
from thidua.covenants.selectors import covenant_doc
from thidua.covenants.models import Adjustment, Amendment, Content, Covenant, CovenantStatus, Criterion, Result
from thidua.org import services as org_services
from thidua.org.models import GroupYear, Position, Unit, User


class CovenantError(ValueError):
    """A change the covenant's rules refuse; the message is for the user, in Vietnamese."""


@dataclass
class ImportReport:
    group: str
    year: int
    covenant_created: bool
    structure_changes: list[str] = field(default_factory=list)
    results_created: int = 0
    results_updated: int = 0
    adjustments: int = 0
    warnings: tuple[str, ...] = ()


def _params_to_json(params: dict[str, Any]) -> dict[str, str]:
    """Decimal parameters stored as exact strings ("0.5"), `by` as its word."""
    return {key: str(value) for key, value in params.items()}


# ------------------------------------------------------------------------------ import


@transaction.atomic
def covenant_import(*, doc: CovenantDoc, filename: str, actor: User | None = None, amendment_reason: str = "") -> ImportReport:
    """Create or update a group-year and its covenant from a covenant file (by codes).

    A signed covenant is frozen (DOMAIN.md, cycle step 2): a file that changes its contents or
    criteria is refused unless `amendment_reason` is given, which records an Amendment. Results
    and adjustments may still be imported into a signed covenant: that is how the year is reported.
    """
    group = org_services.group_ensure(
        code=doc.group.code, name=doc.group.name, kind=doc.group.kind, organiser=doc.group.organiser,
        member_kinds=[m.kind for m in doc.members], actor=actor,
    )
    units = {m.code: org_services.unit_ensure(code=m.code, name=m.name, kind=m.kind, actor=actor) for m in doc.members}
    group_year = org_services.group_year_upsert(group=group, year=doc.year, actor=actor)
    _import_roles(group_year=group_year, doc=doc, units=units, actor=actor)
    covenant, created = Covenant.objects.get_or_create(group_year=group_year, defaults={"scale": doc.scale})
    report = ImportReport(group=doc.group.code, year=doc.year, covenant_created=created, warnings=doc.warnings)
    report.structure_changes = _sync_structure(covenant=covenant, doc=doc)
    if report.structure_changes and not created and covenant.is_frozen:
        if not amendment_reason.strip():
            raise CovenantError(
                f"{filename}: giao ước {doc.group.code} năm {doc.year} đã ký kết nên không thay đổi nội dung, "
                f"tiêu chí được ({'; '.join(report.structure_changes[:3])}). Muốn sửa, hãy ghi nhận sửa đổi "
                "giao ước kèm lý do (thidua import --amend \"lý do\")."
            )
        covenant_amendment_record(covenant=covenant, reason=amendment_reason, changes=report.structure_changes, actor=actor)
    report.results_created, report.results_updated = _import_results(covenant=covenant, doc=doc, units=units)
    if doc.adjustments:
        report.adjustments = _replace_adjustments(covenant=covenant, doc=doc, units=units)
    if not (created or report.structure_changes or report.results_created or report.results_updated or report.adjustments):
        return report  # the file says what the database already holds: nothing to record
    audit_log(
        action="covenant.imported", actor=actor, target=covenant, summary=f"{filename}: {covenant}",
        data={"file": filename, "created": created, "structure_changes": report.structure_changes,
              "results_created": report.results_created, "results_updated": report.results_updated,
              "adjustments": report.adjustments},
    )
    return report


def _import_roles(*, group_year: GroupYear, doc: CovenantDoc, units: dict[str, Unit], actor: User | None) -> None:
    """Members from the file; leader and deputies from `roles`, or, when the file has none, the
    positions already recorded for members that stay."""
    leader = units.get(doc.roles.leader) if doc.roles.leader else None
    deputies = [units[code] for code in doc.roles.deputies]
    if leader is None and not deputies:
        kept = {m.unit.code: m.position for m in group_year.memberships.select_related("unit") if m.unit.code in units}
        leader = next((units[c] for c, p in kept.items() if p == Position.LEADER), None)
        deputies = [units[c] for c, p in kept.items() if p == Position.DEPUTY]
    org_services.group_year_set_members(
        group_year=group_year, members=list(units.values()), leader=leader, deputies=deputies, actor=actor
    )


def _content_values(content: ContentDoc, order: int) -> dict[str, Any]:
    return {"title": content.title, "max_points": content.max_points, "order": order}


def _criterion_values(criterion: CriterionDoc, content: Content, order: int) -> dict[str, Any]:
    return {
        "content": content, "title": criterion.title, "max_points": criterion.max_points,
        "measure": criterion.measure, "direction": criterion.direction, "aggregate": criterion.aggregate,
        "method": criterion.method, "params": _params_to_json(criterion.params), "order": order,
    }


def _apply(obj, values: dict[str, Any]) -> list[str]:
    """Set changed fields on a model instance; returns the names of the fields that changed."""
    changed = [key for key, value in values.items() if _differs(getattr(obj, key), value)]
    for key in changed:
        setattr(obj, key, values[key])
    return changed


def _differs(current: Any, wanted: Any) -> bool:
    if isinstance(wanted, Decimal) and current is not None:
        return Decimal(current) != wanted
    if hasattr(wanted, "pk") and hasattr(current, "pk"):
        return current.pk != wanted.pk
    return current != wanted


def _sync_structure(*, covenant: Covenant, doc: CovenantDoc) -> list[str]:
    """Make the covenant's contents and criteria those of the file; describe each change."""
    changes: list[str] = []
    if Decimal(covenant.scale) != doc.scale:
        changes.append(f"điểm chuẩn {covenant.scale:f} → {doc.scale:f}")
        covenant.scale = doc.scale
        covenant.save(update_fields=["scale"])
    contents = {c.code: c for c in covenant.contents.all()}
    criteria = {c.code: c for c in covenant.criteria.all()}
    for order, content_doc in enumerate(doc.contents):
        content = contents.pop(content_doc.code, None)
        if content is None:
            content = Content.objects.create(covenant=covenant, code=content_doc.code, **_content_values(content_doc, order))
            changes.append(f"thêm nội dung {content_doc.code}")
        elif fields := _apply(content, _content_values(content_doc, order)):
            content.save(update_fields=fields)
            changes.extend(f"nội dung {content.code}: {name}" for name in fields if name != "order")
        for position, criterion_doc in enumerate(content_doc.criteria):
            values = _criterion_values(criterion_doc, content, position)
            criterion = criteria.pop(criterion_doc.code, None)
            if criterion is None:
                Criterion.objects.create(covenant=covenant, code=criterion_doc.code, **values)
                changes.append(f"thêm tiêu chí {criterion_doc.code}")
            elif fields := _apply(criterion, values):
                criterion.save(update_fields=fields)
                changes.extend(f"tiêu chí {criterion.code}: {name}" for name in fields if name != "order")
    for criterion in criteria.values():
        changes.append(f"bỏ tiêu chí {criterion.code}")
        criterion.delete()
    for content in contents.values():
        changes.append(f"bỏ nội dung {content.code}")
        content.delete()
    return changes


_RESULT_FIELDS = ("target", "actual", "baseline", "points", "note")


def _import_results(*, covenant: Covenant, doc: CovenantDoc, units: dict[str, Unit]) -> tuple[int, int]:
    """Upsert one row per unit × criterion in the file (rows not in the file are kept). Bulk writes:
    a national covenant carries hundreds of thousands of rows."""
    criteria = {c.code: c for c in covenant.criteria.all()}
    existing = {
        (r.criterion_id, r.unit_id): r
        for r in Result.objects.filter(criterion__covenant=covenant)
    }
    to_create, to_update = [], []
    for row in doc.results:
        criterion, unit = criteria[row.criterion], units[row.unit]
        values = {name: getattr(row, name) for name in _RESULT_FIELDS}
        result = existing.get((criterion.pk, unit.pk))
        if result is None:
            to_create.append(Result(criterion=criterion, unit=unit, **values))
        elif _apply(result, values):
            result.version += 1
            to_update.append(result)
    Result.objects.bulk_create(to_create, batch_size=2000)
    Result.objects.bulk_update(to_update, [*_RESULT_FIELDS, "version", "updated_at"], batch_size=2000)
    return len(to_create), len(to_update)


def _replace_adjustments(*, covenant: Covenant, doc: CovenantDoc, units: dict[str, Unit]) -> int:
    """Replace the adjustments with the file's; returns how many were written (0: already so)."""
    current = [(a.unit.code, Decimal(a.points), a.reason) for a in covenant.adjustments.select_related("unit")]
    if current == [(a.unit, a.points, a.reason) for a in doc.adjustments]:
        return 0
    covenant.adjustments.all().delete()
    Adjustment.objects.bulk_create(
        Adjustment(covenant=covenant, unit=units[a.unit], points=a.points, reason=a.reason, order=i)
        for i, a in enumerate(doc.adjustments)
    )
    return len(doc.adjustments)


# ------------------------------------------------------------------------------ lifecycle


@transaction.atomic
def covenant_amendment_record(*, covenant: Covenant, reason: str, changes: list[str], actor: User | None) -> Amendment:
    """Record why and how a signed covenant changed; members see the list on the covenant page."""
    amendment = Amendment.objects.create(covenant=covenant, reason=reason.strip(), summary="\n".join(changes), actor=actor)
    audit_log(action="covenant.amended", actor=actor, target=covenant, summary=reason[:200], data={"changes": changes})
    return amendment


@transaction.atomic
def covenant_sign(*, covenant: Covenant, actor: User | None = None, signed_on=None) -> None:
    """Draft → signed. Race-safe: the conditional update changes one row or the covenant had moved on."""
    signed_on = signed_on or timezone.localdate()
    updated = Covenant.objects.filter(pk=covenant.pk, status=CovenantStatus.DRAFT).update(
        status=CovenantStatus.SIGNED, signed_on=signed_on
    )
    if updated != 1:
        raise CovenantError("Chỉ ký kết được giao ước đang ở trạng thái dự thảo.")
    covenant.refresh_from_db()
    audit_log(action="covenant.signed", actor=actor, target=covenant, summary=str(covenant))


@transaction.atomic
def covenant_close(*, covenant: Covenant, actor: User | None = None) -> None:
    """Signed → closed, at the year-end review."""
    if Covenant.objects.filter(pk=covenant.pk, status=CovenantStatus.SIGNED).update(status=CovenantStatus.CLOSED) != 1:
        raise CovenantError("Chỉ tổng kết được giao ước đã ký kết.")
    covenant.refresh_from_db()
    audit_log(action="covenant.closed", actor=actor, target=covenant, summary=str(covenant))


@transaction.atomic
def covenant_copy_forward(*, covenant: Covenant, year: int | None = None, actor: User | None = None) -> Covenant:
    """Next year's covenant as a draft copied from this one: same members, contents and criteria,
    no results (DOMAIN.md, cycle step 2: "the leader drafts the covenant from last year's")."""
    source = covenant.group_year
    year = year or source.year + 1
    target_year = org_services.group_year_upsert(group=source.group, year=year, actor=actor)
    if Covenant.objects.filter(group_year=target_year).exists():
        raise CovenantError(f"{source.group.name} năm {year} đã có giao ước; không sao chép đè lên.")
    if not target_year.memberships.exists():
        members = [m.unit for m in source.memberships.select_related("unit")]
        org_services.group_year_set_members(group_year=target_year, members=members, actor=actor)
    copy = Covenant.objects.create(group_year=target_year, scale=covenant.scale)
    for content in covenant.contents.prefetch_related("criteria"):
        new_content = Content.objects.create(covenant=copy, code=content.code, title=content.title,
                                             max_points=content.max_points, order=content.order)
        Criterion.objects.bulk_create(
            Criterion(covenant=copy, content=new_content, code=c.code, title=c.title, max_points=c.max_points,
                      measure=c.measure, direction=c.direction, aggregate=c.aggregate, method=c.method,
                      params=c.params, order=c.order)
            for c in content.criteria.all()
        )
    audit_log(action="covenant.copied_forward", actor=actor, target=copy, summary=f"{covenant} → {year}",
              data={"from": covenant.pk})
    return copy


# ------------------------------------------------------------------------------ editor


class CovenantEditError(CovenantError):
    """The edited covenant breaks a rule of the covenant file; `errors` maps fields to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(message for messages in errors.values() for message in messages))


EDITOR_FILE = "trình soạn giao ước"


def _edit(*, covenant: Covenant, change, actor: User | None, amendment_reason: str) -> ImportReport:
    """Apply an edit through the covenant file's own validation and import, so the editor, the file
    and the API can never disagree on what a valid covenant is."""
    edited = change(covenant_doc(covenant=covenant))
    try:
        doc = read_covenant(write_covenant(edited), filename=EDITOR_FILE)
    except CovenantFileError as exc:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(error.field.removeprefix("params."), []).append(error.message)
        raise CovenantEditError(errors) from None
    return covenant_import(doc=doc, filename=EDITOR_FILE, actor=actor, amendment_reason=amendment_reason)


@transaction.atomic
def covenant_criterion_put(
    *, covenant: Covenant, content_code: str, criterion: CriterionDoc, actor: User | None = None,
    amendment_reason: str = "",
) -> ImportReport:
    """Add a criterion, or replace the one with the same code (it may move to another content)."""

    def change(doc: CovenantDoc) -> CovenantDoc:
        contents = []
        for content in doc.contents:
            kept = tuple(c for c in content.criteria if c.code != criterion.code)
            if content.code == content_code:
                existing = [c.code for c in content.criteria]
                if criterion.code in existing:  # keep its place in the list
                    kept = tuple(criterion if c.code == criterion.code else c for c in content.criteria)
                else:
                    kept = (*kept, criterion)
            contents.append(replace(content, criteria=kept))
        return replace(doc, contents=tuple(contents))

    return _edit(covenant=covenant, change=change, actor=actor, amendment_reason=amendment_reason)


@transaction.atomic
def criterion_set_requires_evidence(*, criterion: Criterion, required: bool, actor: User | None = None) -> None:
    """Whether units must attach evidence (minh chứng) to this criterion before submitting. Kept
    outside the covenant file (COVENANT_FORMAT.md has no such key): a setting of this installation."""
    if criterion.requires_evidence != required:
        criterion.requires_evidence = required
        criterion.save(update_fields=["requires_evidence"])
        audit_log(action="criterion.evidence_rule", actor=actor, target=criterion,
                  summary=f"{criterion.code}: {'bắt buộc' if required else 'không bắt buộc'} minh chứng")


@transaction.atomic
def covenant_content_put(
    *, covenant: Covenant, code: str, title: str, max_points: Decimal, actor: User | None = None,
    amendment_reason: str = "",
) -> ImportReport:
    """Add a content at the end, or change the title and points of an existing one."""

    def change(doc: CovenantDoc) -> CovenantDoc:
        if any(c.code == code for c in doc.contents):
            contents = tuple(replace(c, title=title, max_points=max_points) if c.code == code else c for c in doc.contents)
        else:
            contents = (*doc.contents, ContentDoc(code=code, title=title, max_points=max_points))
        return replace(doc, contents=contents)

    return _edit(covenant=covenant, change=change, actor=actor, amendment_reason=amendment_reason)


@transaction.atomic
def covenant_start(*, group_year: GroupYear, actor: User | None = None) -> Covenant:
    """A group-year's first covenant: copied forward from last year's when there is one, else empty."""
    previous = Covenant.objects.filter(group_year__group=group_year.group, group_year__year=group_year.year - 1).first()
    if previous is not None:
        return covenant_copy_forward(covenant=previous, year=group_year.year, actor=actor)
    covenant, created = Covenant.objects.get_or_create(group_year=group_year)
    if created:
        audit_log(action="covenant.created", actor=actor, target=covenant, summary=str(covenant))
    return covenant
