"""Pages of the conference's award proposals and of the rotation. Thin: policy → selectors and the
adapter that reads the ballots → services → template.

Scope: the group-year comes from the policy getter (404 outside scope); inside scope only the
leader's officers of that year and the Board in scope use these pages (403 for the others). The
services check the actor again.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from thidua.conference import proposals as services
from thidua.conference import rotation
from thidua.conference.models import AwardForm, UnitVeto, VetoKind
from thidua.covenants.models import Covenant
from thidua.lib.collation import vi_sort_key
from thidua.org import policy
from thidua.org.models import GroupYear, Membership, Unit
from thidua.org.selectors import group_year_card


def _scope(request: HttpRequest, code: str, year: int) -> GroupYear:
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    if not services.can_run_conference(request.user, group_year):
        raise PermissionDenied(services.CONFERENCE_ONLY)
    return group_year


def _by_name(units: list[Unit]) -> list[Unit]:
    return sorted(units, key=lambda u: vi_sort_key(u.name))


def _members(group_year: GroupYear) -> list[Unit]:
    return _by_name([m.unit for m in Membership.objects.filter(group_year=group_year).select_related("unit")])


def _unit(units: list[Unit], code: str) -> Unit | None:
    return next((u for u in units if u.code == code), None)


def _int(text: str, *, label: str) -> int:
    text = (text or "").strip()
    if not text.isdigit():
        raise services.ProposalError(f"{label}: «{text}» không phải là số nguyên không âm.")
    return int(text)


# ------------------------------------------------------------------------------ proposals


def _proposals_page(request: HttpRequest, group_year: GroupYear, *, errors: dict[str, str] | None = None,
                    typed: dict[str, str] | None = None) -> HttpResponse:
    members = _members(group_year)
    choices = services.conference_choices_from_ballots(group_year=group_year)
    last = services.last_build_of(group_year=group_year)
    saved = services.proposals_of(group_year=group_year)
    has_covenant = Covenant.objects.filter(group_year=group_year).exists()
    # The leading unit the list stands on: the closed acclaim ballot, else the one of the last build.
    if choices.acclaim_ballot is not None:
        leading, votes = choices.acclaimed, choices.acclaim_votes
    elif last is not None:
        leading, votes = last.leading_unit, last.acclaim_votes
    else:
        leading, votes = None, None
    plan, stale, plan_error = None, False, ""
    ranking = []
    if has_covenant:
        try:
            plan = services.proposals_plan(group_year=group_year, leading_unit=leading, acclaim_votes=votes)
        except services.ProposalError as exc:  # e.g. the unit acclaimed then has since left the group
            plan_error = str(exc)
        from thidua.scoring.selectors import group_year_scores

        scores = group_year_scores(group_year=group_year)
        ranking = [(s.rank, scores.labels.get(s.unit, s.unit), s.unit, s.total) for s in scores.ranking]
        stale = plan is not None and bool(saved or last) and sorted((p.unit_id, p.form) for p in saved) != sorted(
            (line.unit.pk, line.form) for line in plan.lines)
    vetoes = services.vetoes_of(group_year=group_year)
    flag_form, merit_form = services.award_forms_of(group_year.group)
    context = {
        "gy": group_year, "members": members, "rules": services.conference_rules_of(group_year=group_year),
        "central": services.group_is_central(group_year.group),
        "flag_label": AwardForm(flag_form).label, "merit_label": AwardForm(merit_form).label,
        "choices": choices, "leading": leading, "votes": votes, "last": last, "plan": plan, "stale": stale,
        "proposals": saved, "ranking": ranking, "vetoed_codes": {v.unit.code for v in vetoes},
        "vetoes": vetoes, "veto_kinds": VetoKind.choices, "has_covenant": has_covenant,
        "errors": errors or {}, "typed": typed or {}, "plan_error": plan_error,
    }
    return render(request, "conference/proposals_page.html", context)


@login_required
def proposals_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The rules, the vetoes, the acclaimed unit and the proposal list of one conference."""
    return _proposals_page(request, _scope(request, code, year))


def _back(group_year: GroupYear, anchor: str = "") -> HttpResponse:
    response = redirect("conference_proposals", code=group_year.group.code, year=group_year.year)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@login_required
