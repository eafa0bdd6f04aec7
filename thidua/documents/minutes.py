"""The vote-count minutes (biên bản kiểm phiếu) of a closed secret ballot, as DOCX and PDF
(LEGAL.md §3.5 and §6.1: the minutes and the voting result of the cluster/block go into the award
dossier; stack.md §8: Decree 30/2020/NĐ-CP, Appendix I layout).

What the minutes say comes from `thidua.conference.ballots.ballot_result` only: the electorate
fixed at opening, ballots received, valid, blank and invalid, the quorum rule and whether it was
met, the pass threshold, the votes of each option and the outcome. Secrecy: counts only. The
minutes never read who took part (BallotParticipation), receipts, delegates or the audit, so two
ballots with the same counts give the same minutes whoever chose what.

A ballot that has not closed has no result and so no minutes (`ResultsHidden`; the views answer 404).

The second half of this module holds the python-docx helpers for documents in the Decree 30 layout
(A4, Times New Roman 13 pt, margins 20/20/30/15 mm, page numbers at the top from page 2, the
two-column national header); `thidua.documents.proposal_letter` uses them too.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from thidua.conference.ballots import APPROVE, BallotResult, OptionLine, ballot_result
from thidua.conference.models import Ballot, BallotKind, BallotMode, Electorate
from thidua.conference.signing import document_organiser, document_place
from thidua.lib.dates import format_long_date
from thidua.lib.numbers import format_number

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BLANK_DATE = "ngày ….. tháng ….. năm ……"
SIGN_HINT = "(Ký, ghi rõ họ tên)"

WINNER_WORDS = {
    BallotKind.ACCLAIM: "Được suy tôn",
    BallotKind.LEADER: "Trúng cử",
    BallotKind.DEPUTIES: "Trúng cử",
    BallotKind.PROPOSALS: "Thông qua",
}


# ------------------------------------------------------------------------------ what the minutes say


@dataclass(frozen=True)
class Header:
    """The Decree 30 header: issuing body (left), national title and date line (right)."""

    organiser: str
    issuer: str
    date_line: str
    number: str = ""  # "Số: …/TTr" under the issuer, when the document has one


@dataclass(frozen=True)
class SignatureBlock:
    lines: tuple[str, ...]  # bold, upper case: authority, position
    hint: str = SIGN_HINT
    name: str = ""  # the signer's name, when known


@dataclass(frozen=True)
class Minutes:
    header: Header
    title: str
    subtitle: str
    intro: str
    facts: list[str]
    counts: list[tuple[str, str, str]]  # (TT, what, how many)
    rules: list[str]
    option_columns: tuple[str, ...]
    options: list[tuple[str, ...]]
    outcome: list[str]
    closing: list[str]
    signatures: tuple[SignatureBlock, SignatureBlock]


def header_for(group_year, *, day=None, number: str = "") -> Header:
    """The header of a document issued in the group's name (organiser above, group below)."""
    group = group_year.group
    place = document_place(group)
    if day is not None:
        date_line = format_long_date(day, place=place)
    else:
        date_line = f"{place}, {BLANK_DATE}" if place else BLANK_DATE
    return Header(organiser=document_organiser(group), issuer=group.name.upper(), date_line=date_line, number=number)


def _n(value: int) -> str:
    return format_number(value)


def _time_text(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.hour:02d} giờ {local.minute:02d} phút ngày {local.strftime('%d/%m/%Y')}"


def _line_result(ballot: Ballot, result: BallotResult, line: OptionLine) -> str:
    if not result.quorum_met:
        return "—"
    if line.won:
        return WINNER_WORDS[ballot.kind]
    if line.tied:
        return "Bằng phiếu, bỏ phiếu lại"
    if ballot.kind == BallotKind.PROPOSALS and line.option.unit_id is None and line.option.label != APPROVE:
        return "—"
    if line.passed:
        return "Đạt ngưỡng, không đủ vị trí"
    return "Không đạt ngưỡng"


