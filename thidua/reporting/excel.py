"""The Excel results sheet (COVENANT_FORMAT.md, "The Excel results sheet"): write the template, read
a filled one back.

`results_template` writes an .xlsx with openpyxl: sheet `Số liệu` (one row per unit × criterion,
pre-filled with the current figures), sheet `Hướng dẫn` (instructions; B1 the group code, B2 the
year, read back by `results_file_group_year`). `results_parse` reads .xlsx or .ods (Excel,
LibreOffice or openpyxl) with python-calamine and turns it into the `Edit`s that differ from the
database, with every problem named by file, row (as the spreadsheet shows it) and column. Nothing
here writes to the database: `services.results_apply` does, after the preview.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook

from thidua.covenants.models import Covenant, Criterion, Result
from thidua.covenants.selectors import criteria_of, exact
from thidua.lib.numbers import NumberParseError, format_number, parse_number
from thidua.org import policy
from thidua.org.models import Unit, User
from thidua.reporting.models import EDITABLE, UnitReport
from thidua.reporting.services import (
    OUTLIER_PCT,
    Edit,
    NeedsConfirmation,
    ReportingError,
    lock_message,
    validate_value,
)

SHEET = "Số liệu"
GUIDE_SHEET = "Hướng dẫn"
UNIT_CODE, UNIT_NAME, CRITERION_CODE, CRITERION_TITLE, MEASURE = (
    "Mã đơn vị", "Tên đơn vị", "Mã tiêu chí", "Tiêu chí", "Đơn vị tính",
)  # fmt: skip
TARGET, ACTUAL, BASELINE, POINTS, NOTE = "Kế hoạch", "Thực hiện", "Kỳ trước", "Điểm", "Ghi chú"
COLUMNS = (UNIT_CODE, UNIT_NAME, CRITERION_CODE, CRITERION_TITLE, MEASURE, TARGET, ACTUAL, BASELINE, POINTS, NOTE)
FIELD_OF = {TARGET: "target", ACTUAL: "actual", BASELINE: "baseline", POINTS: "points", NOTE: "note"}
NUMBER_COLUMNS = (TARGET, ACTUAL, BASELINE, POINTS)
# The columns an upload cannot do without: the row's key and every value it may change (a missing
# value column would otherwise read as "cleared" on every row).
REQUIRED = (UNIT_CODE, CRITERION_CODE, *FIELD_OF)
GUIDE_GROUP_LABEL, GUIDE_YEAR_LABEL = "Mã cụm/khối", "Năm"

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_CELLS = 2_000_000  # rows × columns of the sheet's used area, read into memory
HEADER_SEARCH_ROWS = 20
ALLOWED_EXTENSIONS = (".xlsx", ".ods")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97–2003 (.xls)
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

FONT_NAME = "Times New Roman"
_FONT = Font(name=FONT_NAME, size=12)
_HEADER_FONT = Font(name=FONT_NAME, size=12, bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")  # read-only columns: greyed
_NOT_USED_FILL = PatternFill("solid", fgColor="D9D9D9")  # points of an automatically scored criterion
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WIDTHS = {UNIT_CODE: 16, UNIT_NAME: 30, CRITERION_CODE: 12, CRITERION_TITLE: 55, MEASURE: 13,
           TARGET: 14, ACTUAL: 14, BASELINE: 14, POINTS: 10, NOTE: 40}
# Leading characters a spreadsheet would read as the start of a formula (or that hide one).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


# ------------------------------------------------------------------------------ results of a parse


class UploadError(str):
    """One problem of an upload, as the user reads it: `KG-2017.xlsx, dòng 7, cột «Thực hiện»: …`.
    A str (templates and the command print it as is) that also keeps its row and column."""

    row: int | None
    column: str | None
    message: str

    def __new__(cls, *, filename: str, message: str, row: int | None = None, column: str | None = None):
        where = filename
        if row is not None:
            where += f", dòng {row}"
        if column is not None:
            where += f", cột «{column}»"
        self = super().__new__(cls, f"{where}: {message}")
        self.row, self.column, self.message = row, column, message
        return self


class Change(str):
    """One value the upload changes, as the preview lists it (old → new in Vietnamese numbers)."""

    row: int
    unit: Unit
    criterion: Criterion
    column: str
    old: str
    new: str

    def __new__(cls, *, row: int, unit: Unit, criterion: Criterion, column: str, old, new):
        old_text, new_text = _shown(old), _shown(new)
        self = super().__new__(
            cls, f"dòng {row}: {unit.label} ({unit.code}) – tiêu chí {criterion.code} – {column}: {old_text} → {new_text}"
        )
        self.row, self.unit, self.criterion, self.column, self.old, self.new = row, unit, criterion, column, old_text, new_text
        return self


@dataclass(frozen=True)
class ParsedRow:
    """A data row of the sheet: its number as the spreadsheet shows it and what it refers to."""

    number: int
    unit_code: str
    criterion_code: str
    unit: Unit | None
    criterion: Criterion | None


@dataclass
class ParsedUpload:
    filename: str
    covenant: Covenant
    edits: list[Edit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    rows: list[ParsedRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def units(self) -> list[Unit]:
        """The units of the file's rows (each once, in file order)."""
        seen: dict[int, Unit] = {}
        for row in self.rows:
            if row.unit is not None:
                seen.setdefault(row.unit.pk, row.unit)
        return list(seen.values())

    def error(self, *, message: str, row: int | None = None, column: str | None = None) -> None:
        self.errors.append(UploadError(filename=self.filename, row=row, column=column, message=message))


