"""The year-end report (báo cáo tổng kết) of a group-year: DOCX, PDF and a news summary.

`report_data` reads everything once (the scores through `group_year_scores`, so every point equals
`thidua score --json` and the ranking page); the builders are pure functions of that data:

- `report_docx(data)`: python-docx, in the administrative format of Decree 30/2020/NĐ-CP, Appendix I
  (A4; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 13–14 pt; a header without
  borders: the issuing body and its number/symbol on the left, the national emblem lines and the
  place and date on the right; the title; the sections; "Nơi nhận:" and the signature block).
- `report_pdf(data)`: the same content through templates/documents/report_pdf.html and WeasyPrint.
- `news_summary(data)`: 5–8 sentences for the group's web page.

Sections: I. overview; II. results by content (one sentence per criterion from its figures,
thidua.documents.sentences, then the content's points); III. the ranking (table and chart);
IV. the leading unit and the award proposals; V. next year's leader and deputies; VI. weaknesses
and directions, as the leader typed them (ReportText).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404

from thidua.documents import sentences as s
from thidua.lib.dates import format_date, format_long_date
from thidua.lib.numbers import format_number

SECTION_TITLES = (
    "I. KHÁI QUÁT CHUNG",
    "II. KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG GIAO ƯỚC THI ĐUA",
    "III. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG",
    "IV. ĐƠN VỊ DẪN ĐẦU VÀ ĐỀ NGHỊ KHEN THƯỞNG",
)
BLANK_DATE = "ngày ….. tháng ….. năm ……"
NOT_ENTERED = "(Đơn vị {role} chưa nhập nội dung này.)"
RANK_WORDS = {1: "nhất", 2: "nhì", 3: "ba"}


class ReportError(ValueError):
    """The report cannot be made (no covenant, figures the scoring refuses); Vietnamese message."""


# ------------------------------------------------------------------------------ the data


@dataclass(frozen=True)
class MemberLine:
    label: str
    name: str
    role: str  # "Cụm trưởng", "Cụm phó" or ""


@dataclass(frozen=True)
class ContentSection:
    code: str
    title: str
    max_points: Decimal
    sentences: tuple[str, ...]
    points_sentence: str


@dataclass(frozen=True)
class RankingRow:
    rank: int
    unit: str  # code
    label: str
    contents: tuple[Decimal, ...]
    adjustments: Decimal
    total: Decimal


@dataclass(frozen=True)
class ProposalRow:
    label: str
    form_label: str
    rank: int | None
    total: Decimal | None


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, as plain values (builders never touch the database)."""

    group_code: str
    group_name: str
    word: str  # "cụm" or "khối"
    year: int
    organiser: str  # upper case, may be empty
    issuer: str  # the group's name in upper case
    number_symbol: str
    place: str
    date: dt.date | None
    conference_place: str
    scale: Decimal
    covenant_signed_on: dt.date | None
    members: tuple[MemberLine, ...]
    criteria_count: int
    contents: tuple[ContentSection, ...]
    content_codes: tuple[str, ...]
    ranking: tuple[RankingRow, ...]
    missing_cells: int
    leading: str | None  # the unit acclaimed (proposed for the flag), by its short name
    leading_code: str | None
    proposals: tuple[ProposalRow, ...]
    next_year_exists: bool
    next_leader: str | None
    next_deputies: tuple[str, ...]
    weaknesses: str
    directions: str
    recipients: tuple[str, ...]
    signer_title: tuple[str, ...]
    signer_name: str
    criteria: tuple[s.CriterionFigures, ...] = ()
    heat_criteria: tuple[tuple[str, str], ...] = ()  # (code, title)
    heat_units: tuple[str, ...] = ()
    heat_values: tuple[tuple[Decimal | None, ...], ...] = ()

    # -- words --------------------------------------------------------------------------------

    @property
    def next_year(self) -> int:
        return self.year + 1

    @property
    def word_cap(self) -> str:
        return self.word.capitalize()

    @property
    def leader_word(self) -> str:
        return f"{self.word_cap} trưởng"

    @property
    def deputy_word(self) -> str:
        return f"{self.word_cap} phó"

    @property
    def title(self) -> str:
        return f"Tổng kết phong trào thi đua năm {self.year} và phương hướng, nhiệm vụ năm {self.next_year}"

    @property
    def number_line(self) -> str:
        return f"Số: {self.number_symbol}" if self.number_symbol else "Số:        /BC"

    @property
    def date_line(self) -> str:
        if self.date is not None:
            return format_long_date(self.date, place=self.place)
        return f"{self.place}, {BLANK_DATE}" if self.place else BLANK_DATE.capitalize()

    @property
    def scale_text(self) -> str:
        return format_number(self.scale)

    @property
    def file_stem(self) -> str:
        return f"bao-cao-tong-ket-{re.sub(r'[^A-Za-z0-9_-]', '-', self.group_code)}-{self.year}"

    # -- the narrative ------------------------------------------------------------------------

    def row_of(self, code: str | None) -> RankingRow | None:
        return next((row for row in self.ranking if row.unit == code), None)

    def overview(self) -> list[str]:
        members = []
        for m in self.members:
            members.append(f"{m.label} ({m.role})" if m.role else m.label)
        paragraphs = []
        if self.date is not None:
            where = f", tại {s.lower_first(self.conference_place)}" if self.conference_place else ""
            paragraphs.append(f"Ngày {format_date(self.date)}{where}, {self.group_name} đã tổ chức Hội nghị tổng kết "
                              f"phong trào thi đua năm {self.year} và bình chọn, suy tôn đơn vị dẫn đầu.")
        signed = f" (ký kết ngày {format_date(self.covenant_signed_on)})" if self.covenant_signed_on else ""
        paragraphs.append(
            f"Năm {self.year}, {self.group_name} gồm {len(self.members)} đơn vị thành viên: {s.join_vi(members)}. "
            f"Các đơn vị đã thực hiện Giao ước thi đua năm {self.year}{signed} với {len(self.contents)} nội dung, "
            f"{self.criteria_count} tiêu chí, thang điểm {self.scale_text} điểm chuẩn; các thành viên trong "
            f"{self.word} đã có nhiều nỗ lực, tổ chức phong trào thi đua và đạt kết quả trên các nội dung sau."
        )
        return paragraphs

    def ranking_sentence(self) -> str:
        if not self.ranking:
            return f"{self.group_name} chưa có kết quả chấm điểm năm {self.year}."
        text = (f"Kết quả chấm điểm, xếp hạng thi đua năm {self.year} của {len(self.ranking)} đơn vị theo thang "
                f"{self.scale_text} điểm chuẩn như bảng dưới đây; điểm từng tiêu chí làm tròn đến hai chữ số thập "
                f"phân, tổng điểm bằng tổng điểm các nội dung cộng điểm thưởng, trừ điểm phạt")
        if self.missing_cells:
            text += (f". Có {format_number(self.missing_cells)} ô tiêu chí chưa có số liệu, được tính 0 điểm"
                     f" (thiếu số liệu)")
        return text + "."

    def leading_sentence(self) -> str:
        if not self.ranking:
            return "Chưa có kết quả xếp hạng nên chưa có đơn vị dẫn đầu."
        scale = self.scale_text
        if self.leading is None:
            first = self.ranking[0]
            return (f"Hội nghị chưa suy tôn đơn vị dẫn đầu; theo kết quả chấm điểm, đơn vị xếp thứ nhất là "
                    f"{first.label} với {format_number(first.total)}/{scale} điểm chuẩn.")
        lead = self.row_of(self.leading_code)
        text = f"Qua chấm điểm xếp hạng thi đua năm {self.year}, {self.group_name} đã suy tôn đơn vị dẫn đầu là {self.leading}"
        if lead is not None:
            placed = "" if lead.rank == 1 else f" (xếp thứ {lead.rank})"
            text += f" với số điểm đạt {format_number(lead.total)}/{scale} điểm chuẩn{placed}"
        runner = next((row for row in self.ranking if row.unit != self.leading_code), None)
        if runner is not None:
            word = RANK_WORDS.get(runner.rank, f"thứ {runner.rank}")
            text += (f", đơn vị đạt hạng {word} là {runner.label} đạt "
                     f"{format_number(runner.total)}/{scale} điểm chuẩn")
        return text + "."

    def proposals_parts(self) -> str:
        """"Cờ thi đua của Ủy ban nhân dân tỉnh cho Giồng Riềng; Bằng khen … cho Tân Hiệp"."""
        by_form: dict[str, list[str]] = {}
        for p in self.proposals:
            by_form.setdefault(p.form_label, []).append(p.label)
        return "; ".join(f"{form} cho {s.join_vi(labels)}" for form, labels in by_form.items())

    def proposals_sentence(self) -> str:
        if not self.proposals:
            return "Chưa lập danh sách đề nghị khen thưởng."
        return f"{self.group_name} đề nghị tặng {self.proposals_parts()}."

    def next_year_sentence(self) -> str:
        if not self.next_year_exists or self.next_leader is None:
            return (f"Chưa bầu {self.leader_word.lower()}, {self.deputy_word.lower()} {self.group_name} "
                    f"năm {self.next_year}.")
        text = f"Hội nghị đã bầu chọn {self.next_leader} làm {self.leader_word}"
        if self.next_deputies:
            text += f" và {s.join_vi(self.next_deputies)} làm {self.deputy_word}"
        return text + f" {self.group_name} năm {self.next_year}."

    def closing(self) -> str:
        return (f"Trên đây là báo cáo tổng kết phong trào thi đua năm {self.year} và phương hướng, nhiệm vụ năm "
                f"{self.next_year} của {self.group_name}./.")

    def weaknesses_paragraphs(self) -> list[str]:
        return _paragraphs(self.weaknesses) or [NOT_ENTERED.format(role=self.leader_word.lower())]

    def directions_paragraphs(self) -> list[str]:
        return _paragraphs(self.directions) or [NOT_ENTERED.format(role=self.leader_word.lower())]


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def _threshold(params: dict) -> Decimal | None:
    value = (params or {}).get("threshold")
    return None if value is None else Decimal(str(value))