def minutes_of(ballot: Ballot) -> Minutes:
    """The minutes' text; raises `ballots.ResultsHidden` while the ballot is not closed."""
    result = ballot_result(ballot=ballot)
    group_year = ballot.group_year
    group = group_year.group
    council = ballot.electorate == Electorate.COUNCIL
    voters = "thành viên Hội đồng" if council else "đơn vị thành viên"
    closed = ballot.closed_at or timezone.now()
    closed_day = timezone.localtime(closed).date()
    where = f", tổ chức tại {group_year.conference_place}" if group_year.conference_place else ""
    how = "bằng phiếu giấy" if ballot.mode == BallotMode.PAPER else "trên hệ thống phần mềm Thi đua – Khen thưởng"
    intro = (
        f"Thực hiện Quy chế hoạt động của {group.name}, tại Hội nghị tổng kết công tác thi đua năm "
        f"{group_year.year}{where}, các {voters} đã bỏ phiếu kín {how}. Ban Kiểm phiếu đã tiến hành kiểm "
        f"phiếu và lập biên bản như sau:"
    )
    facts = [
        f"Nội dung bỏ phiếu: {ballot.get_kind_display()}.",
        f"Người bỏ phiếu: {ballot.get_electorate_display()}.",
        f"Hình thức bỏ phiếu: {ballot.get_mode_display()}.",
        f"Mỗi phiếu chọn tối đa {_n(ballot.max_choices)} "
        f"{'lựa chọn' if ballot.kind == BallotKind.PROPOSALS else 'đơn vị'}.",
    ]
    if ballot.opened_at:
        facts.append(f"Thời gian bỏ phiếu: từ {_time_text(ballot.opened_at)} đến {_time_text(closed)}.")
    counts: list[tuple[str, str]] = [(f"Tổng số {voters} có quyền bỏ phiếu", _n(result.electorate))]
    if ballot.mode == BallotMode.ELECTRONIC:  # the system issues one ballot to each voter
        counts.append(("Số phiếu phát ra", _n(result.electorate)))
    counts += [
        ("Số phiếu thu về", _n(result.cast)),
        ("Số phiếu hợp lệ", _n(result.valid)),
        ("Số phiếu trắng (không chọn)", _n(result.blank)),
        ("Số phiếu không hợp lệ", _n(result.invalid)),
    ]
    rules = [result.rule_statement + ".", result.quorum_statement, result.threshold_statement]
    ordered = sorted(result.lines, key=lambda line: (line.option.order, line.option.pk))
    options = [
        (str(number), line.option.label, _n(line.votes), line.share, _line_result(ballot, result, line))
        for number, line in enumerate(ordered, start=1)
    ]
    outcome = [result.outcome_statement]
    closing = [
        "Phiếu bầu được bỏ kín: biên bản chỉ ghi số phiếu, không ghi lựa chọn của từng "
        f"{'thành viên' if council else 'đơn vị'}.",
    ]
    if ballot.mode == BallotMode.PAPER:
        closing.append("Kết quả kiểm phiếu giấy do hai người kiểm phiếu nhập độc lập và trùng khớp trên hệ thống.")
    closing.append(
        f"Việc kiểm phiếu kết thúc vào hồi {_time_text(closed)}. Ban Kiểm phiếu đã công bố kết quả "
        "trước Hội nghị; biên bản được đọc lại và thông qua."
    )
    return Minutes(
        header=header_for(group_year, day=closed_day),
        title="BIÊN BẢN KIỂM PHIẾU",
        subtitle=ballot.title,
        intro=intro,
        facts=facts,
        counts=[(str(i), what, value) for i, (what, value) in enumerate(counts, start=1)],
        rules=rules,
        option_columns=("TT", "Lựa chọn", "Số phiếu", f"Tỷ lệ so với tổng số {voters}", "Kết quả"),
        options=options,
        outcome=outcome,
        closing=closing,
        signatures=(
            SignatureBlock(lines=("THÀNH VIÊN BAN KIỂM PHIẾU",)),
            SignatureBlock(lines=("TRƯỞNG BAN KIỂM PHIẾU",)),
        ),
    )


# ------------------------------------------------------------------------------ PDF


def minutes_pdf_html(*, ballot: Ballot) -> str:
    minutes = minutes_of(ballot)
    return render_to_string("documents/minutes_pdf.html", {"m": minutes, "header": minutes.header})


def minutes_pdf(*, ballot: Ballot) -> bytes:
    from thidua.documents.pdf import html_to_pdf  # WeasyPrint loads Pango: only when a PDF is asked for

    return html_to_pdf(minutes_pdf_html(ballot=ballot))


# ------------------------------------------------------------------------------ DOCX


