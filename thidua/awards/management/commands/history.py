"""thidua history import FILE.yaml|FILE.xlsx: create or update award history from a
`thidua-history/1` file or from the Excel lists (thidua.awards.excel, .xlsx or .ods)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thidua.awards.config import rule_table
from thidua.awards.historyfile import HistoryFileError, history_read
from thidua.awards.rules import RuleError
from thidua.awards.services import HistoryImportError, history_import


def read_history_file(path: str, *, writes: bool = True):
    """The file's `History`, or a CommandError naming the file, lines and fields."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Không đọc được tệp {path}: {exc}") from None
    try:
        return history_read(text=text, filename=Path(path).name)
    except HistoryFileError as exc:
        nothing = ", không có thay đổi nào được ghi" if writes else ""
        raise CommandError(f"Tệp {path} có lỗi{nothing}:\n{exc}") from None


SPREADSHEETS = (".xlsx", ".ods")


def read_history_workbook(path: str):
    """The workbook's `History`, or a CommandError listing every error (file, sheet, row, column)."""
    from thidua.awards.excel import history_parse

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"Không đọc được tệp {path}: {exc}") from None
    parsed = history_parse(data, filename=Path(path).name)
    if not parsed.ok:
        raise CommandError(f"Tệp {path} có lỗi, không có thay đổi nào được ghi:\n" + "\n".join(parsed.errors))
    return parsed.history


class Command(BaseCommand):
    help = "Hồ sơ quá trình thi đua, khen thưởng của cá nhân, tập thể (thidua-history/1)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="LỆNH", title="lệnh")
        importer = actions.add_parser(
            "import", help="Nhập tệp hồ sơ quá trình (.yaml) hoặc danh sách Excel (.xlsx, .ods): tạo mới hoặc cập "
            "nhật theo mã, trong một giao dịch.",
        )
        importer.add_argument("file", metavar="FILE.yaml|FILE.xlsx")

    def handle(self, *args, action, file, **options):
        spreadsheet = Path(file).suffix.lower() in SPREADSHEETS
        history = read_history_workbook(file) if spreadsheet else read_history_file(file)
        try:
            report = history_import(history=history, filename=Path(file).name, table=rule_table())
        except (HistoryImportError, RuleError) as exc:
            raise CommandError(f"Tệp {file} có lỗi, không có thay đổi nào được ghi:\n{exc}") from None
        self.stdout.write(report.summary())
        for note in report.notes:
            self.stdout.write(f"  Lưu ý: {note}")