def _plan_pct(figures: s.UnitFigures, direction: str) -> Decimal | None:
    """p of COVENANT_FORMAT.md: actual / target × 100, or (2 − actual / target) × 100 when lower."""
    if figures.actual is None or not figures.target:
        return None
    ratio = Decimal(figures.actual) / Decimal(figures.target)
    return (2 - ratio) * 100 if direction == "lower" else ratio * 100


def report_data(*, group_year) -> ReportData:
    """Read one group-year's report: the scores (group_year_scores), the criteria and their results,
    the members, the award proposals, next year's roles and the leader's text. About fifteen
    queries whatever the size. Raises ReportError without a covenant or when scoring fails."""
    from thidua.conference.models import AwardForm, AwardProposal, ProposalStatus
    from thidua.conference.signing import document_organiser, document_place
    from thidua.covenants.models import Result
    from thidua.covenants.selectors import criteria_of, members_of
    from thidua.documents.models import ReportText
    from thidua.org.models import GroupKind, GroupYear, Membership, Position
    from thidua.scoring.engine import ScoringError
    from thidua.scoring.selectors import group_year_scores

    group_year = GroupYear.objects.select_related("group__organiser_unit").get(pk=group_year.pk)
    group = group_year.group
    try:
        scores = group_year_scores(group_year=group_year)
    except Http404:
        raise ReportError(f"{group.name} năm {group_year.year} chưa có giao ước thi đua nên chưa lập được báo cáo "
                          f"tổng kết.") from None
    except ScoringError as exc:
        raise ReportError(f"Không chấm được điểm: {exc}") from None
    covenant = scores.covenant
    word = "khối" if group.kind == GroupKind.BLOCK else "cụm"
    roles = {Position.LEADER: f"{word.capitalize()} trưởng", Position.DEPUTY: f"{word.capitalize()} phó"}

    memberships = members_of(group_year)
    units = {m.unit_id: m.unit for m in memberships}
    members = tuple(MemberLine(label=m.unit.label, name=m.unit.name, role=roles.get(m.position, "")) for m in memberships)

    criteria = criteria_of(covenant)
    figures: dict[int, dict[int, s.UnitFigures]] = {c.pk: {} for c in criteria}
    for criterion_id, unit_id, target, actual, baseline in Result.objects.filter(criterion__covenant=covenant).values_list(
        "criterion_id", "unit_id", "target", "actual", "baseline"
    ):
        if unit_id in units:
            figures[criterion_id][unit_id] = s.UnitFigures(label=units[unit_id].label, target=target, actual=actual,
                                                           baseline=baseline, code=units[unit_id].code)
    criterion_figures = []
    for c in criteria:
        per_unit = tuple(figures[c.pk].get(m.unit_id) or s.UnitFigures(label=m.unit.label, code=m.unit.code)
                         for m in memberships)
        criterion_figures.append(s.CriterionFigures(
            code=c.code, title=c.title, measure=c.measure, direction=c.direction, aggregate=c.aggregate,
            method=c.method, threshold=_threshold(c.params) if c.method == "threshold" else None, units=per_unit,
        ))

    labels = scores.labels
    sections = []
    for content in covenant.contents.all():
        own = [f for f, c in zip(criterion_figures, criteria, strict=True) if c.content_id == content.pk]
        texts = tuple(text for text in (s.criterion_sentence(f, group_word=word) for f in own) if text)
        points = [s.UnitPoints(label=labels.get(line.unit, line.unit), points=line.contents[content.code])
                  for line in scores.ranking if content.code in line.contents]
        sections.append(ContentSection(
            code=content.code, title=content.title, max_points=content.max_points, sentences=texts,
            points_sentence=s.content_points_sentence(code=content.code, title=content.title,
                                                      max_points=content.max_points, points=points),
        ))
    content_codes = tuple(rule.code for rule in scores.rules.contents)
    ranking = tuple(
        RankingRow(rank=line.rank, unit=line.unit, label=labels.get(line.unit, line.unit),
                   contents=tuple(line.contents[code] for code in content_codes), adjustments=line.adjustments,
                   total=line.total)
        for line in scores.ranking
    )
    missing_cells = sum(1 for line in scores.ranking for score in line.criteria.values() if score.missing)

    # The heat map: criteria with targets, units in ranking order.
    heat_criteria, columns = [], []
    order = [row.unit for row in ranking]
    for f in criterion_figures:
        by_code = {u.code: u for u in f.units}
        column = [_plan_pct(by_code[code], f.direction) if code in by_code else None for code in order]
        if any(value is not None for value in column):
            heat_criteria.append((f.code, f.title))
            columns.append(column)
    heat_values = tuple(tuple(column[i] for column in columns) for i in range(len(order))) if columns else ()

    # The leading unit: the one proposed for the flag (acclaimed by the conference).
    flag_forms = (AwardForm.FLAG_PROVINCE, AwardForm.FLAG_GOVERNMENT)
    place_of = {row.unit: row for row in ranking}
    proposals, leading, leading_code = [], None, None
    for p in AwardProposal.objects.filter(group_year=group_year, status=ProposalStatus.PROPOSED).select_related("unit").order_by(
        "rank", "form", "id"
    ):
        row = place_of.get(p.unit.code)
        proposals.append(ProposalRow(label=p.unit.label, form_label=AwardForm(p.form).label,
                                     rank=row.rank if row else None, total=row.total if row else None))
        if p.form in flag_forms and leading is None:
            leading, leading_code = p.unit.label, p.unit.code

    next_group_year = GroupYear.objects.filter(group=group, year=group_year.year + 1).first()
    next_leader, next_deputies = None, ()
    if next_group_year is not None:
        next_members = sorted(Membership.objects.filter(group_year=next_group_year).select_related("unit"),
                              key=lambda m: m.unit.code)
        next_leader = next((m.unit.label for m in next_members if m.position == Position.LEADER), None)
        next_deputies = tuple(m.unit.label for m in next_members if m.position == Position.DEPUTY)

    text = ReportText.objects.filter(group_year=group_year).first()
    leader_word = roles[Position.LEADER].upper()
    default_recipients = tuple(filter(None, (
        f"{group.organiser} (b/c);" if group.organiser else "",
        "Ban Thi đua – Khen thưởng (b/c);",
        f"Các đơn vị thành viên {word};",
        "Lưu: VT.",
    )))
    return ReportData(
        group_code=group.code,
        group_name=group.name,
        word=word,
        year=group_year.year,
        organiser=document_organiser(group),
        issuer=group.name.upper(),
        number_symbol=(re.sub(r"^số\s*:?\s*", "", text.number_symbol.strip(), flags=re.IGNORECASE) if text else ""),
        place=document_place(group),
        date=group_year.conference_date,
        conference_place=group_year.conference_place,
        scale=covenant.scale,
        covenant_signed_on=covenant.signed_on,
        members=members,
        criteria_count=len(criteria),
        contents=tuple(sections),
        content_codes=content_codes,
        ranking=ranking,
        missing_cells=missing_cells,
        leading=leading,
        leading_code=leading_code,
        proposals=tuple(proposals),
        next_year_exists=next_group_year is not None,
        next_leader=next_leader,
        next_deputies=next_deputies,
        weaknesses=text.weaknesses if text else "",
        directions=text.directions if text else "",
        recipients=(_lines(text.recipients) if text and text.recipients.strip() else default_recipients),
        signer_title=(_lines(text.signer_title) if text and text.signer_title.strip()
                      else (f"TM. {group.name.upper()}", leader_word)),
        signer_name=(text.signer_name.strip() if text else ""),
        criteria=tuple(criterion_figures),
        heat_criteria=tuple(heat_criteria),
        heat_units=tuple(row.label for row in ranking),
        heat_values=heat_values,
    )


