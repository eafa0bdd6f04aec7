"""Writes of the reporting stage: figures saved one at a time or in bulk, the report workflow.

Every change is race-safe (a conditional UPDATE on the row's version or status, checked by its
row count: `select_for_update` does nothing on SQLite), keeps its history (ResultChange) and an
audit event in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from thidua.audit.services import audit_log
from thidua.covenants.fileformat import FIGURE_PLACES, POINTS_PLACES, precision_problem
from thidua.covenants.models import Covenant, Criterion, Result
from thidua.lib.dates import format_date
from thidua.lib.numbers import format_number
from thidua.org.models import Unit, User
from thidua.reporting.models import (
    EDITABLE,
    ChangeSource,
    Evidence,
    ReportStatus,
    ReportTransition,
    ResultChange,
    UnitReport,
)
from thidua.scoring.methods import HIGHER, MANUAL

FIGURES = ("target", "actual", "baseline")
EDITABLE_FIELDS = (*FIGURES, "points", "note")
FIELD_LABELS = {"target": "Kế hoạch", "actual": "Thực hiện", "baseline": "Kỳ trước", "points": "Điểm", "note": "Ghi chú"}
OUTLIER_PCT = Decimal(300)  # more than 300 % of plan asks the user to confirm (issue #4)


class ReportingError(ValueError):
    """A change the rules refuse; the message is for the user, in Vietnamese."""


class ReportLocked(ReportingError):
    """The unit's report is not open for changes; the message says why and who can reopen it."""


class ResultConflict(ReportingError):
    """Someone saved the same figure first; `result` holds the newer values."""

    def __init__(self, result: Result, field: str):
        self.result = result
        newer = getattr(result, field)
        shown = format_number(newer) if isinstance(newer, Decimal) else (newer or "(trống)")
        super().__init__(
            f"{FIELD_LABELS.get(field, field)} vừa được người khác lưu ({shown}) trước bạn. "
            "Giá trị của bạn chưa được lưu: hãy xem lại rồi lưu lại nếu vẫn muốn thay đổi."
        )


class NeedsConfirmation(ReportingError):
    """A plausible but unusual figure (e.g. over 300 % of plan): saved only once confirmed."""


# ------------------------------------------------------------------------------ the report


def report_for(*, covenant: Covenant, unit: Unit) -> UnitReport:
    report, _ = UnitReport.objects.get_or_create(covenant=covenant, unit=unit)
    return report


def lock_message(report: UnitReport) -> str:
    """Why a report cannot be edited now, and who can change that (shown on the locked screen)."""
    when = format_date(timezone.localtime(report.changed_at)) if report.changed_at else ""
    who = f" ({report.changed_by})" if report.changed_by else ""
    if report.status == ReportStatus.SUBMITTED:
        return (f"Báo cáo đã được gửi ngày {when}{who}, đang chờ cụm trưởng xem xét. Muốn sửa, "
                "đề nghị cụm trưởng trả lại báo cáo.")
    if report.status == ReportStatus.ACCEPTED:
        return (f"Số liệu đã được cụm trưởng chấp nhận ngày {when}{who} nên đã khóa. Chỉ Ban Thi đua – "
                "Khen thưởng mở lại được, kèm lý do.")
    if report.status == ReportStatus.LOCKED:
        return (f"Số liệu đã khóa ngày {when}{who} để chấm điểm, xếp hạng. Chỉ Ban Thi đua – Khen thưởng "
                "mở lại được, kèm lý do.")
    return ""


def _ensure_editable(report: UnitReport) -> None:
    if report.status not in EDITABLE:
        raise ReportLocked(lock_message(report))


# ------------------------------------------------------------------------------ figures


UNSEEN = object()


@dataclass(frozen=True)
class Edit:
    """One field of one result to set.

    Concurrency: `previous` is the value the user saw in that field; the save is refused when the
    field holds something else by now (someone saved first). `expected_version` checks the whole
    row instead. Neither: no check (bulk imports inside one transaction)."""

    criterion: Criterion
    unit: Unit
    field: str
    value: Decimal | str | None
    expected_version: int | None = None
    previous: object = UNSEEN


