"""The rule table: which rule set judges a year or a decision date, and how its settings change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from thidua.awards.config import rule_table
from thidua.awards.rules import (
    ARTICLE_KEYS,
    RULE_SETS,
    SETTINGS,
    RuleError,
    rule_set_for,
    rule_set_on,
    rule_set_override,
    rule_table_override,
)


@pytest.mark.parametrize(
    ("year", "key"), [(2010, "nd91-2017"), (2023, "nd91-2017"), (2024, "nd98-2023"), (2025, "nd152-2025"), (2027, "nd152-2025")]
)
def test_an_assessment_year_is_judged_by_the_rule_set_in_force_on_its_last_day(year, key):
    assert rule_set_for(year=year).key == key


def test_a_decision_date_picks_the_decree_in_force_that_day():
    assert rule_set_on(day=dt.date(2025, 6, 30)).key == "nd98-2023"
    assert rule_set_on(day=dt.date(2025, 7, 1)).key == "nd152-2025"
    assert rule_set_on(day=dt.date(2023, 12, 31)).key == "nd91-2017"


def test_every_rule_set_cites_every_condition_and_carries_every_setting():
    for rule_set in RULE_SETS:
        assert set(rule_set.articles) == set(ARTICLE_KEYS)
        assert set(rule_set.settings) == set(SETTINGS)
    assert [rule_set["lower_form_not_required"] for rule_set in RULE_SETS] == [False, False, True]


def test_every_setting_says_what_it_means_in_vietnamese_and_how_sure_it_is():
    for name, setting in SETTINGS.items():
        assert setting.tag in ("[V]", "[P]", "[U]"), name
        assert setting.meaning and setting.meaning[0].isupper(), name


def test_an_override_changes_one_setting_and_keeps_the_others():
    rules = rule_set_override(rule_set=rule_set_for(year=2025), settings={"cstdcs.quota_pct": "20", "bk_ttg.run_years": 4})
    assert rules["cstdcs.quota_pct"] == Decimal(20) and rules["bk_ttg.run_years"] == 4
    assert rules["hcld3.run_years"] == 5 and rules.basis == rule_set_for(year=2025).basis


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cstdcs.quota": 15}, 'Không có tham số "cstdcs.quota"'),
        ({"cstdcs.quota_pct": "150"}, "là tỷ lệ phần trăm từ 0 đến 100"),
        ({"bk_ttg.run_years": "5"}, "phải là số nguyên không âm"),
        ({"ldtt.min_rating": "TOT"}, "chọn một trong: HTXS, HTT, HT, KHT"),
        ({"lower_form_not_required": "yes"}, "phải là true hoặc false"),
    ],
)
def test_a_wrong_setting_is_refused_in_vietnamese(changes, message):
    with pytest.raises(RuleError, match=message):
        rule_set_override(rule_set=rule_set_for(year=2025), settings=changes)


def test_the_installation_overrides_all_rule_sets_or_one_by_key(settings):
    table = rule_table_override(overrides={"*": {"cstdcs.quota_pct": 10}, "nd152-2025": {"cstdcs.quota_pct": 20}})
    assert [rule_set["cstdcs.quota_pct"] for rule_set in table] == [10, 10, 20]
    with pytest.raises(RuleError, match="Không có bộ quy tắc: nd100"):
        rule_table_override(overrides={"nd100": {}})
    settings.THIDUA_AWARD_RULES = {"nd98-2023": {"cstdcs.quota_pct": "25"}}
    assert rule_set_for(year=2024, table=rule_table())["cstdcs.quota_pct"] == 25