# ------------------------------------------------------------------------------ news and charts


def news_sentences(data: ReportData) -> list[str]:
    """5 to 8 sentences: the conference (or the year), the members, the covenant, up to two
    highlights from the figures, the ranking, the leading unit and awards, next year's roles."""
    out = []
    if data.date is not None:
        where = f", tại {s.lower_first(data.conference_place)}" if data.conference_place else ""
        out.append(f"Ngày {format_date(data.date)}{where}, {data.group_name} đã tổ chức Hội nghị tổng kết phong trào "
                   f"thi đua năm {data.year}.")
    else:
        out.append(f"{data.group_name} tổng kết phong trào thi đua năm {data.year}.")
    roles = [f"{m.label} ({m.role})" if m.role else m.label for m in data.members]
    out.append(f"{data.word_cap} gồm {len(data.members)} đơn vị: {s.join_vi(roles)}.")
    out.append(f"Các đơn vị thực hiện Giao ước thi đua với {len(data.contents)} nội dung, {data.criteria_count} tiêu chí, "
               f"thang điểm {data.scale_text} điểm chuẩn.")
    highlights = [s.sum_sentence(f) for f in data.criteria
                  if f.aggregate == "sum" and f.method != "vs_baseline" and any(u.actual is not None for u in f.units)]
    if len(highlights) < 2:
        highlights += [text for text in (s.criterion_sentence(f, group_word=data.word) for f in data.criteria
                                         if not (f.aggregate == "sum" and f.method != "vs_baseline"))
                       if text and not text.endswith("chưa có số liệu của các đơn vị.")]
    for text in highlights[:2]:
        out.append(text[:1].upper() + text[1:])
    if data.ranking:
        first = data.ranking[0]
        text = (f"Qua chấm điểm, {first.label} xếp thứ nhất với {format_number(first.total)}/{data.scale_text} "
                f"điểm chuẩn")
        second = next((row for row in data.ranking if row.rank > first.rank), None)
        if second is not None:
            text += (f", {second.label} xếp thứ {RANK_WORDS.get(second.rank, second.rank)} với "
                     f"{format_number(second.total)} điểm")
        out.append(text + ".")
    if data.leading:
        text = f"Hội nghị đã suy tôn {data.leading} là đơn vị dẫn đầu"
        out.append(text + (f", đề nghị tặng {data.proposals_parts()}." if data.proposals else "."))
    else:
        out.append(data.proposals_sentence())
    out.append(data.next_year_sentence())
    return out[:8]


