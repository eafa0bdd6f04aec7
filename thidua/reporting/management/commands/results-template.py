"""thidua results-template GROUP YEAR [--unit CODE] [-o FILE.xlsx]: the Excel results template."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thidua.covenants.models import Covenant
from thidua.covenants.selectors import members_of
from thidua.reporting.excel import results_template


class Command(BaseCommand):
    help = "Tạo tệp Excel mẫu nhập số liệu (sheet «Số liệu») của một cụm/khối trong một năm, hoặc của một đơn vị."

    def add_arguments(self, parser):
        parser.add_argument("group", metavar="GROUP")
        parser.add_argument("year", type=int, metavar="YEAR")
        parser.add_argument("--unit", metavar="CODE", help="Chỉ một đơn vị thành viên (mặc định: cả cụm/khối).")
        parser.add_argument("-o", "--output", metavar="FILE.xlsx",
                            help="Tệp ghi ra (mặc định: so-lieu-GROUP-YEAR[-CODE].xlsx).")

    def handle(self, *args, group, year, unit, output, **options):
        covenant = Covenant.objects.select_related("group_year__group").filter(
            group_year__group__code=group, group_year__year=year).first()
        if covenant is None:
            raise CommandError(f"Không có giao ước của cụm/khối {group} năm {year}.")
        units = [m.unit for m in members_of(covenant.group_year)]
        if unit:
            units = [u for u in units if u.code == unit]
            if not units:
                raise CommandError(f"Đơn vị {unit} không phải thành viên của cụm/khối {group} năm {year}.")
        path = Path(output or f"so-lieu-{group}-{year}{'-' + unit if unit else ''}.xlsx")
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"Tệp mẫu phải có đuôi .xlsx: {path}")
        try:
            path.write_bytes(results_template(covenant=covenant, units=units))
        except OSError as exc:
            raise CommandError(f"Không ghi được {path}: {exc}") from None
        self.stdout.write(f"Đã ghi {path}: {len(units)} đơn vị × {covenant.criteria.count()} tiêu chí.")
