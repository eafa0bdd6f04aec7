"""The API's operations: thin adapters over the same policy, selectors and services as the pages.

Scope (thidua.org.policy): a group-year outside the token's scope, a unit that is not a member, and
a unit's figures the user may not read all answer 404 (their existence is not revealed); a change
the user may see but not make answers 403.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError

from thidua.api import schemas as s
from thidua.conference import ballots as ballot_services
from thidua.conference import proposals as proposal_services
from thidua.conference.models import Ballot, BallotStatus
from thidua.covenants.models import Covenant, Criterion, Result
from thidua.covenants.selectors import covenant_doc, exact
from thidua.lib.numbers import NumberParseError, parse_number, to_decimal
from thidua.org import policy, selectors as org_selectors
from thidua.org.collation import vi_order
from thidua.org.models import GroupYear, Role, Unit, User
from thidua.reporting import selectors as reporting_selectors
from thidua.reporting import services as reporting
from thidua.reporting.models import ChangeSource
from thidua.scoring.engine import ScoringError
from thidua.scoring.selectors import group_year_scores

router = Router()

ERRORS = {401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut, 422: s.ValidationErrorOut}
NO_RESULTS = "Không tìm thấy số liệu của đơn vị này hoặc bạn không có quyền xem."
NO_COVENANT = "Cụm, khối này chưa có giao ước trong năm."
READ_ONLY = "Tài khoản này chỉ được xem; chỉ cán bộ, thủ trưởng của đơn vị được nhập số liệu của đơn vị."
UNIT_ONLY = "Chỉ cán bộ, thủ trưởng của đơn vị được nhập số liệu của đơn vị."
MAX_NOTE = 5000


def _code(description: str):
    return Path(..., pattern=s.CODE_PATTERN, description=description)


def _year():
    return Path(..., ge=s.MIN_YEAR, le=s.MAX_YEAR, description="Năm thi đua.")


# ------------------------------------------------------------------------------ plain values


def dec(value) -> str | None:
    """A stored Decimal as the API writes it: plain notation, no padding ("112.88", "100")."""
    value = exact(value)
    return None if value is None else format(value, "f")


def unit_ref(unit: Unit | None) -> dict | None:
    if unit is None:
        return None
    return {"code": unit.code, "name": unit.name, "short_name": unit.short_name}


def _window(items, page: s.PageQuery) -> dict:
    return {"count": len(items), "limit": page.limit, "offset": page.offset,
            "items": items[page.offset:page.offset + page.limit]}


# ------------------------------------------------------------------------------ scope


def _user(request: HttpRequest) -> User:
    return request.auth


def _group_year(request: HttpRequest, code: str, year: int) -> GroupYear:
    return policy.get_group_year_for_user(_user(request), code=code, year=year)


def _covenant(group_year: GroupYear) -> Covenant:
    covenant = Covenant.objects.filter(group_year=group_year).select_related("group_year__group").first()
    if covenant is None:
        raise Http404(NO_COVENANT)
    return covenant


def _member(group_year: GroupYear, unit_code: str) -> Unit:
    membership = group_year.memberships.filter(unit__code=unit_code).select_related("unit").first()
    if membership is None:
        raise Http404(NO_RESULTS)
    return membership.unit


def _readable_unit(user: User, group_year: GroupYear, unit_code: str) -> Unit:
    """A member whose report (figures before publication) the user may read; else 404."""
    unit = _member(group_year, unit_code)
    if not policy.can_view_unit_report(user, group_year, unit):
        raise Http404(NO_RESULTS)
    return unit


def _writable_unit(user: User, group_year: GroupYear, unit_code: str) -> Unit:
    """A member whose figures the user enters. Users who enter no unit's figures at all (readers, the
    Board, council members, the leader's officers) get 403; an officer of another unit gets 404 when
    they may not even read this unit's figures."""
    unit = _member(group_year, unit_code)
    if policy.can_enter_unit_data(user, unit):
        return unit
    enters_data = bool(policy.roles_of(user) & {Role.UNIT_OFFICER, Role.UNIT_HEAD})
    if enters_data and not policy.can_view_unit_report(user, group_year, unit):
        raise Http404(NO_RESULTS)
    raise HttpError(403, UNIT_ONLY if enters_data else READ_ONLY)


# ------------------------------------------------------------------------------ groups


@router.get("/groups", response={200: s.GroupYearPage, **ERRORS}, tags=["Cụm, khối thi đua"],
            operation_id="group_years_list", summary="Các cụm, khối thi đua theo năm trong phạm vi của bạn")