def news_summary(data: ReportData) -> str:
    return " ".join(news_sentences(data))


@dataclass(frozen=True)
class Charts:
    ranking: bytes | None
    heatmap: bytes | None


def report_charts(data: ReportData) -> Charts:
    from thidua.documents import charts

    ranking = None
    if data.ranking:
        ranking = charts.ranking_chart(labels=[row.label for row in data.ranking],
                                       totals=[row.total for row in data.ranking], scale=data.scale,
                                       title=f"Tổng điểm thi đua năm {data.year} (thang {data.scale_text} điểm)")
    heatmap = None
    if data.heat_criteria and data.heat_units:
        heatmap = charts.plan_heatmap(units=data.heat_units, criteria=[code for code, _ in data.heat_criteria],
                                      values=data.heat_values,
                                      title="Tỷ lệ % kế hoạch theo tiêu chí và đơn vị")
    return Charts(ranking=ranking, heatmap=heatmap)


def heat_legend(data: ReportData) -> str:
    return "; ".join(f"{code}: {title}" for code, title in data.heat_criteria) + "."


# ------------------------------------------------------------------------------ DOCX


def _docx_tools():
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    return WD_TABLE_ALIGNMENT, WD_ALIGN_PARAGRAPH, OxmlElement, qn, Mm, Pt


