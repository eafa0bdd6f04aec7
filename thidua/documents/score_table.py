"""The score table of a group-year as an Excel workbook (sheet "Bảng điểm").

One row per member in ranking order: Hạng, Mã đơn vị, Đơn vị, each content's subtotal, Thưởng/trừ,
Tổng điểm, then one column per criterion; a row "Điểm tối đa" under the column titles. The figures
are those of `thidua score GROUP YEAR --json` (`GroupScores.to_json()`: two decimals, half-up),
written as numbers with the format `#,##0.00`, which Excel shows in the reader's locale
(912,00 on a Vietnamese system).

Every text (group, unit, content and criterion names: all typed by users) is written as a string
cell, and text that a spreadsheet would read as a formula gets the quote prefix, so
`=HYPERLINK("…")` in a unit's name stays text.
"""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from thidua.conference.signing import document_organiser
from thidua.covenants.models import Criterion
from thidua.lib.dates import format_date
from thidua.lib.numbers import format_number
from thidua.org.models import GroupYear, Unit
from thidua.scoring.selectors import group_year_scores

SHEET = "Bảng điểm"
NUMBER_FORMAT = "#,##0.00"
FONT_NAME = "Times New Roman"
HEADER_ROW = 5
MAX_ROW = HEADER_ROW + 1  # "Điểm tối đa"
FIRST_DATA_ROW = MAX_ROW + 1
RANK, CODE, NAME, ADJUSTMENTS, TOTAL = "Hạng", "Mã đơn vị", "Đơn vị", "Thưởng/trừ", "Tổng điểm"
# Leading characters a spreadsheet reads as the start of a formula (or that hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

_FONT = Font(name=FONT_NAME, size=12)
_BOLD = Font(name=FONT_NAME, size=12, bold=True)
_TITLE = Font(name=FONT_NAME, size=14, bold=True)
_HEADER_FONT = Font(name=FONT_NAME, size=12, bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_MAX_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def text_cell(cell, value: str | None) -> None:
    """User text that no spreadsheet will evaluate: a string cell, quote-prefixed when it looks
    like a formula."""
    cell.value = value
    if value is None:
        return
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def number_cell(cell, value: float | int | None, *, number_format: str = NUMBER_FORMAT) -> None:
    cell.value = value
    cell.number_format = number_format


def score_table_xlsx(*, group_year: GroupYear) -> bytes:
    """The workbook; 404 (Http404 from the selector) when the group-year has no covenant."""
    scores = group_year_scores(group_year=group_year)
    data = scores.to_json()
    covenant = scores.covenant
    group = group_year.group
    contents = list(covenant.contents.order_by("order", "id"))
    criteria = list(Criterion.objects.filter(covenant=covenant).select_related("content")
                    .order_by("content__order", "order", "id"))
    names = dict(Unit.objects.filter(code__in=[line["unit"] for line in data["ranking"]]).values_list("code", "name"))

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    wb.properties.title = f"Bảng điểm thi đua năm {group_year.year} – {group.name}"
    wb.properties.language = "vi-VN"

    columns: list[tuple[str, str]] = [("rank", RANK), ("code", CODE), ("name", NAME)]
    columns += [(f"content:{c.code}", f"{c.code}. {c.title}") for c in contents]
    columns += [("adjustments", ADJUSTMENTS), ("total", TOTAL)]
    columns += [(f"criterion:{c.code}", f"{c.code}. {c.title}") for c in criteria]
    last_letter = get_column_letter(len(columns))

    # Title rows.
    organiser = document_organiser(group)
    title_rows = [
        (organiser, _BOLD),
        (f"BẢNG ĐIỂM VÀ XẾP HẠNG THI ĐUA NĂM {group_year.year}", _TITLE),
        (f"{group.name} – thang điểm {format_number(covenant.scale)} – lập ngày {format_date(timezone.localdate())}",
         _FONT),
    ]
    for row, (text, font) in enumerate(title_rows, start=1):
        cell = ws.cell(row=row, column=1)
        text_cell(cell, text or None)
        cell.font = font
        cell.alignment = Alignment(horizontal="left", vertical="center")

    # Column titles.
    for index, (_key, title) in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=index)
        text_cell(cell, title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        width = {RANK: 7, CODE: 14, NAME: 30}.get(title, 16)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.row_dimensions[HEADER_ROW].height = 60

    # The maximum of each column.
    maxima: dict[str, float | None] = {"total": float(covenant.scale)}
    maxima.update({f"content:{c.code}": float(c.max_points) for c in contents})
    maxima.update({f"criterion:{c.code}": float(c.max_points) for c in criteria})
    for index, (key, _title) in enumerate(columns, start=1):
        cell = ws.cell(row=MAX_ROW, column=index)
        if key == "name":
            text_cell(cell, "Điểm tối đa")
        elif key in maxima:
            number_cell(cell, maxima[key])
        cell.font = _BOLD
        cell.fill = _MAX_FILL
        cell.border = _BORDER

    # One row per unit, in ranking order.
    for row, line in enumerate(data["ranking"], start=FIRST_DATA_ROW):
        values = {"rank": line["rank"], "code": line["unit"], "name": names.get(line["unit"], line["unit"]),
                  "adjustments": line["adjustments"], "total": line["total"]}
        values.update({f"content:{code}": v for code, v in line["contents"].items()})
        values.update({f"criterion:{code}": v for code, v in line["criteria"].items()})
        for index, (key, _title) in enumerate(columns, start=1):
            cell = ws.cell(row=row, column=index)
            value = values.get(key)
            if key in ("code", "name"):
                text_cell(cell, value)
                cell.alignment = Alignment(vertical="top", wrap_text=key == "name")
            elif key == "rank":
                number_cell(cell, value, number_format="0")
                cell.alignment = Alignment(horizontal="center", vertical="top")
            else:
                number_cell(cell, value)
            cell.font = _BOLD if key == "total" else _FONT
            cell.border = _BORDER

    last_row = max(FIRST_DATA_ROW - 1 + len(data["ranking"]), MAX_ROW)
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=4).coordinate  # titles and unit columns stay
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_letter}{last_row}"
    ws.print_title_rows = f"{HEADER_ROW}:{MAX_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