def group_years_list(request, filters: Query[s.YearQuery], page: Query[s.PageQuery]):
    visible = policy.group_years_for(_user(request))
    if filters.year is not None:
        visible = visible.filter(year=filters.year)
    count = visible.count()
    ids = list(visible.order_by(vi_order("group__name"), "year", "pk")
               .values_list("pk", flat=True)[page.offset:page.offset + page.limit])
    rows = GroupYear.objects.filter(pk__in=ids).annotate(
        has_covenant=Exists(Covenant.objects.filter(group_year=OuterRef("pk"))))
    items = [
        {"code": card.group_year.group.code, "name": card.group_year.group.name, "kind": card.group_year.group.kind,
         "level": card.group_year.group.level, "year": card.group_year.year,
         "organiser": card.group_year.group.organiser, "leader": unit_ref(card.leader),
         "member_count": len(card.members), "has_covenant": card.group_year.has_covenant}
        for card in org_selectors.group_year_cards(rows)
    ]
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": items}


@router.get("/groups/{code}/{year}", response={200: s.GroupYearOut, **ERRORS}, tags=["Cụm, khối thi đua"],
            operation_id="group_year_detail", summary="Một cụm, khối trong một năm: thành viên, cụm trưởng, cụm phó")
def group_year_detail(request, code: str = _code("Mã cụm, khối."), year: int = _year()):
    card = org_selectors.group_year_card(_group_year(request, code, year))
    gy, group = card.group_year, card.group_year.group
    council = gy.council_member_name or (str(gy.council_member) if gy.council_member else None)
    return {
        "code": group.code, "name": group.name, "kind": group.kind, "level": group.level, "year": gy.year,
        "organiser": group.organiser,
        "organiser_unit": group.organiser_unit.code if group.organiser_unit_id else None,
        "flag_kind": group.flag_kind,
        "members": [{**unit_ref(m.unit), "kind": m.unit.kind, "position": m.position} for m in card.members],
        "leader": unit_ref(card.leader), "deputies": [unit_ref(u) for u in card.deputies],
        "flag_holder": unit_ref(card.flag_holder), "council_member": council,
        "conference_date": gy.conference_date, "conference_place": gy.conference_place,
        "has_covenant": Covenant.objects.filter(group_year=gy).exists(),
    }


# ------------------------------------------------------------------------------ covenant, scores


@router.get("/groups/{code}/{year}/covenant", response={200: s.CovenantOut, **ERRORS}, tags=["Giao ước"],
            operation_id="covenant_detail", summary="Giao ước thi đua: nội dung, tiêu chí, phương pháp chấm")
def covenant_detail(request, code: str = _code("Mã cụm, khối."), year: int = _year()):
    covenant = _covenant(_group_year(request, code, year))
    doc = covenant_doc(covenant=covenant)
    return {
        "group": doc.group.code, "year": doc.year, "status": covenant.status,
        "status_label": covenant.get_status_display(), "signed_on": covenant.signed_on,
        "scale": dec(doc.scale), "cross_margin_pct": dec(covenant.cross_margin_pct),
        "contents": [
            {"code": content.code, "title": content.title, "max_points": dec(content.max_points),
             "criteria": [
                 {"code": c.code, "title": c.title, "max_points": dec(c.max_points), "measure": c.measure,
                  "direction": c.direction, "aggregate": c.aggregate, "method": c.method,
                  "params": {k: v if isinstance(v, str) else dec(v) for k, v in c.params.items()}}
                 for c in content.criteria
             ]}
            for content in doc.contents
        ],
    }


@router.get("/groups/{code}/{year}/scores", response={200: s.ScoresOut, **ERRORS}, tags=["Điểm, xếp hạng"],
            operation_id="scores", summary="Điểm và xếp hạng (như `thidua score NHÓM NĂM --json`)")
def scores(request, code: str = _code("Mã cụm, khối."), year: int = _year()):
    group_year = _group_year(request, code, year)
    try:
        return group_year_scores(group_year=group_year).to_json()
    except ScoringError as exc:
        raise HttpError(422, f"Không chấm được điểm: {exc}") from None


# ------------------------------------------------------------------------------ a unit's results


def result_out(criterion: Criterion, result: Result | None) -> dict:
    return {
        "criterion": criterion.code, "content": criterion.content.code, "title": criterion.title,
        "measure": criterion.measure, "method": criterion.method, "max_points": dec(criterion.max_points),
        "target": dec(result.target) if result else None, "actual": dec(result.actual) if result else None,
        "baseline": dec(result.baseline) if result else None, "points": dec(result.points) if result else None,
        "note": result.note if result else None, "version": result.version if result else 0,
        "updated_at": result.updated_at if result else None,
    }