FONT_NAME = "Times New Roman"


def report_docx(data: ReportData, *, charts: Charts | None = None) -> bytes:
    """The report as a Word document (python-docx), Decree 30/2020/NĐ-CP layout."""
    from docx import Document

    WD_TABLE_ALIGNMENT, ALIGN, OxmlElement, qn, Mm, Pt = _docx_tools()
    charts = charts if charts is not None else report_charts(data)
    document = Document()

    # Page: A4, margins 20/15/20/30 mm; page number centred at the top from page 2 on.
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = ALIGN.CENTER
    _field(header.add_run(), "PAGE", OxmlElement, qn)

    # Fonts: Times New Roman 14 pt for the body, in every script slot (Word picks eastAsia/cs too).
    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT_NAME)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.1
    text_width = Mm(165)

    def para(text: str = "", *, bold=False, italic=False, size=None, align=None, indent=True, after=None, container=None):
        target = container if container is not None else document
        p = target.add_paragraph()
        if text:
            run = p.add_run(text)
            run.bold, run.italic = bold or None, italic or None
            if size:
                run.font.size = Pt(size)
        p.alignment = align if align is not None else ALIGN.JUSTIFY
        if indent and align is None:
            p.paragraph_format.first_line_indent = Mm(10)
        if after is not None:
            p.paragraph_format.space_after = Pt(after)
        return p

    def short_rule(p, *, width_mm: float, cell_mm: float):
        """A centred line under a header block: a bottom border between symmetric indents."""
        side = max((cell_mm - width_mm) / 2, 0)
        p.paragraph_format.left_indent = Mm(side)
        p.paragraph_format.right_indent = Mm(side)
        p.paragraph_format.space_after = Pt(2)
        p_pr = p._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
            bottom.set(qn(key), value)
        borders.append(bottom)
        p_pr.append(borders)
        run = p.add_run()
        run.font.size = Pt(2)

    # Header: issuing body | national emblem lines, place and date.
    left_mm, right_mm = 68, 97
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table, OxmlElement, qn)
    _widths(table, (left_mm, right_mm), Mm)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = ""
    first = left.paragraphs[0]
    if data.organiser:
        run = first.add_run(data.organiser)
        run.font.size = Pt(13)
        first.alignment = ALIGN.CENTER
        first.paragraph_format.space_after = Pt(0)
        issuer = para(data.issuer, bold=True, size=13, align=ALIGN.CENTER, after=0, container=left)
    else:
        run = first.add_run(data.issuer)
        run.bold, run.font.size = True, Pt(13)
        first.alignment = ALIGN.CENTER
        issuer = first
    issuer.paragraph_format.space_after = Pt(0)
    short_rule(para(container=left, align=ALIGN.CENTER), width_mm=22, cell_mm=left_mm)
    para(data.number_line, size=13, align=ALIGN.CENTER, after=0, container=left)
    nation = right.paragraphs[0]
    run = nation.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    run.bold, run.font.size = True, Pt(12)
    nation.alignment = ALIGN.CENTER
    nation.paragraph_format.space_after = Pt(0)
    para("Độc lập - Tự do - Hạnh phúc", bold=True, size=13.5, align=ALIGN.CENTER, after=0, container=right)
    short_rule(para(container=right, align=ALIGN.CENTER), width_mm=58, cell_mm=right_mm)
    para(data.date_line, italic=True, size=13.5, align=ALIGN.CENTER, after=0, container=right)

    # Title.
    para("BÁO CÁO", bold=True, size=14, align=ALIGN.CENTER, after=0).paragraph_format.space_before = Pt(18)
    para(data.title, bold=True, size=14, align=ALIGN.CENTER, after=0)
    short_rule(para(align=ALIGN.CENTER), width_mm=40, cell_mm=165)

    def heading(text: str, *, level: int = 1):
        p = para(text, bold=True, align=ALIGN.LEFT, indent=False)
        p.paragraph_format.space_before = Pt(10 if level == 1 else 6)
        p.paragraph_format.keep_with_next = True
        if level == 2:
            p.paragraph_format.first_line_indent = Mm(10)
        return p

    def picture(png: bytes | None, caption: str, legend: str = ""):
        if not png:
            return
        document.add_picture(io.BytesIO(png), width=Mm(150))
        document.paragraphs[-1].alignment = ALIGN.CENTER
        para(caption, italic=True, size=12, align=ALIGN.CENTER, after=2)
        if legend:
            para(legend, italic=True, size=11, align=ALIGN.JUSTIFY, indent=False)

    # I. Overview.
    heading(SECTION_TITLES[0])
    for text in data.overview():
        para(text)

    # II. Results by content.
    heading(SECTION_TITLES[1])
    for number, content in enumerate(data.contents, start=1):
        heading(f"{number}. Nội dung {content.code}: {content.title}", level=2)
        for text in content.sentences:
            para(text)
        para(content.points_sentence)
    picture(charts.heatmap, f"Biểu đồ 1. Tỷ lệ % kế hoạch theo tiêu chí và đơn vị năm {data.year}",
            f"Ghi chú: {heat_legend(data)} Ô xám: chưa có số liệu.")

    # III. Ranking.
    heading(SECTION_TITLES[2])
    para(data.ranking_sentence())
    _ranking_table(document, data, ALIGN, Pt, Mm, qn, OxmlElement)
    picture(charts.ranking, f"Biểu đồ 2. Tổng điểm thi đua năm {data.year} của các đơn vị")

    # IV. Leading unit and award proposals.
    heading(SECTION_TITLES[3])
    para(data.leading_sentence())
    para(data.proposals_sentence())
    if data.proposals:
        grid = document.add_table(rows=1, cols=5)
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        _fill_row(grid.rows[0], ("TT", "Đơn vị", "Hình thức khen thưởng", "Hạng", "Tổng điểm"), bold=True, Pt=Pt, ALIGN=ALIGN)
        for i, p in enumerate(data.proposals, start=1):
            _fill_row(grid.add_row(), (str(i), p.label, p.form_label, "" if p.rank is None else str(p.rank),
                                       "" if p.total is None else format_number(p.total, places=2)),
                      Pt=Pt, ALIGN=ALIGN, numeric=(0, 3, 4))
        _widths(grid, (12, 38, 71, 16, 28), Mm)
        para(after=0)

    # V. Next year's roles.
    heading(f"V. {data.leader_word.upper()}, {data.deputy_word.upper()} NĂM {data.next_year}")
    para(data.next_year_sentence())

    # VI. Weaknesses and directions.
    heading(f"VI. TỒN TẠI, HẠN CHẾ VÀ PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {data.next_year}")
    heading("1. Tồn tại, hạn chế", level=2)
    for text in data.weaknesses_paragraphs():
        para(text)
    heading(f"2. Phương hướng, nhiệm vụ năm {data.next_year}", level=2)
    for text in data.directions_paragraphs():
        para(text)
    para(data.closing())

    # Recipients | signature.
    block = document.add_table(rows=1, cols=2)
    _no_borders(block, OxmlElement, qn)
    _widths(block, (80, 85), Mm)
    to_cell, sign_cell = block.rows[0].cells
    head = to_cell.paragraphs[0]
    run = head.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    head.paragraph_format.space_after = Pt(0)
    for line in data.recipients:
        p = para(f"- {line}", size=11, align=ALIGN.LEFT, indent=False, after=0, container=to_cell)
        p.paragraph_format.line_spacing = 1.0
    first = sign_cell.paragraphs[0]
    first.alignment = ALIGN.CENTER
    first.paragraph_format.space_after = Pt(0)
    for i, line in enumerate(data.signer_title):
        p = first if i == 0 else para(container=sign_cell, align=ALIGN.CENTER, after=0)
        run = p.add_run(line.upper())
        run.bold, run.font.size = True, Pt(13.5)
    for _ in range(4):
        para(container=sign_cell, align=ALIGN.CENTER, after=0)
    para(data.signer_name, bold=True, size=14, align=ALIGN.CENTER, after=0, container=sign_cell)

    properties = document.core_properties
    properties.title = f"Báo cáo {data.title[:1].lower()}{data.title[1:]} – {data.group_name}"
    properties.language = "vi-VN"
    properties.author = data.group_name
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _field(run, instruction: str, OxmlElement, qn) -> None:
    begin, text, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, end):
        run._r.append(element)


