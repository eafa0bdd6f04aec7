"""The covenant page and its editor (leader officers and the Board). Thin: policy → form → service."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from thidua.covenants import services
from thidua.covenants.fileformat import CriterionDoc
from thidua.covenants.forms import NUMBER_PARAMS, ContentForm, CriterionForm
from thidua.covenants.models import Covenant
from thidua.covenants.selectors import criteria_of
from thidua.lib.numbers import NumberParseError, parse_number
from thidua.org import policy
from thidua.org.models import GroupYear
from thidua.scoring import engine
from thidua.scoring.examples import method_examples
from thidua.scoring.methods import METHOD_PARAMS, METHODS


def _managed_group_year(request: HttpRequest, code: str, year: int) -> GroupYear:
    """The group-year, if the user may edit it: 404 outside scope, 403 for readers of it."""
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    if not policy.can_manage_group_year(request.user, group_year):
        raise PermissionDenied("Chỉ cán bộ đơn vị cụm trưởng và Ban Thi đua – Khen thưởng được sửa giao ước.")
    return group_year


def _covenant(group_year: GroupYear) -> Covenant:
    covenant = Covenant.objects.filter(group_year=group_year).first()
    if covenant is None:
        raise Http404("Cụm, khối này chưa có giao ước trong năm.")
    return covenant


def _back(group_year: GroupYear):
    return redirect("covenant_detail", code=group_year.group.code, year=group_year.year)


@login_required
def covenant_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    covenant = Covenant.objects.filter(group_year=group_year).first()
    context = {
        "gy": group_year,
        "covenant": covenant,
        "criteria": criteria_of(covenant) if covenant else [],
        "can_manage": policy.can_manage_group_year(request.user, group_year),
    }
    return render(request, "covenants/covenant_detail.html", context)


@login_required
@require_POST
def covenant_create(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group_year = _managed_group_year(request, code, year)
    try:
        services.covenant_start(group_year=group_year, actor=request.user)
    except services.CovenantError as exc:  # e.g. the year already has its covenant: a message, not a 500
        messages.error(request, str(exc))
        return _back(group_year)
    messages.success(request, "Đã tạo giao ước dự thảo.")
    return _back(group_year)


@login_required
@require_POST
def covenant_sign(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group_year = _managed_group_year(request, code, year)
    try:
        services.covenant_sign(covenant=_covenant(group_year), actor=request.user)
        messages.success(request, "Giao ước đã được ký kết; từ nay mọi thay đổi phải ghi nhận sửa đổi kèm lý do.")
    except services.CovenantError as exc:
        messages.error(request, str(exc))
    return _back(group_year)


@login_required
@require_POST
def covenant_copy_forward(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group_year = _managed_group_year(request, code, year)
    try:
        copy = services.covenant_copy_forward(covenant=_covenant(group_year), actor=request.user)
    except services.CovenantError as exc:
        messages.error(request, str(exc))
        return _back(group_year)
    messages.success(request, f"Đã tạo giao ước dự thảo năm {copy.group_year.year} từ giao ước năm {year}.")
    return redirect("covenant_detail", code=code, year=copy.group_year.year)


def _criterion_initial(criterion) -> dict:
    initial = {"code": criterion.code, "content": criterion.content.code, "title": criterion.title,
               "max_points": Decimal(criterion.max_points).normalize(), "measure": criterion.measure,
               "direction": criterion.direction, "aggregate": criterion.aggregate, "method": criterion.method,
               "requires_evidence": criterion.requires_evidence}
    initial.update({k: v if k == "by" else Decimal(v) for k, v in criterion.params.items()})
    return initial


@login_required
def criterion_edit(request: HttpRequest, code: str, year: int, criterion: str | None = None) -> HttpResponse:
    group_year = _managed_group_year(request, code, year)
    covenant = _covenant(group_year)
    existing = covenant.criteria.select_related("content").filter(code=criterion).first() if criterion else None
    if criterion and existing is None:
        raise Http404("Không có tiêu chí này trong giao ước.")
    contents = [(c.code, f"{c.code}. {c.title}") for c in covenant.contents.all()]
    form = CriterionForm(
        request.POST or None, initial=_criterion_initial(existing) if existing else None,
        contents=contents, editing=existing is not None, frozen=covenant.is_frozen,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        doc = CriterionDoc(code=data["code"], title=data["title"], max_points=data["max_points"],
                           measure=data["measure"], direction=data["direction"], aggregate=data["aggregate"],
                           method=data["method"], params=form.params())
        try:
            services.covenant_criterion_put(covenant=covenant, content_code=data["content"], criterion=doc,
                                            actor=request.user, amendment_reason=data.get("amendment_reason", ""))
        except services.CovenantEditError as exc:
            for field, errors in exc.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        except services.CovenantError as exc:
            form.add_error(None, str(exc))
        else:
            saved = covenant.criteria.get(code=data["code"])
            services.criterion_set_requires_evidence(criterion=saved, required=data["requires_evidence"], actor=request.user)
            messages.success(request, f"Đã lưu tiêu chí {data['code']}.")
            return _back(group_year)
    return render(request, "covenants/criterion_form.html",
                  {"gy": group_year, "covenant": covenant, "form": form, "existing": existing,
                   "number_params": NUMBER_PARAMS})


@login_required
def content_edit(request: HttpRequest, code: str, year: int, content: str | None = None) -> HttpResponse:
    group_year = _managed_group_year(request, code, year)
    covenant = _covenant(group_year)
    existing = covenant.contents.filter(code=content).first() if content else None
    if content and existing is None:
        raise Http404("Không có nội dung này trong giao ước.")
    initial = {"code": existing.code, "title": existing.title, "max_points": Decimal(existing.max_points).normalize()} if existing else None
    form = ContentForm(request.POST or None, initial=initial, editing=existing is not None, frozen=covenant.is_frozen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.covenant_content_put(covenant=covenant, code=data["code"], title=data["title"],
                                          max_points=data["max_points"], actor=request.user,
                                          amendment_reason=data.get("amendment_reason", ""))
        except services.CovenantError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Đã lưu nội dung {data['code']}.")
            return _back(group_year)
    return render(request, "covenants/content_form.html", {"gy": group_year, "form": form, "existing": existing})


@login_required
def method_example(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """htmx fragment: the engine's points on sample figures for the method and parameters typed."""
    _managed_group_year(request, code, year)
    method = request.GET.get("method", "")
    lines: list[str] = []
    try:
        max_points = parse_number(request.GET.get("max_points") or "0")
        params: dict = {}
        for name in METHOD_PARAMS.get(method, ()):
            raw = request.GET.get(name, "").strip()
            if raw:
                params[name] = raw if name == "by" else parse_number(raw)
        if method in METHODS:
            rule = engine.CriterionRule(code="VD", content="", max_points=max_points, method=method,
                                        direction=request.GET.get("direction", "higher"), params=params)
            lines = method_examples(rule)
    except NumberParseError as exc:
        lines = [f"«{exc}» không phải là số."]
    return render(request, "covenants/_examples.html", {"lines": lines})
