"""The submission (tờ trình) of a group-year's award proposals, with the list, as DOCX and PDF
(LEGAL.md §3.5, §6.1: "Tờ trình of the proposing level, with a list", Mẫu 01; stack.md §8).

Issued in the group's name and signed by the leading unit (TM. cụm/khối, cụm trưởng/khối trưởng),
addressed to the Emulation and Commendation Council above the group: the central Council for a
central group (thidua.conference.proposals.group_is_central), else the council of the organiser's
territory ("Hội đồng Thi đua – Khen thưởng tỉnh Phú An").

The list is the group-year's AwardProposal rows still proposed (withdrawn ones left out), in the
order of the proposals page: rank, form. Totals are written as people read them: "912,00".
The date is left blank ("ngày ….. tháng ….. năm ……"): it is the day the leader signs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from thidua.conference.models import AwardForm, AwardProposal, Ballot, BallotKind, BallotStatus, ProposalStatus
from thidua.conference.proposals import group_is_central, group_word, leader_of
from thidua.covenants.models import Covenant
from thidua.documents.minutes import (
    Header,
    SignatureBlock,
    add_grid,
    add_header,
    add_par,
    add_signatures,
    add_title,
    header_for,
    new_document,
    save,
)
from thidua.lib.dates import format_date, format_long_date
from thidua.lib.numbers import format_number
from thidua.org.models import Group, GroupYear, UnitKind

COLUMNS = ("TT", "Đơn vị", "Hình thức khen thưởng", "Hạng", "Tổng điểm", "Căn cứ")
DECREE_152_FROM = dt.date(2025, 7, 1)
_TERRITORIAL = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE)
_PREFIX = re.compile(r"^(Tỉnh|Thành phố|Huyện|Thị xã|Quận|Xã|Phường|Thị trấn|Đặc khu)\b")
_COMMITTEE = re.compile(r"^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", re.IGNORECASE)


class NoProposals(LookupError):
    """The group-year has no proposal list yet (the views answer 404)."""


@dataclass(frozen=True)
class Letter:
    header: Header
    title: str
    subtitle: str
    recipient: str
    bases: list[str]
    body: list[str]
    summary: list[str]
    rows: list[tuple[str, ...]]
    closing: list[str]
    recipients_note: list[str]
    signature: SignatureBlock


def proposals_for_letter(group_year: GroupYear) -> list[AwardProposal]:
    return list(AwardProposal.objects.filter(group_year=group_year, status=ProposalStatus.PROPOSED)
                .select_related("unit").order_by("rank", "form", "id"))


def _lower_first(name: str) -> str:
    """"Tỉnh Phú An" → "tỉnh Phú An" (an administrative prefix inside a sentence)."""
    return name[0].lower() + name[1:] if _PREFIX.match(name) else name


def recipient_of(group: Group) -> str:
    council = "Hội đồng Thi đua – Khen thưởng"
    if group_is_central(group):
        return f"{council} Trung ương"
    unit = group.organiser_unit
    while unit is not None and unit.kind not in _TERRITORIAL:
        unit = unit.parent
    if unit is not None:
        return f"{council} {_lower_first(unit.name)}"
    organiser = _COMMITTEE.sub("", (group.organiser or "").strip())
    return f"{council} {organiser}" if organiser else council


def _decree_basis(today: dt.date) -> str:
    if today >= DECREE_152_FROM:
        return ("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân cấp, "
                "phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng dẫn thi hành một số "
                "điều của Luật Thi đua, khen thưởng;")
    return ("Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành "
            "một số điều của Luật Thi đua, khen thưởng;")


def _closed(group_year: GroupYear, kind: str) -> Ballot | None:
    return (Ballot.objects.filter(group_year=group_year, kind=kind, status=BallotStatus.CLOSED)
            .order_by("-closed_at", "-id").first())


def _ballot_day(ballot: Ballot) -> str:
    return format_date(timezone.localtime(ballot.closed_at)) if ballot.closed_at else ""


def letter_of(group_year: GroupYear) -> Letter:
    """The submission's text; raises NoProposals when the list is empty."""
    proposals = proposals_for_letter(group_year)
    if not proposals:
        raise NoProposals(f"{group_year} chưa có danh sách đề nghị khen thưởng.")
    group = group_year.group
    year = group_year.year
    word = group_word(group)
    recipient = recipient_of(group)
    covenant = Covenant.objects.filter(group_year=group_year).first()
    signed = f" ký kết {format_long_date(covenant.signed_on)}" if covenant and covenant.signed_on else ""
    bases = [
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        _decree_basis(timezone.localdate()),
        f"Căn cứ Quy chế hoạt động của {group.name} và Giao ước thi đua năm {year}{signed};",
        f"Căn cứ kết quả chấm điểm, xếp hạng thi đua năm {year} của các đơn vị thành viên {group.name};",
    ]
    acclaim = _closed(group_year, BallotKind.ACCLAIM)
    if acclaim is not None:
        bases.append(f"Căn cứ kết quả bỏ phiếu suy tôn đơn vị dẫn đầu tại Hội nghị tổng kết công tác thi đua năm "
                     f"{year} (Biên bản kiểm phiếu ngày {_ballot_day(acclaim)});")
    vote = _closed(group_year, BallotKind.PROPOSALS)
    if vote is not None:
        bases.append(f"Căn cứ kết quả biểu quyết thông qua danh sách đề nghị khen thưởng (Biên bản kiểm phiếu ngày "
                     f"{_ballot_day(vote)});")
    bases[-1] = bases[-1][:-1] + "."
    held = ""
    if group_year.conference_date:
        held = f" ngày {format_date(group_year.conference_date)}"
    if group_year.conference_place:
        held += f" tại {group_year.conference_place}"
    count = len({p.unit_id for p in proposals})
    body = [
        f"{group.name} đã tổ chức Hội nghị tổng kết công tác thi đua năm {year}{held}. Trên cơ sở kết quả chấm "
        f"điểm, xếp hạng theo Giao ước thi đua và kết quả bình xét, suy tôn tại Hội nghị, {group.name} kính trình "
        f"{recipient} xem xét, đề nghị khen thưởng cho {count:02d} tập thể có thành tích xuất sắc trong phong trào "
        f"thi đua năm {year}, cụ thể như sau:",
    ]
    forms = Counter(p.form for p in proposals)
    summary = [f"- {AwardForm(form).label}: {forms[form]:02d} tập thể;" for form in AwardForm.values if forms[form]]
    summary[-1] = summary[-1][:-1] + "."
    rows = [
        (str(number), p.unit.name, p.get_form_display(), "" if p.rank is None else str(p.rank),
         format_number(p.total, places=2, missing="—"), p.basis)
        for number, p in enumerate(proposals, start=1)
    ]
    closing = [
        "(Có danh sách, biên bản họp và kết quả bỏ phiếu kèm theo)",
        f"Kính trình {recipient} xem xét, quyết định./.",
    ]
    leader = leader_of(group_year)
    signer = ""
    if leader is not None and covenant is not None:
        signature = covenant.signatures.filter(unit=leader).first()
        signer = signature.signer_name if signature else ""
    lines = [f"TM. {group.name.upper()}", f"{word.upper()} TRƯỞNG"]
    if leader is not None:
        lines.append(leader.name.upper())
    return Letter(
        header=header_for(group_year, number="Số:          /TTr"),
        title="TỜ TRÌNH",
        subtitle=f"Về việc đề nghị khen thưởng năm {year} cho các tập thể thuộc {group.name}",
        recipient=recipient,
        bases=bases,
        body=body,
        summary=summary,
        rows=rows,
        closing=closing,
        recipients_note=["Nơi nhận:", "- Như trên;", f"- Các đơn vị thành viên {word};", "- Lưu: VT."],
        signature=SignatureBlock(lines=tuple(lines), hint="", name=signer),
    )


