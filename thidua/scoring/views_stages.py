"""Pages of the manual scoring stages (issue #4). Thin: policy → selector/service → template.

- the overview of a group-year's manual scoring, with the links each user needs;
- the leader's cross-scoring pairs and reconciliation list;
- a unit's page: its self scores and the unit it must cross-score;
- the Board's appraisal form.

Scope: the group-year and the unit come from the policy getters (404 outside scope); a page inside
scope that the user may not use answers 403. The services check the actor again.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from thidua.covenants.models import Covenant
from thidua.lib.numbers import NumberParseError, format_number, parse_number
from thidua.org import policy
from thidua.org.models import GroupYear, Membership, Unit
from thidua.reporting.models import EDITABLE, UnitReport
from thidua.reporting.services import ReportLocked, lock_message
from thidua.scoring import services, stages
from thidua.scoring.selectors import StageRow, covenant_of, cross_pairs_of, manual_criteria_of, stage_rows

LEADER_ONLY = "Chỉ cán bộ đơn vị cụm trưởng, khối trưởng năm nay được dùng trang này."
BOARD_ONLY = "Chỉ Ban Thi đua – Khen thưởng phụ trách cụm, khối được thẩm định điểm."


def _scope(request: HttpRequest, code: str, year: int) -> tuple[GroupYear, Covenant]:
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    return group_year, covenant_of(group_year)


def _members(group_year: GroupYear) -> list[Unit]:
    units = [m.unit for m in Membership.objects.filter(group_year=group_year).select_related("unit")]
    return sorted(units, key=lambda u: u.code)


def _points(text: str) -> Decimal:
    text = (text or "").strip()
    if not text:
        raise services.ScoringStageError("Chưa nhập điểm.")
    try:
        return parse_number(text)
    except NumberParseError:
        raise services.ScoringStageError(f"«{text}» không phải là số (ví dụ đúng: 45 hoặc 45,5).") from None


def _back(request: HttpRequest) -> HttpResponse:
    return redirect(request.path)


def _lines(rows: list[StageRow], *, errors: dict[tuple[str, str], str],
           typed: dict[tuple[str, str], dict]) -> list[dict]:
    """Rows for the templates, with the error and the typed values of the form that failed."""
    return [
        {"row": row, "error": errors.get((row.unit.code, row.criterion.code), ""),
         "typed": typed.get((row.unit.code, row.criterion.code), {})}
        for row in rows
    ]


def _by_unit(lines: list[dict]) -> list[tuple[Unit, list[dict]]]:
    grouped: dict[int, tuple[Unit, list[dict]]] = {}
    for line in lines:
        unit = line["row"].unit
        grouped.setdefault(unit.pk, (unit, []))[1].append(line)
    return list(grouped.values())


def _posted_target(request: HttpRequest, covenant: Covenant, units: list[Unit]):
    """The unit and manual criterion a scoring form was posted for (404 when not offered)."""
    unit = next((u for u in units if u.code == request.POST.get("unit", "")), None)
    criterion = next((c for c in manual_criteria_of(covenant) if c.code == request.POST.get("criterion", "")), None)
    if unit is None or criterion is None:
        raise Http404("Không có đơn vị hoặc tiêu chí chấm tay này.")
    criterion.covenant = covenant
    return unit, criterion


# ------------------------------------------------------------------------------ overview


@login_required
def stages_index(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Where each user's scoring work is: their units' pages, the leader's and the Board's pages,
    and, for the units the user may see, how far their manual criteria are."""
    group_year, covenant = _scope(request, code, year)
    members = _members(group_year)
    visible = [u for u in members if policy.can_view_unit_report(request.user, group_year, u)]
    rows = stage_rows(covenant=covenant, units=visible) if visible else []
    counts: dict[str, Counter] = {u.code: Counter() for u in visible}
    for row in rows:
        counts[row.unit.code][row.badge] += 1
    context = {
        "gy": group_year, "covenant": covenant,
        "own_units": [u for u in members if policy.can_enter_unit_data(request.user, u)],
        "can_review": policy.can_review_reports(request.user, group_year),
        "can_appraise": policy.can_reopen_reports(request.user, group_year),
        "overview": [(u, stages.stage_summary(counts[u.code]), counts[u.code][stages.PENDING]) for u in visible],
        "manual_count": len(manual_criteria_of(covenant)),
    }
    return render(request, "scoring/stages_index.html", context)


