"""thidua backup FILE: every table and the uploaded files in one archive (thidua-backup/1)."""

from django.core.management.base import BaseCommand, CommandError

from thidua.audit.backup import BackupError, backup_create
from thidua.lib.numbers import format_number


class Command(BaseCommand):
    help = "Sao lưu toàn bộ dữ liệu (mọi bảng và các tệp minh chứng) vào một tệp (thidua-backup/1)."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="Tệp sao lưu sẽ ghi, ví dụ thidua-2026-12-06.zip")

    def handle(self, *args, file, **options):
        try:
            report = backup_create(path=file)
        except (BackupError, OSError) as exc:
            raise CommandError(f"Không sao lưu được vào {file}: {exc}") from None
        self.stdout.write(
            f"Đã sao lưu vào {file}: {format_number(report.total_rows)} dòng dữ liệu trong "
            f"{format_number(sum(1 for n in report.rows.values() if n))} bảng, {format_number(report.files)} tệp."
        )