@router.get("/groups/{code}/{year}/units/{unit}/results", response={200: s.UnitResultsPage, **ERRORS},
            tags=["Số liệu của đơn vị"], operation_id="unit_results",
            summary="Số liệu của một đơn vị theo từng tiêu chí (riêng tư trước khi công bố)")
def unit_results(request, page: Query[s.PageQuery], code: str = _code("Mã cụm, khối."), year: int = _year(),
                 unit: str = _code("Mã đơn vị.")):
    group_year = _group_year(request, code, year)
    unit_obj = _readable_unit(_user(request), group_year, unit)
    covenant = _covenant(group_year)
    report = reporting.report_for(covenant=covenant, unit=unit_obj)
    rows = [result_out(row.criterion, row.result)
            for row in reporting_selectors.entry_rows(covenant=covenant, unit=unit_obj)]
    return {
        "group": group_year.group.code, "year": group_year.year, "unit": unit_ref(unit_obj),
        "report": {"status": report.status, "status_label": report.get_status_display(),
                   "editable": report.is_editable, "lock_message": reporting.lock_message(report)},
        **_window(rows, page),
    }


class _BadValue(ValueError):
    pass


def _figure(field: str, raw, *, what: str):
    """A typed value (string in Vietnamese or plain notation, JSON number, null) as the service wants it."""
    if field == "note":
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise _BadValue(f"{what}: ghi chú phải là văn bản.")
        if "\x00" in raw:
            raise _BadValue(f"{what}: ghi chú có ký tự không hợp lệ.")
        if len(raw) > MAX_NOTE:
            raise _BadValue(f"{what}: ghi chú dài quá {MAX_NOTE} ký tự.")
        return raw.strip() or None
    if raw is None:
        return None
    if isinstance(raw, str):
        if not raw.strip():
            return None
        try:
            return parse_number(raw)
        except NumberParseError:
            shown = raw if len(raw) <= 40 else raw[:40] + "…"
            raise _BadValue(f"{what}: «{shown}» không phải là số (ví dụ đúng: 1.234,5 hoặc 1234.5).") from None
    number = to_decimal(raw)
    if not number.is_finite():
        raise _BadValue(f"{what}: không phải là số hữu hạn.")
    return number


def _conflict_current(result: Result, field: str) -> str | None:
    value = getattr(result, field)
    return dec(value) if isinstance(value, Decimal) else value


def _result_write(request, payload: s.ResultWriteIn, code: str, year: int, unit: str, criterion: str):
    user = _user(request)
    group_year = _group_year(request, code, year)
    unit_obj = _writable_unit(user, group_year, unit)
    covenant = _covenant(group_year)
    criterion_obj = (Criterion.objects.filter(covenant=covenant, code=criterion)
                     .select_related("content", "covenant__group_year__group").first())
    if criterion_obj is None:
        raise Http404("Không có tiêu chí này trong giao ước.")
    try:
        value = _figure(payload.field, payload.value, what="Giá trị")
        previous = _figure(payload.field, payload.previous, what="Giá trị trước đó (previous)")
    except _BadValue as exc:
        error = {"loc": ["body", "payload", "value"], "msg": str(exc), "type": "value_error"}
        return Status(422, {"detail": str(exc), "errors": [error]})
    edit = reporting.Edit(criterion=criterion_obj, unit=unit_obj, field=payload.field, value=value, previous=previous)
    try:
        result = reporting.result_set(edit=edit, actor=user, source=ChangeSource.API, reason=payload.reason.strip(),
                                      confirmed=payload.confirmed)
    except reporting.ReportLocked as exc:
        return Status(423, {"detail": str(exc) or "Báo cáo của đơn vị đang khóa, không sửa được số liệu."})
    except reporting.ResultConflict as exc:
        return Status(409, {"detail": str(exc), "field": payload.field,
                            "current": _conflict_current(exc.result, payload.field),
                            "result": result_out(criterion_obj, exc.result)})
    except reporting.NeedsConfirmation as exc:
        return Status(422, {"detail": str(exc), "needs_confirmation": True})
    except reporting.ReportingError as exc:
        return Status(422, {"detail": str(exc)})
    return Status(200, result_out(criterion_obj, result))


