"""The data-entry screen of a unit, cell-by-cell saves, the report workflow, a figure's history,
and the leader's overview of the group's reports. Thin: policy → service → template."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from thidua.covenants.models import Covenant, Criterion
from thidua.lib.numbers import NumberParseError, parse_number
from thidua.org import policy
from thidua.org.models import GroupYear, Unit
from thidua.reporting import selectors, services
from thidua.reporting.models import Phase
from thidua.reporting.reminders import deadline_set


def _group_year_and_covenant(request: HttpRequest, code: str, year: int) -> tuple[GroupYear, Covenant]:
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    covenant = Covenant.objects.filter(group_year=group_year).first()
    if covenant is None:
        raise Http404("Cụm, khối này chưa có giao ước năm nay.")
    return group_year, covenant


def _unit_scope(request: HttpRequest, code: str, year: int, unit_code: str) -> tuple[GroupYear, Covenant, Unit]:
    """The group-year, its covenant and a member unit whose report the user may read; else 404."""
    group_year, covenant = _group_year_and_covenant(request, code, year)
    unit = group_year.memberships.filter(unit__code=unit_code).select_related("unit").first()
    if unit is None or not policy.can_view_unit_report(request.user, group_year, unit.unit):
        raise Http404("Không tìm thấy số liệu của đơn vị này hoặc bạn không có quyền xem.")
    return group_year, covenant, unit.unit


def _entry_context(request: HttpRequest, group_year: GroupYear, covenant: Covenant, unit: Unit) -> dict:
    report = services.report_for(covenant=covenant, unit=unit)
    user = request.user
    return {
        "gy": group_year, "covenant": covenant, "unit": unit, "report": report,
        "can_edit": report.is_editable and policy.can_enter_unit_data(user, unit),
        "can_submit": report.is_editable and policy.can_submit_unit_report(user, unit),
        "can_review": policy.can_review_reports(user, group_year),
        "can_reopen": policy.can_reopen_reports(user, group_year),
        "lock_message": services.lock_message(report),
    }


@login_required
def data_entry(request: HttpRequest, code: str, year: int, unit: str) -> HttpResponse:
    group_year, covenant, unit_obj = _unit_scope(request, code, year, unit)
    context = _entry_context(request, group_year, covenant, unit_obj)
    context["rows"] = selectors.entry_rows(covenant=covenant, unit=unit_obj)
    return render(request, "reporting/data_entry.html", context)


def _parse(field: str, raw: str):
    raw = raw.strip()
    if field == "note":
        return raw or None
    return parse_number(raw) if raw else None


@login_required
@require_POST
def cell_save(request: HttpRequest, code: str, year: int, unit: str, criterion: str) -> HttpResponse:
    """Save one cell (htmx): answers with the row re-rendered, its message and new values."""
    group_year, covenant, unit_obj = _unit_scope(request, code, year, unit)
    if not policy.can_enter_unit_data(request.user, unit_obj):
        raise PermissionDenied("Chỉ cán bộ, thủ trưởng của đơn vị được nhập số liệu của đơn vị.")
    # With its covenant: the save reads it inside its transaction otherwise (issue #8 load test).
    criterion_obj = (Criterion.objects.filter(covenant=covenant, code=criterion)
                     .select_related("content", "covenant").first())
    if criterion_obj is None:
        raise Http404("Không có tiêu chí này trong giao ước.")
    field = request.POST.get("field", "")
    message, level, confirm = "", "ok", None
    try:
        value = _parse(field, request.POST.get("value", ""))
        previous = _parse(field, request.POST.get("previous", ""))
        services.result_set(
            edit=services.Edit(criterion=criterion_obj, unit=unit_obj, field=field, value=value, previous=previous),
            actor=request.user, confirmed=request.POST.get("confirmed") == "1",
        )
        message = "Đã lưu."
    except NumberParseError:
        message, level = f"«{request.POST.get('value', '')}» không phải là số (ví dụ đúng: 1.234,5).", "error"
    except services.NeedsConfirmation as exc:
        message, level, confirm = str(exc), "warning", {"field": field, "value": request.POST.get("value", ""),
                                                         "previous": request.POST.get("previous", "")}
    except services.ReportingError as exc:
        message, level = str(exc), "error"
    context = _entry_context(request, group_year, covenant, unit_obj)
    # What the user typed stays in the cell when it was not saved: no lost work.
    typed = {"field": field, "value": request.POST.get("value", "")} if level != "ok" else None
    context.update(row=selectors.entry_row(criterion=criterion_obj, unit=unit_obj), message=message, level=level,
                   confirm=confirm, typed=typed)
    return render(request, "reporting/_entry_row.html", context)


# URL word → (service, message when done). Who may do each: `_allowed`.
WORKFLOW = {
    "gui": (services.report_submit, "Đã gửi báo cáo cho cụm trưởng."),
    "chap-nhan": (services.report_accept, "Đã chấp nhận báo cáo; số liệu đã khóa."),
    "tra-lai": (services.report_return, "Đã trả lại báo cáo cho đơn vị."),
    "khoa": (services.report_lock, "Đã khóa số liệu."),
    "mo-lai": (services.report_reopen, "Đã mở lại báo cáo."),
}


def _allowed(request: HttpRequest, action: str, group_year: GroupYear, unit: Unit) -> bool:
    if action == "gui":
        return policy.can_submit_unit_report(request.user, unit)
    if action == "mo-lai":
        return policy.can_reopen_reports(request.user, group_year)
    return policy.can_review_reports(request.user, group_year)


@login_required
@require_POST
def report_action(request: HttpRequest, code: str, year: int, unit: str, action: str) -> HttpResponse:
    group_year, covenant, unit_obj = _unit_scope(request, code, year, unit)
    if action not in WORKFLOW:
        raise Http404()
    if not _allowed(request, action, group_year, unit_obj):
        raise PermissionDenied("Bạn không có quyền thực hiện bước này.")
    service, done = WORKFLOW[action]
    report = services.report_for(covenant=covenant, unit=unit_obj)
    kwargs = {"reason": request.POST.get("reason", "")} if action in ("tra-lai", "mo-lai") else {}
    try:
        service(report=report, actor=request.user, **kwargs)
        messages.success(request, done)
    except services.ReportingError as exc:
        messages.error(request, str(exc))
    return redirect("data_entry", code=code, year=year, unit=unit)


@login_required
def history(request: HttpRequest, code: str, year: int, unit: str, criterion: str) -> HttpResponse:
    group_year, covenant, unit_obj = _unit_scope(request, code, year, unit)
    criterion_obj = Criterion.objects.filter(covenant=covenant, code=criterion).first()
    if criterion_obj is None:
        raise Http404("Không có tiêu chí này trong giao ước.")
    changes = selectors.result_history(criterion=criterion_obj, unit=unit_obj)
    return render(request, "reporting/history.html",
                  {"gy": group_year, "unit": unit_obj, "criterion": criterion_obj, "changes": changes})


@login_required
def group_data(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The leader's (and the Board's) overview: each member's report, status and late changes."""
    group_year, covenant = _group_year_and_covenant(request, code, year)
    user = request.user
    if not (policy.can_review_reports(user, group_year) or policy.is_board_for(user, group_year)):
        raise PermissionDenied("Chỉ cụm trưởng và Ban Thi đua – Khen thưởng xem được báo cáo của cả cụm.")
    if request.method == "POST":
        return _save_deadlines(request, group_year)
    deadlines = {d.phase: d.due_on for d in group_year.deadlines.all()}
    phases = [(value, label, deadlines.get(value)) for value, label in Phase.choices]
    return render(request, "reporting/group_data.html",
                  {"gy": group_year, "covenant": covenant, "lines": selectors.group_reports(covenant=covenant),
                   "phases": phases})


def _save_deadlines(request: HttpRequest, group_year: GroupYear) -> HttpResponse:
    """Deadlines per phase (dates as dd/mm/yyyy or from a date picker); a blank clears one."""
    errors = []
    for phase, label in Phase.choices:
        raw = request.POST.get(phase, "").strip()
        try:
            due_on = _parse_date(raw) if raw else None
        except ValueError:
            errors.append(f"{label}: «{raw}» không phải ngày hợp lệ (dd/mm/yyyy).")
            continue
        deadline_set(group_year=group_year, phase=phase, due_on=due_on, actor=request.user)
    for error in errors:
        messages.error(request, error)
    if not errors:
        messages.success(request, "Đã lưu thời hạn các giai đoạn.")
    return redirect("group_data", code=group_year.group.code, year=group_year.year)


def _parse_date(raw: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValueError(raw)


