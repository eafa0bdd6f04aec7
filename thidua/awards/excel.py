"""Lists of people and collectives with their history, as an Excel workbook (issue #7, "Excel import
of lists"): the template to download, and the reading of a filled one into the same `History` the
`thidua-history/1` file gives (thidua.awards.records), so the import (services.history_import) and
its rules are one.

`history_template` writes the .xlsx with openpyxl: one sheet per table (Cá nhân, Tập thể, Xếp loại,
Khen thưởng, Sáng kiến, Kỷ luật) and a guide. `history_parse` reads .xlsx or .ods (Excel, LibreOffice
or openpyxl) with python-calamine and names every problem by file, sheet, row (as the spreadsheet
shows it) and column, in Vietnamese; a workbook with any error gives no history, so nothing is
written. Nothing here writes to the database.

Rows of the Xếp loại, Khen thưởng, Sáng kiến and Kỷ luật sheets name a person or collective by its
code: one listed in the Cá nhân or Tập thể sheet of the same file, or one already recorded (then
its name and unit stay as they are). An empty optional cell keeps what is recorded; the import
adds and updates, it never deletes (services.history_import).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook

from django.db import transaction

from thidua.awards import codes
from thidua.awards.config import rule_table
from thidua.awards.models import Collective, Person
from thidua.awards.records import (
    CollectiveHistory,
    DisciplineRecord,
    Grant,
    History,
    InitiativeRecord,
    PersonHistory,
)
from thidua.awards.services import ImportReport, history_import
from thidua.org.models import Unit
from thidua.reporting.excel import results_file_check

# --- The sheets and their columns (* required) ------------------------------------------------------

PEOPLE, COLLECTIVES, RATINGS, GRANTS, INITIATIVES, DISCIPLINE, GUIDE = (
    "Cá nhân", "Tập thể", "Xếp loại", "Khen thưởng", "Sáng kiến", "Kỷ luật", "Hướng dẫn",
)  # fmt: skip
P_ID, P_NAME, P_UNIT, P_BIRTH, P_POSITION, P_DIRECT, P_HIRED, P_COLLECTIVE = (
    "Mã cá nhân", "Họ và tên", "Mã đơn vị", "Năm sinh", "Chức vụ", "Lao động trực tiếp", "Ngày tuyển dụng",
    "Mã tập thể",
)  # fmt: skip
C_ID, C_NAME, C_UNIT, C_PART = "Mã tập thể", "Tên tập thể", "Mã đơn vị", "Bộ phận"
SUBJECT, YEAR, RATING = "Mã cá nhân, tập thể", "Năm", "Xếp loại"
CODE, DECISION, DECISION_DATE, AUTHORITY, BASIS = (
    "Mã danh hiệu, hình thức", "Số quyết định", "Ngày quyết định", "Cấp quyết định", "Căn cứ pháp lý",
)  # fmt: skip
I_PERSON, I_ID, I_YEAR, I_SCOPE, I_BODY, I_USED = (
    "Mã cá nhân", "Mã sáng kiến", "Năm công nhận", "Phạm vi ảnh hưởng", "Cơ quan công nhận", "Đã dùng cho",
)  # fmt: skip
LEVEL = "Hình thức kỷ luật"

SHEETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # sheet → (columns, required)
    PEOPLE: ((P_ID, P_NAME, P_UNIT, P_BIRTH, P_POSITION, P_DIRECT, P_HIRED, P_COLLECTIVE), (P_ID, P_NAME, P_UNIT)),
    COLLECTIVES: ((C_ID, C_NAME, C_UNIT, C_PART), (C_ID, C_NAME, C_UNIT)),
    RATINGS: ((SUBJECT, YEAR, RATING), (SUBJECT, YEAR, RATING)),
    GRANTS: ((SUBJECT, YEAR, CODE, DECISION, DECISION_DATE, AUTHORITY, BASIS), (SUBJECT, YEAR, CODE)),
    INITIATIVES: ((I_PERSON, I_ID, I_YEAR, I_SCOPE, I_BODY, I_USED), (I_PERSON, I_ID, I_YEAR, I_SCOPE)),
    DISCIPLINE: ((SUBJECT, YEAR, LEVEL), (SUBJECT, YEAR, LEVEL)),
}
TEXT_COLUMNS = {P_ID, P_UNIT, P_COLLECTIVE, C_ID, C_UNIT, SUBJECT, CODE, I_ID, DECISION, I_USED}
YES, NO = "Có", "Không"
_YES = {"có", "co", "x", "1", "true", "yes"}
_NO = {"không", "khong", "0", "false", "no"}
TEMPLATE_ROWS = 500  # rows carrying validations and text formats in the template

HEADER_SEARCH_ROWS = 10
MAX_CELLS = 2_000_000
_VN_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")

FONT_NAME = "Times New Roman"
_FONT = Font(name=FONT_NAME, size=12)
_BOLD = Font(name=FONT_NAME, size=12, bold=True)
_HEADER_FONT = Font(name=FONT_NAME, size=12, bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


# --- Errors -----------------------------------------------------------------------------------------


class SheetError(str):
    """One problem, as the user reads it: `ds.xlsx, sheet «Xếp loại», dòng 4, cột «Năm»: …`."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __new__(cls, *, filename: str, message: str, sheet: str | None = None, row: int | None = None,
                column: str | None = None):  # fmt: skip
        where = filename
        if sheet is not None:
            where += f", sheet «{sheet}»"
        if row is not None:
            where += f", dòng {row}"
        if column is not None:
            where += f", cột «{column}»"
        self = super().__new__(cls, f"{where}: {message}")
        self.sheet, self.row, self.column, self.message = sheet, row, column, message
        return self


