"""Ranking of a group-year and a unit's score sheet. Thin: policy → selector → template."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from thidua.org import policy
from thidua.scoring import ranking_cache
from thidua.scoring.charts import plan_chart, ranking_chart
from thidua.scoring.selectors import group_year_scores, score_sheet_rows


@login_required
def ranking(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    # links to score sheets and the % of plan chart: only the units whose figures the viewer may read
    visible = set(policy.report_readable_units(request.user, group_year).values_list("code", flat=True))

    def scored_part() -> dict:
        scores = group_year_scores(group_year=group_year)
        context = {"scores": scores, "gy": group_year, "visible_units": visible,
                   # charts: % of plan only for the units whose score sheets (figures) the viewer may open
                   "ranking_chart": ranking_chart(scores), "plan_chart": plan_chart(scores, units=visible)}
        # Without the request: nothing bound to this request or user (CSRF token, nonce) can end
        # up in HTML that other viewers with the same links are served.
        return {"html": render_to_string("scoring/_ranking_body.html", context),
                "charts": bool(context["ranking_chart"])}

    # Scored and rendered once per state of the group-year's data (ranking_cache: keyed by a digest of
    # every row it is computed from, so it is never stale) and per set of links the viewer gets.
    part = ranking_cache.cached_part(group_year=group_year, visible=visible, language=get_language(),
                                     build=scored_part)
    return render(request, "scoring/ranking.html", {"gy": group_year, "part": part})


@login_required
def score_sheet(request: HttpRequest, code: str, year: int, unit: str) -> HttpResponse:
    """Every criterion of one unit with its figures and points; each points cell opens its explanation."""
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    unit_obj = policy.get_unit_for_user(request.user, code=unit)
    # The sheet shows the unit's figures: those who may read its report, like the data-entry page and
    # the API (a group's readers see the ranking and the score table, not the members' figures).
    if not policy.can_view_unit_report(request.user, group_year, unit_obj):
        raise Http404("Không tìm thấy số liệu của đơn vị này hoặc bạn không có quyền xem.")
    scores = group_year_scores(group_year=group_year)
    if unit_obj.code not in scores.labels:
        raise Http404("Đơn vị này không phải thành viên của cụm, khối trong năm này.")
    context = {"gy": group_year, "unit": unit_obj, "score": scores.unit(unit_obj.code), "scores": scores,
               "rows": score_sheet_rows(scores=scores, unit=unit_obj)}
    return render(request, "scoring/score_sheet.html", context)
