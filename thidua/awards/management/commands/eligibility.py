"""thidua eligibility FILE.yaml --year Y [--json]: who meets the standard route to each title and
award in year Y, and why (thidua.awards.eligibility). Reads the file only, never the database."""

import json

from django.core.management.base import BaseCommand, CommandError

from thidua.awards.codes import code_name
from thidua.awards.config import rule_table
from thidua.awards.eligibility import history_assess
from thidua.awards.management.commands.history import read_history_file
from thidua.awards.rules import RuleError


class Command(BaseCommand):
    help = (
        "Xét điều kiện các danh hiệu, hình thức khen thưởng năm Y cho mọi cá nhân, tập thể trong tệp "
        "hồ sơ quá trình (thidua-history/1), kèm lý do và căn cứ; không đọc, không ghi cơ sở dữ liệu."
    )
    requires_system_checks = []  # no database, nothing to check: the command reads a file

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.yaml")
        parser.add_argument("--year", type=int, required=True, metavar="Y", help="Năm xét.")
        parser.add_argument(
            "--json", action="store_true",
            help='In JSON: [{"id", "code", "eligible", "reasons", "basis"}]; lưu ý theo đơn vị ra stderr.',
        )

    def handle(self, *args, file, year, **options):
        if not 1000 <= year <= 9999:
            raise CommandError(f"Năm xét phải là một số có 4 chữ số, không phải {year}.")
        history = read_history_file(file, writes=False)
        try:
            assessment = history_assess(history=history, year=year, table=rule_table())
        except RuleError as exc:
            raise CommandError(f"Bộ quy tắc không dùng được: {exc}") from None
        if options["json"]:
            self.stdout.write(json.dumps(assessment.to_json(), ensure_ascii=False, indent=2))
            for warning in assessment.warnings:
                self.stderr.write(f"Lưu ý: {warning.text}")
            return
        names = {row.id: (row.name, row.unit) for row in (*history.people, *history.collectives)}
        self.stdout.write(f"Điều kiện xét tặng năm {year} — căn cứ: {assessment.rule_set.basis}")
        current = None
        for result in assessment.results:
            if result.id != current:
                current = result.id
                name, unit = names[result.id]
                self.stdout.write(f"\n{result.id} {name} ({unit})")
            verdict = "ĐẠT" if result.eligible else "KHÔNG ĐẠT"
            if result.override_possible:
                verdict += " (có thể đề nghị ngoại lệ)"
            self.stdout.write(f"  {code_name(result.code)} ({result.code}): {verdict}")
            for reason in result.reasons:
                self.stdout.write(f"    - {reason}")
        if assessment.warnings:
            self.stdout.write("\nLưu ý:")
            for warning in assessment.warnings:
                self.stdout.write(f"  - {warning.text}")