@dataclass
class ParsedHistory:
    """What a workbook holds: the `History` to import, or the errors (then `history` is None)."""

    filename: str
    history: History | None = None
    errors: list[str] = field(default_factory=list)
    rows: int = 0  # data rows read, all sheets

    @property
    def ok(self) -> bool:
        return not self.errors and self.history is not None

    def error(self, message: str, *, sheet: str | None = None, row: int | None = None, column: str | None = None) -> None:
        self.errors.append(SheetError(filename=self.filename, message=message, sheet=sheet, row=row, column=column))


# --- The template -------------------------------------------------------------------------------------


def _safe_text(cell, value: str | None) -> None:
    """User text that no spreadsheet ever evaluates: a string cell, formula-like text quote-prefixed."""
    cell.value = value
    if value is None:
        return
    cell.data_type = "s"
    if value.startswith(_FORMULA_STARTS):
        cell.quotePrefix = True


def _list_validation(ws, column: int, choices: Iterable[str], *, title: str) -> None:
    letter = get_column_letter(column)
    validation = DataValidation(
        type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True, showErrorMessage=True,
        errorTitle=f"{title} không hợp lệ", error=f"Chọn một giá trị trong danh sách: {', '.join(choices)}.",
    )  # fmt: skip
    validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    ws.add_data_validation(validation)


_CHOICES = {
    P_DIRECT: (YES, NO),
    RATING: codes.RATINGS,
    I_SCOPE: codes.SCOPES,
    LEVEL: codes.DISCIPLINE_LEVELS,
}


def _sheet(wb: Workbook, name: str, *, first: bool = False) -> None:
    ws = wb.active if first else wb.create_sheet(name)
    ws.title = name
    columns, required = SHEETS[name]
    for index, title in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=title + (" (*)" if title in required else ""))
        cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = 34 if title in (P_NAME, C_NAME, C_PART, AUTHORITY, BASIS, I_BODY) else 18
        if title in TEXT_COLUMNS:  # codes such as 001 stay text, never become numbers
            for row in range(2, TEMPLATE_ROWS + 2):
                ws.cell(row=row, column=index).number_format = "@"
        if title in (P_HIRED, DECISION_DATE):
            for row in range(2, TEMPLATE_ROWS + 2):
                ws.cell(row=row, column=index).number_format = "DD/MM/YYYY"
        if title in _CHOICES:
            _list_validation(ws, index, _CHOICES[title], title=title)
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"


