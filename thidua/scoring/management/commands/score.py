"""thidua score GROUP YEAR [--json]: the ranking of a group-year (COVENANT_FORMAT.md)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from thidua.lib.numbers import format_number
from thidua.org.models import GroupYear
from thidua.scoring.engine import ScoringError
from thidua.scoring.selectors import group_year_scores


class Command(BaseCommand):
    help = "Chấm điểm và xếp hạng các thành viên của một cụm/khối trong một năm."

    def add_arguments(self, parser):
        parser.add_argument("group", metavar="GROUP")
        parser.add_argument("year", type=int, metavar="YEAR")
        parser.add_argument("--json", action="store_true", help="In JSON theo COVENANT_FORMAT.md.")

    def handle(self, *args, group, year, **options):
        group_year = GroupYear.objects.filter(group__code=group, year=year).select_related("group").first()
        if group_year is None:
            raise CommandError(f"Không có cụm/khối {group} năm {year}.")
        try:
            scores = group_year_scores(group_year=group_year)
        except ScoringError as exc:
            raise CommandError(f"Không chấm được điểm: {exc}") from None
        except Http404 as exc:  # the group-year has no covenant yet
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(_dumps(scores.to_json()))
            return
        self._table(scores)

    def _table(self, scores) -> None:
        contents = [c.code for c in scores.rules.contents]
        gy = scores.group_year
        self.stdout.write(f"Kết quả chấm điểm {gy.group.name} ({gy.group.code}) năm {gy.year} — thang điểm {format_number(scores.covenant.scale)}")
        header = ["Hạng", "Đơn vị", *[f"ND {c}" for c in contents], "Thưởng/trừ", "Tổng điểm"]
        rows = [
            [str(s.rank), scores.labels.get(s.unit, s.unit), *[format_number(s.contents[c], places=2) for c in contents],
             format_number(s.adjustments, places=2), format_number(s.total, places=2)]
            for s in scores.ranking
        ]
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            cells = [cell.ljust(widths[i]) if i == 1 else cell.rjust(widths[i]) for i, cell in enumerate(row)]
            self.stdout.write("  ".join(cells))
        missing = sum(1 for s in scores.ranking for c in s.criteria.values() if c.missing)
        if missing:
            self.stdout.write(self.style.WARNING(f"Có {format_number(missing)} ô thiếu số liệu (0 điểm)."))


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