def minutes_docx(*, ballot: Ballot) -> bytes:
    m = minutes_of(ballot)
    doc = new_document(title=f"{m.title} – {m.subtitle}")
    add_header(doc, m.header)
    add_title(doc, m.title, m.subtitle)
    add_par(doc, m.intro, indent=True, justify=True)
    add_par(doc, "I. NỘI DUNG BỎ PHIẾU", bold=True, keep_with_next=True)
    for fact in m.facts:
        add_par(doc, f"- {fact}", indent=True, justify=True)
    add_par(doc, "II. KẾT QUẢ KIỂM PHIẾU", bold=True, keep_with_next=True)
    add_grid(doc, ("TT", "Nội dung", "Số lượng"), m.counts, widths_mm=(15, 110, 40), numeric=(0, 2))
    add_par(doc, "III. QUY ĐỊNH VÀ ĐỐI CHIẾU", bold=True, keep_with_next=True, space_before=6)
    for text in m.rules:
        add_par(doc, f"- {text}", indent=True, justify=True)
    add_par(doc, "IV. SỐ PHIẾU CỦA TỪNG LỰA CHỌN", bold=True, keep_with_next=True)
    add_grid(doc, m.option_columns, m.options, widths_mm=(12, 58, 20, 35, 40), numeric=(0, 2, 3))
    add_par(doc, "V. KẾT QUẢ BỎ PHIẾU", bold=True, keep_with_next=True, space_before=6)
    for text in m.outcome:
        add_par(doc, text, indent=True, justify=True)
    for text in m.closing:
        add_par(doc, text, indent=True, justify=True)
    add_signatures(doc, m.signatures)
    return save(doc)


# ------------------------------------------------------------------------------ Decree 30 DOCX helpers

FONT = "Times New Roman"
BODY_PT = 13
TEXT_WIDTH_MM = 165  # A4 210 mm − 30 mm left − 15 mm right
HEADER_WIDTHS_MM = (66, 99)


def _fonts(rpr) -> None:
    """Times New Roman for every script (and no theme font that would win over it)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)


def new_document(*, title: str) -> Document:
    """An empty A4 document in the Decree 30 format."""
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.language = "vi-VN"
    doc.core_properties.author = "Phần mềm Thi đua – Khen thưởng"
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _fonts(rpr)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    _fonts(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:val"), "vi-VN")
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(6)
    fmt.line_spacing = 1.1
    # Page numbers: centred at the top, not on page 1.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field_ = OxmlElement("w:fldSimple")
    field_.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field_.append(run)
    number._p.append(field_)
    return doc


def add_par(
    container, text: str = "", *, bold: bool = False, italic: bool = False, size: float | None = None,
    center: bool = False, justify: bool = False, indent: bool = False, keep_with_next: bool = False,
    space_before: float = 0, space_after: float | None = None, runs: Sequence[tuple[str, bool, bool]] = (),
):
    """One paragraph; `runs` ((text, bold, italic), …) instead of `text` for mixed formatting."""
    paragraph = container.add_paragraph()
    for piece, piece_bold, piece_italic in runs or ((text, bold, italic),):
        if not piece:
            continue
        run = paragraph.add_run(piece)
        run.bold = piece_bold or None
        run.italic = piece_italic or None
        if size:
            run.font.size = Pt(size)
    fmt = paragraph.paragraph_format
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif justify:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        fmt.first_line_indent = Mm(10)
    if keep_with_next:
        fmt.keep_with_next = True
    fmt.space_before = Pt(space_before)
    if space_after is not None:
        fmt.space_after = Pt(space_after)
    return paragraph


_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
               "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
               "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def add_rule(container, *, width_mm: float, box_mm: float):
    """A short horizontal line centred in a box `box_mm` wide (under the issuer and the motto)."""
    paragraph = container.add_paragraph()
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    ppr.insert_element_before(borders, *_AFTER_PBDR)
    side = max(0.0, (box_mm - width_mm) / 2)
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent = Mm(side), Mm(side)
    fmt.space_before, fmt.space_after = Pt(2), Pt(4)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    return paragraph


def _borderless_table(doc, cols: int, widths_mm: Sequence[float]):
    table = doc.add_table(rows=1, cols=cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, width in enumerate(widths_mm):
        table.columns[index].width = Mm(width)
        table.rows[0].cells[index].width = Mm(width)
    return table


def _first(cell, text: str, **kwargs):
    """Write into the cell's (empty) first paragraph, then add paragraphs after it."""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = kwargs.get("bold") or None
    run.italic = kwargs.get("italic") or None
    if kwargs.get("size"):
        run.font.size = Pt(kwargs["size"])
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def add_header(doc, header: Header) -> None:
    """The two-column national header (Decree 30, Appendix I)."""
    left_mm, right_mm = HEADER_WIDTHS_MM
    table = _borderless_table(doc, 2, HEADER_WIDTHS_MM)
    left, right = table.rows[0].cells
    if header.organiser:
        _first(left, header.organiser, size=12)
        add_par(left, header.issuer, bold=True, size=12, center=True, space_after=0)
    else:
        _first(left, header.issuer, bold=True, size=12)
    add_rule(left, width_mm=left_mm * 0.35, box_mm=left_mm)
    if header.number:
        add_par(left, header.number, size=13, center=True, space_after=0)
    _first(right, NATION, bold=True, size=12)
    add_par(right, MOTTO, bold=True, size=13, center=True, space_after=0)
    add_rule(right, width_mm=62, box_mm=right_mm)
    add_par(right, header.date_line, italic=True, size=13, center=True, space_after=0)
    add_par(doc, "", space_after=4)