def _shown(value) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, Decimal):
        return format_number(value)
    text = str(value)
    return f"«{text[:77]}…»" if len(text) > 80 else f"«{text}»"


# ------------------------------------------------------------------------------ the template


def _safe_text(cell, value: str | None) -> None:
    """Write user text so that no spreadsheet ever evaluates it: always a string cell, and text
    that looks like a formula gets the quote prefix (Excel's leading apostrophe)."""
    cell.value = value
    if value is None:
        return
    cell.data_type = "s"
    if value.startswith(_FORMULA_STARTS):
        cell.quotePrefix = True


def _number_cell(cell, value: Decimal | None) -> None:
    cell.value = exact(value)  # a number cell; None stays blank


def _style_header(ws, columns: tuple[str, ...]) -> None:
    for index, title in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(title, 14)
    ws.row_dimensions[1].height = 32


def _validations(ws, last_row: int) -> None:
    """Decimal validation on the figure columns, with a Vietnamese message (blank allowed)."""
    if last_row < 2:
        return
    letter = {title: get_column_letter(COLUMNS.index(title) + 1) for title in NUMBER_COLUMNS}
    not_negative = DataValidation(
        type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True, showErrorMessage=True,
        errorTitle="Số liệu không hợp lệ",
        error="Ô này chỉ nhận số không âm (ví dụ 1234,5). Để trống nếu chưa có số liệu.",
        promptTitle="Nhập số", prompt="Số không âm; để trống nếu chưa có số liệu.", showInputMessage=True,
    )
    any_number = DataValidation(
        type="decimal", operator="between", formula1="-999999999999999", formula2="999999999999999",
        allow_blank=True, showErrorMessage=True, errorTitle="Số liệu không hợp lệ",
        error="Ô này chỉ nhận số (ví dụ 1234,5 hoặc -12,5). Để trống nếu chưa có số liệu.",
        promptTitle="Nhập số", prompt="Nhập số; để trống nếu chưa có số liệu.", showInputMessage=True,
    )
    for title in (TARGET, POINTS):
        not_negative.add(f"{letter[title]}2:{letter[title]}{last_row}")
    for title in (ACTUAL, BASELINE):
        any_number.add(f"{letter[title]}2:{letter[title]}{last_row}")
    ws.add_data_validation(not_negative)
    ws.add_data_validation(any_number)


