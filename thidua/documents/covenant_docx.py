"""The covenant (giao ước thi đua) as DOCX, next to its PDF (thidua.conference.signing.covenant_pdf).

Same content as the PDF (templates/documents/covenant_pdf.html), from the same data: the Decree 30
header (`minutes.header_for`, i.e. `signing.document_organiser` and `signing.document_place`), dated
the day the covenant was signed off or else the latest member signature (blank while nobody has
signed); the title "GIAO ƯỚC THI ĐUA NĂM yyyy"; the contents and criteria with their points
(`covenants.selectors.criteria_of`) and the total; the members' signatures in covenant order
(`signing.covenant_signature_rows`) with dotted blanks for the units that have not signed; the
"DỰ THẢO" mark while the covenant is a draft.

The layout is the shared Decree 30 DOCX layout of `thidua.documents.minutes` (A4, Times New Roman
13 pt, margins 20/20/30/15 mm, page numbers at the top from page 2).
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from thidua.conference.signing import covenant_signature_rows
from thidua.covenants.models import Covenant, CovenantStatus
from thidua.covenants.selectors import criteria_of
from thidua.documents.minutes import add_grid, add_header, add_par, add_title, header_for, new_document, save
from thidua.lib.dates import format_date
from thidua.lib.numbers import format_number

DRAFT = "DỰ THẢO"
CRITERIA_COLUMNS = ("TT", "Nội dung, tiêu chí", "Đơn vị tính", "Điểm tối đa")
CRITERIA_WIDTHS_MM = (18, 97, 25, 25)
SIGNATURE_COLUMNS = ("TT", "Đơn vị", "Người ký", "Chức vụ", "Ngày ký")
SIGNATURE_WIDTHS_MM = (11, 37, 45, 44, 28)  # the blank date "…./…./……" fits on one line
BLANK_NAME, BLANK_POSITION, BLANK_DATE = "……………………", "………………", "…./…./……"


def _points(value) -> str:
    """As the PDF's `|so` filter: 1.000 · 37,5 · nothing for no value."""
    return "" if value in (None, "") else format_number(value)


def _draft_mark(doc) -> None:
    """"DỰ THẢO" at the top right, boxed, as in the PDF."""
    paragraph = add_par(doc, DRAFT, bold=True, size=12, space_after=4)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    rpr = paragraph.runs[0]._r.get_or_add_rPr()
    border = OxmlElement("w:bdr")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        border.set(qn(key), value)
    rpr.append(border)


def _restyle(table, *, bold_rows=(), centred=()) -> None:
    """After `add_grid`: bold body rows (contents, total) and centred columns (codes, measures, dates)."""
    for index in bold_rows:
        for cell in table.rows[index].cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.bold = True
    for row in table.rows[1:]:  # the merged "nothing yet" row is centred already: no harm
        cells = row.cells
        for column in centred:
            for paragraph in cells[column].paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def covenant_docx(*, covenant: Covenant) -> bytes:
    """The covenant, its criteria and the members' signatures as DOCX (Decree 30 format)."""
    group_year = covenant.group_year
    group = group_year.group
    year = group_year.year
    rows = covenant_signature_rows(covenant)
    criteria = criteria_of(covenant)
    contents = list(covenant.contents.all())
    dates = [row.signature.signed_on for row in rows if row.signature]
    day = covenant.signed_on or (max(dates) if dates else None)

    doc = new_document(title=f"Giao ước thi đua năm {year} – {group.name}")
    if covenant.status == CovenantStatus.DRAFT:
        _draft_mark(doc)
    add_header(doc, header_for(group_year, day=day))
    add_title(doc, f"GIAO ƯỚC THI ĐUA NĂM {year}", group.name)
    scale = f" {_points(covenant.scale)} điểm" if covenant.scale else ""
    add_par(doc, f"Các đơn vị thành viên {group.name} cùng thống nhất ký kết Giao ước thi đua năm {year} "
                 f"với các nội dung, tiêu chí và thang điểm{scale} sau đây:", indent=True, justify=True)

    add_par(doc, "I. NỘI DUNG, TIÊU CHÍ THI ĐUA", bold=True, keep_with_next=True, space_before=6)
    criteria_rows: list[tuple[str, ...]] = []
    bold_rows: list[int] = []
    for content in contents:
        criteria_rows.append((content.code, content.title, "", _points(content.max_points)))
        bold_rows.append(len(criteria_rows))  # row 0 is the header
        criteria_rows += [(c.code, c.title, c.measure, _points(c.max_points))
                          for c in criteria if c.content_id == content.pk]
    if contents:
        total = sum((content.max_points for content in contents), start=0)
        criteria_rows.append(("", "Tổng cộng", "", _points(total)))
        bold_rows.append(len(criteria_rows))
    add_grid(doc, CRITERIA_COLUMNS, criteria_rows, widths_mm=CRITERIA_WIDTHS_MM, numeric=(0, 3),
             empty="Chưa có nội dung, tiêu chí.")
    _restyle(doc.tables[-1], bold_rows=bold_rows, centred=(0, 2))

    add_par(doc, "II. ĐẠI DIỆN CÁC ĐƠN VỊ THÀNH VIÊN KÝ KẾT", bold=True, keep_with_next=True, space_before=6)
    signature_rows = [
        (str(row.number), row.unit.name,
         *((row.signature.signer_name, row.signature.position, format_date(row.signature.signed_on))
           if row.signature else (BLANK_NAME, BLANK_POSITION, BLANK_DATE)))
        for row in rows
    ]
    add_grid(doc, SIGNATURE_COLUMNS, signature_rows, widths_mm=SIGNATURE_WIDTHS_MM, numeric=(0,),
             empty="Cụm, khối chưa có đơn vị thành viên.")
    _restyle(doc.tables[-1], centred=(0, 4))
    return save(doc)
