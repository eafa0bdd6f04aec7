"""The installation's rule table: thidua.awards.rules with the overrides of the Django settings.

`THIDUA_AWARD_RULES` (optional) changes settings of the rule sets, for every rule set ("*") or one
of them by key, e.g. a province that keeps a 20 % quota from 2024::

    THIDUA_AWARD_RULES = {"nd98-2023": {"cstdcs.quota_pct": "20"}, "nd152-2025": {"cstdcs.quota_pct": "20"}}

Reading settings is not reading the database: `thidua eligibility` stays off the database.
"""

from __future__ import annotations

from django.conf import settings

from thidua.awards.rules import RULE_SETS, RuleSet, rule_table_override


def rule_table() -> tuple[RuleSet, ...]:
    """The rule sets in force in this installation (RuleError when an override is invalid)."""
    overrides = getattr(settings, "THIDUA_AWARD_RULES", None) or {}
    return rule_table_override(overrides=overrides) if overrides else RULE_SETS
