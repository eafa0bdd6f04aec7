"""thidua report GROUP YEAR -o FILE.docx|FILE.pdf: the year-end report of a group-year.

The format follows the file's extension. Works for any imported covenant: the figures come from
the covenant's results and the scores (`thidua score GROUP YEAR --json` gives the same points).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thidua.lib.numbers import format_number
from thidua.org.models import GroupYear

FORMATS = (".docx", ".pdf")


class Command(BaseCommand):
    help = "Lập báo cáo tổng kết phong trào thi đua năm của một cụm/khối (DOCX hoặc PDF theo đuôi tệp)."

    def add_arguments(self, parser):
        parser.add_argument("group", metavar="GROUP", help="Mã cụm/khối, ví dụ KG-CTD2.")
        parser.add_argument("year", type=int, metavar="YEAR", help="Năm tổng kết, ví dụ 2017.")
        parser.add_argument("-o", "--output", required=True, metavar="FILE",
                            help="Tệp kết quả: .docx (Word) hoặc .pdf.")

    def handle(self, *args, group, year, output, **options):
        from thidua.documents import report

        path = Path(output)
        suffix = path.suffix.lower()
        if suffix not in FORMATS:
            raise CommandError(f"Tệp kết quả phải có đuôi .docx hoặc .pdf (nhận được «{path.name}»).")
        if not path.parent.exists():
            raise CommandError(f"Không có thư mục {path.parent} để ghi tệp báo cáo.")
        group_year = GroupYear.objects.filter(group__code=group, year=year).select_related("group").first()
        if group_year is None:
            raise CommandError(f"Không có cụm/khối {group} năm {year}.")
        try:
            data = report.report_data(group_year=group_year)
        except report.ReportError as exc:
            raise CommandError(str(exc)) from None
        content = report.report_docx(data) if suffix == ".docx" else report.report_pdf(data)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {path}: {exc.strerror or exc}") from None
        self.stdout.write(self.style.SUCCESS(
            f"Đã lập báo cáo tổng kết {data.group_name} năm {year}: {path} ({format_number(len(content))} byte)."
        ))
