"""Demo step: the year-end conferences of the seed clusters (conference.yaml), through the services.

For each conference: the award proposals from the ranking and the acclaimed unit
(`proposals_build`), then next year's leader, deputies, flag and draft covenant
(`conference_rotate`). Both services leave an unchanged state alone, so loading the demo twice
records nothing new.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "conference.yaml"


def _read() -> list[dict[str, Any]]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))["conferences"]


def demo_conference() -> None:
    """Apply every demo conference (after the covenants and their results are loaded)."""
    from thidua.conference.proposals import proposals_build  # models: imported once Django is ready
    from thidua.conference.rotation import conference_rotate
    from thidua.org.models import GroupYear, Unit

    for row in _read():
        group_year = GroupYear.objects.select_related("group__organiser_unit").get(
            group__code=row["group"], year=row["year"])
        units = {u.code: u for u in Unit.objects.filter(code__in=[row["acclaimed"], row["next_leader"],
                                                                   *row.get("next_deputies", [])])}
        votes = row.get("acclaim_votes")
        proposals_build(group_year=group_year, leading_unit=units[row["acclaimed"]], actor=None,
                        acclaim_votes=tuple(votes) if votes else None)
        conference_rotate(
            group_year=group_year, next_leader=units[row["next_leader"]],
            next_deputies=[units[code] for code in row.get("next_deputies", [])],
            handover_date=row["handover_date"], actor=None,
        )