def _protect(ws) -> None:
    """Protection on (no password: it guards against slips, not people); widths and filters stay usable."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def _guide(wb: Workbook, *, covenant: Covenant, units: list[Unit]) -> None:
    group_year = covenant.group_year
    ws = wb.create_sheet(GUIDE_SHEET)
    rows: list[tuple[str, object]] = [
        (GUIDE_GROUP_LABEL, group_year.group.code),
        (GUIDE_YEAR_LABEL, group_year.year),
        ("Tên cụm/khối", group_year.group.name),
        ("Đơn vị", "; ".join(f"{u.code} – {u.name}" for u in units) if len(units) == 1 else f"Cả cụm/khối ({len(units)} đơn vị)"),
    ]
    for number, (label, value) in enumerate(rows, start=1):
        ws.cell(row=number, column=1, value=label).font = Font(name=FONT_NAME, size=12, bold=True)
        cell = ws.cell(row=number, column=2)
        if isinstance(value, str):
            _safe_text(cell, value)
        else:
            cell.value = value
        cell.font = _FONT
    steps = [
        "Cách nhập số liệu",
        f"1. Nhập số liệu vào sheet «{SHEET}», mỗi dòng là một tiêu chí của một đơn vị.",
        f"2. Chỉ sửa các cột «{TARGET}», «{ACTUAL}», «{BASELINE}», «{POINTS}» và «{NOTE}»; "
        "các cột mã, tên, tiêu chí, đơn vị tính đã được khóa.",
        "3. Nhập số như thường lệ (ví dụ 1.234,5 hoặc 1234,5); để trống nếu chưa có số liệu. "
        "Xóa một số đã có nghĩa là xóa số liệu đó khi tải lên.",
        f"4. Cột «{POINTS}» chỉ dùng cho tiêu chí chấm điểm trực tiếp (ô màu xám: tiêu chí chấm tự động, để trống).",
        f"5. Cột «{BASELINE}» là số liệu cùng kỳ năm trước, dùng cho tiêu chí so sánh với kỳ trước.",
        "6. Không đổi tên sheet, không sửa dòng tiêu đề, không sửa ô B1 và B2 của sheet này.",
        "7. Lưu tệp dạng .xlsx (Excel) hoặc .ods (LibreOffice), dung lượng tối đa 5 MB, rồi tải lên "
        "trang «Nhập số liệu từ Excel». Hệ thống cho xem trước mọi thay đổi và mọi lỗi trước khi ghi; "
        "tệp còn lỗi thì không có số liệu nào được ghi.",
        "8. Thực hiện vượt quá 300% kế hoạch được coi là bất thường: hãy kiểm tra lại.",
    ]
    for offset, text in enumerate(steps):
        cell = ws.cell(row=len(rows) + 2 + offset, column=1, value=text)
        cell.font = Font(name=FONT_NAME, size=12, bold=offset == 0)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 60
    ws.protection.sheet = True


def results_template(*, covenant: Covenant, units: list[Unit]) -> bytes:
    """The .xlsx template for `units` of the covenant's group-year, pre-filled with current figures."""
    criteria = criteria_of(covenant)
    results = {
        (r.unit_id, r.criterion_id): r
        for r in Result.objects.filter(criterion__covenant=covenant, unit__in=[u.pk for u in units])
    }
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    _style_header(ws, COLUMNS)
    unlocked = Protection(locked=False)
    row = 1
    for unit in units:
        for criterion in criteria:
            row += 1
            result = results.get((unit.pk, criterion.pk))
            texts = {UNIT_CODE: unit.code, UNIT_NAME: unit.name, CRITERION_CODE: criterion.code,
                     CRITERION_TITLE: criterion.title, MEASURE: criterion.measure or None,
                     NOTE: (result.note or None) if result else None}
            for index, title in enumerate(COLUMNS, start=1):
                cell = ws.cell(row=row, column=index)
                if title in NUMBER_COLUMNS:
                    _number_cell(cell, getattr(result, FIELD_OF[title]) if result else None)
                else:
                    _safe_text(cell, texts[title])
                cell.font = _FONT
                cell.border = _BORDER
                if title in FIELD_OF:
                    cell.protection = unlocked
                    if title == POINTS and criterion.method != "manual":
                        cell.fill = _NOT_USED_FILL
                else:
                    cell.fill = _LOCKED_FILL
                if title in (UNIT_NAME, CRITERION_TITLE, NOTE):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                else:
                    cell.alignment = Alignment(vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(row, 1)}"
    _validations(ws, row)
    _protect(ws)
    _guide(wb, covenant=covenant, units=units)
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------ reading an upload