def _guide(wb: Workbook) -> None:
    ws = wb.create_sheet(GUIDE)
    lines = [
        ("Cách điền danh sách cá nhân, tập thể và quá trình khen thưởng", True),
        ("1. Mỗi sheet là một bảng; cột có dấu (*) là bắt buộc. Không đổi tên sheet, không sửa dòng tiêu đề.", False),
        (f"2. Sheet «{PEOPLE}» và «{COLLECTIVES}»: mỗi dòng một cá nhân, tập thể; mã là duy nhất và không đổi qua các "
         "năm. Mã đơn vị là mã trong hệ thống (đơn vị đã sáp nhập vẫn ghi mã cũ nếu người đó được ghi nhận ở đơn vị cũ).", False),
        (f"3. Sheet «{RATINGS}», «{GRANTS}», «{INITIATIVES}», «{DISCIPLINE}»: mỗi dòng ghi mã cá nhân hoặc tập thể, là mã có "
         f"trong sheet «{PEOPLE}», «{COLLECTIVES}» của tệp này hoặc đã có trong hệ thống.", False),
        ("4. Năm ghi 4 chữ số (2024). Ngày ghi dạng dd/mm/yyyy (24/01/2018). "
         f"«{P_DIRECT}» ghi {YES} hoặc {NO}.", False),
        ("5. Ô để trống: giữ nguyên thông tin đã có trong hệ thống. Nhập danh sách chỉ thêm và cập nhật, không xóa.", False),
        ("6. Tải tệp lên trang «Nhập danh sách từ Excel» (.xlsx hoặc .ods, tối đa 5 MB): hệ thống cho xem trước; tệp còn "
         "lỗi thì không có gì được ghi. Cũng có thể nhập bằng lệnh: thidua history import TỆP.xlsx", False),
        ("", False),
        ("Xếp loại", True),
        *[(f"{code}: {name}", False) for code, name in codes.RATING_NAMES.items()],
        ("", False),
        ("Phạm vi ảnh hưởng của sáng kiến", True),
        *[(f"{code}: {name}", False) for code, name in codes.SCOPE_NAMES.items()],
        ("", False),
        ("Hình thức kỷ luật", True),
        *[(f"{code}: {name}", False) for code, name in codes.DISCIPLINE_NAMES.items()],
        ("", False),
        ("Mã danh hiệu thi đua, hình thức khen thưởng", True),
        *[(f"{entry.code}: {entry.name}", False) for entry in codes.CODES.values()],
    ]
    for number, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(row=number, column=1)
        _safe_text(cell, text or None)
        cell.font = _BOLD if bold else _FONT
    ws.column_dimensions["A"].width = 120


def history_template() -> bytes:
    """The empty workbook to fill: one sheet per table, lists where a value has a fixed set, a guide."""
    wb = Workbook()
    for index, name in enumerate(SHEETS):
        _sheet(wb, name, first=index == 0)
    _guide(wb)
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- Reading ------------------------------------------------------------------------------------------


def _norm(text) -> str:
    """Header comparison: NFC (text typed on macOS is often NFD), trimmed, one space, no (*)."""
    text = unicodedata.normalize("NFC", str(text)).replace("(*)", "")
    return " ".join(text.split()).casefold()


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    if _empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


class _Bad(ValueError):
    """A cell that does not hold what its column needs; the message says why."""


def _year(value) -> int:
    if isinstance(value, bool):
        raise _Bad("năm phải là một số có 4 chữ số")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _text(value)
    if not re.fullmatch(r"[0-9]{4}", text):
        raise _Bad(f"năm phải là một số có 4 chữ số, không phải «{text}»")
    return int(text)


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern, order in ((_VN_DATE, (2, 1, 0)), (_ISO_DATE, (0, 1, 2))):
        if match := pattern.fullmatch(text):
            parts = [int(part) for part in match.groups()]
            try:
                return dt.date(parts[order[0]], parts[order[1]], parts[order[2]])
            except ValueError:
                break
    raise _Bad(f"ngày không hợp lệ: «{text}»; ghi dạng dd/mm/yyyy, ví dụ 24/01/2018")


def _yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise _Bad(f"ghi «{YES}» hoặc «{NO}», không phải «{_text(value)}»")


def _choice(value, choices: Iterable[str], what: str) -> str:
    text = _text(value)
    wanted = {_norm(choice): choice for choice in choices}
    if _norm(text) in wanted:
        return wanted[_norm(text)]
    raise _Bad(f"{what} không hợp lệ («{text}»); chọn một trong: {', '.join(choices)}")


@dataclass
class _Row:
    number: int
    values: dict[str, object]

    def get(self, column: str):
        return self.values.get(column)


