"""The charts are drawn in real Chromium under the site's Content Security Policy.

Each test opens a page as a logged-in user, waits until Chart.js has drawn the canvas (its image is
larger than a blank canvas of the same size and the chart holds the page's figures), checks the
Vietnamese number format of the tooltips and that no CSP violation was logged or reported.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Records CSP violations as the browser reports them (an init script is not subject to the page's CSP).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""

DRAWN = """(selector) => {
  const canvas = document.querySelector(selector);
  if (!canvas || !window.Chart || !Chart.getChart(canvas)) return false;
  const blank = document.createElement('canvas');
  blank.width = canvas.width;
  blank.height = canvas.height;
  return canvas.width > 0 && canvas.toDataURL().length > blank.toDataURL().length;
}"""


@pytest.fixture
def watched(page):
    """The page with its console messages, uncaught errors and CSP violations collected."""
    messages: list[str] = []
    errors: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(WATCH_CSP)
    page.messages, page.errors = messages, errors
    return page


def assert_no_csp_violation(page) -> None:
    assert not [m for m in page.messages if "Content Security Policy" in m], page.messages
    assert page.evaluate("window.__cspViolations") == []
    assert page.errors == []


def test_the_ranking_charts_are_drawn_under_the_csp(world, g1_covenant, live_server, watched, log_in):
    page = watched
    page.emulate_media(reduced_motion="reduce")
    log_in(page, "leader_g1_2024")
    page.goto(f"{live_server.url}/cum-khoi/G1/2024/xep-hang/")
    expect(page.get_by_role("heading", name="Biểu đồ")).to_be_visible()
    page.wait_for_function(DRAWN, arg="#chart-ranking")
    page.wait_for_function(DRAWN, arg="#chart-plan")

    ranking = page.evaluate("""() => {
      const chart = Chart.getChart(document.querySelector('#chart-ranking'));
      return {labels: chart.data.labels, data: chart.data.datasets[0].data, animation: chart.options.animation,
              tooltip: chart.options.plugins.tooltip.callbacks.label({raw: 141.44}),
              ticks: chart.scales.x.ticks.map((t) => t.label)};
    }""")
    assert ranking["labels"] == ["1. Ánh Dương", "2. Bình Minh"]
    assert ranking["data"] == [141.44, 79.04]
    assert ranking["animation"] is False  # prefers-reduced-motion
    assert ranking["tooltip"] == "Tổng điểm: 141,44 điểm"  # Intl.NumberFormat('vi-VN')

    plan = page.evaluate("""() => {
      const chart = Chart.getChart(document.querySelector('#chart-plan'));
      return {cells: chart.data.datasets[0].data.map((c) => [c.y, c.x, c.v]),
              tooltip: chart.options.plugins.tooltip.callbacks.label({raw: chart.data.datasets[0].data[1]})};
    }""")
    assert plan["cells"] == [["I.1", "Ánh Dương", 112.88], ["I.1", "Bình Minh", 93.33]]
    assert plan["tooltip"] == "Bình Minh: 93,33% kế hoạch (chưa đạt kế hoạch)"
    expect(page.locator("#chart-ranking")).to_have_attribute("aria-label", "Biểu đồ cột tổng điểm các đơn vị theo thứ tự xếp hạng: 1. Ánh Dương 141,44 điểm; 2. Bình Minh 79,04 điểm")
    # The ranking table is still there, first.
    expect(page.locator('tr[data-unit="P-A"]')).to_contain_text("141,44")
    assert_no_csp_violation(page)


def test_the_unit_history_chart_is_drawn_under_the_csp(world, g1_covenant, live_server, watched, log_in):
    page = watched
    log_in(page, "board_p")
    page.goto(f"{live_server.url}/don-vi/P-A/")
    expect(page.get_by_role("heading", name="Tổng điểm qua các năm")).to_be_visible()
    page.wait_for_function(DRAWN, arg="#chart-history")
    history = page.evaluate("""() => {
      const chart = Chart.getChart(document.querySelector('#chart-history'));
      return {labels: chart.data.labels, data: chart.data.datasets.map((d) => d.data),
              tooltip: chart.options.plugins.tooltip.callbacks.label({datasetIndex: 0, dataIndex: 0})};
    }""")
    assert history["labels"] == ["2024"]
    assert history["data"] == [[141.44]]
    assert history["tooltip"] == "Cụm thi đua số 1: 141,44 điểm (hạng 1/2, thang điểm 1.000)"
    assert_no_csp_violation(page)
