"""thidua import FILE.yaml [...]: create or update group-years and covenants from covenant files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from thidua.covenants.fileformat import CovenantFileError, read_covenant
from thidua.covenants.services import CovenantError, covenant_import
from thidua.lib.numbers import format_number


class Command(BaseCommand):
    help = "Nhập tệp giao ước thi đua (thidua-covenant/1): tạo mới hoặc cập nhật theo mã, trong một giao dịch."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE.yaml")
        parser.add_argument("--amend", default="", metavar="LÝ DO",
                            help="Lý do sửa đổi, bắt buộc khi tệp thay đổi giao ước đã ký kết.")

    def handle(self, *args, files, amend, **options):
        docs = [(path, self._read(path)) for path in files]
        try:
            with transaction.atomic():  # several files: all of them or none
                reports = [covenant_import(doc=doc, filename=Path(path).name, amendment_reason=amend) for path, doc in docs]
        except CovenantError as exc:
            raise CommandError(f"{exc}\nKhông có thay đổi nào được ghi.") from None
        for path, report in zip(files, reports, strict=True):
            verb = "tạo mới" if report.covenant_created else "cập nhật"
            self.stdout.write(
                f"{Path(path).name}: đã {verb} giao ước {report.group} năm {report.year} — "
                f"{format_number(report.results_created)} kết quả mới, {format_number(report.results_updated)} kết quả sửa, "
                f"{format_number(len(report.structure_changes))} thay đổi nội dung/tiêu chí."
            )
            for warning in report.warnings:
                self.stdout.write(self.style.WARNING(f"  Lưu ý: {warning}"))

    def _read(self, path: str):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc}") from None
        try:
            return read_covenant(text, filename=Path(path).name)
        except CovenantFileError as exc:
            raise CommandError(f"Tệp {path} có lỗi, không có thay đổi nào được ghi:\n{exc}") from None