def _sheet_rows(parsed: ParsedHistory, workbook: CalamineWorkbook, name: str) -> list[_Row] | None:
    """The sheet's data rows by column title; None when the workbook has no such sheet."""
    sheet_name = next((n for n in workbook.sheet_names if _norm(n) == _norm(name)), None)
    if sheet_name is None:
        return None
    sheet = workbook.get_sheet_by_name(sheet_name)
    end_row, end_col = sheet.end or (0, 0)
    if (end_row + 1) * (end_col + 1) > MAX_CELLS:
        parsed.error("sheet quá lớn, không phải danh sách theo mẫu.", sheet=name)
        return []
    rows = sheet.to_python(skip_empty_area=False)
    columns, required = SHEETS[name]
    wanted = {_norm(title): title for title in columns}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for position, value in enumerate(row):
            title = wanted.get(_norm(value)) if isinstance(value, str) else None
            if title and title not in found:
                found[title] = position
        if found:
            break
    else:
        parsed.error(f"không tìm thấy dòng tiêu đề (cột «{required[0]}»). Hãy dùng tệp mẫu tải từ hệ thống.", sheet=name)
        return []
    if missing := [title for title in required if title not in found]:
        parsed.error("thiếu cột " + ", ".join(f"«{t}»" for t in missing) + ". Hãy dùng tệp mẫu tải từ hệ thống.",
                     sheet=name, row=index + 1)  # fmt: skip
        return []
    data = []
    for number in range(index + 1, len(rows)):
        row = rows[number]
        values = {title: row[pos] if pos < len(row) else None for title, pos in found.items()}
        if all(_empty(v) for v in values.values()):
            continue
        data.append(_Row(number=number + 1, values=values))
    return data


@dataclass
class _Subject:
    """A person or collective as the file builds it up."""

    kind: str  # codes.PERSON | codes.COLLECTIVE
    id: str
    name: str
    unit: str
    sheet: str
    row: int | None  # None: recorded already, not listed in the file
    values: dict[str, object] = field(default_factory=dict)  # the optional fields given
    ratings: dict[int, str] = field(default_factory=dict)
    titles: list[Grant] = field(default_factory=list)
    awards: list[Grant] = field(default_factory=list)
    initiatives: list[InitiativeRecord] = field(default_factory=list)
    discipline: list[DisciplineRecord] = field(default_factory=list)


