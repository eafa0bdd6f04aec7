"""Organisation pages: dashboard, groups by year, a group-year, a unit. Thin: policy → selector → template."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thidua.org import policy, selectors
from thidua.reporting.selectors import countdowns
from thidua.scoring.charts import unit_history_chart


def _year_param(request: HttpRequest) -> int | None:
    value = request.GET.get("nam", "")
    return int(value) if value.isdigit() and 1900 < int(value) < 2200 else None


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    year = selectors.dashboard_year(request.user, _year_param(request))
    cards = selectors.group_year_cards(policy.group_years_for(request.user).filter(year=year))
    context = {
        "countdowns": countdowns(group_years=[card.group_year for card in cards]),
        "year": year,
        "years": selectors.available_years(request.user),
        "cards": cards,
        "own_units": policy.own_units(request.user),
        "roles": policy.assignments_of(request.user),
    }
    return render(request, "org/dashboard.html", context)


@login_required
def group_year_list(request: HttpRequest) -> HttpResponse:
    years = selectors.available_years(request.user)
    year = _year_param(request) or selectors.dashboard_year(request.user, None)
    cards = selectors.group_year_cards(policy.group_years_for(request.user).filter(year=year))
    return render(request, "org/group_year_list.html", {"year": year, "years": years, "cards": cards})


@login_required
def group_year_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    context = {
        "card": selectors.group_year_card(group_year),
        "flags": selectors.flag_history(group_year),
        "years": selectors.group_years_of_group(user=request.user, group_year=group_year),
        "can_manage": policy.can_manage_group_year(request.user, group_year),
        "can_review": policy.can_review_reports(request.user, group_year),
        "is_board": policy.is_board_for(request.user, group_year),
        "visible_unit_ids": set(policy.units_for(request.user).values_list("pk", flat=True)),
    }
    return render(request, "org/group_year_detail.html", context)


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = policy.get_unit_for_user(request.user, code=code)
    memberships = selectors.unit_memberships(unit, user=request.user)  # only group-years the user may read
    context = {
        "unit": unit,
        "memberships": memberships,
        "history_chart": unit_history_chart(unit, memberships),
        "successors": unit.successions.select_related("successor"),
        "predecessors": unit.predecessions.select_related("predecessor"),
    }
    return render(request, "org/unit_detail.html", context)
