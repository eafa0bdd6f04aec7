"""Charts on the web pages (thidua/scoring/charts.py, thidua/static/thidua/charts.js).

The data embedded in the pages with `json_script` is checked against `thidua score --json` and the
fixture's figures; the unit page's history against the access policy; both pages against the
Content Security Policy (no inline script, every script tag with the response's nonce).
"""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import G1_2024_COVENANT
from tests.factories import TEST_PASSWORD
from thidua.covenants.models import Covenant
from thidua.scoring import charts

pytestmark = pytest.mark.django_db

# G1 in 2025: P-B overtakes P-A; P-A has a target for the lower-is-better I.2 (31 of 30 planned).
G1_2025_COVENANT = (
    G1_2024_COVENANT.replace("year: 2024", "year: 2025")
    .replace('{unit: P-A, criterion: "I.1", target: 100, actual: 112.88}', '{unit: P-A, criterion: "I.1", target: 100, actual: 80}')
    .replace('{unit: P-B, criterion: "I.1", target: 150, actual: 140}', '{unit: P-B, criterion: "I.1", target: 150, actual: 180}')
    .replace('{unit: P-A, criterion: "I.2", actual: 31, baseline: 35}', '{unit: P-A, criterion: "I.2", target: 30, actual: 31, baseline: 35}')
    .replace('{unit: P-B, criterion: "I.2", actual: 40, baseline: 35}', '{unit: P-B, criterion: "I.2", actual: 30, baseline: 35}')
    .replace('{unit: P-A, criterion: "II.1", points: 45}', '{unit: P-A, criterion: "II.1", points: 20}\n  - {unit: P-B, criterion: "II.1", points: 50}')
)


@pytest.fixture
def g1_2025_covenant(world, g1_covenant):
    from thidua.covenants.fileformat import read_covenant
    from thidua.covenants.services import covenant_import

    assert G1_2025_COVENANT.count("year: 2025") == 1 and G1_2025_COVENANT.count("target: 30") == 1
    covenant_import(doc=read_covenant(G1_2025_COVENANT, filename="g1-2025.yaml"), filename="g1-2025.yaml")
    world.g1_2025.refresh_from_db()
    return world.g1_2025.covenant


def get(client, user, url: str):
    assert client.login(username=user.username, password=TEST_PASSWORD)
    response = client.get(url)
    assert response.status_code == 200
    return response


def embedded(response, element_id: str):
    """The JSON of one `json_script` block of the page."""
    page = response.content.decode()
    match = re.search(rf'<script id="{re.escape(element_id)}" type="application/json">(.*?)</script>', page, re.S)
    assert match, f"no json_script block #{element_id}"
    return json.loads(match.group(1))


def score_json(group: str, year: int) -> dict:
    out = io.StringIO()
    call_command("score", group, str(year), "--json", stdout=out)
    return json.loads(out.getvalue())


# ------------------------------------------------------------------------------ the ranking page


def test_the_ranking_chart_embeds_the_figures_of_thidua_score_json(client, world, g1_covenant):
    data = embedded(get(client, world.officer_a, reverse("ranking", args=("G1", 2024))), "chart-ranking-data")
    expected = score_json("G1", 2024)["ranking"]
    assert [(u["rank"], u["unit"], u["total"], u["adjustments"], u["contents"]) for u in data["units"]] == [
        (line["rank"], line["unit"], line["total"], line["adjustments"], line["contents"]) for line in expected
    ]
    assert [(u["unit"], u["label"], u["total"]) for u in data["units"]] == [("P-A", "Ánh Dương", 141.44),
                                                                           ("P-B", "Bình Minh", 79.04)]
    assert data["contents"] == ["I", "II"] and data["scale"] == 1000


def test_the_ranking_chart_follows_a_later_year_too(client, world, g1_2025_covenant):
    data = embedded(get(client, world.council_g1, reverse("ranking", args=("G1", 2025))), "chart-ranking-data")
    expected = score_json("G1", 2025)["ranking"]
    assert [(u["rank"], u["unit"], u["total"]) for u in data["units"]] == [
        (line["rank"], line["unit"], line["total"]) for line in expected
    ]
    assert data["units"][0]["unit"] == "P-B"  # the chart keeps the ranking order


def test_percent_of_plan_per_criterion_and_unit(client, world, g1_covenant):
    response = get(client, world.leader_g1_2024, reverse("ranking", args=("G1", 2024)))
    data = embedded(response, "chart-plan-data")
    # Only I.1 has targets: P-A 112,88 / 100 × 100; P-B 140 / 150 × 100 = 93,333… → 93,33 on the chart.
    assert [u["unit"] for u in data["units"]] == ["P-A", "P-B"]
    assert data["criteria"] == [{"code": "I.1", "title": "Thu ngân sách", "lower": False, "values": [112.88, 93.33]}]
    page = response.content.decode()
    table = page[page.index('id="plan-table"'):page.index("</table>", page.index('id="plan-table"'))]
    assert "112,88%" in table and "93,33%" in table  # the fallback table, Vietnamese format


def test_percent_of_plan_flags_lower_is_better_and_missing_figures(client, world, g1_2025_covenant):
    data = embedded(get(client, world.council_g1, reverse("ranking", args=("G1", 2025))), "chart-plan-data")
    assert [u["unit"] for u in data["units"]] == ["P-B", "P-A"]  # ranking order
    assert data["criteria"] == [
        {"code": "I.1", "title": "Thu ngân sách", "lower": False, "values": [120.0, 80.0]},
        # P-A: 31 / 30 × 100 = 103,33 (lower is better: not met); P-B has no target → null.
        {"code": "I.2", "title": "Tai nạn giao thông", "lower": True, "values": [None, 103.33]},
    ]