class _Reader:
    """Reads the sheets in order, each row checked on its own and against the file and the database."""

    def __init__(self, parsed: ParsedHistory, workbook: CalamineWorkbook, *, allowed_units: set[int] | None) -> None:
        self.parsed = parsed
        self.workbook = workbook
        self.allowed = allowed_units
        self.subjects: dict[str, _Subject] = {}
        self.units: dict[str, Unit] = {}

    def error(self, message: str, *, sheet: str, row: _Row | int | None = None, column: str | None = None) -> None:
        number = row.number if isinstance(row, _Row) else row
        self.parsed.error(message, sheet=sheet, row=number, column=column)

    def cell(self, sheet: str, row: _Row, column: str, convert: Callable, *, required: bool = False):
        """The converted value, None when empty (an error when `required`), or _Bad's message recorded."""
        value = row.get(column)
        if _empty(value):
            if required:
                self.error("không được để trống.", sheet=sheet, row=row, column=column)
            return None
        try:
            return convert(value)
        except _Bad as exc:
            self.error(f"{exc}.", sheet=sheet, row=row, column=column)
            return None

    # subjects -----------------------------------------------------------------------------------

    def read_subjects(self) -> None:
        people = _sheet_rows(self.parsed, self.workbook, PEOPLE)
        collectives = _sheet_rows(self.parsed, self.workbook, COLLECTIVES)
        if people is None and collectives is None:
            self.parsed.error(f"không có sheet «{PEOPLE}» hoặc «{COLLECTIVES}». Hãy dùng tệp mẫu tải từ hệ thống.")
            return
        rows = [(COLLECTIVES, r) for r in collectives or []] + [(PEOPLE, r) for r in people or []]
        self.parsed.rows += len(rows)
        unit_column = {PEOPLE: P_UNIT, COLLECTIVES: C_UNIT}
        wanted_units = {_text(r.get(unit_column[s])) for s, r in rows} - {""}
        self.units = {u.code: u for u in Unit.objects.filter(code__in=wanted_units)}
        ids = {_text(r.get(P_ID if s == PEOPLE else C_ID)) for s, r in rows} - {""}
        stored = {p.external_id: p.unit for p in Person.objects.filter(external_id__in=ids).select_related("unit")}
        stored |= {c.external_id: c.unit for c in Collective.objects.filter(external_id__in=ids).select_related("unit")}
        for sheet, row in rows:
            self.read_subject(sheet, row, stored)

    def read_subject(self, sheet: str, row: _Row, stored: dict[str, Unit]) -> None:
        person = sheet == PEOPLE
        id_col, name_col, unit_col = (P_ID, P_NAME, P_UNIT) if person else (C_ID, C_NAME, C_UNIT)
        ident = self.cell(sheet, row, id_col, _text, required=True)
        name = self.cell(sheet, row, name_col, _text, required=True)
        unit_code = self.cell(sheet, row, unit_col, _text, required=True)
        unit = self.check_unit(sheet, row, unit_col, unit_code) if unit_code else None
        if ident and ident in self.subjects:
            other = self.subjects[ident]
            self.error(f"mã «{ident}» bị trùng (đã có ở sheet «{other.sheet}», dòng {other.row}).", sheet=sheet, row=row,
                       column=id_col)  # fmt: skip
            return
        if ident and ident in stored and self.allowed is not None and stored[ident].pk not in self.allowed:
            self.error(f"mã «{ident}» đã được ghi nhận ở đơn vị ngoài phạm vi của bạn; không sửa được.", sheet=sheet,
                       row=row, column=id_col)  # fmt: skip
            return
        optional = (
            (("birth_year", P_BIRTH, _year), ("position", P_POSITION, _text), ("direct_worker", P_DIRECT, _yes_no),
             ("hired", P_HIRED, _date), ("collective", P_COLLECTIVE, _text))
            if person else (("part_of", C_PART, _text),)
        )  # fmt: skip
        values = {key: value for key, column, convert in optional
                  if (value := self.cell(sheet, row, column, convert)) is not None}  # every cell checked  # fmt: skip
        if not (ident and name and unit):
            return
        self.subjects[ident] = _Subject(kind=codes.PERSON if person else codes.COLLECTIVE, id=ident, name=name,
                                        unit=unit.code, sheet=sheet, row=row.number, values=values)  # fmt: skip

    def check_unit(self, sheet: str, row: _Row, column: str, code: str) -> Unit | None:
        unit = self.units.get(code)
        if unit is None:
            self.error(f"không có đơn vị nào mã «{code}»; hãy khai báo đơn vị trước khi nhập.", sheet=sheet, row=row,
                       column=column)  # fmt: skip
            return None
        if self.allowed is not None and unit.pk not in self.allowed:
            self.error(f"đơn vị «{code}» ({unit.name}) ngoài phạm vi bạn được nhập.", sheet=sheet, row=row, column=column)
            return None
        return unit

    def check_collectives_of_people(self) -> None:
        for subject in self.subjects.values():
            collective = subject.values.get("collective")
            if collective is None:
                continue
            target = self.subjects.get(collective)
            if target is None or target.kind != codes.COLLECTIVE or target.row is None:
                self.error(f"tập thể «{collective}» không có trong sheet «{COLLECTIVES}» của tệp.", sheet=PEOPLE,
                           row=subject.row, column=P_COLLECTIVE)  # fmt: skip

    def subject_of(self, sheet: str, row: _Row, column: str, *, kinds: tuple[str, ...]) -> _Subject | None:
        """The person or collective a history row names: listed in the file, or recorded in scope."""
        ident = self.cell(sheet, row, column, _text, required=True)
        if not ident:
            return None
        subject = self.subjects.get(ident) or self.recorded(ident)
        if subject is None:
            where = f"sheet «{PEOPLE}»" + (f" hoặc «{COLLECTIVES}»" if codes.COLLECTIVE in kinds else "")
            self.error(f"không có cá nhân, tập thể nào mã «{ident}» trong {where} của tệp hoặc trong hệ thống "
                       "(trong phạm vi của bạn).", sheet=sheet, row=row, column=column)  # fmt: skip
            return None
        if subject.kind not in kinds:
            self.error(f"«{ident}» là một tập thể; sheet này chỉ ghi cho cá nhân.", sheet=sheet, row=row, column=column)
            return None
        return subject

    def prefetch_recorded(self, idents: set[str]) -> None:
        """People and collectives the history rows name but the file does not list: one query each."""
        self.stored: dict[str, _Subject] = {}
        for model, kind in ((Collective, codes.COLLECTIVE), (Person, codes.PERSON)):
            for obj in model.objects.filter(external_id__in=idents).select_related("unit"):
                if self.allowed is None or obj.unit_id in self.allowed:  # outside scope: as if it did not exist
                    self.stored[obj.external_id] = _Subject(kind=kind, id=obj.external_id, name=obj.name,
                                                            unit=obj.unit.code, sheet="", row=None)  # fmt: skip

    def recorded(self, ident: str) -> _Subject | None:
        subject = self.stored.get(ident)
        if subject is not None:
            self.subjects[ident] = subject
        return subject

    # history rows -------------------------------------------------------------------------------

    def read_history(self) -> None:
        sheets = ((RATINGS, self.read_rating, SUBJECT), (GRANTS, self.read_grant, SUBJECT),
                  (INITIATIVES, self.read_initiative, I_PERSON), (DISCIPLINE, self.read_discipline, SUBJECT))  # fmt: skip
        rows_of = {name: _sheet_rows(self.parsed, self.workbook, name) or [] for name, _, _ in sheets}
        named = {_text(row.get(column)) for name, _, column in sheets for row in rows_of[name]}
        self.prefetch_recorded(named - set(self.subjects) - {""})
        for name, read, _ in sheets:
            self.parsed.rows += len(rows_of[name])
            seen: dict[tuple, int] = {}
            for row in rows_of[name]:
                read(row, seen)

    def _duplicate(self, seen: dict[tuple, int], key: tuple, *, sheet: str, row: _Row, what: str) -> bool:
        if key in seen:
            self.error(f"{what} bị lặp (đã có ở dòng {seen[key]}).", sheet=sheet, row=row)
            return True
        seen[key] = row.number
        return False

    def read_rating(self, row: _Row, seen: dict) -> None:
        subject = self.subject_of(RATINGS, row, SUBJECT, kinds=(codes.PERSON, codes.COLLECTIVE))
        year = self.cell(RATINGS, row, YEAR, _year, required=True)
        rating = self.cell(RATINGS, row, RATING, lambda v: _choice(v, codes.RATINGS, "xếp loại"), required=True)
        if subject and year and rating and not self._duplicate(
            seen, (subject.id, year), sheet=RATINGS, row=row, what=f"xếp loại năm {year} của {subject.id}"
        ):
            subject.ratings[year] = rating

    def read_grant(self, row: _Row, seen: dict) -> None:
        subject = self.subject_of(GRANTS, row, SUBJECT, kinds=(codes.PERSON, codes.COLLECTIVE))
        year = self.cell(GRANTS, row, YEAR, _year, required=True)
        code = self.cell(GRANTS, row, CODE, _text, required=True)
        entry = codes.CODES.get(code) if code else None
        if code and entry is None:
            self.error(f"mã danh hiệu, hình thức khen thưởng không hợp lệ («{code}»); xem danh sách mã ở sheet «{GUIDE}».",
                       sheet=GRANTS, row=row, column=CODE)  # fmt: skip
        elif entry is not None and subject is not None and subject.kind not in entry.subjects:
            who = "cá nhân" if subject.kind == codes.PERSON else "tập thể"
            self.error(f"{entry.name} ({code}) không xét tặng cho {who}.", sheet=GRANTS, row=row, column=CODE)
            entry = None
        grant = Grant(
            code=code or "", year=year or 0, decision=self.cell(GRANTS, row, DECISION, _text) or "",
            decision_date=self.cell(GRANTS, row, DECISION_DATE, _date),
            authority=self.cell(GRANTS, row, AUTHORITY, _text) or "", basis=self.cell(GRANTS, row, BASIS, _text) or "",
            line=row.number,
        )  # fmt: skip
        if subject and year and entry and not self._duplicate(
            seen, (subject.id, code, year), sheet=GRANTS, row=row, what=f"{entry.name} năm {year} của {subject.id}"
        ):
            (subject.titles if entry.kind == codes.TITLE else subject.awards).append(grant)

    def read_initiative(self, row: _Row, seen: dict) -> None:
        subject = self.subject_of(INITIATIVES, row, I_PERSON, kinds=(codes.PERSON,))
        ident = self.cell(INITIATIVES, row, I_ID, _text, required=True)
        year = self.cell(INITIATIVES, row, I_YEAR, _year, required=True)
        scope = self.cell(INITIATIVES, row, I_SCOPE, lambda v: _choice(v, codes.SCOPES, "phạm vi ảnh hưởng"),
                          required=True)  # fmt: skip
        used = self.cell(INITIATIVES, row, I_USED, _text)
        if used is not None and codes.PERSON not in getattr(codes.CODES.get(used), "subjects", ()):
            self.error(f"«{used}» không phải mã danh hiệu, hình thức khen thưởng cho cá nhân.", sheet=INITIATIVES,
                       row=row, column=I_USED)  # fmt: skip
            return
        if subject and ident and year and scope and not self._duplicate(
            seen, (subject.id, ident), sheet=INITIATIVES, row=row, what=f"sáng kiến {ident} của {subject.id}"
        ):
            body = self.cell(INITIATIVES, row, I_BODY, _text) or ""
            subject.initiatives.append(InitiativeRecord(id=ident, year=year, scope=scope, used_by=used,
                                                        recognised_by=body, line=row.number))  # fmt: skip

    def read_discipline(self, row: _Row, seen: dict) -> None:
        subject = self.subject_of(DISCIPLINE, row, SUBJECT, kinds=(codes.PERSON, codes.COLLECTIVE))
        year = self.cell(DISCIPLINE, row, YEAR, _year, required=True)
        level = self.cell(DISCIPLINE, row, LEVEL, lambda v: _choice(v, codes.DISCIPLINE_LEVELS, "hình thức kỷ luật"),
                          required=True)  # fmt: skip
        if subject and year and level and not self._duplicate(
            seen, (subject.id, year, level), sheet=DISCIPLINE, row=row, what=f"kỷ luật năm {year} của {subject.id}"
        ):
            subject.discipline.append(DisciplineRecord(year=year, level=level, line=row.number))

    # the result ---------------------------------------------------------------------------------

    def history(self) -> History:
        people, collectives = [], []
        for s in self.subjects.values():
            given = frozenset({"id", "name", "unit", *s.values})
            common = dict(id=s.id, name=s.name, unit=s.unit, ratings=dict(s.ratings), titles=tuple(s.titles),
                          awards=tuple(s.awards), discipline=tuple(s.discipline), line=s.row, unit_line=s.row,
                          given=given)  # fmt: skip
            if s.kind == codes.PERSON:
                v = s.values
                people.append(PersonHistory(
                    **common, hired=v.get("hired"), birth_year=v.get("birth_year"), position=v.get("position", ""),
                    direct_worker=v.get("direct_worker", False), collective=v.get("collective"),
                    initiatives=tuple(s.initiatives),
                ))  # fmt: skip
            else:
                collectives.append(CollectiveHistory(**common, part_of=s.values.get("part_of", "")))
        return History(people=tuple(people), collectives=tuple(collectives))