def validate_value(*, criterion: Criterion, field: str, value, target: Decimal | None = None,
                   confirmed: bool = False) -> None:
    """The checks a figure gets as it is typed (issue #4): range, precision, outliers."""
    if field not in EDITABLE_FIELDS:
        raise ReportingError(f"Không sửa được trường «{field}».")
    if field == "note" or value is None:
        return
    places = POINTS_PLACES if field == "points" else FIGURE_PLACES
    if problem := precision_problem(value, places):
        raise ReportingError(f"{FIELD_LABELS[field]} {problem}.")
    if field == "target" and value < 0:
        raise ReportingError("Kế hoạch không được âm.")
    if field == "points":
        if criterion.method != MANUAL:
            raise ReportingError(f"Tiêu chí {criterion.code} được chấm tự động; không nhập điểm.")
        if not Decimal(0) <= value <= criterion.max_points:
            raise ReportingError(f"Điểm phải từ 0 đến {format_number(Decimal(criterion.max_points))}.")
    if field == "actual" and target and not confirmed and criterion.direction == HIGHER:
        if value / target * 100 > OUTLIER_PCT:
            raise NeedsConfirmation(
                f"Thực hiện {format_number(value)} bằng {format_number(value / target * 100, max_places=0)}% "
                "kế hoạch, cao bất thường. Kiểm tra lại; nếu đúng, bấm xác nhận để lưu."
            )


def _same(a, b) -> bool:
    """Equal as figures (925.128000 = 925.128) or as texts; blank and None are the same."""
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return a is not None and b is not None and Decimal(a) == Decimal(b)
    return (a or "") == (b or "")


def _text(value) -> str:
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _record(*, result: Result, field: str, old, new, actor: User | None, source: str, reason: str,
            report: UnitReport) -> None:
    after = report.accepted_once
    ResultChange.objects.create(result=result, field=field, old_value=_text(old), new_value=_text(new),
                                actor=actor, source=source, reason=reason, after_acceptance=after)
    if after:
        UnitReport.objects.filter(pk=report.pk).update(changes_after_acceptance=F("changes_after_acceptance") + 1)


def _apply(edit: Edit, *, report: UnitReport, actor: User | None, source: str, reason: str,
           current: Result | None | object = UNSEEN) -> Result:
    """Set one field race-safely. A new row counts as version 0 for the concurrency check.
    `current`: the row as the caller just read it in this transaction (None: no row yet), so
    that it is not read twice; the conditional UPDATE below still refuses a row changed since."""
    result = Result.objects.filter(criterion=edit.criterion, unit=edit.unit).first() if current is UNSEEN else current
    if result is None:
        if edit.expected_version not in (None, 0):
            raise ReportingError("Kết quả này không còn tồn tại; hãy tải lại trang.")
        try:
            with transaction.atomic():
                result = Result.objects.create(criterion=edit.criterion, unit=edit.unit, **{edit.field: edit.value})
        except IntegrityError:  # created by someone else a moment ago
            raise ResultConflict(Result.objects.get(criterion=edit.criterion, unit=edit.unit), edit.field) from None
        _record(result=result, field=edit.field, old=None, new=edit.value, actor=actor, source=source,
                reason=reason, report=report)
        return result
    old = getattr(result, edit.field)
    if edit.previous is not UNSEEN and not _same(old, edit.previous):
        raise ResultConflict(result, edit.field)
    if edit.previous is UNSEEN and edit.expected_version is not None and edit.expected_version != result.version:
        raise ResultConflict(result, edit.field)
    if _same(old, edit.value):
        return result  # nothing changes
    updated = Result.objects.filter(pk=result.pk, version=result.version).update(
        **{edit.field: edit.value}, version=F("version") + 1, updated_at=timezone.now()
    )
    if updated != 1:  # the row changed between our read and our write
        result.refresh_from_db()
        raise ResultConflict(result, edit.field)
    result.refresh_from_db()
    _record(result=result, field=edit.field, old=old, new=edit.value, actor=actor, source=source,
            reason=reason, report=report)
    return result


@transaction.atomic
def result_set(*, edit: Edit, actor: User | None, source: str = ChangeSource.WEB, reason: str = "",
               confirmed: bool = False) -> Result:
    """Save one figure of a unit's report (the data-entry screen saves cell by cell)."""
    report = report_for(covenant=edit.criterion.covenant, unit=edit.unit)
    _ensure_editable(report)
    current = Result.objects.filter(criterion=edit.criterion, unit=edit.unit).first()
    target = edit.value if edit.field == "target" else (current.target if current else None)
    validate_value(criterion=edit.criterion, field=edit.field, value=edit.value, target=target, confirmed=confirmed)
    result = _apply(edit, report=report, actor=actor, source=source, reason=reason, current=current)
    audit_log(action="result.changed", actor=actor, target=result,
              summary=f"{edit.unit.code} {edit.criterion.code} {edit.field}",
              data={"field": edit.field, "value": _text(edit.value), "source": source})
    return result