def _no_borders(table, OxmlElement, qn) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _widths(table, widths_mm, Mm) -> None:
    """Column widths in the grid (LibreOffice reads these) and in every cell (Word reads those)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _fill_row(row, values, *, bold: bool = False, Pt, ALIGN, numeric=()) -> None:
    for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
        p = cell.paragraphs[0]
        run = p.add_run(value)
        run.font.size = Pt(12)
        run.bold = bold or None
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.first_line_indent = None
        p.alignment = ALIGN.CENTER if bold else (ALIGN.RIGHT if i in numeric else ALIGN.LEFT)


def _ranking_table(document, data: ReportData, ALIGN, Pt, Mm, qn, OxmlElement) -> None:
    headers = ("Hạng", "Đơn vị", *[f"Nội dung {code}" for code in data.content_codes], "Thưởng/trừ", "Tổng điểm")
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    _fill_row(table.rows[0], headers, bold=True, Pt=Pt, ALIGN=ALIGN)
    numeric = (0, *range(2, len(headers)))
    for row in data.ranking:
        values = (str(row.rank), row.label, *[format_number(v, places=2) for v in row.contents],
                  format_number(row.adjustments, places=2), format_number(row.total, places=2))
        _fill_row(table.add_row(), values, Pt=Pt, ALIGN=ALIGN, numeric=numeric)
    count = len(data.content_codes)
    share = (165 - 14 - 36 - 22 - 24) / max(count, 1)
    _widths(table, (14, 36, *([share] * count), 22, 24), Mm)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


# ------------------------------------------------------------------------------ PDF


def _data_uri(png: bytes | None) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else ""


def report_pdf_html(data: ReportData, *, charts: Charts | None = None) -> str:
    from django.template.loader import render_to_string

    charts = charts if charts is not None else report_charts(data)
    ranking_rows = [
        {"rank": row.rank, "label": row.label, "contents": [format_number(v, places=2) for v in row.contents],
         "adjustments": format_number(row.adjustments, places=2), "total": format_number(row.total, places=2)}
        for row in data.ranking
    ]
    proposals = [
        {"label": p.label, "form": p.form_label, "rank": "" if p.rank is None else p.rank,
         "total": "" if p.total is None else format_number(p.total, places=2)}
        for p in data.proposals
    ]
    context = {
        "d": data,
        # The Decree 30 header (templates/documents/_pdf_header.html), as thidua.documents.minutes.Header.
        "header": {"organiser": data.organiser, "issuer": data.issuer, "number": data.number_line,
                   "date_line": data.date_line},
        "sections": SECTION_TITLES,
        "ranking_rows": ranking_rows,
        "proposals": proposals,
        "heatmap": _data_uri(charts.heatmap),
        "ranking_chart": _data_uri(charts.ranking),
        "heat_legend": heat_legend(data),
        "overview": data.overview(),
    }
    return render_to_string("documents/report_pdf.html", context)


def report_pdf(data: ReportData, *, charts: Charts | None = None) -> bytes:
    from thidua.documents.pdf import html_to_pdf  # WeasyPrint loads Pango: only when a PDF is asked for

    return html_to_pdf(report_pdf_html(data, charts=charts))