def history_parse(data: bytes, *, filename: str, allowed_units: set[int] | None = None) -> ParsedHistory:
    """Read a filled workbook (.xlsx or .ods) into a `History`, or every error found.

    `allowed_units`: the ids of the units the uploader may record people for (None: any, as for
    `thidua history import` run by the administrator); a row of another unit is an error, and so is
    a code already recorded in another unit.
    """
    parsed = ParsedHistory(filename=filename)
    if refusal := results_file_check(data=data, filename=filename):
        parsed.errors.append(refusal)
        return parsed
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        reader = _Reader(parsed, workbook, allowed_units=allowed_units)
        reader.read_subjects()
        if parsed.errors:
            return parsed
        reader.check_collectives_of_people()
        reader.read_history()
    except (CalamineError, OSError, ValueError):
        parsed.error("không đọc được bảng tính; tệp bị hỏng hoặc không đúng định dạng .xlsx, .ods.")
        return parsed
    if parsed.errors:
        parsed.errors.sort(key=lambda e: (list(SHEETS).index(e.sheet) if e.sheet in SHEETS else -1, e.row or 0))
        return parsed
    parsed.history = reader.history()
    return parsed


class _DryRun(Exception):
    """Raised inside the preview's transaction so that nothing it wrote stays."""


def history_preview(*, history: History, filename: str) -> ImportReport:
    """What importing `history` would create and update, without keeping any of it: the import runs
    in a transaction that is rolled back (the same code as the real import, so the preview cannot
    disagree with it). HistoryImportError and RuleError pass through."""
    report: ImportReport | None = None
    try:
        with transaction.atomic():
            report = history_import(history=history, filename=filename, table=rule_table())
            raise _DryRun
    except _DryRun:
        pass
    assert report is not None
    return report