def results_file_check(*, data: bytes, filename: str) -> str | None:
    """Why an uploaded file cannot be read safely (size, type, zip bomb), or None. Checked before
    any spreadsheet library opens it."""
    name = filename.lower()
    if len(data) > MAX_UPLOAD_BYTES:
        return f"{filename}: tệp lớn hơn 5 MB, không nhận. Chỉ tải lên bảng số liệu theo mẫu."
    if data.startswith(OLE_MAGIC):
        return (f"{filename}: đây là tệp Excel 97–2003 (.xls), hệ thống không đọc được. "
                "Mở tệp bằng Excel hoặc LibreOffice rồi lưu lại dạng .xlsx.")
    if not name.endswith(ALLOWED_EXTENSIONS):
        return f"{filename}: chỉ nhận tệp .xlsx (Excel) hoặc .ods (LibreOffice)."
    if not data.startswith(ZIP_MAGIC):
        return (f"{filename}: không phải là tệp .xlsx hoặc .ods hợp lệ (nội dung không đúng định dạng). "
                "Hãy tải lên tệp mẫu đã lưu bằng Excel hoặc LibreOffice.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                return f"{filename}: tệp có quá nhiều thành phần, không phải bảng số liệu theo mẫu."
            if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
                return f"{filename}: nội dung tệp khi giải nén lớn hơn 50 MB, không nhận."
            # The declared sizes can lie (a zip bomb that says 1 KB): unpack every entry once, with
            # zipfile, which stops at the declared size and then fails the CRC check, so no reader
            # ever gets more than the 50 MB checked above.
            if archive.testzip() is not None:
                return f"{filename}: tệp bị hỏng hoặc không phải là tệp .xlsx, .ods hợp lệ."
            names = {entry.filename for entry in entries}
            is_xlsx = "[Content_Types].xml" in names
            is_ods = "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return f"{filename}: tệp bị hỏng hoặc không phải là tệp .xlsx, .ods hợp lệ."
    if not (is_xlsx or is_ods):
        return f"{filename}: tệp nén này không phải là bảng tính .xlsx hoặc .ods."
    return None


def _open(data: bytes) -> CalamineWorkbook:
    return CalamineWorkbook.from_filelike(io.BytesIO(data))


def _sheet_rows(workbook: CalamineWorkbook, name: str | None, *, nrows: int | None = None) -> list[list] | None:
    """The sheet's cells anchored at A1 (so list index + 1 is the spreadsheet's row number)."""
    names = workbook.sheet_names
    wanted = next((n for n in names if _norm(n) == _norm(name)), None) if name else None
    if wanted is None:
        return None
    sheet = workbook.get_sheet_by_name(wanted)
    end_row, end_col = sheet.end or (0, 0)
    if (end_row + 1) * (end_col + 1) > MAX_CELLS:
        raise ValueError("too many cells")
    return sheet.to_python(skip_empty_area=False, nrows=nrows)


def _norm(text) -> str:
    """Header and code comparison: NFC (Vietnamese typed on macOS is often NFD), trimmed, one space."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


def _code(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def results_file_group_year(*, data: bytes) -> tuple[str | None, int | None]:
    """The group code and year the template was made for (sheet `Hướng dẫn`, B1 and B2)."""
    try:
        rows = _sheet_rows(_open(data), GUIDE_SHEET, nrows=5)
    except (CalamineError, ValueError, OSError):
        return None, None
    if not rows:
        return None, None
    found: dict[str, object] = {}
    for row in rows:
        if len(row) >= 2 and str(row[0]).strip():
            found[_norm(row[0])] = row[1]
    group = found.get(_norm(GUIDE_GROUP_LABEL))
    year = found.get(_norm(GUIDE_YEAR_LABEL))
    group_code = _code(group) if group not in (None, "") else None
    try:
        year_number = int(float(str(year).replace(",", "."))) if year not in (None, "") else None
    except ValueError:
        year_number = None
    return group_code or None, year_number


class _Bad(ValueError):
    """A cell that is not a number; the message names the value."""


def _number(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _Bad(f"«{'TRUE' if value else 'FALSE'}» không phải là số")
    if isinstance(value, int | float):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            raise _Bad("ô này không chứa một số hợp lệ")
        return Decimal(str(value))
    if isinstance(value, datetime | date | time | timedelta):
        raise _Bad("ô này là ngày tháng, không phải là số; hãy định dạng ô là số")
    text = str(value)
    try:
        return parse_number(text)
    except NumberParseError:
        raise _Bad(f"«{text.strip()}» không phải là số") from None


def _note(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value if isinstance(value, str) else str(value)
    return text if text.strip() else None


def _normal(value: Decimal | None) -> Decimal | None:
    """1.50 → 1.5, 100.0 → 100: what the file means, without the notation's padding."""
    return exact(value)


def _same_number(old: Decimal | None, new: Decimal | None, raw) -> bool:
    if old is None or new is None:
        return old is None and new is None
    if Decimal(old) == new:
        return True
    # A spreadsheet keeps binary doubles: a figure stored exactly here comes back as the nearest
    # double; that is the same figure, not a change.
    return isinstance(raw, float) and float(Decimal(old)) == raw


def _find_header(rows: list[list]) -> tuple[int, dict[str, int]] | None:
    wanted = {_norm(title): title for title in COLUMNS}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for position, value in enumerate(row):
            title = wanted.get(_norm(value)) if isinstance(value, str) else None
            if title and title not in columns:
                columns[title] = position
        if UNIT_CODE in columns and CRITERION_CODE in columns:
            return index, columns
    return None


def _outlier_message(actual: Decimal, target: Decimal) -> str:
    pct = actual / target * 100
    return (f"Thực hiện {format_number(actual)} bằng {format_number(pct, max_places=0)}% kế hoạch, "
            f"vượt quá {format_number(OUTLIER_PCT)}% kế hoạch. Kiểm tra lại số liệu; nếu đúng, nhập số này "
            "trên màn hình nhập liệu và xác nhận.")


def results_parse(data: bytes, *, filename: str, covenant: Covenant) -> ParsedUpload:
    """Read a filled template (.xlsx or .ods) against the covenant: the edits that differ from the
    database and every problem; an upload with any error must apply nothing."""
    parsed = ParsedUpload(filename=filename, covenant=covenant)
    if refusal := results_file_check(data=data, filename=filename):
        parsed.errors.append(refusal)
        return parsed
    try:
        workbook = _open(data)
        rows = _sheet_rows(workbook, SHEET)
        if rows is None:
            parsed.error(message=f"không có sheet «{SHEET}». Hãy dùng tệp mẫu tải từ hệ thống.")
            return parsed
    except ValueError:
        parsed.error(message=f"sheet «{SHEET}» quá lớn, không phải bảng số liệu theo mẫu.")
        return parsed
    except (CalamineError, OSError):
        parsed.error(message="không đọc được bảng tính; tệp bị hỏng hoặc không đúng định dạng .xlsx, .ods.")
        return parsed
    header = _find_header(rows)
    if header is None:
        parsed.error(message=f"không tìm thấy dòng tiêu đề có cột «{UNIT_CODE}» và «{CRITERION_CODE}».")
        return parsed
    header_index, columns = header
    if missing := [title for title in REQUIRED if title not in columns]:
        parsed.error(row=header_index + 1,
                     message="thiếu cột " + ", ".join(f"«{title}»" for title in missing) + ". Hãy dùng tệp mẫu tải từ hệ thống.")
        return parsed
    _read_rows(parsed, rows=rows, first=header_index + 1, columns=columns)
    _check_locks(parsed)
    return parsed


def _read_rows(parsed: ParsedUpload, *, rows: list[list], first: int, columns: dict[str, int]) -> None:
    covenant = parsed.covenant
    group_year = covenant.group_year
    members = {m.unit.code: m.unit for m in group_year.memberships.select_related("unit")}
    criteria = {c.code: c for c in criteria_of(covenant)}
    criteria_norm = {_norm(code): c for code, c in criteria.items()}
    results = {(r.unit_id, r.criterion_id): r for r in Result.objects.filter(criterion__covenant=covenant)}

    def cell(row: list, title: str):
        position = columns.get(title)
        return row[position] if position is not None and position < len(row) else None

    raw_rows = []
    for index in range(first, len(rows)):
        row = rows[index]
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in row):
            continue
        raw_rows.append((index + 1, row))
    unknown = {_code(cell(row, UNIT_CODE)) for _, row in raw_rows} - set(members) - {""}
    existing_units = set(Unit.objects.filter(code__in=unknown).values_list("code", flat=True))
    seen: dict[tuple[str, str], int] = {}
    for number, row in raw_rows:
        unit_code = _code(cell(row, UNIT_CODE) or "")
        criterion_code = _code(cell(row, CRITERION_CODE) or "")
        unit = members.get(unit_code)
        criterion = criteria.get(criterion_code) or criteria_norm.get(_norm(criterion_code))
        parsed.rows.append(ParsedRow(number=number, unit_code=unit_code, criterion_code=criterion_code,
                                     unit=unit, criterion=criterion))
        problem = False
        if not unit_code:
            parsed.error(row=number, column=UNIT_CODE, message="thiếu mã đơn vị.")
            problem = True
        elif unit is None:
            where = f"{group_year.group.code} năm {group_year.year}"
            message = (f"đơn vị «{unit_code}» không phải thành viên của cụm/khối {where}."
                       if unit_code in existing_units else f"không có đơn vị nào mã «{unit_code}».")
            parsed.error(row=number, column=UNIT_CODE, message=message)
            problem = True
        if not criterion_code:
            parsed.error(row=number, column=CRITERION_CODE, message="thiếu mã tiêu chí.")
            problem = True
        elif criterion is None:
            parsed.error(row=number, column=CRITERION_CODE,
                         message=f"giao ước không có tiêu chí mã «{criterion_code}».")
            problem = True
        if problem:
            continue
        key = (unit.code, criterion.code)
        if key in seen:
            parsed.error(row=number, column=CRITERION_CODE,
                         message=f"trùng đơn vị {unit.code}, tiêu chí {criterion.code} với dòng {seen[key]}; "
                                 "mỗi đơn vị, tiêu chí chỉ một dòng.")
            continue
        seen[key] = number
        _read_values(parsed, number=number, unit=unit, criterion=criterion, row=row, cell=cell,
                     result=results.get((unit.pk, criterion.pk)))


