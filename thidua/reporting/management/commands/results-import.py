"""thidua results-import FILE.xlsx [--dry-run] [--group CODE --year YEAR]: load a filled Excel
results template (.xlsx or .ods). Every change and every error is listed; any error → nothing written."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thidua.covenants.models import Covenant
from thidua.lib.numbers import format_number
from thidua.reporting.excel import GUIDE_SHEET, results_file_check, results_file_group_year, results_parse
from thidua.reporting.models import ChangeSource
from thidua.reporting.services import ReportingError, results_apply


class Command(BaseCommand):
    help = ("Nhập số liệu từ tệp Excel mẫu (.xlsx, .ods): liệt kê mọi thay đổi, mọi lỗi; "
            "có lỗi thì không ghi gì.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.xlsx")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và liệt kê thay đổi, không ghi.")
        parser.add_argument("--group", metavar="CODE", help=f"Mã cụm/khối (mặc định: ô B1 sheet «{GUIDE_SHEET}»).")
        parser.add_argument("--year", type=int, metavar="YEAR", help=f"Năm (mặc định: ô B2 sheet «{GUIDE_SHEET}»).")

    def handle(self, *args, file, dry_run, group, year, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {file}: {exc}") from None
        if refusal := results_file_check(data=data, filename=path.name):
            raise CommandError(f"{refusal}\nKhông có thay đổi nào được ghi.")
        file_group, file_year = results_file_group_year(data=data)
        group, year = group or file_group, year or file_year
        if not group or not year:
            raise CommandError(f"{path.name}: không xác định được cụm/khối và năm (ô B1, B2 sheet «{GUIDE_SHEET}»); "
                               "hãy ghi rõ --group MÃ --year NĂM.")
        covenant = Covenant.objects.select_related("group_year__group").filter(
            group_year__group__code=group, group_year__year=year).first()
        if covenant is None:
            raise CommandError(f"Không có giao ước của cụm/khối {group} năm {year}.")
        parsed = results_parse(data, filename=path.name, covenant=covenant)
        self.stdout.write(f"{path.name}: cụm/khối {group} năm {year}, {format_number(len(parsed.rows))} dòng số liệu, "
                          f"{format_number(len(parsed.changes))} thay đổi.")
        for change in parsed.changes:
            self.stdout.write(f"  {change}")
        if parsed.errors:
            raise CommandError("\n".join([*parsed.errors, f"Có {format_number(len(parsed.errors))} lỗi; "
                                          "không có thay đổi nào được ghi."]))
        if dry_run:
            self.stdout.write("Chạy thử (--dry-run): không ghi thay đổi nào.")
            return
        if not parsed.edits:
            self.stdout.write("Không có gì thay đổi so với số liệu hiện có.")
            return
        try:
            changed = results_apply(edits=parsed.edits, actor=None, source=ChangeSource.EXCEL,
                                    reason=f"Nhập từ tệp {path.name}")
        except ReportingError as exc:
            raise CommandError(f"{exc}\nKhông có thay đổi nào được ghi.") from None
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {format_number(changed)} thay đổi."))