@require_POST
def proposals_rules(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group_year = _scope(request, code, year)
    try:
        services.conference_rules_set(
            group_year=group_year,
            flags=_int(request.POST.get("flags", ""), label="Số Cờ thi đua"),
            merit_share_pct=_int(request.POST.get("merit_share_pct", ""), label="Tỷ lệ Bằng khen"),
            party_rating_required=request.POST.get("party_rating_required", ""), actor=request.user,
        )
    except services.ProposalForbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except services.ProposalError as exc:
        return _proposals_page(request, group_year, errors={"rules": str(exc)}, typed=request.POST.dict())
    messages.success(request, "Đã lưu quy định đề nghị khen thưởng. Hãy lập lại danh sách nếu cần.")
    return _back(group_year, "quy-dinh")


@login_required
@require_POST
def proposals_veto_add(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group_year = _scope(request, code, year)
    unit = _unit(_members(group_year), request.POST.get("unit", ""))
    try:
        if unit is None:
            raise services.ProposalError("Chưa chọn đơn vị thành viên.")
        services.unit_veto_record(group_year=group_year, unit=unit, kind=request.POST.get("kind", ""),
                                  reason=request.POST.get("reason", ""), actor=request.user)
    except services.ProposalForbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except services.ProposalError as exc:
        return _proposals_page(request, group_year, errors={"veto": str(exc)}, typed=request.POST.dict())
    messages.success(request, f"Đã ghi nhận {unit.label} không được đề nghị khen thưởng. Hãy lập lại danh sách.")
    return _back(group_year, "khong-de-nghi")


@login_required
@require_POST
def proposals_veto_remove(request: HttpRequest, code: str, year: int, veto: int) -> HttpResponse:
    group_year = _scope(request, code, year)
    found = UnitVeto.objects.filter(group_year=group_year, pk=veto).select_related("unit", "group_year").first()
    if found is None:
        raise Http404("Không có trường hợp không đề nghị này.")
    try:
        services.unit_veto_remove(veto=found, actor=request.user)
    except services.ProposalForbidden as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, f"Đã bỏ ghi nhận không đề nghị khen thưởng của {found.unit.label}. Hãy lập lại danh sách.")
    return _back(group_year, "khong-de-nghi")


@login_required
@require_POST
def proposals_build(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Build the list. With a closed acclaim ballot its winner is the leading unit (what was posted
    is ignored); without one, the unit and the votes agreed at the conference are typed in."""
    group_year = _scope(request, code, year)
    choices = services.conference_choices_from_ballots(group_year=group_year)
    try:
        if choices.acclaim_ballot is not None:
            leading, votes = choices.acclaimed, choices.acclaim_votes
        else:
            leading_code = request.POST.get("leading_unit", "")
            leading = _unit(_members(group_year), leading_code)
            if leading_code and leading is None:
                raise services.ProposalError("Đơn vị được suy tôn không phải thành viên của cụm, khối năm nay.")
            votes = None
            typed_votes, typed_of = request.POST.get("votes", "").strip(), request.POST.get("votes_of", "").strip()
            if typed_votes or typed_of:
                votes = (_int(typed_votes, label="Số phiếu suy tôn"), _int(typed_of, label="Tổng số phiếu"))
        plan = services.proposals_build(group_year=group_year, leading_unit=leading, actor=request.user,
                                        acclaim_votes=votes)
    except services.ProposalForbidden as exc:
        raise PermissionDenied(str(exc)) from None
    except services.ProposalError as exc:
        return _proposals_page(request, group_year, errors={"build": str(exc)}, typed=request.POST.dict())
    listed = "; ".join(f"{line.form_label}: {line.unit.label}" for line in plan.lines) or "không có đơn vị nào"
    messages.success(request, f"Đã lập danh sách đề nghị khen thưởng ({listed}).")
    for skip in plan.skipped:
        messages.warning(request, skip.text)
    return _back(group_year, "danh-sach")


# ------------------------------------------------------------------------------ rotation


def _parse_date(text: str) -> dt.date:
    text = (text or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise rotation.RotationError(f"«{text}» không phải là ngày (ví dụ đúng: 24/01/2018)." if text
                                 else "Chưa nhập ngày bàn giao.")


@login_required
def rotation_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Next year's leader and deputies (prefilled from the closed ballots), the handover date, confirm."""
    group_year = _scope(request, code, year)
    candidates = _by_name(rotation.next_year_members(group_year=group_year))
    next_gy = GroupYear.objects.filter(group=group_year.group, year=year + 1).first()
    next_card = group_year_card(next_gy) if next_gy else None
    choices = services.conference_choices_from_ballots(group_year=group_year)
    error = ""
    if request.method == "POST":
        leader = _unit(candidates, request.POST.get("leader", ""))
        deputy_codes = request.POST.getlist("deputies")
        deputies = [u for u in candidates if u.code in deputy_codes]
        try:
            word = services.group_word(group_year.group)
            if leader is None:
                raise rotation.RotationError(f"Chưa chọn {word} trưởng năm sau trong số thành viên.")
            if len(deputies) != len(set(deputy_codes)):
                raise rotation.RotationError(f"{word.capitalize()} phó phải là thành viên của {word} năm sau.")
            target = rotation.conference_rotate(
                group_year=group_year, next_leader=leader, next_deputies=deputies,
                handover_date=_parse_date(request.POST.get("handover_date", "")), actor=request.user,
            )
        except services.ProposalForbidden as exc:
            raise PermissionDenied(str(exc)) from None
        except services.ProposalError as exc:
            error = str(exc)
            chosen_leader, chosen_deputies = request.POST.get("leader", ""), deputy_codes
            chosen_date = request.POST.get("handover_date", "")
        else:
            text = rotation.rotation_text(group=group_year.group, year=target.year, leader=leader, deputies=deputies)
            messages.success(request, f"Đã chuyển giao. {text}.")
            return redirect("conference_rotation", code=code, year=year)
    if not error:
        current_leader = next_card.leader if next_card else None
        current_deputies = next_card.deputies if next_card else []
        chosen_leader = (choices.leader or current_leader).code if (choices.leader or current_leader) else ""
        chosen_deputies = [u.code for u in (choices.deputies if choices.deputies_ballot else current_deputies)]
        handover = next_gy.flag_handover if next_gy and hasattr(next_gy, "flag_handover") else None
        default_date = (handover.handed_on if handover and handover.handed_on else None) \
            or group_year.conference_date or dt.date.today()
        chosen_date = default_date.isoformat()
    this_holder = getattr(group_year, "flag_handover", None)
    context = {
        "gy": group_year, "next_year": year + 1, "next_card": next_card, "candidates": candidates,
        "choices": choices, "chosen_leader": chosen_leader, "chosen_deputies": chosen_deputies,
        "chosen_date": chosen_date, "error": error, "has_flag": bool(group_year.group.flag_kind),
        "flag_kind_label": group_year.group.get_flag_kind_display(),
        "flag_from": this_holder.to_unit if this_holder else services.leader_of(group_year),
        "has_covenant": Covenant.objects.filter(group_year=group_year).exists(),
        "next_covenant": Covenant.objects.filter(group_year=next_gy).first() if next_gy else None,
    }
    return render(request, "conference/rotation_page.html", context)