def _read_values(parsed: ParsedUpload, *, number: int, unit: Unit, criterion: Criterion, row: list, cell,
                 result: Result | None) -> None:
    """Compare one row's values with the database; validate and collect what changes."""
    values: dict[str, Decimal | str | None] = {}
    raw: dict[str, object] = {}
    bad = False
    for title in NUMBER_COLUMNS:
        raw[title] = cell(row, title)
        try:
            values[title] = _normal(_number(raw[title]))
        except _Bad as exc:
            parsed.error(row=number, column=title, message=f"{exc}.")
            bad = True
    values[NOTE] = _note(cell(row, NOTE))
    if bad:
        return
    changed: list[str] = []
    for title in NUMBER_COLUMNS:
        old = getattr(result, FIELD_OF[title]) if result else None
        if not _same_number(old, values[title], raw[title]):
            changed.append(title)
    old_note = (result.note or None) if result else None
    if values[NOTE] != old_note:
        changed.append(NOTE)
    old_target = result.target if result else None
    target = values[TARGET] if TARGET in changed else old_target
    errors_before = len(parsed.errors)
    for title in changed:
        try:
            validate_value(criterion=criterion, field=FIELD_OF[title], value=values[title], target=target)
        except NeedsConfirmation:
            parsed.error(row=number, column=title, message=_outlier_message(values[title], target))
        except ReportingError as exc:
            parsed.error(row=number, column=title, message=str(exc))
    if TARGET in changed and ACTUAL not in changed:  # a new plan can make the unchanged actual an outlier
        actual = result.actual if result else None
        try:
            validate_value(criterion=criterion, field="actual", value=actual, target=target)
        except NeedsConfirmation:
            parsed.error(row=number, column=TARGET, message=_outlier_message(Decimal(actual), target))
        except ReportingError:
            pass
    if len(parsed.errors) != errors_before:
        return
    for title in changed:
        old = getattr(result, FIELD_OF[title]) if result else None
        new = values[title]
        parsed.edits.append(Edit(criterion=criterion, unit=unit, field=FIELD_OF[title], value=new))
        parsed.changes.append(Change(row=number, unit=unit, criterion=criterion, column=title,
                                     old=_normal(old) if isinstance(old, Decimal) else old, new=new))


