"""The scorer's batched database read (thidua.scoring.selectors.scores_of) gives the engine exactly
what the models hold: the same rules as the covenant's model rows, the same result rows, in any
cell order; the scores of every cell are those of the engine on the model rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.covenants.test_cli import EVERY_METHOD, import_text
from thidua.covenants.models import Covenant, Result
from thidua.covenants.selectors import covenant_rules
from thidua.scoring import engine
from thidua.scoring.selectors import scores_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_method(tmp_path) -> Covenant:
    import_text(tmp_path, "HT-CUM-2024.yaml", EVERY_METHOD)
    return Covenant.objects.get(group_year__group__code="HT-CUM", group_year__year=2024)


def test_the_scorers_rules_equal_the_covenants_model_rows(every_method):
    scored = scores_of(Covenant.objects.filter(pk=every_method.pk))[every_method.group_year_id]
    from_models = covenant_rules(every_method)
    assert scored.rules == from_models
    assert list(scored.rules.criteria) == list(from_models.criteria)  # covenant order
    rank_by_pct = scored.rules.criteria["II.4"]
    assert rank_by_pct.params == {"by": "pct_of_plan", "step": Decimal(4)}
    assert scored.rules.criteria["III.1"].params == {}


def test_every_cell_scores_as_the_engine_does_on_the_model_rows(every_method):
    scored = scores_of(Covenant.objects.filter(pk=every_method.pk))[every_method.group_year_id]
    rules = covenant_rules(every_method)
    units = sorted(scored.labels)
    rows = [
        engine.Result(r.unit.code, r.criterion.code, r.target, r.actual, r.baseline, r.points)
        for r in Result.objects.filter(criterion__covenant=every_method).select_related("unit", "criterion")
        .order_by("-pk")  # another order than the scorer's read
    ]
    for line in scored.ranking:
        for code, score in line.criteria.items():
            expected = engine.score_criterion(rule=rules.criteria[code], units=units, results=rows)[line.unit]
            assert score == expected, (line.unit, code)
    assert sum(1 for line in scored.ranking for s in line.criteria.values() if s.missing) > 0
