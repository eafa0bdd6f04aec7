"""thidua restore FILE [--force]: load a thidua-backup/1 archive into this database."""

from django.core.management.base import BaseCommand, CommandError

from datetime import datetime

from django.utils import timezone

from thidua.audit.backup import BackupError, backup_restore
from thidua.lib.dates import format_datetime
from thidua.lib.numbers import format_number


def _when(iso: str) -> str:
    try:
        return format_datetime(timezone.localtime(datetime.fromisoformat(iso)))
    except (TypeError, ValueError):
        return iso or "không rõ"


class Command(BaseCommand):
    help = ("Khôi phục dữ liệu từ tệp sao lưu (thidua-backup/1) vào cơ sở dữ liệu đã chạy `thidua migrate`, "
            "trong một giao dịch. Cơ sở dữ liệu đang có dữ liệu chỉ bị thay thế khi có --force.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--force", action="store_true",
                            help="Xóa dữ liệu đang có rồi khôi phục (mặc định: từ chối nếu cơ sở dữ liệu có dữ liệu).")

    def handle(self, *args, file, force, **options):
        try:
            report = backup_restore(path=file, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        verb = "thay thế dữ liệu cũ bằng" if report.replaced else "khôi phục"
        self.stdout.write(
            f"Đã {verb} bản sao lưu {file} (tạo lúc {_when(report.created_at)}): "
            f"{format_number(report.total_rows)} dòng dữ liệu, {format_number(report.files)} tệp."
        )