@transaction.atomic
def results_apply(*, edits: list[Edit], actor: User | None, source: str, reason: str = "") -> int:
    """Apply many validated edits (an Excel upload) in one transaction: all or nothing. Every
    unit touched must have an editable report. Returns the number of fields changed."""
    reports = {}
    for edit in edits:
        key = (edit.criterion.covenant_id, edit.unit.pk)
        if key not in reports:
            reports[key] = report_for(covenant=edit.criterion.covenant, unit=edit.unit)
            _ensure_editable(reports[key])
    changed = 0
    for edit in edits:
        before = Result.objects.filter(criterion=edit.criterion, unit=edit.unit).values_list("version", flat=True).first()
        result = _apply(edit, report=reports[(edit.criterion.covenant_id, edit.unit.pk)], actor=actor,
                        source=source, reason=reason)
        changed += int(before is None or result.version != before)
    if changed:
        audit_log(action="results.imported", actor=actor, summary=f"{changed} thay đổi từ {source}",
                  data={"changes": changed, "source": source})
    return changed


# ------------------------------------------------------------------------------ workflow


def _move(*, report: UnitReport, allowed_from: tuple[str, ...], to: str, actor: User | None, reason: str = "",
          **extra) -> UnitReport:
    """A race-safe transition: the UPDATE only matches while the report is still in `allowed_from`."""
    updated = UnitReport.objects.filter(pk=report.pk, status__in=allowed_from).update(
        status=to, reason=reason, changed_at=timezone.now(), changed_by=actor, **extra
    )
    if updated != 1:
        report.refresh_from_db()
        raise ReportingError(
            f"Báo cáo của {report.unit} đang ở trạng thái «{report.get_status_display()}», không chuyển được."
        )
    from_status = report.status
    report.refresh_from_db()
    ReportTransition.objects.create(report=report, from_status=from_status, to_status=to, actor=actor, reason=reason)
    audit_log(action=f"report.{to}", actor=actor, target=report, summary=str(report), data={"reason": reason})
    return report


def _missing_evidence(report: UnitReport) -> list[str]:
    """Criteria that require evidence where the unit has a figure but no document."""
    results = Result.objects.filter(criterion__covenant=report.covenant, criterion__requires_evidence=True,
                                    unit=report.unit).select_related("criterion")
    with_evidence = set(Evidence.objects.filter(result__in=results).values_list("result_id", flat=True))
    return [r.criterion.code for r in results if r.pk not in with_evidence]


@transaction.atomic
def report_submit(*, report: UnitReport, actor: User | None) -> UnitReport:
    """Draft or returned → submitted, by the unit head; refused while required evidence is missing."""
    if missing := _missing_evidence(report):
        raise ReportingError(f"Chưa có minh chứng cho tiêu chí: {', '.join(missing)}. Tải minh chứng lên rồi gửi lại.")
    return _move(report=report, allowed_from=EDITABLE, to=ReportStatus.SUBMITTED, actor=actor)


@transaction.atomic
def report_return(*, report: UnitReport, actor: User | None, reason: str) -> UnitReport:
    """Submitted → returned, by the leader, always with a reason the unit sees."""
    if not reason.strip():
        raise ReportingError("Trả lại báo cáo phải ghi rõ lý do để đơn vị sửa.")
    return _move(report=report, allowed_from=(ReportStatus.SUBMITTED,), to=ReportStatus.RETURNED, actor=actor,
                 reason=reason.strip())


@transaction.atomic
def report_accept(*, report: UnitReport, actor: User | None) -> UnitReport:
    """Submitted → accepted, by the leader: the figures are locked from now on."""
    return _move(report=report, allowed_from=(ReportStatus.SUBMITTED,), to=ReportStatus.ACCEPTED, actor=actor,
                 accepted_once=True)


@transaction.atomic
def report_lock(*, report: UnitReport, actor: User | None) -> UnitReport:
    """Accepted → locked, by the leader, before scoring and the conference."""
    return _move(report=report, allowed_from=(ReportStatus.ACCEPTED,), to=ReportStatus.LOCKED, actor=actor)


@transaction.atomic
def report_reopen(*, report: UnitReport, actor: User | None, reason: str) -> UnitReport:
    """Submitted, accepted or locked → draft, by the Board, with a reason; later changes are counted."""
    if not reason.strip():
        raise ReportingError("Mở lại báo cáo phải ghi rõ lý do.")
    return _move(report=report, allowed_from=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.LOCKED),
                 to=ReportStatus.DRAFT, actor=actor, reason=reason.strip())