WRITE = {
    "response": {200: s.ResultOut, 400: s.ErrorOut, 409: s.ConflictOut, 423: s.ErrorOut, **ERRORS},
    "tags": ["Số liệu của đơn vị"],
    "description": (
        "Lưu một trường của một kết quả. `previous` là giá trị bạn đã thấy: nếu người khác đã lưu trước, "
        "trả 409 kèm giá trị mới nhất (`current`) và không lưu. Báo cáo đã gửi, đã chấp nhận hoặc đã khóa: "
        "423 kèm lý do. Số liệu sai: 422; nội dung không phải JSON: 400. Chỉ cán bộ, thủ trưởng của đơn vị được ghi (403 nếu không)."
    ),
}
RESULT_PATH = "/groups/{code}/{year}/units/{unit}/results/{criterion}"


@router.put(RESULT_PATH, operation_id="unit_result_put", summary="Ghi một số liệu của đơn vị", **WRITE)
def unit_result_put(request, payload: s.ResultWriteIn, code: str = _code("Mã cụm, khối."), year: int = _year(),
                    unit: str = _code("Mã đơn vị."), criterion: str = _code("Mã tiêu chí, ví dụ I.1.")):
    return _result_write(request, payload, code, year, unit, criterion)


@router.patch(RESULT_PATH, operation_id="unit_result_patch", summary="Ghi một số liệu của đơn vị (như PUT)",
              **WRITE)
def unit_result_patch(request, payload: s.ResultWriteIn, code: str = _code("Mã cụm, khối."), year: int = _year(),
                      unit: str = _code("Mã đơn vị."), criterion: str = _code("Mã tiêu chí, ví dụ I.1.")):
    return _result_write(request, payload, code, year, unit, criterion)


# ------------------------------------------------------------------------------ conference


def ballot_out(ballot: Ballot) -> dict:
    options = list(ballot.options.select_related("unit"))
    result = None
    if ballot.status == BallotStatus.CLOSED:
        outcome = ballot_services.ballot_result(ballot=ballot)
        result = {
            "electorate": outcome.electorate, "cast": outcome.cast, "valid": outcome.valid, "blank": outcome.blank,
            "invalid": outcome.invalid, "quorum_met": outcome.quorum_met, "quorum_needed": outcome.quorum_needed,
            "minimum_votes": outcome.minimum_votes,
            "lines": [{"option": line.option.pk, "label": line.option.label,
                       "unit": line.option.unit.code if line.option.unit_id else None, "votes": line.votes,
                       "passed": line.passed, "won": line.won, "tied": line.tied} for line in outcome.lines],
            "winners": [o.pk for o in outcome.winners], "tied": [o.pk for o in outcome.tied],
            "rule_statement": outcome.rule_statement, "outcome_statement": outcome.outcome_statement,
        }
    return {
        "id": ballot.pk, "kind": ballot.kind, "kind_label": ballot.get_kind_display(), "title": ballot.title,
        "electorate": ballot.electorate, "mode": ballot.mode, "status": ballot.status,
        "status_label": ballot.get_status_display(), "max_choices": ballot.max_choices,
        "opened_at": ballot.opened_at, "closed_at": ballot.closed_at,
        "options": [{"id": o.pk, "label": o.label, "unit": o.unit.code if o.unit_id else None} for o in options],
        "result": result, "result_note": "" if result else ballot_services.HIDDEN,
    }


@router.get("/groups/{code}/{year}/ballots", response={200: s.BallotPage, **ERRORS}, tags=["Hội nghị"],
            operation_id="ballots", summary="Các cuộc bỏ phiếu: trạng thái; kết quả chỉ khi đã kết thúc")
def ballots(request, page: Query[s.PageQuery], code: str = _code("Mã cụm, khối."), year: int = _year()):
    group_year = _group_year(request, code, year)
    found = Ballot.objects.filter(group_year=group_year).select_related("group_year__group").order_by("-id")
    return {"count": found.count(), "limit": page.limit, "offset": page.offset,
            "items": [ballot_out(b) for b in found[page.offset:page.offset + page.limit]]}


@router.get("/groups/{code}/{year}/proposals", response={200: s.ProposalPage, **ERRORS}, tags=["Hội nghị"],
            operation_id="proposals", summary="Danh sách đề nghị khen thưởng của hội nghị")
def proposals(request, page: Query[s.PageQuery], code: str = _code("Mã cụm, khối."), year: int = _year()):
    group_year = _group_year(request, code, year)
    if not proposal_services.can_run_conference(_user(request), group_year):
        raise HttpError(403, proposal_services.CONFERENCE_ONLY)
    items = [
        {"unit": unit_ref(p.unit), "form": p.form, "form_label": p.get_form_display(), "rank": p.rank,
         "total": dec(p.total), "basis": p.basis, "status": p.status}
        for p in proposal_services.proposals_of(group_year=group_year)
    ]
    return _window(items, page)