def _check_locks(parsed: ParsedUpload) -> None:
    """A unit whose report is not open for changes: its rows that change something are refused."""
    units = {edit.unit.pk: edit.unit for edit in parsed.edits}
    if not units:
        return
    reports = UnitReport.objects.filter(covenant=parsed.covenant, unit_id__in=units).select_related("unit", "changed_by")
    for report in reports:
        if report.status in EDITABLE:
            continue
        first = min(change.row for change in parsed.changes if change.unit.pk == report.unit_id)
        parsed.error(row=first, column=UNIT_CODE,
                     message=f"báo cáo của {report.unit.name} không sửa được. {lock_message(report)}")


def results_scope_errors(*, parsed: ParsedUpload, user: User) -> list[str]:
    """Rows of units the user may not enter data for (unit officers and heads enter their own)."""
    allowed: dict[int, bool] = {}
    errors = []
    for row in parsed.rows:
        if row.unit is None:
            continue
        if row.unit.pk not in allowed:
            allowed[row.unit.pk] = policy.can_enter_unit_data(user, row.unit)
        if not allowed[row.unit.pk]:
            errors.append(UploadError(
                filename=parsed.filename, row=row.number, column=UNIT_CODE,
                message=f"bạn không có quyền nhập số liệu cho {row.unit.name} ({row.unit.code}); "
                        "chỉ cán bộ của đơn vị đó được nhập.",
            ))
    return errors


def results_fingerprint(parsed: ParsedUpload) -> str:
    """What the preview showed: confirm applies only if a re-read finds the same changes."""
    return hashlib.sha256("\n".join(parsed.changes).encode("utf-8")).hexdigest()