# ------------------------------------------------------------------------------ PDF


def proposal_letter_pdf_html(*, group_year: GroupYear) -> str:
    letter = letter_of(group_year)
    return render_to_string("documents/proposal_letter_pdf.html", {"l": letter, "header": letter.header,
                                                                     "columns": COLUMNS})


def proposal_letter_pdf(*, group_year: GroupYear) -> bytes:
    from thidua.documents.pdf import html_to_pdf  # WeasyPrint loads Pango: only when a PDF is asked for

    return html_to_pdf(proposal_letter_pdf_html(group_year=group_year))


# ------------------------------------------------------------------------------ DOCX


def proposal_letter_docx(*, group_year: GroupYear) -> bytes:
    letter = letter_of(group_year)
    doc = new_document(title=f"{letter.title} {letter.subtitle}")
    add_header(doc, letter.header)
    add_title(doc, letter.title, letter.subtitle)
    add_par(doc, runs=(("Kính gửi: ", False, False), (letter.recipient, False, False)), center=True,
            space_after=8)
    for text in letter.bases:
        add_par(doc, text, italic=True, indent=True, justify=True)
    for text in letter.body:
        add_par(doc, text, indent=True, justify=True)
    for text in letter.summary:
        add_par(doc, text, indent=True, justify=True)
    add_grid(doc, COLUMNS, letter.rows, widths_mm=(10, 36, 36, 13, 20, 50), numeric=(0, 3, 4), size=11,
             empty="Chưa có tập thể được đề nghị.")
    for text in letter.closing:
        add_par(doc, text, indent=True, justify=True, italic=text.startswith("("))
    add_signatures(doc, (letter.signature,), left_note=letter.recipients_note)
    return save(doc)