def add_title(doc, title: str, subtitle: str = "") -> None:
    add_par(doc, title, bold=True, size=14, center=True, space_before=6, space_after=0, keep_with_next=True)
    if subtitle:
        add_par(doc, subtitle, bold=True, center=True, space_after=2, keep_with_next=True)
        add_rule(doc, width_mm=40, box_mm=TEXT_WIDTH_MM)
    else:
        add_par(doc, "", space_after=4)


def _row_flag(row, tag: str) -> None:
    """A row property: "w:cantSplit" (kept on one page) or "w:tblHeader" (repeated on every page)."""
    trpr = row._tr.get_or_add_trPr()
    mark = OxmlElement(tag)
    mark.set(qn("w:val"), "true")
    trpr.append(mark)


def add_grid(doc, columns: Sequence[str], rows: Sequence[Sequence[str]], *, widths_mm: Sequence[float],
             numeric: Sequence[int] = (), size: float = 12, empty: str = "") -> None:
    """A bordered table: a bold header row repeated on every page, then the rows."""
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, width in enumerate(widths_mm):
        table.columns[index].width = Mm(width)
    _row_flag(table.rows[0], "w:cantSplit")
    _row_flag(table.rows[0], "w:tblHeader")
    for index, title in enumerate(columns):
        cell = table.rows[0].cells[index]
        cell.width = Mm(widths_mm[index])
        _first(cell, title, bold=True, size=size)
    if not rows and empty:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        _first(merged, empty, size=size)
    for values in rows:
        row = table.add_row()
        _row_flag(row, "w:cantSplit")
        cells = row.cells
        for index, value in enumerate(values):
            cells[index].width = Mm(widths_mm[index])
            paragraph = _first(cells[index], value, size=size)
            if index not in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            elif index:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_par(doc, "", space_after=0)


def add_signatures(doc, blocks: Sequence[SignatureBlock], *, left_note: Sequence[str] = ()) -> None:
    """Signature blocks side by side (titles in one row, names in the next, so the names line up);
    `left_note` (e.g. "Nơi nhận") in the left column instead of a block."""
    widths = (75, 90) if left_note else (TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2)
    table = _borderless_table(doc, 2, widths)
    names = table.add_row()
    for row in table.rows:
        _row_flag(row, "w:cantSplit")
        for index, width in enumerate(widths):
            row.cells[index].width = Mm(width)
    titles = table.rows[0].cells
    if left_note:
        first = titles[0].paragraphs[0]
        run = first.add_run(left_note[0])
        run.bold, run.italic, run.font.size = True, True, Pt(12)
        first.paragraph_format.space_after = Pt(0)
        for line in left_note[1:]:
            add_par(titles[0], line, size=11, space_after=0)
        columns = [1]
    else:
        columns = list(range(min(2, len(blocks))))
    for column, block in zip(columns, blocks, strict=False):
        cell = titles[column]
        _first(cell, block.lines[0], bold=True).paragraph_format.keep_with_next = True
        for line in block.lines[1:]:
            add_par(cell, line, bold=True, center=True, space_after=0, keep_with_next=True)
        if block.hint:
            add_par(cell, block.hint, italic=True, center=True, space_after=0, keep_with_next=True)
        for _ in range(4):
            add_par(cell, "", space_after=0, keep_with_next=True)
        _first(names.cells[column], block.name or "……………………………", bold=bool(block.name))


def save(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