def test_percent_of_plan_shows_only_units_whose_figures_the_viewer_may_open(client, world, g1_covenant):
    response = get(client, world.officer_a, reverse("ranking", args=("G1", 2024)))
    data = embedded(response, "chart-plan-data")
    assert [u["unit"] for u in data["units"]] == ["P-A"]
    assert data["criteria"][0]["values"] == [112.88]
    assert "93,33" not in response.content.decode()
    assert "Chỉ gồm các đơn vị bạn được xem bảng điểm chi tiết." in response.content.decode()
    # … while the ranking itself (the table and its chart) still lists every member.
    assert [u["unit"] for u in embedded(response, "chart-ranking-data")["units"]] == ["P-A", "P-B"]


def test_the_ranking_table_is_untouched_and_comes_before_the_charts(client, world, g1_covenant):
    page = get(client, world.officer_a, reverse("ranking", args=("G1", 2024))).content.decode()
    assert page.count('data-unit="P-A"') == 1 and page.count('id="ranking"') == 1
    assert page.index('id="ranking"') < page.index("Biểu đồ") < page.index('id="chart-ranking"')
    assert '<canvas id="chart-ranking" role="img"' in page and '<canvas id="chart-plan" role="img"' in page
    assert 'aria-label="Biểu đồ cột tổng điểm các đơn vị theo thứ tự xếp hạng: 1. Ánh Dương 141,44 điểm; 2. Bình Minh 79,04 điểm"' in page


def test_percent_of_plan_reads_the_results_once(world, g1_covenant, django_assert_num_queries):
    from thidua.scoring.selectors import group_year_scores

    scores = group_year_scores(group_year=world.g1_2024)
    scores.criteria  # noqa: B018  (the ranking page's criteria, cached on the scores)
    with django_assert_num_queries(1):
        chart = charts.plan_chart(scores)
    assert [row.code for row in chart.rows] == ["I.1"]


# ------------------------------------------------------------------------------ the unit page


def test_the_unit_history_has_every_visible_year_scored_in_one_call(client, world, g1_2025_covenant, monkeypatch):
    calls = []
    real = charts.scores_of

    def counting(covenants):
        calls.append(sorted(covenants.values_list("group_year__year", flat=True)))
        return real(covenants)

    monkeypatch.setattr(charts, "scores_of", counting)
    response = get(client, world.council_g1, reverse("unit_detail", args=("P-A",)))
    assert calls == [[2024, 2025]]  # one scoring call for both years
    data = embedded(response, "chart-history-data")
    assert data["years"] == [2024, 2025]
    (series,) = data["series"]
    totals_2024 = {line["unit"]: line for line in score_json("G1", 2024)["ranking"]}
    totals_2025 = {line["unit"]: line for line in score_json("G1", 2025)["ranking"]}
    assert series["group"] == "G1" and series["name"] == "Cụm thi đua số 1"
    assert series["totals"] == [totals_2024["P-A"]["total"], totals_2025["P-A"]["total"]]
    assert series["ranks"] == [1, 2] and series["members"] == [2, 2] and series["scales"] == [1000, 1000]
    page = response.content.decode()
    assert "141,44" in page[page.index('id="unit-history-table"'):]


def test_the_unit_history_leaves_out_years_the_viewer_may_not_see(client, world, g1_2025_covenant):
    # The leader officer of G1 for 2024 only: 2025 is not theirs to read.
    response = get(client, world.leader_g1_2024, reverse("unit_detail", args=("P-A",)))
    data = embedded(response, "chart-history-data")
    assert data["years"] == [2024]
    assert data["series"][0]["totals"] == [141.44]
    page = response.content.decode()
    assert "2025" not in page[page.index('id="unit-history"'):]


def test_a_unit_without_any_covenant_has_no_chart(client, world, g1_covenant):
    page = get(client, world.officer_c, reverse("unit_detail", args=("Q-C",))).content.decode()
    assert 'id="chart-history"' not in page and "chart.umd" not in page


# ------------------------------------------------------------------------------ Content Security Policy


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.tags.append(dict(attrs))


@pytest.mark.parametrize(
    ("actor", "name", "args"),
    [("officer_a", "ranking", ("G1", 2024)), ("board_p", "unit_detail", ("P-A",))],
)
def test_no_inline_script_and_every_script_carries_the_nonce(client, world, g1_covenant, actor, name, args):
    response = get(client, getattr(world, actor), reverse(name, args=args))
    nonce = re.search(r"script-src [^;]*'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    parser = Scripts()
    parser.feed(response.content.decode())
    sources = [tag["src"] for tag in parser.tags if tag.get("src")]
    assert any("vendor/chartjs/chart.umd.min.js" in src for src in sources)
    assert any(src.endswith("thidua/charts.js") for src in sources)
    for tag in parser.tags:
        if tag.get("src"):
            assert tag.get("nonce") == nonce, tag
        else:  # data only: json_script blocks
            assert tag.get("type") == "application/json", tag
    assert " style=" not in response.content.decode().split("<body", 1)[1]  # no inline style attribute