# ------------------------------------------------------------------------------ the leader


@login_required
def stages_pairs(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The leader assigns who cross-scores whom: the current pairs (or a proposal) in a form."""
    group_year, covenant = _scope(request, code, year)
    if not policy.can_review_reports(request.user, group_year):
        raise PermissionDenied(LEADER_ONLY)
    members = _members(group_year)
    by_code = {u.code: u for u in members}
    current = cross_pairs_of(covenant)
    problems: list[str] = []
    proposed = False
    if request.method == "POST":
        chosen = {u.code: request.POST.get(f"scorer-{u.code}", "").strip() for u in members}
        pairs = []
        for scored in members:
            scorer = chosen[scored.code]
            if scorer and scorer not in by_code:
                problems.append(f"«{scorer}» không phải thành viên của cụm, khối năm nay.")
            elif scorer:
                pairs.append((by_code[scorer], scored))
        if not problems:
            try:
                services.cross_assignments_set(covenant=covenant, pairs=pairs, actor=request.user)
            except services.ScoringForbidden as exc:
                raise PermissionDenied(str(exc)) from None
            except services.CrossAssignmentError as exc:
                problems = exc.problems
            except services.ScoringStageError as exc:
                problems = [str(exc)]
            else:
                messages.success(request, "Đã lưu phân công chấm chéo.")
                return _back(request)
    elif current and "de-xuat" not in request.GET:
        chosen = current
    else:
        proposed = True
        proposal = services.cross_assignments_propose(covenant=covenant)
        chosen = {scored.code: scorer.code for scorer, scored in proposal}
    labels = {u.code: u.label for u in members}
    context = {
        "gy": group_year, "covenant": covenant, "problems": problems, "proposed": proposed,
        "has_current": bool(current),
        "rows": [(u, chosen.get(u.code, ""), [m for m in members if m.pk != u.pk]) for u in members],
        "last_year": [(labels.get(s, s), labels.get(t, t))
                      for s, t in services.cross_assignments_last_year(covenant=covenant)],
    }
    return render(request, "scoring/stages_pairs.html", context)


def _post_with_reason(request: HttpRequest, covenant, members, service, verb: str):
    """The leader's reconciliation and the Board's appraisal post alike: a unit × criterion, the
    points and a reason. Returns (redirect when saved, errors by cell, what was typed by cell)."""
    errors: dict[tuple[str, str], str] = {}
    typed: dict[tuple[str, str], dict] = {}
    if request.method != "POST":
        return None, errors, typed
    unit, criterion = _posted_target(request, covenant, members)
    reason = request.POST.get("reason", "")
    try:
        state = service(criterion=criterion, unit=unit, points=_points(request.POST.get("points", "")),
                        reason=reason, actor=request.user)
    except services.ScoringForbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except services.ScoringStageError as exc:
        errors[(unit.code, criterion.code)] = str(exc)
        typed[(unit.code, criterion.code)] = {"points": request.POST.get("points", ""), "reason": reason}
        return None, errors, typed
    messages.success(request, f"Đã {verb} điểm tiêu chí {criterion.code} của {unit.label}: "
                              f"{format_number(state.points)} điểm.")
    return _back(request), errors, typed


@login_required
def stages_reconcile(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Manual criteria whose self and cross scores differ beyond the margin, each with a form for
    the reconciled score and its reason."""
    group_year, covenant = _scope(request, code, year)
    if not policy.can_review_reports(request.user, group_year):
        raise PermissionDenied(LEADER_ONLY)
    members = _members(group_year)
    done, errors, typed = _post_with_reason(request, covenant, members, services.score_reconcile, "thống nhất")
    if done:
        return done
    rows = [row for row in stage_rows(covenant=covenant, units=members) if row.beyond_margin]
    context = {
        "gy": group_year, "covenant": covenant,
        "pending": _lines([r for r in rows if r.needs_reconciliation], errors=errors, typed=typed),
        "done": _lines([r for r in rows if not r.needs_reconciliation], errors=errors, typed=typed),
    }
    return render(request, "scoring/stages_reconcile.html", context)


# ------------------------------------------------------------------------------ a unit


@login_required
def stages_unit(request: HttpRequest, code: str, year: int, unit: str) -> HttpResponse:
    """A unit's scoring: its own self scores, and the cross scores of the unit assigned to it."""
    group_year, covenant = _scope(request, code, year)
    unit_obj = policy.get_unit_for_user(request.user, code=unit)
    if not Membership.objects.filter(group_year=group_year, unit=unit_obj).exists():
        raise Http404("Đơn vị này không phải thành viên của cụm, khối trong năm này.")
    if not policy.can_enter_unit_data(request.user, unit_obj):
        raise PermissionDenied(f"Chỉ cán bộ, thủ trưởng {unit_obj.label} được chấm điểm cho đơn vị.")
    assignment = services.cross_assignment_for_scorer(covenant=covenant, scorer=unit_obj)
    scored = assignment.scored if assignment else None
    errors: dict[tuple[str, str], str] = {}
    typed: dict[tuple[str, str], dict] = {}
    if request.method == "POST":
        stage = request.POST.get("stage", "")
        if stage not in (stages.SELF, stages.CROSS) or (stage == stages.CROSS and scored is None):
            raise Http404("Không có bước chấm này.")
        target_units = [unit_obj] if stage == stages.SELF else [scored]
        target, criterion = _posted_target(request, covenant, target_units)
        service = services.self_score_set if stage == stages.SELF else services.cross_score_set
        try:
            state = service(criterion=criterion, unit=target, points=_points(request.POST.get("points", "")),
                            actor=request.user)
        except services.ScoringForbidden as exc:
            raise PermissionDenied(str(exc)) from None
        except (services.ScoringStageError, ReportLocked) as exc:
            errors[(target.code, criterion.code)] = str(exc)
            typed[(target.code, criterion.code)] = {"points": request.POST.get("points", "")}
        else:
            what = "tự chấm" if stage == stages.SELF else f"chấm chéo {target.label}"
            given = state.result.score_entries.get(stage=stage).points
            messages.success(request, f"Đã lưu điểm {what} tiêu chí {criterion.code}: {format_number(given)} điểm.")
            return _back(request)
    report = UnitReport.objects.filter(covenant=covenant, unit=unit_obj).first()
    editable = report is None or report.status in EDITABLE
    context = {
        "gy": group_year, "covenant": covenant, "unit": unit_obj, "scored": scored,
        "self_editable": editable, "lock_message": "" if editable else lock_message(report),
        "own": _lines(stage_rows(covenant=covenant, units=[unit_obj]), errors=errors, typed=typed),
        "cross": _lines(stage_rows(covenant=covenant, units=[scored]), errors=errors, typed=typed) if scored else [],
    }
    return render(request, "scoring/stages_unit.html", context)


# ------------------------------------------------------------------------------ the Board


@login_required
def stages_appraise(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The Board's appraisal: every member × manual criterion with all stage scores and a form."""
    group_year, covenant = _scope(request, code, year)
    if not policy.can_reopen_reports(request.user, group_year):
        raise PermissionDenied(BOARD_ONLY)
    members = _members(group_year)
    done, errors, typed = _post_with_reason(request, covenant, members, services.score_appraise, "thẩm định")
    if done:
        return done
    lines = _lines(stage_rows(covenant=covenant, units=members), errors=errors, typed=typed)
    context = {"gy": group_year, "covenant": covenant, "units": _by_unit(lines), "pairs": cross_pairs_of(covenant)}
    return render(request, "scoring/stages_appraise.html", context)
